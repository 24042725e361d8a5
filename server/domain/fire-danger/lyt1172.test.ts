/**
 * LY/T 1172-1995 component tables at every boundary, the WMO Beaufort bounds, the level
 * bands, the colours of QX/T 77-2007 and the FWI alternative. Expected values are read off
 * the standards' tables, not computed.
 */
import { describe, expect, it } from 'vitest';
import {
  beaufortForce,
  componentA,
  componentB,
  componentC,
  componentE,
  DANGER_LEVEL_INFO,
  dryDaysAtEnd,
  fwiLevel,
  lyt1172,
  lyt1172Level,
  productLevel,
} from './lyt1172.ts';

describe('A: daily maximum temperature', () => {
  it.each([
    [-10, 0],
    [5, 0],
    [5.1, 4],
    [10, 4],
    [10.1, 8],
    [15, 8],
    [15.1, 12],
    [20, 12],
    [20.1, 16],
    [22, 16],
    [25, 16],
    [25.1, 20],
    [40, 20],
  ])('%s °C → %s', (t, a) => expect(componentA(t)).toBe(a));
});

describe('B: relative humidity at 14:00', () => {
  it.each([
    [100, 0],
    [65, 0],
    [64.9, 4],
    [64, 4],
    [55, 4],
    [54, 8],
    [45, 8],
    [44, 12],
    [35, 12],
    [34, 16],
    [30, 16],
    [25, 16],
    [24, 20],
    [0, 20],
  ])('%s %% → %s', (rh, b) => expect(componentB(rh)).toBe(b));
});

describe('C: consecutive dry days', () => {
  it.each([
    [0, 0],
    [1, 5],
    [5, 25],
    [9, 45],
    [10, 50],
    [11, 50],
    [40, 50],
  ])('%s days → %s', (d, c) => expect(componentC(d)).toBe(c));
  it('rejects a negative or fractional count', () => {
    expect(() => componentC(-1)).toThrow(RangeError);
    expect(() => componentC(1.5)).toThrow(RangeError);
  });
  it('a day with < 0.1 mm is dry; the day of rain counts 0', () => {
    expect(dryDaysAtEnd([0, 0, 0])).toBe(3);
    expect(dryDaysAtEnd([0, 0.09, 0.05])).toBe(3);
    expect(dryDaysAtEnd([0, 0, 0.1])).toBe(0);
    expect(dryDaysAtEnd([5, 0, 0])).toBe(2);
    expect(dryDaysAtEnd([0, 0], 4)).toBe(6);
  });
});

describe('E: Beaufort force of the day’s maximum wind (WMO bounds, m/s)', () => {
  it.each([
    [0, 0],
    [0.2, 0],
    [0.3, 1],
    [1.5, 1],
    [1.6, 2],
    [3.3, 2],
    [3.4, 3],
    [4.0, 3],
    [5.4, 3],
    [5.5, 4],
    [7.9, 4],
    [8.0, 5],
    [10.7, 5],
    [10.8, 6],
    [13.8, 6],
    [13.9, 7],
    [17.1, 7],
    [17.2, 8],
    [20.7, 8],
    [20.8, 9],
    [24.4, 9],
    [24.5, 10],
    [28.4, 10],
    [28.5, 11],
    [32.6, 11],
    [32.7, 12],
    [60, 12],
  ])('%s m/s → force %s', (v, f) => expect(beaufortForce(v)).toBe(f));
  it.each([
    [0.2, 0],
    [0.3, 5],
    [4.0, 15],
    [17.1, 35],
    [17.2, 40],
    [20.8, 40],
    [40, 40],
  ])('%s m/s → E %s (force 0–8 → 0…40, stronger stays 40)', (v, e) =>
    expect(componentE(v)).toBe(e),
  );
  it('rejects a negative or missing speed', () => {
    expect(() => beaufortForce(-1)).toThrow(RangeError);
    expect(() => beaufortForce(Number.NaN)).toThrow(RangeError);
  });
});

describe('index and levels', () => {
  it('the issue’s worked day: 22 °C, 30 %, 5 dry days, 4.0 m/s → 72, 三级', () => {
    expect(lyt1172({ tmaxC: 22, rh14Pct: 30, dryDays: 5, windMs: 4.0 })).toEqual({
      index: 72,
      level: 3,
      components: { A: 16, B: 16, C: 25, E: 15, G: 0 },
    });
  });
  it('G is subtracted', () => {
    const r = lyt1172({ tmaxC: 22, rh14Pct: 30, dryDays: 5, windMs: 4.0, g: 10 });
    expect(r.index).toBe(62);
    expect(r.components.G).toBe(10);
  });
  it.each([
    [-5, 1],
    [0, 1],
    [25, 1],
    [26, 2],
    [50, 2],
    [51, 3],
    [72, 3],
    [73, 4],
    [90, 4],
    [91, 5],
    [130, 5],
  ])('index %s → level %s', (i, l) => expect(lyt1172Level(i)).toBe(l));
  it('the highest possible index is 130 (20+20+50+40), level 5', () => {
    expect(lyt1172({ tmaxC: 35, rh14Pct: 10, dryDays: 20, windMs: 25 }).index).toBe(130);
  });
});

describe('FWI alternative and the level setting', () => {
  it.each([
    [0, 1],
    [4.99, 1],
    [5, 2],
    [9.99, 2],
    [10, 3],
    [19.99, 3],
    [20, 4],
    [29.99, 4],
    [30, 5],
    [80, 5],
  ])('FWI %s → level %s (CWFIS classes)', (f, l) => expect(fwiLevel(f)).toBe(l));
  it('the setting picks which index drives the level', () => {
    const lyt = lyt1172({ tmaxC: 22, rh14Pct: 30, dryDays: 5, windMs: 4.0 }); // level 3
    expect(productLevel('lyt1172', lyt, 31)).toBe(3);
    expect(productLevel('fwi', lyt, 31)).toBe(5);
    expect(productLevel('fwi', lyt, 2)).toBe(1);
  });
});

describe('names and colours (QX/T 77-2007)', () => {
  it('一级 低 green … 五级 极高 red; 三级 and above hang the flag', () => {
    expect(
      [1, 2, 3, 4, 5].map((l) => {
        const i = DANGER_LEVEL_INFO[l as 1];
        return `${i.name} ${i.meaning} ${i.colourName} ${i.flag}`;
      }),
    ).toEqual([
      '一级 低 green false',
      '二级 较低 blue false',
      '三级 较高 yellow true',
      '四级 高 orange true',
      '五级 极高 red true',
    ]);
  });
});
