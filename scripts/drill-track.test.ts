/**
 * A drill crew's simulated fixes, checked against hand-worked numbers: 0.009° of latitude is
 * 0.009 × π/180 × 6 371 008.8 m (Turf's mean Earth radius) ≈ 1000.75 m.
 */
import { describe, expect, it } from 'vitest';
import { simulatedTrack, speedFor } from './drill-track.ts';

const base: [number, number] = [109.8, 27.8];
const fireNorth: [number, number] = [109.8, 27.809];

describe('simulatedTrack', () => {
  it('walks north in equal steps, one fix per interval, the last on the fire when it gets there', () => {
    // 10 m/s, a fix every 30 s: 300 m a step, so 1000.75 m takes 4 fixes, arriving at 100.075 s.
    const fixes = simulatedTrack(base, fireNorth, 10, 30);
    expect(fixes).toHaveLength(4);
    expect(fixes.map((f) => f.afterS)).toEqual([30, 60, 90, expect.closeTo(100.075, 2)]);
    expect(fixes[0]?.lat).toBeCloseTo(27.80225, 6);
    expect(fixes[3]).toMatchObject({ lon: 109.8, lat: 27.809, speedMs: 10 });
    for (const f of fixes) expect(f.headingDeg).toBeCloseTo(0, 6);
  });

  it('heads east (90°) and west (270°), and sends nothing when already at the fire', () => {
    expect(simulatedTrack(base, [109.81, 27.8], 10, 5)[0]?.headingDeg).toBeCloseTo(90, 1);
    expect(simulatedTrack(base, [109.79, 27.8], 10, 5)[0]?.headingDeg).toBeCloseTo(270, 1);
    expect(simulatedTrack(base, base, 10, 5)).toEqual([]);
  });

  it('refuses a speed or interval that is not positive, and leaves its input alone', () => {
    expect(() => simulatedTrack(base, fireNorth, 0, 5)).toThrow(RangeError);
    expect(() => simulatedTrack(base, fireNorth, 10, Number.NaN)).toThrow(RangeError);
    simulatedTrack(base, fireNorth, 10, 5);
    expect(base).toEqual([109.8, 27.8]);
  });
});

describe('speedFor', () => {
  it("covers the straight line in the reach engine's ETA, else the fallback", () => {
    expect(speedFor(base, fireNorth, 200, 8)).toBeCloseTo(1000.75 / 200, 3);
    expect(speedFor(base, fireNorth, null, 8)).toBe(8);
    expect(speedFor(base, fireNorth, 0, 8)).toBe(8);
  });
});
