/**
 * The command map. The style is built here from the server's own data, with no glyphs,
 * sprites or tiles from elsewhere: a command centre on a government network without
 * internet must see the same map (design.md, Map).
 */
import type { Feature, MultiPolygon } from 'geojson';
import {
  Map as MapLibreMap,
  NavigationControl,
  ScaleControl,
  type StyleSpecification,
  setWorkerUrl,
} from 'maplibre-gl';
// maplibre-gl 6 loads its worker as a separate ES module; Vite bundles it (with the chunk
// it shares with the main library) and gives its URL.
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?worker&url';

setWorkerUrl(workerUrl);

export function offlineStyle(outline: Feature<MultiPolygon>): StyleSpecification {
  return {
    version: 8,
    name: 'county-offline',
    sources: {
      county: { type: 'geojson', data: outline },
    },
    layers: [
      { id: 'background', type: 'background', paint: { 'background-color': '#e8ece6' } },
      {
        id: 'county-fill',
        type: 'fill',
        source: 'county',
        paint: { 'fill-color': '#cfe3c4', 'fill-opacity': 0.9 },
      },
      {
        id: 'county-outline-halo',
        type: 'line',
        source: 'county',
        paint: { 'line-color': '#ffffff', 'line-width': 6, 'line-opacity': 0.8 },
      },
      {
        id: 'county-outline',
        type: 'line',
        source: 'county',
        paint: { 'line-color': '#b3261e', 'line-width': 2.5 },
      },
    ],
  };
}

function bounds(outline: Feature<MultiPolygon>): [number, number, number, number] {
  let [w, s, e, n] = [180, 90, -180, -90];
  for (const poly of outline.geometry.coordinates)
    for (const ring of poly)
      for (const [x, y] of ring) {
        w = Math.min(w, x as number);
        e = Math.max(e, x as number);
        s = Math.min(s, y as number);
        n = Math.max(n, y as number);
      }
  return [w, s, e, n];
}

export function createCountyMap(
  container: HTMLElement,
  outline: Feature<MultiPolygon>,
): MapLibreMap {
  const map = new MapLibreMap({
    container,
    style: offlineStyle(outline),
    bounds: bounds(outline),
    fitBoundsOptions: { padding: 40 },
    attributionControl: false,
    // Keeps a frame to screenshot and print the wall map.
    canvasContextAttributes: { preserveDrawingBuffer: true },
  });
  map.addControl(new NavigationControl({ visualizePitch: true }), 'top-right');
  map.addControl(new ScaleControl({ unit: 'metric' }), 'bottom-left');
  return map;
}
