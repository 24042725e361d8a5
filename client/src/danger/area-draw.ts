/**
 * Drawing a warning's area on the map (issue 13, item 6: "area as townships or a drawn
 * polygon"): each click adds a vertex through pickOnMap (so grid cards stay shut while
 * drawing and Esc ends it), the polygon is previewed as it grows, and the finished ring is a
 * closed GeoJSON Polygon as POST /api/warnings takes it.
 */
import type { Feature, Polygon, Position } from 'geojson';
import type { GeoJSONSource, Map as MapLibreMap } from 'maplibre-gl';
import { pickOnMap } from '../map/map-pick.ts';

const SOURCE = 'warning-draw';

export interface AreaDraw {
  /** Starts drawing (clearing any earlier area); `changed` hears every vertex and the end. */
  start(): void;
  /** Ends drawing; the area stands when it has 3 vertices or more, else it is cleared. */
  finish(): void;
  undo(): void;
  clear(): void;
  drawing(): boolean;
  vertices(): number;
  /** The drawn area as a closed ring, or null. */
  polygon(): Polygon | null;
}

/** The closed ring of a polygon's vertices ([lon, lat] each), rounded to ~0.1 m. */
export function closedRing(vertices: Position[]): Position[] {
  const ring = vertices.map(([lon, lat]) => [
    Math.round((lon as number) * 1e6) / 1e6,
    Math.round((lat as number) * 1e6) / 1e6,
  ]);
  return ring.length > 0 ? [...ring, ring[0] as Position] : ring;
}

export function mountAreaDraw(map: MapLibreMap, changed: () => void): AreaDraw {
  const vertices: Position[] = [];
  let cancel: (() => void) | null = null;
  map.addSource(SOURCE, { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
  map.addLayer({
    id: 'warning-draw-fill',
    type: 'fill',
    source: SOURCE,
    filter: ['==', ['geometry-type'], 'Polygon'],
    paint: { 'fill-color': '#f28c13', 'fill-opacity': 0.18 },
  });
  map.addLayer({
    id: 'warning-draw-line',
    type: 'line',
    source: SOURCE,
    filter: ['!=', ['geometry-type'], 'Point'],
    paint: { 'line-color': '#b35900', 'line-width': 2.5, 'line-dasharray': [2, 1] },
  });
  map.addLayer({
    id: 'warning-draw-vertex',
    type: 'circle',
    source: SOURCE,
    filter: ['==', ['geometry-type'], 'Point'],
    paint: {
      'circle-radius': 5,
      'circle-color': '#ffffff',
      'circle-stroke-color': '#b35900',
      'circle-stroke-width': 2,
    },
  });

  const show = () => {
    const features: Feature[] = vertices.map((v) => ({
      type: 'Feature',
      properties: {},
      geometry: { type: 'Point', coordinates: v },
    }));
    if (vertices.length === 2)
      features.push({
        type: 'Feature',
        properties: {},
        geometry: { type: 'LineString', coordinates: vertices },
      });
    if (vertices.length >= 3)
      features.push({
        type: 'Feature',
        properties: {},
        geometry: { type: 'Polygon', coordinates: [closedRing(vertices)] },
      });
    (map.getSource(SOURCE) as GeoJSONSource).setData({ type: 'FeatureCollection', features });
    changed();
  };
  const next = () => {
    cancel = pickOnMap(
      map,
      (lngLat) => {
        vertices.push(lngLat);
        next();
        show();
      },
      // Esc: the drawing ends as "finish" would.
      () => {
        cancel = null;
        api.finish();
      },
    );
  };

  const api: AreaDraw = {
    start() {
      vertices.length = 0;
      next();
      show();
    },
    finish() {
      const c = cancel;
      cancel = null;
      c?.();
      if (vertices.length < 3) vertices.length = 0;
      show();
    },
    undo() {
      vertices.pop();
      show();
    },
    clear() {
      const c = cancel;
      cancel = null;
      c?.();
      vertices.length = 0;
      show();
    },
    drawing: () => cancel !== null,
    vertices: () => vertices.length,
    polygon: () =>
      vertices.length >= 3 && cancel === null
        ? { type: 'Polygon', coordinates: [closedRing(vertices)] }
        : null,
  };
  return api;
}
