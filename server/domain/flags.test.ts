import { describe, expect, it } from 'vitest';
import {
  addMonths,
  countsForFlags,
  eventChangesFlags,
  flagFor,
  flagTable,
  isMonth,
  leagueTable,
  monthBounds,
  monthThresholds,
  shanghaiMonthOf,
  thresholdsProblem,
} from './flags.ts';
import type { IncidentState } from './vocabulary.ts';

describe('flagFor (0 red, 1–2 yellow, ≥3 black by default)', () => {
  it.each([
    [0, 'red'],
    [1, 'yellow'],
    [2, 'yellow'],
    [3, 'black'],
    [7, 'black'],
  ] as const)('%i fires → %s', (fires, flag) => {
    expect(flagFor(fires)).toBe(flag);
  });

  it('follows other thresholds: yellow from 2, black from 5', () => {
    const t = { yellowMin: 2, blackMin: 5 };
    expect([0, 1, 2, 4, 5].map((n) => flagFor(n, t))).toEqual([
      'red',
      'red',
      'yellow',
      'yellow',
      'black',
    ]);
  });

  it('refuses thresholds that would make a month without fires anything but red, or overlap', () => {
    expect(thresholdsProblem({ yellowMin: 1, blackMin: 3 })).toBeNull();
    expect(thresholdsProblem({ yellowMin: 0, blackMin: 3 })).toMatch(/yellowMin/);
    expect(thresholdsProblem({ yellowMin: 2, blackMin: 2 })).toMatch(/blackMin/);
  });
});

describe('Asia/Shanghai calendar months', () => {
  it('puts 2026-03-31T16:30Z (1 April 00:30 in Mayang) in April, 15:59Z in March', () => {
    expect(shanghaiMonthOf(new Date('2026-03-31T16:30:00Z'))).toBe('2026-04');
    expect(shanghaiMonthOf(new Date('2026-03-31T15:59:59Z'))).toBe('2026-03');
    expect(shanghaiMonthOf(new Date('2026-03-31T16:00:00Z'))).toBe('2026-04');
  });

  it('puts New Year in Beijing time: 2026-12-31T16:00Z is January 2027', () => {
    expect(shanghaiMonthOf(new Date('2026-12-31T16:00:00Z'))).toBe('2027-01');
    expect(shanghaiMonthOf(new Date('2026-12-31T15:59:59.999Z'))).toBe('2026-12');
  });

  it('gives a month as [start, end) in UTC, 8 hours before local midnight', () => {
    const april = monthBounds('2026-04');
    expect(april.start.toISOString()).toBe('2026-03-31T16:00:00.000Z');
    expect(april.end.toISOString()).toBe('2026-04-30T16:00:00.000Z');
    // February of a leap year: 29 days.
    const feb = monthBounds('2028-02');
    expect((feb.end.getTime() - feb.start.getTime()) / 86_400_000).toBe(29);
    expect(monthBounds('2026-12').end.toISOString()).toBe('2026-12-31T16:00:00.000Z');
  });

  it('validates YYYY-MM and steps months across the year end', () => {
    expect(isMonth('2026-04')).toBe(true);
    for (const bad of ['2026-4', '2026-13', '2026-00', '26-04', '2026-04-01', 'April'])
      expect(isMonth(bad), bad).toBe(false);
    expect(() => monthBounds('2026-13')).toThrow(RangeError);
    expect(addMonths('2026-12', 1)).toBe('2027-01');
    expect(addMonths('2026-01', -1)).toBe('2025-12');
    expect(addMonths('2026-03', -2)).toBe('2026-01');
  });
});

