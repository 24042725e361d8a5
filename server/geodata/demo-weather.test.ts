/**
 * The demo season's wind directions: the winter monsoon's north to north-east from October to
 * March, the summer monsoon's south in June to August, each a 16-point compass direction.
 */
import { describe, expect, it } from 'vitest';
import { demoSeason } from './demo-weather.ts';

const STATIONS = [1, 2, 3, 4, 5, 6].map((i) => ({
  id: `MY-A0${i}`,
  name: `站${i}`,
  location: [109.6 + 0.05 * i, 27.9] as [number, number],
}));

/** The share of the observed days whose wind blows from within [lo, hi] degrees. */
function shareFrom(today: string, lo: number, hi: number): number {
  const obs = demoSeason(STATIONS, today).filter((w) => w.kind === 'observation');
  return (
    obs.filter((w) => (w.windFromDeg as number) >= lo && (w.windFromDeg as number) <= hi).length /
    obs.length
  );
}

describe('demo wind directions', () => {
  it('every day has a direction on the 16-point compass', () => {
    for (const w of demoSeason(STATIONS, '2026-12-01')) {
      expect(w.windFromDeg).not.toBeNull();
      expect(((w.windFromDeg as number) / 22.5) % 1).toBe(0);
      expect(w.windFromDeg).toBeGreaterThanOrEqual(0);
      expect(w.windFromDeg).toBeLessThan(360);
    }
  });

  it('mostly from the north to north-east in winter, from the south in summer', () => {
    // 60 days up to 1 December: October and November, the winter monsoon.
    expect(shareFrom('2026-12-01', 0, 45)).toBeGreaterThan(0.7);
    // 60 days up to 31 August: June (from the 2nd) to August, the summer monsoon.
    expect(shareFrom('2026-08-31', 157.5, 202.5)).toBeGreaterThan(0.7);
    expect(shareFrom('2026-08-31', 0, 45)).toBeLessThan(0.15);
  });
});
