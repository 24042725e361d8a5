import { describe, expect, it } from 'vitest';
import { mergeCells } from './merge-ground.ts';

/** Great-circle distance in metres (haversine on the mean Earth radius, 6,371,008.8 m). */
function metres(a: [number, number], b: [number, number]): number {
  const r = Math.PI / 180;
  const dLat = (b[1] - a[1]) * r;
  const dLon = (b[0] - a[0]) * r;
  const h =
    Math.sin(dLat / 2) ** 2 + Math.cos(a[1] * r) * Math.cos(b[1] * r) * Math.sin(dLon / 2) ** 2;
  return 2 * 6_371_008.8 * Math.asin(Math.sqrt(h));
}

/** A deterministic pseudo-random sequence (mulberry32), so a failure can be replayed. */
function random(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

describe('the ground a report may merge on', () => {
  it('two points within the merge distance always share a cell', () => {
    const next = random(17);
    let tried = 0;
    for (const distanceM of [50, 1000, 5000]) {
      for (let i = 0; i < 4000; i++) {
        // Anywhere from the tropics to the north-east, near cell edges as often as not.
        const a: [number, number] = [73 + next() * 62, 18 + next() * 36];
        // Half along the four axes at nearly the full distance (where a square too small
        // misses), half anywhere within it.
        const bearing = i % 2 === 0 ? (Math.floor(next() * 4) * Math.PI) / 2 : next() * 2 * Math.PI;
        const along = (i % 2 === 0 ? 0.99 + next() * 0.009 : next() * 0.999) * distanceM;
        const b: [number, number] = [
          a[0] + (along * Math.sin(bearing)) / (111_320 * Math.cos((a[1] * Math.PI) / 180)),
          a[1] + (along * Math.cos(bearing)) / 110_574,
        ];
        if (metres(a, b) > distanceM) continue;
        tried++;
        const mine = new Set(mergeCells(a[0], a[1], distanceM));
        expect(
          mergeCells(b[0], b[1], distanceM).some((c) => mine.has(c)),
          `${a} and ${b}, ${distanceM} m`,
        ).toBe(true);
      }
    }
    expect(tried).toBeGreaterThan(10_000);
  });

  it('reports far apart hold no cell in common, and few cells each', () => {
    // Two points of Mayang county 9 km apart, merge distance 1 km.
    const a = mergeCells(109.8, 27.87, 1000);
    const b = mergeCells(109.89, 27.87, 1000);
    expect(a.filter((c) => b.includes(c))).toEqual([]);
    expect(a.length).toBeGreaterThanOrEqual(1);
    expect(a.length).toBeLessThanOrEqual(6);
  });
});
