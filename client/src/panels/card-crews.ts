/**
 * The incident card's crews: every crew the commander may send, by travel time (multi-select,
 * busy ones saying why they cannot go, a filter once there are more than eight), or for a
 * reader who may not send them the nearest eight; and the callout when no crew reaches the fire
 * in 10 minutes. A lit-html template keyed by crew: a live event or the clock's tick patches
 * the rows where they stand, so a ticked box, the keyboard's place in the list and the list's
 * scroll stay as the commander left them.
 */
import { html, nothing, type TemplateResult } from 'lit-html';
import { live } from 'lit-html/directives/live.js';
import { repeat } from 'lit-html/directives/repeat.js';
import type { DispatchableCrew } from '../../../server/contract/dispatch.ts';
import type { CrewReach } from '../../../server/contract/reach.ts';
import { targetMet } from '../../../server/domain/incident-lifecycle.ts';
import type { IncidentSummary } from '../../../server/domain/live-events.ts';
import { t, tf } from '../i18n/i18n.ts';
import type { MessageKey } from '../i18n/messages.ts';
import { aboutMinutes } from '../live/countdown.ts';
import { onValue } from '../ui/dom.ts';
import { zh } from './card-time.ts';

/** A crew's travel time to the fire from the reach engine. */
export type RankedCrew = Pick<CrewReach, 'id' | 'name' | 'seconds' | 'meetsTarget'>;

/** A crew the user may send (or not, and why), with its travel time when known. */
export interface CrewRow {
  id: string;
  name: string;
  seconds: number | null;
  meetsTarget: boolean;
  /** Why it cannot be ticked, if it cannot. */
  reason: MessageKey | null;
}

/** Nearest crews shown to a reader who may not dispatch (read only). */
const NEAREST_SHOWN = 8;
/** More crews than this to choose from: a filter box above them. */
const FILTER_FROM = 8;
const TEN_MINUTES_S = 600;

/** Every crew the user may send (busy ones say so), fastest first. */
export function crewRows(
  crews: readonly DispatchableCrew[],
  ranked: readonly RankedCrew[],
  sentHere: ReadonlySet<string>,
): CrewRow[] {
  const times = new Map(ranked.map((c) => [c.id, c]));
  return crews
    .map((c) => {
      const r = times.get(c.id);
      const reason: MessageKey | null = sentHere.has(c.id)
        ? 'card.alreadySent'
        : c.busyIncidentId
          ? 'card.busyElsewhere'
          : null;
      return {
        id: c.id,
        name: c.name,
        seconds: r?.seconds ?? null,
        meetsTarget: r?.meetsTarget ?? false,
        reason,
      };
    })
    .sort(
      (a, b) =>
        (a.seconds ?? Number.POSITIVE_INFINITY) - (b.seconds ?? Number.POSITIVE_INFINITY) ||
        a.id.localeCompare(b.id),
    );
}

/**
 * Said plainly when no crew free to go (or already sent) reaches the fire in 10 minutes,
 * naming the fastest; null when one does, one sent is arriving within 10 minutes, or the fire
 * no longer waits for a crew.
 */
export function noTenMinuteCallout(
  inc: IncidentSummary,
  rows: readonly CrewRow[] | null,
  ranked: readonly RankedCrew[] | null,
  arriving: boolean,
): string | null {
  const candidates =
    rows !== null
      ? // The crews free to go and those already sent: the fastest of all is named.
        rows.filter(
          (r) => (r.reason === null || r.reason === 'card.alreadySent') && r.seconds !== null,
        )
      : (ranked ?? [])
          .filter((c) => c.seconds !== null)
          .map((c) => ({ name: c.name ?? c.id, seconds: c.seconds }));
  const best = [...candidates].sort((a, b) => (a.seconds ?? 0) - (b.seconds ?? 0))[0];
  const show =
    !targetMet(inc.state, 'arrive') &&
    inc.state !== 'false_alarm' &&
    !arriving &&
    !!best &&
    (best.seconds ?? 0) > TEN_MINUTES_S;
  return show && best
    ? tf('card.noTenMinute', best.name, aboutMinutes(best.seconds ?? 0, zh()))
    : null;
}

