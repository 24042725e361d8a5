/**
 * The command map. Its style comes from the server (`/api/style.json`) and every source in
 * it is the server's own — vector tiles of the county and terrain tiles of its DEM — so a
 * command centre on a government network without internet sees the same map (design.md).
 */
import type { Feature, MultiPolygon } from 'geojson';
import {
  Map as MapLibreMap,
  NavigationControl,
  prewarm,
  ScaleControl,
  setWorkerUrl,
} from 'maplibre-gl';
// maplibre-gl 6 loads its worker as a separate ES module; Vite bundles it (with the chunk
// it shares with the main library) and gives its URL.
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?worker&url';
import { LOADING_FRAME_GAP_MS, paceFramesWhileLoading } from './frame-pacing.ts';
import { provideMapIcons } from './icons.ts';

setWorkerUrl(workerUrl);

/**
 * Starts MapLibre's tile worker now, while the page still asks the server for the county and
 * the style: the worker's script takes most of a second to load and start on a busy wall PC,
 * and the county's first tiles wait for it.
 */
export function startMapWorker(): void {
  prewarm();
}

export function bounds(outline: Feature<MultiPolygon>): [number, number, number, number] {
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
    style: '/api/style.json',
    bounds: bounds(outline),
    fitBoundsOptions: { padding: 40 },
    attributionControl: false,
    // Keeps a frame to screenshot and print the wall map.
    canvasContextAttributes: { preserveDrawingBuffer: true },
    // Labels appear at once instead of fading in: each fade is a run of redraws while tiles
    // arrive, and a wall PC without a GPU draws every one of them in software.
    fadeDuration: 0,
  });
  provideMapIcons(map);
  paceFramesWhileLoading(map, LOADING_FRAME_GAP_MS);
  map.addControl(new NavigationControl({ visualizePitch: true }), 'top-right');
  map.addControl(new ScaleControl({ unit: 'metric' }), 'bottom-left');
  return map;
}

/** 3D terrain on (tilted, DEM exaggerated 1.5× so the county's ridges read on a wall) or off. */
export function setTerrain3d(map: MapLibreMap, on: boolean): void {
  if (on) {
    map.setTerrain({ source: 'terrain-3d', exaggeration: 1.5 });
    map.easeTo({ pitch: 60, duration: 600 });
  } else {
    map.setTerrain(null);
    map.easeTo({ pitch: 0, duration: 600 });
  }
}

/** Resolves with the first frame drawn after every tile of source `id` in view has loaded. */
export function whenSourceDrawn(map: MapLibreMap, id: string): Promise<void> {
  return new Promise((resolve) => {
    const check = () => {
      if (!map.getSource(id) || !map.isSourceLoaded(id)) return;
      map.off('sourcedata', check);
      map.once('render', () => resolve());
      map.triggerRepaint();
    };
    map.on('sourcedata', check);
    check();
  });
}
