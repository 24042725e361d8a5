/**
 * "One colour per meaning, red kept for fires" (issue 19, item 7), checked by hue rather than
 * by listing the values: every colour the map uses for something other than a fire lies
 * outside the reds and oranges (HSL hue 345°–40° at saturation ≥ 0.5), and every fire colour
 * but "out" inside them.
 */
import { describe, expect, it } from 'vitest';
import { PALETTE, rgbOf } from './map-palette.ts';

function hsl(hex: string): { h: number; s: number; l: number } {
  const [r, g, b] = rgbOf(hex).map((v) => v / 255) as [number, number, number];
  const max = Math.max(r, g, b);
  const min = Math.min(r, g, b);
  const l = (max + min) / 2;
  const d = max - min;
  if (d === 0) return { h: 0, s: 0, l };
  const s = d / (1 - Math.abs(2 * l - 1));
  const h = max === r ? ((g - b) / d + 6) % 6 : max === g ? (b - r) / d + 2 : (r - g) / d + 4;
  return { h: h * 60, s, l };
}

const fireLike = (hex: string) => {
  const { h, s } = hsl(hex);
  return s >= 0.5 && (h >= 345 || h <= 40);
};

/** Every colour of an object tree, with its path. */
function colours(node: unknown, path: string): [string, string][] {
  if (typeof node === 'string') return [[path, node]];
  return Object.entries(node as Record<string, unknown>).flatMap(([k, v]) =>
    colours(v, `${path}.${k}`),
  );
}

describe('the map palette', () => {
  it('the hue test calls amber (#f9a825, 37°) a fire’s orange', () => {
    expect(fireLike('#f9a825')).toBe(true);
  });

  it('the hue test tells a fire’s red and orange from dark yellow, brown, violet and teal', () => {
    expect(['#ff0000', '#d9480f', '#ef6c00'].map(fireLike)).toEqual([true, true, true]);
    expect(['#d4a900', '#5d4037', '#7b1fa2', '#00796b', '#9e9e9e'].map(fireLike)).toEqual([
      false,
      false,
      false,
      false,
      false,
    ]);
  });

  it('keeps red and orange for fires', () => {
    const { fire, ...rest } = PALETTE;
    const notFire = colours(rest, 'PALETTE').filter(([, hex]) => fireLike(hex));
    expect(notFire).toEqual([]);
    expect(fireLike(fire.unconfirmed) && fireLike(fire.confirmed) && fireLike(fire.fought)).toBe(
      true,
    );
    expect(fireLike(fire.out)).toBe(false);
  });

  it('gives each war zone of a county of up to eight its own colour', () => {
    expect(new Set(PALETTE.warZones.map((c) => c.toLowerCase())).size).toBe(8);
  });

  it('gives each coverage step its own colour', () => {
    expect(new Set(Object.values(PALETTE.coverage)).size).toBe(4);
    expect(new Set(Object.values(PALETTE.reach)).size).toBe(3);
  });
});
