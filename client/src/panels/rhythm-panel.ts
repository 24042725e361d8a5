/**
 * 321 rhythm compliance (issue 14 item 2) on the command page: while a special protection
 * period 森林特护期 is in force, each township of the reader's area (GET /api/rhythm) with its
 * county leader (every 3 days), inspection group (every 2) and command HQ (every day)
 * inspections: the last one, or overdue. Townships out of rhythm come first. Hidden when no
 * period is in force or the reader may not see inspections; refreshed when the server
 * announces an overdue inspection, when the user changes, and each minute.
 */

import type { TownshipRhythm } from '../../../server/contract/supervision.ts';
import { type Actor, mayReadInspections } from '../../../server/domain/access.ts';
import { INSPECTION_KINDS } from '../../../server/domain/vocabulary.ts';
import { get } from '../api/http.ts';
import { onLocaleChange, t, tf } from '../i18n/i18n.ts';
import type { MessageKey } from '../i18n/messages.ts';
import type { LiveIncidents } from '../live/live-client.ts';
import { h } from '../ui/dom.ts';

/** The keys the panel shows (both languages must have them: rhythm-panel.test.ts). */
export const RHYTHM_KEYS = [
  'rhythm.title',
  'rhythm.period',
  'rhythm.township',
  'rhythm.kind.county_leader',
  'rhythm.kind.inspection_group',
  'rhythm.kind.command_hq',
  'rhythm.every',
  'rhythm.compliant',
  'rhythm.ok',
  'rhythm.notOk',
  'rhythm.overdue',
  'rhythm.never',
  'rhythm.summary',
] as const satisfies readonly MessageKey[];

export interface RhythmCell {
  kind: (typeof INSPECTION_KINDS)[number];
  overdue: boolean;
  /** The last inspection (ISO) or null when none since the period began. */
  lastAt: string | null;
}

export interface RhythmLine {
  townshipCode: string;
  townshipName: string;
  compliant: boolean;
  cells: RhythmCell[];
}

/** Townships out of rhythm first (most kinds overdue first), then by code; kinds in order. */
export function rhythmLines(rows: readonly TownshipRhythm[]): RhythmLine[] {
  return rows
    .map((r) => ({
      townshipCode: r.townshipCode,
      townshipName: r.townshipName,
      compliant: r.compliant,
      cells: INSPECTION_KINDS.map((kind) => {
        const k = r.kinds.find((s) => s.kind === kind);
        return { kind, overdue: k?.overdue ?? true, lastAt: k?.lastAt ?? null };
      }),
    }))
    .sort((a, b) => {
      const late = (l: RhythmLine) => l.cells.filter((c) => c.overdue).length;
      return late(b) - late(a) || a.townshipCode.localeCompare(b.townshipCode);
    });
}

/** A time as the county reads it (Beijing time), month/day hour:minute. */
function beijing(iso: string): string {
  return new Date(iso).toLocaleString('zh-CN', {
    timeZone: 'Asia/Shanghai',
    month: 'numeric',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  });
}

const REFRESH_MS = 60_000;
const EVERY_DAYS = { county_leader: 3, inspection_group: 2, command_hq: 1 } as const;

export function mountRhythmPanel(
  container: HTMLElement,
  live: LiveIncidents,
  /** The signed-in user (null: nobody); only readers of inspections ask the server. */
  user: () => Actor | null,
): { refresh(): void } {
  let rows: TownshipRhythm[] = [];

  const render = () => {
    container.hidden = rows.length === 0;
    if (rows.length === 0) {
      container.replaceChildren();
      return;
    }
    const lines = rhythmLines(rows);
    const periods = [...new Set(rows.map((r) => r.periodTitle))].join('、');
    const late = lines.filter((l) => !l.compliant).length;
    container.replaceChildren(
      h('h2', {}, t('rhythm.title')),
      h('p', { class: 'muted small' }, `${t('rhythm.period')}: ${periods}`),
      h(
        'p',
        { class: 'rhythm-summary', 'data-late': String(late) },
        tf('rhythm.summary', lines.length - late, lines.length),
      ),
      h(
        'table',
        { class: 'rhythm-table' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            h('th', { scope: 'col' }, t('rhythm.township')),
            ...INSPECTION_KINDS.map((k) =>
              h(
                'th',
                { scope: 'col' },
                t(`rhythm.kind.${k}`),
                h('span', { class: 'every' }, tf('rhythm.every', EVERY_DAYS[k])),
              ),
            ),
            h('th', { scope: 'col' }, t('rhythm.compliant')),
          ),
        ),
        h(
          'tbody',
          {},
          ...lines.map((l) =>
            h(
              'tr',
              {
                'data-township': l.townshipCode,
                'data-compliant': String(l.compliant),
                class: l.compliant ? '' : 'late',
              },
              h('th', { scope: 'row' }, l.townshipName),
              ...l.cells.map((c) =>
                // Overdue says so; the last inspection (or none) is in the cell's title.
                h(
                  'td',
                  {
                    'data-kind': c.kind,
                    class: c.overdue ? 'overdue' : 'ok',
                    title: c.lastAt ? beijing(c.lastAt) : t('rhythm.never'),
                  },
                  c.overdue
                    ? t('rhythm.overdue')
                    : c.lastAt
                      ? beijing(c.lastAt)
                      : t('rhythm.never'),
                ),
              ),
              h('td', {}, l.compliant ? t('rhythm.ok') : t('rhythm.notOk')),
            ),
          ),
        ),
      ),
    );
  };

  const refresh = async () => {
    const who = user();
    // Not signed in, or not a reader of inspections: nothing to ask (and no 401 in the log).
    if (!who || !mayReadInspections(who, null)) {
      rows = [];
      render();
      return;
    }
    const res = await get<TownshipRhythm[]>('/api/rhythm');
    // Not signed in, or not a reader of inspections: nothing to show. Offline: keep what was.
    if (res.status !== 0) rows = res.ok ? res.value : [];
    render();
  };

  live.onOverdue(() => void refresh());
  onLocaleChange(render);
  setInterval(() => void refresh(), REFRESH_MS);
  void refresh();
  return { refresh: () => void refresh() };
}
