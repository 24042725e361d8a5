import { describe, expect, it } from 'vitest';
import { nextDue, periodCovers, rhythmStatus } from './rhythm.ts';

// The period begins at 00:00 on 1 March 2026 in Beijing.
const START = new Date('2026-02-28T16:00:00Z');
const h = (hours: number) => new Date(START.getTime() + hours * 3_600_000);

describe('the 321 rhythm', () => {
  it('with no inspection yet: command HQ due after 1 day, the group after 2, the county leader after 3', () => {
    const s = rhythmStatus(START, [], h(25));
    expect(s.map((k) => [k.kind, k.dueAt, k.overdue])).toEqual([
      ['county_leader', '2026-03-03T16:00:00.000Z', false],
      ['inspection_group', '2026-03-02T16:00:00.000Z', false],
      ['command_hq', '2026-03-01T16:00:00.000Z', true],
    ]);
    expect(rhythmStatus(START, [], h(24)).find((k) => k.kind === 'command_hq')?.overdue).toBe(
      false,
    );
  });

  it('counts from the last inspection of each kind, ignoring those before the period or ahead of now', () => {
    const ins = [
      { kind: 'command_hq' as const, inspectedAt: h(20) },
      { kind: 'command_hq' as const, inspectedAt: h(44) },
      { kind: 'inspection_group' as const, inspectedAt: h(-5) }, // before the period
      { kind: 'county_leader' as const, inspectedAt: h(100) }, // after "now"
    ];
    const s = rhythmStatus(START, ins, h(60));
    const hq = s.find((k) => k.kind === 'command_hq');
    // Last at +44 h → due at +68 h, not overdue at +60 h.
    expect(hq).toMatchObject({
      lastAt: h(44).toISOString(),
      dueAt: h(68).toISOString(),
      overdue: false,
    });
    // The group's only inspection was before the period: due 48 h after the start, overdue.
    expect(s.find((k) => k.kind === 'inspection_group')).toMatchObject({
      lastAt: null,
      dueAt: h(48).toISOString(),
      overdue: true,
    });
    expect(s.find((k) => k.kind === 'county_leader')).toMatchObject({
      lastAt: null,
      overdue: false,
    });
    expect(nextDue(s, h(60))?.toISOString()).toBe(h(68).toISOString());
  });

  it('covers the townships named, or the whole county when none are', () => {
    const p = {
      id: 'p',
      title: '特护期',
      startsAt: START,
      endsAt: h(24 * 30),
      townshipCodes: ['A'],
    };
    expect(periodCovers(p, 'A', h(1))).toBe(true);
    expect(periodCovers(p, 'B', h(1))).toBe(false);
    expect(periodCovers(p, 'A', h(-1))).toBe(false);
    expect(periodCovers(p, 'A', h(24 * 30))).toBe(false);
    expect(periodCovers({ ...p, townshipCodes: [] }, 'B', h(1))).toBe(true);
  });
});
