/**
 * Crews on duty on the map (AVL): at their last GPS fix, coloured by status, labelled with
 * the age of the fix ("3 分钟前"), and greyed once the fix is older than two minutes — a
 * position that old is not where the crew is now.
 */
import type { FeatureCollection } from 'geojson';
import type { GeoJSONSource, Map as MapLibreMap } from 'maplibre-gl';
import type { CrewLive, CrewsLive } from '../../../server/contract/dispatch.ts';
import { PALETTE } from '../../../server/domain/map-palette.ts';
import { get } from '../api/http.ts';
import { locale, tValue } from '../i18n/i18n.ts';
import { ago } from '../live/countdown.ts';
import type { LiveIncidents } from '../live/live-client.ts';

export const STALE_AFTER_MS = 2 * 60_000;

/** What the map draws for a crew at `now`: stale after two minutes, the fix's age in words. */
export function crewView(c: CrewLive, now: number, zh: boolean, statusLabel: string) {
  const ageMs = c.fixAt ? now - Date.parse(c.fixAt) : Number.POSITIVE_INFINITY;
  const when = c.fixAt ? ago(ageMs, zh) : '—';
  return { stale: ageMs > STALE_AFTER_MS, label: `${c.name} · ${statusLabel} · ${when}` };
}

/**
 * Crews' live positions are for commanders and county-wide readers (server/domain/access.ts):
 * the layer asks for them only when `mayFollow()`; `reload` after a sign-in or sign-out.
 */
export function mountLiveCrews(
  map: MapLibreMap,
  live: LiveIncidents,
  mayFollow: () => boolean,
): { reload(): void } {
  const crews = new Map<string, CrewLive>();
  const none: FeatureCollection = { type: 'FeatureCollection', features: [] };
  map.addSource('crews-live', { type: 'geojson', data: none });
  map.addLayer({
    id: 'crews-live',
    type: 'circle',
    source: 'crews-live',
    paint: {
      'circle-radius': 8,
      // Crews' teal, never a fire's red or orange (domain/map-palette.ts).
      'circle-color': [
        'case',
        ['get', 'stale'],
        PALETTE.crew.stale,
        [
          'match',
          ['get', 'status'],
          'on_scene',
          PALETTE.crew.on_scene,
          'en_route',
          PALETTE.crew.en_route,
          'returning',
          PALETTE.crew.returning,
          PALETTE.crew.dispatched,
        ],
      ],
      'circle-stroke-color': '#ffffff',
      'circle-stroke-width': 2.5,
    },
  });
  map.addLayer({
    id: 'crews-live-labels',
    type: 'symbol',
    source: 'crews-live',
    layout: {
      'text-field': ['get', 'label'],
      'text-font': ['Noto Sans CJK SC', 'sans-serif'],
      'text-size': 11,
      'text-offset': [0, 1.3],
      'text-anchor': 'top',
    },
    paint: { 'text-color': '#1b1b1b', 'text-halo-color': '#ffffff', 'text-halo-width': 1.5 },
  });

  // What the source holds: a redraw that would set the same features again is skipped (every
  // setData re-indexes the source in MapLibre's worker and redraws the wall).
  let drawn = JSON.stringify(none);
  const render = () => {
    const now = live.now();
    const data: FeatureCollection = {
      type: 'FeatureCollection',
      features: [...crews.values()]
        .filter((c) => c.status !== 'standby' || c.fixAt !== null)
        .map((c) => {
          const view = crewView(c, now, locale() === 'zh-CN', tValue('crewStatus', c.status));
          return {
            type: 'Feature' as const,
            properties: { id: c.id, status: c.status, ...view },
            geometry: { type: 'Point' as const, coordinates: c.location },
          };
        }),
    };
    const text = JSON.stringify(data);
    if (text === drawn) return;
    drawn = text;
    (map.getSource('crews-live') as GeoJSONSource).setData(data);
  };
  // Positions come in bursts (a whole dispatch reports within a second): one redraw a frame.
  let queued = false;
  const renderSoon = () => {
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => {
      queued = false;
      render();
    });
  };

  const reload = () => {
    crews.clear();
    render();
    if (!mayFollow()) return;
    void get<CrewsLive>('/api/crews/live').then((res) => {
      if (!res.ok) return;
      for (const c of res.value.crews) crews.set(c.id, c);
      render();
    });
  };
  reload();
  live.onCrew((c) => {
    crews.set(c.id, c);
    renderSoon();
  });
  setInterval(render, 10_000);
  (window as unknown as { __crewsLive: Map<string, CrewLive> }).__crewsLive = crews;
  return { reload };
}
