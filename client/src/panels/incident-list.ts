/**
 * The list of live incidents beside the map: its title with the connection's state, the
 * flood line folding a flood of unverified reports (it opens to list them), the count of
 * incidents beyond those loaded, and a row per incident (incident-row.ts), fires being fought
 * first. Drawn with lit-html, keyed by incident: a live event or the clock's tick patches
 * only what changed, so the list keeps its scroll, a row keeps the keyboard's focus, and a
 * row is never swapped under the pointer.
 */
import { html, nothing, render } from 'lit-html';
import { repeat } from 'lit-html/directives/repeat.js';
import type { Flood } from '../../../server/domain/flood.ts';
import type { IncidentSummary } from '../../../server/domain/live-events.ts';
import { isStale } from '../../../server/domain/situation.ts';
import { t, tf } from '../i18n/i18n.ts';
import type { LiveIncidents } from '../live/live-client.ts';
import { priority } from './incident-markers.ts';
import { incidentRow } from './incident-row.ts';

export interface IncidentList {
  /** Draw again (a live event, a selection, the clock's tick, the language): only changes. */
  render(flood: Flood | null, selected: string | null): void;
}

export function mountIncidentList(
  live: LiveIncidents,
  listEl: HTMLElement,
  onSelect: (id: string) => void,
): IncidentList {
  let floodOpen = false;
  let last: { flood: Flood | null; selected: string | null } = { flood: null, selected: null };
  const toggleFlood = () => {
    floodOpen = !floodOpen;
    draw(last.flood, last.selected);
  };

  function draw(flood: Flood | null, selected: string | null) {
    last = { flood, selected };
    const now = live.now();
    const all = [...live.incidents.values()].sort(
      (a: IncidentSummary, b: IncidentSummary) =>
        priority(a) - priority(b) || b.firstReportedAt.localeCompare(a.firstReportedAt),
    );
    const items = flood && !floodOpen ? all.filter((i) => !flood.ids.has(i.id)) : all;
    const status =
      live.status === 'live'
        ? t('incidents.live')
        : live.status === 'offline'
          ? t('incidents.offline')
          : t('incidents.connecting');
    render(
      html`<h2>${`${t('incidents.title')} (${all.length + live.unlisted}) `}<span
            class="live-status live-${live.status}"
            >${`● ${status}`}</span
          ></h2
        >${
          flood
            ? html`<button
                type="button"
                class="flood-line"
                aria-expanded=${String(floodOpen)}
                data-flood=""
                @click=${toggleFlood}
              >${`⚠ ${tf('incidents.flood', flood.ids.size, flood.recent)}`}</button>`
            : nothing
        }${
          live.unlisted > 0
            ? html`<p class="unlisted" role="status">${tf('incidents.unlisted', live.unlisted)}</p>`
            : nothing
        }${
          items.length === 0
            ? html`<p class="muted">${t('incidents.none')}</p>`
            : html`<ul class="incident-list">${repeat(
                items,
                (inc) => inc.id,
                (inc) =>
                  html`<li
                    class=${inc.id === selected ? 'selected' : ''}
                    data-incident=${inc.id}
                    ?data-stale=${isStale(inc, now)}
                  ><button type="button" @click=${() => onSelect(inc.id)}>${incidentRow(
                    inc,
                    now,
                  )}</button></li>`,
              )}</ul>`
        }`,
      listEl,
    );
  }
  return { render: draw };
}
