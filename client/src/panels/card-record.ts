/**
 * The incident card's record of the fire, as lit-html templates keyed by what they show: the
 * crews sent (by dispatch, with ETA and arrival countdown), the facts (grid, war zone, the
 * 10/20/30 deadlines), the reports (by report) and the timeline (by event sequence). A live
 * event adds or patches rows where they stand, so a row being read, selected or focused (the
 * 轨迹回放 button) is not swapped away, and the countdowns change their text in place.
 */
import { html, nothing, type TemplateResult } from 'lit-html';
import { repeat } from 'lit-html/directives/repeat.js';
import type { GeoJSONSource, Map as MapLibreMap } from 'maplibre-gl';
import type { CrewTrack, IncidentDispatch } from '../../../server/contract/dispatch.ts';
import type { IncidentReport } from '../../../server/contract/incidents.ts';
import { ANONYMOUS_ACTOR } from '../../../server/domain/access.ts';
import type { IncidentSummary, TimelineEvent } from '../../../server/domain/live-events.ts';
import { getJson } from '../api/http.ts';
import { t, tf, tValue } from '../i18n/i18n.ts';
import { aboutMinutes, formatSpan } from '../live/countdown.ts';
import { clockTime, hourMinute, zh } from './card-time.ts';

const MOVING = new Set(['ordered', 'acknowledged', 'en_route']);

/** "06:45 到达 · 还有 4分钟" while a crew is on its way; when it arrived once it has. */
function arrival(x: IncidentDispatch, now: number): string {
  if (x.arrivedAt) return tf('card.arrivedAt', clockTime(x.arrivedAt));
  if (x.etaSeconds === null || !MOVING.has(x.status)) return '';
  const at = Date.parse(x.orderedAt) + x.etaSeconds * 1000;
  const left = at - now;
  return `${tf('card.arriveBy', hourMinute(at))} · ${
    left >= 0
      ? tf('card.arrivesIn', formatSpan(left, zh()))
      : tf('card.pastEta', formatSpan(-left, zh()))
  }`;
}

/** The crews sent to the fire; a commander may replay each one's GPS track on the map. */
export function dispatchedSection(
  list: readonly IncidentDispatch[],
  now: number,
  onTrack: ((crewId: string, since: string) => void) | null,
): TemplateResult {
  return html`<h3>${t('dispatch.crews')}</h3><div>${
    list.length === 0
      ? html`<p class="muted">${t('dispatch.none')}</p>`
      : html`<ul class="dispatched">${repeat(
          list,
          (x) => x.dispatchId,
          (x) => {
            const a = arrival(x, now);
            return html`<li
              data-crew=${x.crewId}
              data-status=${x.status}
              data-eta-seconds=${x.etaSeconds === null ? nothing : String(Math.round(x.etaSeconds))}
              ><span class="crew">${x.crewName}</span><span class="dispatch-status ds-${x.status}"
                >${` ${tValue('dispatch', x.status)}`}</span
              ><span class="eta"
                >${` ${t('card.eta')} ${x.etaSeconds === null ? t('card.noEta') : aboutMinutes(x.etaSeconds, zh())}`}</span
              ><span class="arrival muted">${a ? ` · ${a}` : ''}</span>${
                onTrack
                  ? html`<button
                      type="button"
                      class="link"
                      data-track=${x.crewId}
                      @click=${() => onTrack(x.crewId, x.orderedAt)}
                    >${t('dispatch.track')}</button>`
                  : nothing
              }</li
            >`;
          },
        )}</ul>`
  }</div>`;
}

/** Replays a crew's GPS track since its order as a line on the map. */
export async function showCrewTrack(map: MapLibreMap, crewId: string, since: string) {
  const { track } = await getJson<CrewTrack>(
    `/api/crews/${encodeURIComponent(crewId)}/track?since=${encodeURIComponent(since)}`,
  );
  const data = {
    type: 'FeatureCollection' as const,
    features: [
      {
        type: 'Feature' as const,
        properties: {},
        geometry: { type: 'LineString' as const, coordinates: track.map((p) => [p.lon, p.lat]) },
      },
    ],
  };
  const source = map.getSource('crew-track') as GeoJSONSource | undefined;
  if (source) source.setData(data);
  else {
    map.addSource('crew-track', { type: 'geojson', data });
    map.addLayer({
      id: 'crew-track',
      type: 'line',
      source: 'crew-track',
      paint: { 'line-color': '#0d47a1', 'line-width': 3, 'line-dasharray': [2, 1] },
    });
  }
  if (track.length > 1) {
    const lons = track.map((p) => p.lon);
    const lats = track.map((p) => p.lat);
    map.fitBounds([Math.min(...lons), Math.min(...lats), Math.max(...lons), Math.max(...lats)], {
      padding: 120,
      maxZoom: 15,
    });
  }
}

