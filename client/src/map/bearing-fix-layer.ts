/**
 * 交会定位 on the map: for the selected fire, when two or more cameras' alarms joined it, where
 * their bearings meet (GET /api/incidents/{id}/bearing-fix) — the 95 % error ellipse, each
 * camera's sight line to the fix, and the fix itself. Drawn only for a signed-in reader of the
 * fire; redrawn when a report joins the selected fire (a second camera may have seen it).
 */
import type { Feature, FeatureCollection } from 'geojson';
import type { FilterSpecification, GeoJSONSource, Map as MapLibreMap } from 'maplibre-gl';
import type { IncidentFix } from '../../../server/contract/lookouts.ts';
import { get } from '../api/http.ts';
import type { LiveIncidents } from '../live/live-client.ts';

type BearingFixAnswer = IncidentFix;

const SOURCE = 'bearing-fix';
const EMPTY: FeatureCollection = { type: 'FeatureCollection', features: [] };
/** Orange: a position worked out, not a fire (red stays for fires). */
const COLOUR = '#ef6c00';

export interface BearingFixLayer {
  /** Draw the fix of this incident (null: clear). */
  show(incidentId: string | null): Promise<void>;
}

export function mountBearingFixLayer(
  map: MapLibreMap,
  live: LiveIncidents,
  mayRead: () => boolean,
): BearingFixLayer {
  map.addSource(SOURCE, { type: 'geojson', data: EMPTY });
  const part = (name: string) => ['==', ['get', 'part'], name] as FilterSpecification;
  map.addLayer({
    id: 'bearing-fix-ellipse',
    type: 'fill',
    source: SOURCE,
    filter: part('ellipse'),
    paint: { 'fill-color': COLOUR, 'fill-opacity': 0.2 },
  });
  map.addLayer({
    id: 'bearing-fix-outline',
    type: 'line',
    source: SOURCE,
    filter: part('ellipse'),
    paint: { 'line-color': COLOUR, 'line-width': 2 },
  });
  map.addLayer({
    id: 'bearing-fix-rays',
    type: 'line',
    source: SOURCE,
    filter: part('ray'),
    paint: { 'line-color': COLOUR, 'line-width': 1.5, 'line-dasharray': [3, 2] },
  });
  map.addLayer({
    id: 'bearing-fix-point',
    type: 'circle',
    source: SOURCE,
    filter: part('fix'),
    paint: {
      'circle-radius': 5,
      'circle-color': '#fff',
      'circle-stroke-color': COLOUR,
      'circle-stroke-width': 3,
    },
  });
  const source = () => map.getSource(SOURCE) as GeoJSONSource;
  let current: string | null = null;
  let asked = 0;

  const draw = (answer: BearingFixAnswer | null) => {
    const fix = answer?.fix;
    if (!answer || !fix || !answer.outline) {
      source().setData(EMPTY);
      return;
    }
    const features: Feature[] = [
      { ...answer.outline, properties: { part: 'ellipse' } },
      ...answer.bearings.map(
        (b): Feature => ({
          type: 'Feature',
          properties: { part: 'ray', station: b.stationName },
          geometry: {
            type: 'LineString',
            coordinates: [
              [b.lon, b.lat],
              [fix.lon, fix.lat],
            ],
          },
        }),
      ),
      {
        type: 'Feature',
        properties: { part: 'fix', semiMajorM: Math.round(fix.ellipse.semiMajorM) },
        geometry: { type: 'Point', coordinates: [fix.lon, fix.lat] },
      },
    ];
    source().setData({ type: 'FeatureCollection', features });
  };

  const layer: BearingFixLayer = {
    async show(incidentId) {
      current = incidentId;
      const ask = ++asked;
      if (!incidentId || !mayRead()) return draw(null);
      const res = await get<BearingFixAnswer>(`/api/incidents/${incidentId}/bearing-fix`);
      // A later selection (or none) wins over an answer that arrives late.
      if (ask !== asked) return;
      draw(res.ok ? res.value : null);
    },
  };
  live.onChange((e, isLive) => {
    if (isLive && e && e.incidentId === current && e.type === 'report_added')
      void layer.show(current);
  });
  return layer;
}
