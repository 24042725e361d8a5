import { describe, expect, it } from 'vitest';
import { type AssessedFire, assess, countyTotal, NO_FIGURES, parsePeriod } from './assessment.ts';

describe('parsePeriod', () => {
  it('reads a month, a quarter and a year in Beijing time', () => {
    const m = parsePeriod('2026-04');
    expect(m).toMatchObject({ kind: 'month', label: '2026年4月', months: ['2026-04'] });
    expect(m?.start.toISOString()).toBe('2026-03-31T16:00:00.000Z');
    const q = parsePeriod('2026-Q2');
    expect(q).toMatchObject({ kind: 'quarter', label: '2026年第2季度' });
    expect(q?.months).toEqual(['2026-04', '2026-05', '2026-06']);
    expect(q?.end.toISOString()).toBe('2026-06-30T16:00:00.000Z');
    const y = parsePeriod('2026');
    expect(y?.months).toHaveLength(12);
    expect(y?.start.toISOString()).toBe('2025-12-31T16:00:00.000Z');
    expect(y?.end.toISOString()).toBe('2026-12-31T16:00:00.000Z');
  });

  it('refuses anything else', () => {
    for (const bad of ['2026-13', '2026-Q5', '2026-Q0', '26', '2026-4', 'Q2', '1999'])
      expect(parsePeriod(bad), bad).toBeNull();
  });
});

describe('assess', () => {
  const T = { yellowMin: 1, blackMin: 3 };
  const areas = [
    { code: 'A', name: '甲镇' },
    { code: 'B', name: '乙乡' },
  ];
  // Beijing time 10:00 on the given day of 2026.
  const at = (month: number, day: number) => new Date(Date.UTC(2026, month - 1, day, 2));
  const fire = (
    areaCode: string,
    when: Date,
    minutes: [number | null, number | null, number | null],
  ): AssessedFire => ({
    areaCode,
    firstReportedAt: when,
    onSceneMin: minutes[0],
    controlledMin: minutes[1],
    extinguishedMin: minutes[2],
  });
  const fires = [
    fire('A', at(4, 3), [8, 18, 29]), // all three targets met
    fire('A', at(4, 9), [10, 21, 45]), // on scene at exactly 10 min: met; control late
    fire('A', at(5, 1), [14, null, null]), // late, never controlled (still burning)
    fire('B', at(6, 30), [null, null, null]),
  ];

  it('counts targets met, flags per begun month and rates for a quarter', () => {
    const q = parsePeriod('2026-Q2');
    if (!q) throw new Error('period');
    const figures = new Map([
      [
        'A',
        {
          ...NO_FIGURES,
          inspections: 5,
          households: 200,
          householdsVisited: 150,
          pledgesSigned: 100,
        },
      ],
    ]);
    // 15 May: April and May have begun, June not.
    const rows = assess(q, areas, fires, figures, T, new Date('2026-05-15T00:00:00Z'));
    expect(rows[0]).toMatchObject({
      code: 'A',
      fires: 3,
      arrivedIn10: 2,
      controlledIn20: 1,
      outIn30: 1,
      // April 2 fires → yellow; May 1 → yellow.
      redMonths: 0,
      yellowMonths: 2,
      blackMonths: 0,
      flag: null,
      inspections: 5,
      visitRate: 0.75,
      pledgeRate: 0.5,
    });
    // B's fire is in June, not begun on 15 May → B has April and May red.
    expect(rows[1]).toMatchObject({
      code: 'B',
      fires: 1,
      redMonths: 2,
      yellowMonths: 0,
      visitRate: null,
    });
    const total = countyTotal(rows);
    expect(total).toMatchObject({
      fires: 4,
      arrivedIn10: 2,
      redMonths: 2,
      yellowMonths: 2,
      visitRate: 0.75,
    });
  });

  it('gives a one-month period its flag', () => {
    const april = parsePeriod('2026-04');
    if (!april) throw new Error('period');
    const rows = assess(
      april,
      areas,
      fires.slice(0, 2),
      new Map(),
      T,
      new Date('2026-11-01T00:00:00Z'),
    );
    expect(rows.map((r) => [r.code, r.flag, r.fires])).toEqual([
      ['A', 'yellow', 2],
      ['B', 'red', 0],
    ]);
  });
});