/** Grid, war zone and the three deadlines (a missed one marked). */
export function factsSection(inc: IncidentSummary): TemplateResult {
  const deadline = (target: 'arrive' | 'control' | 'extinguish') => {
    const missed = inc.breached.includes(target);
    return html`<dt>${t(`target.${target}`)}</dt><dd class=${missed ? 'breached' : ''}
        >${`${clockTime(inc.deadlines[target])}${missed ? ` ${t('incidents.overdue')}` : ''}`}</dd
      >`;
  };
  return html`<h3 data-label="card.facts">${`${t('card.facts')} `}</h3><dl class="facts"
      ><dt>${t('card.grid')}</dt><dd>${inc.gridCode ?? '—'}</dd><dt>${t('card.warZone')}</dt><dd
        >${inc.warZoneName ?? '—'}</dd
      >${deadline('arrive')}${deadline('control')}${deadline('extinguish')}</dl
    >`;
}

function reportItem(r: IncidentReport): TemplateResult {
  return html`<li
    ><strong>${tValue('source', r.source)}</strong>${r.reporterName ? ` ${r.reporterName}` : ''}${
      r.reporterUserId === null && r.source !== 'public'
        ? html`<span class="tag unsigned">${t('incidents.unsigned')}</span>`
        : nothing
    }${` ${clockTime(r.observedAt)}`}${
      r.accuracyM !== null
        ? html`<span class="muted">${` ±${Math.round(r.accuracyM)} m`}</span>`
        : nothing
    }${
      r.bearingDeg !== null
        ? html`<span class="muted">${` ${Math.round(r.bearingDeg)}°`}</span>`
        : nothing
    }${r.note ? html`<div class="note">${r.note}</div>` : nothing}${repeat(
      r.photos,
      (p) => p.id,
      (p) =>
        html`<img
          src="/api/photos/${p.id}"
          alt=${t('incidents.photo')}
          class="photo"
          loading="lazy"
        />`,
    )}</li
  >`;
}

function timelineItem(e: TimelineEvent): TemplateResult {
  return html`<li
    ><span class="muted">${`${clockTime(e.at)} #${e.seq} `}</span>${tValue('event', e.type)}${
      e.type === 'state_changed' ? ` → ${tValue('state', e.payload.to)}` : ''
    }${e.type === 'target_breached' ? ` ${tValue('target', e.payload.target)}` : ''}<span
      class="muted"
      >${` · ${e.actor === ANONYMOUS_ACTOR ? t('actor.anonymous') : e.actor}`}</span
    ></li
  >`;
}

/**
 * The reports (who, when, how precise, notes and photos) and the timeline; null detail: still
 * loading. A reader outside the fire's area sees the count only.
 */
export function reportsAndTimeline(
  inc: IncidentSummary,
  detail: { restricted?: boolean; reports: IncidentReport[]; timeline: TimelineEvent[] } | null,
): TemplateResult {
  return html`<h3>${`${t('incidents.reports')} (${inc.reportCount})`}</h3><div
      >${detail?.restricted ? html`<p class="muted restricted">${t('incidents.restricted')}</p>` : nothing}${
        detail
          ? html`<ul class="reports">${repeat(detail.reports, (r) => r.id, reportItem)}</ul>`
          : html`<p class="muted">${t('card.loading')}</p>`
      }</div
    ><h3>${t('incidents.timeline')}</h3><div>${
      detail
        ? html`<ol class="timeline">${repeat(detail.timeline, (e) => e.seq, timelineItem)}</ol>`
        : nothing
    }</div>`;
}
