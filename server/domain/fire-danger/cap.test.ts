/** CAP's rules the schema does not check: Beijing time with +08:00, closed lat,lon polygons, the GB/T 35965.1 identifier. */
import { describe, expect, it } from 'vitest';
import { capPolygon, capTime, warningIdentifier } from './cap.ts';

describe('capTime', () => {
  it('writes the instant in Beijing time with +08:00 and no fractions', () => {
    expect(capTime('2026-03-01T16:30:05.123Z')).toBe('2026-03-02T00:30:05+08:00');
    expect(capTime('2026-03-01T08:00:00+08:00')).toBe('2026-03-01T08:00:00+08:00');
  });
  it('refuses what is not a time', () => expect(() => capTime('soon')).toThrow(RangeError));
});

describe('warningIdentifier (GB/T 35965.1 A.1.1)', () => {
  it('is sender code _ Beijing entry time _ sequence, 31 characters', () => {
    const id = warningIdentifier('43122600000000', '2026-03-01T16:30:05Z', 0);
    expect(id).toBe('43122600000000_20260302003005_0');
    expect(id).toHaveLength(31);
  });
  it('refuses a short sender code or a sequence beyond 9', () => {
    expect(() => warningIdentifier('431226', new Date(), 0)).toThrow(RangeError);
    expect(() => warningIdentifier('43122600000000', new Date(), 10)).toThrow(RangeError);
  });
});

describe('capPolygon', () => {
  it('writes lat,lon pairs and closes an open ring', () => {
    expect(
      capPolygon([
        [109.8, 27.8],
        [109.9, 27.8],
        [109.9, 27.9],
      ]),
    ).toBe('27.80000,109.80000 27.80000,109.90000 27.90000,109.90000 27.80000,109.80000');
  });
  it('keeps a closed ring as it is', () => {
    const ring = [
      [109.8, 27.8],
      [109.9, 27.8],
      [109.9, 27.9],
      [109.8, 27.8],
    ];
    expect(capPolygon(ring).split(' ')).toHaveLength(4);
  });
  it('refuses fewer than three distinct points', () => {
    expect(() =>
      capPolygon([
        [109.8, 27.8],
        [109.9, 27.8],
      ]),
    ).toThrow(RangeError);
  });
});
