import { describe, expect, it } from 'vitest';
import type { TownshipRhythm } from '../../../server/domain/rhythm.ts';
import { messages } from '../i18n/messages.ts';
import { RHYTHM_KEYS, rhythmLines } from './rhythm-panel.ts';

const township = (
  code: string,
  overdue: { county_leader: boolean; inspection_group: boolean; command_hq: boolean },
): TownshipRhythm => ({
  townshipCode: code,
  townshipName: `乡镇${code}`,
  warZoneId: 1,
  periodId: 'p',
  periodTitle: '2026年春季森林特护期',
  kinds: (['command_hq', 'county_leader', 'inspection_group'] as const).map((kind) => ({
    kind,
    everyDays: { county_leader: 3, inspection_group: 2, command_hq: 1 }[kind],
    lastAt: overdue[kind] ? null : '2026-03-20T02:00:00.000Z',
    dueAt: '2026-03-21T02:00:00.000Z',
    overdue: overdue[kind],
  })),
  compliant: !Object.values(overdue).some(Boolean),
});

describe('the 321 rhythm panel', () => {
  it('has every text it shows in Chinese and English, with the counts it fills in', () => {
    for (const locale of ['zh-CN', 'en'] as const)
      for (const key of RHYTHM_KEYS) {
        const text = (messages[locale] as Record<string, string>)[key];
        expect(text, `${locale} ${key}`).toMatch(/\S/);
      }
    expect(messages['zh-CN']['rhythm.every']).toContain('{0}');
    expect(messages.en['rhythm.summary']).toMatch(/\{0\}.*\{1\}/);
  });

  it('puts townships out of rhythm first, most kinds overdue first, each in the order 3-2-1', () => {
    const ok = { county_leader: false, inspection_group: false, command_hq: false };
    const lines = rhythmLines([
      township('431226101', ok),
      township('431226106', { ...ok, command_hq: true }),
      township('431226104', { county_leader: true, inspection_group: true, command_hq: false }),
      township('431226102', { ...ok, inspection_group: true }),
    ]);
    expect(lines.map((l) => [l.townshipCode, l.compliant])).toEqual([
      ['431226104', false],
      ['431226102', false],
      ['431226106', false],
      ['431226101', true],
    ]);
    expect(lines[2]?.cells).toEqual([
      { kind: 'county_leader', overdue: false, lastAt: '2026-03-20T02:00:00.000Z' },
      { kind: 'inspection_group', overdue: false, lastAt: '2026-03-20T02:00:00.000Z' },
      { kind: 'command_hq', overdue: true, lastAt: null },
    ]);
  });
});