describe('what counts', () => {
  it('counts confirmed fires and closed real ones, never false alarms, unconfirmed reports or drills', () => {
    const c = (state: Parameters<typeof countsForFlags>[0]['state'], over = {}) =>
      countsForFlags({ state, wasFalseAlarm: false, drill: false, ...over });
    expect(c('reported')).toBe(false);
    expect(c('verifying')).toBe(false);
    expect(c('false_alarm', { wasFalseAlarm: true })).toBe(false);
    expect(c('closed', { wasFalseAlarm: true })).toBe(false);
    expect(c('confirmed')).toBe(true);
    expect(c('on_scene')).toBe(true);
    expect(c('closed')).toBe(true);
    expect(c('extinguished', { drill: true })).toBe(false);
  });
});

describe('flagTable and leagueTable', () => {
  const areas = [
    { code: 'A', name: '甲镇' },
    { code: 'B', name: '乙乡' },
    { code: 'C', name: '丙镇' },
    { code: 'D', name: '丁镇' },
  ];

  it('has one entry per area, zero-fire areas red, unknown codes ignored, input untouched', () => {
    const counts = new Map([
      ['B', 2],
      ['C', 3],
      ['X', 9],
    ]);
    const frozen = structuredClone(areas);
    expect(flagTable(areas, counts)).toEqual([
      { code: 'A', name: '甲镇', fires: 0, flag: 'red' },
      { code: 'B', name: '乙乡', fires: 2, flag: 'yellow' },
      { code: 'C', name: '丙镇', fires: 3, flag: 'black' },
      { code: 'D', name: '丁镇', fires: 0, flag: 'red' },
    ]);
    expect(areas).toEqual(frozen);
    expect([...counts.keys()]).toEqual(['B', 'C', 'X']);
  });

  it('ranks red before yellow before black, fewer fires first, equal records share a rank', () => {
    const rows = flagTable(
      areas,
      new Map([
        ['A', 4],
        ['B', 1],
        ['D', 1],
      ]),
    );
    expect(leagueTable(rows).map((r) => [r.code, r.rank])).toEqual([
      ['C', 1],
      ['B', 2],
      ['D', 2],
      ['A', 4],
    ]);
  });
});

describe('eventChangesFlags (when the flags layer reads the flags again)', () => {
  const state = (from: IncidentState, to: IncidentState) =>
    ({ type: 'state_changed', payload: { from, to, note: null } }) as const;
  it('a fire confirmed, dismissed, reopened from a false alarm, or marked as a drill', () => {
    expect(eventChangesFlags(state('verifying', 'confirmed'))).toBe(true);
    expect(eventChangesFlags(state('verifying', 'false_alarm'))).toBe(true);
    expect(eventChangesFlags(state('false_alarm', 'verifying'))).toBe(true);
    expect(
      eventChangesFlags({ type: 'drill_marked', payload: { drillId: 'x', title: '春季演练' } }),
    ).toBe(true);
  });
  it('not a fire already counted moving on, nor a dispatch or a report', () => {
    expect(eventChangesFlags(state('confirmed', 'dispatched'))).toBe(false);
    expect(eventChangesFlags(state('reported', 'verifying'))).toBe(false);
    expect(
      eventChangesFlags({
        type: 'crew_dispatched',
        payload: { dispatchId: 'd', crewId: 'c', etaSeconds: null },
      }),
    ).toBe(false);
    // A public room hears a report with no payload fields at all.
    expect(eventChangesFlags({ type: 'reported', payload: {} })).toBe(false);
  });
});

describe('monthThresholds (a past month keeps the thresholds it was judged by)', () => {
  const old = { yellowMin: 1, blackMin: 3 };
  const now = { yellowMin: 2, blackMin: 5 };
  it('judges a past month by its record, not by the settings of today', () => {
    expect(monthThresholds('2026-03', '2026-05', old, now)).toEqual(old);
  });
  it('judges the current month and later ones by the settings, whatever their record says', () => {
    expect(monthThresholds('2026-05', '2026-05', old, now)).toEqual(now);
    expect(monthThresholds('2026-06', '2026-05', old, now)).toEqual(now);
  });
  it('judges a past month never computed before by the settings (its record keeps them)', () => {
    expect(monthThresholds('2025-12', '2026-05', undefined, now)).toEqual(now);
  });
});
