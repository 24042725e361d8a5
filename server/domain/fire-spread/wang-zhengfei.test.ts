/**
 * The 王正非 factors against their closed forms, worked by hand: e^(0.1783·V·cosθ) and
 * e^(±3.533·(tan φ)^1.2).
 */
import { describe, expect, it } from 'vitest';
import {
  initialSpreadRate,
  WANG_KS_DEFAULTS,
  wangRate,
  wangSlopeFactor,
  wangWindFactor,
} from './wang-zhengfei.ts';

describe('王正非 model', () => {
  it('Kw = e^(0.1783·V·cosθ): 4 m/s with the wind e^0.7132 = 2.04051; across 1; against e^-0.7132', () => {
    expect(wangWindFactor(4, 0)).toBeCloseTo(2.0405105, 5);
    expect(wangWindFactor(4, 90)).toBeCloseTo(1, 12);
    expect(wangWindFactor(4, 180)).toBeCloseTo(1 / 2.0405105, 5);
    expect(wangWindFactor(0, 0)).toBe(1);
  });
  it('Kφ = e^(±3.533·(tanφ)^1.2): tan 1 (45°) gives e^3.533 = 34.2265 up and its inverse down', () => {
    expect(wangSlopeFactor(1)).toBeCloseTo(34.22649, 3);
    expect(wangSlopeFactor(-1)).toBeCloseTo(1 / 34.22649, 6);
    // tan φ = 0.5: 0.5^1.2 = 0.435275, ×3.533 = 1.537827, e^… = 4.654468
    expect(wangSlopeFactor(0.5)).toBeCloseTo(4.654468, 4);
    expect(wangSlopeFactor(0)).toBe(1);
  });
  it('R = R0·Ks·Kw·Kφ, upslope faster than downslope', () => {
    const base = { r0MMin: 1, ks: WANG_KS_DEFAULTS.茅草杂草, windMs: 4, angleOffWindDeg: 0 };
    expect(wangRate({ ...base, tanSlope: 0 })).toBeCloseTo(1.6 * 2.0405105, 5);
    expect(wangRate({ ...base, tanSlope: 0.5 })).toBeCloseTo(1.6 * 2.0405105 * 4.654468, 3);
    expect(wangRate({ ...base, tanSlope: 0.3 })).toBeGreaterThan(
      wangRate({ ...base, tanSlope: -0.3 }),
    );
  });
  it('R0 from the weather regression: 20 °C, force 2, 40 % → 0.6 + 0.1 + 0.6 − 0.3 = 1.0 m/min, never negative', () => {
    expect(initialSpreadRate(20, 2, 40)).toBeCloseTo(1.0, 12);
    expect(initialSpreadRate(0, 0, 100)).toBe(0);
  });
});