/** What the crews part of the card shows. */
export interface CrewsView {
  title: string;
  /** The crews the commander may send (null: he may not send any here, or not known yet). */
  pick: {
    rows: readonly CrewRow[];
    chosen: ReadonlySet<string>;
    onToggle(id: string, on: boolean): void;
  } | null;
  /** What is typed in the filter box, as typed. */
  filter: string;
  onFilter(value: string): void;
  /** Otherwise the nearest crews by the reach engine (null: still computing). */
  nearest: readonly RankedCrew[] | null;
  /** Why the user may not send crews here ('' when he may). */
  note: string;
  /** The no-crew-in-10-minutes callout (null: hidden). */
  callout: string | null;
}

function timeCell(seconds: number | null): TemplateResult {
  return html`<td class="time" data-seconds=${seconds === null ? nothing : String(Math.round(seconds))}
    >${seconds === null ? '—' : aboutMinutes(seconds, zh())}</td
  >`;
}

function pickTable(p: NonNullable<CrewsView['pick']>, filter: string): TemplateResult {
  const needle = filter.trim();
  const shown = needle
    ? p.rows.filter((r) => r.name.includes(needle) || r.id.includes(needle))
    : p.rows;
  return html`<table class="reach-crews pick"><tbody>${repeat(
    shown,
    (r) => r.id,
    (r) => {
      const on = p.chosen.has(r.id);
      return html`<tr
        class="${r.meetsTarget ? 'meets' : 'late'}${r.reason ? ' unavailable' : ''}${on ? ' chosen' : ''}"
        data-crew=${r.id}
        ><td class="tick"
          ><input
            type="checkbox"
            data-pick=${r.id}
            id="pick-${r.id}"
            .checked=${live(on)}
            ?disabled=${r.reason !== null}
            @change=${(e: Event) => p.onToggle(r.id, (e.target as HTMLInputElement).checked)} /></td
        ><td class="name"
          ><label for="pick-${r.id}">${r.name}</label>${
            r.reason ? html`<span class="why muted small">${t(r.reason)}</span>` : nothing
          }</td
        >${timeCell(r.seconds)}<td class="badge"
          >${r.seconds === null ? '' : r.meetsTarget ? '✓' : '✗'}</td
        ></tr
      >`;
    },
  )}</tbody></table>`;
}

function nearestTable(list: readonly RankedCrew[]): TemplateResult {
  return html`<table class="reach-crews"><tbody>${repeat(
    list.slice(0, NEAREST_SHOWN),
    (c) => c.id,
    (c) =>
      html`<tr class=${c.meetsTarget ? 'meets' : 'late'} data-crew=${c.id}
        ><td class="name">${c.name ?? c.id}</td>${timeCell(c.seconds)}<td class="badge"
          >${c.meetsTarget ? '✓' : '✗'}</td
        ></tr
      >`,
  )}</tbody></table>`;
}

/** The callout, the title, the filter, the crews (scrolling in their own box) and the note. */
export function crewsSection(v: CrewsView): TemplateResult {
  const p = v.pick;
  return html`<p class="callout no-ten-minute" role="status" ?hidden=${v.callout === null}
      >${v.callout ?? ''}</p
    ><h3>${v.title}</h3><div class="crew-filter" ?hidden=${!p || p.rows.length <= FILTER_FROM}
      ><input
        type="search"
        id="crew-filter"
        autocomplete="off"
        aria-label=${t('card.filterCrews')}
        placeholder=${t('card.filterCrews')}
        .value=${live(v.filter)}
        @input=${onValue(v.onFilter)} /></div
    ><div class="crew-pick">${
      p
        ? p.rows.length === 0
          ? html`<p class="muted">${t('card.noDispatchable')}</p>`
          : pickTable(p, v.filter)
        : v.nearest
          ? nearestTable(v.nearest)
          : html`<p class="muted">${t('reach.computing')}</p>`
    }</div
    ><p class="muted small">${v.note}</p>`;
}
