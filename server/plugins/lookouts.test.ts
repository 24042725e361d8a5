import { decode } from 'fast-png';
import { describe, expect, it } from 'vitest';
import { PALETTE, rgbOf } from '../domain/map-palette.ts';
import { coverageImage } from './lookouts.ts';

describe('the tower coverage image', () => {
  it('leaves cells outside the forest clear and colours unseen, once-seen and twice-seen forest on the coverage scale, never a fire’s red', () => {
    const img = decode(coverageImage(Int16Array.from([-1, 0, 1, 2, 7]), 5, 1));
    const px = (i: number) => Array.from(img.data.subarray(i * 4, i * 4 + 4));
    expect(px(0)[3]).toBe(0);
    expect(px(1).slice(0, 3)).toEqual(rgbOf(PALETTE.coverage.none));
    expect(px(2).slice(0, 3)).toEqual(rgbOf(PALETTE.coverage.part));
    expect(px(3).slice(0, 3)).toEqual(rgbOf(PALETTE.coverage.met));
    expect(px(4)).toEqual(px(3));
    // Coverage grows more transparent as it grows: the gaps are what the eye should find.
    expect(px(1)[3]).toBeGreaterThan(px(2)[3] as number);
    expect(px(2)[3]).toBeGreaterThan(px(3)[3] as number);
    // Unseen forest is no longer drawn red (red channel above both others by far).
    const [r, g, b] = px(1) as [number, number, number];
    expect(r > 150 && g < 80 && b < 80).toBe(false);
  });
});
