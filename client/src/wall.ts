/**
 * Wall mode (issue 19, item 7): the county command centre's video wall, read from 3 m. On with
 * `?wall=1` (off with `?wall=0`), else whenever the window is at least 1920 px wide. It sets
 * `html.wall` — text of at least 18 px, larger fire markers (style.css) — and draws the map's
 * labels and icons larger; leaving it puts them back.
 */
import type { Map as MapLibreMap } from 'maplibre-gl';
import { scaleStyleValue } from './map/wall-scale.ts';

export const WALL_MIN_WIDTH = 1920;
const LABEL_SCALE = 1.5;
const ICON_SCALE = 1.6;

/** What the URL asks for: true / false, or null to follow the window's width. */
export function wallFromUrl(search: string): boolean | null {
  const v = new URLSearchParams(search).get('wall');
  if (v === '1' || v === 'true' || v === '') return true;
  if (v === '0' || v === 'false') return false;
  return null;
}

const SCALED: Record<
  string,
  { prop: string; kind: 'layout' | 'paint'; fallback: number; k: number }[]
> = {
  symbol: [
    { prop: 'text-size', kind: 'layout', fallback: 16, k: LABEL_SCALE },
    { prop: 'icon-size', kind: 'layout', fallback: 1, k: ICON_SCALE },
  ],
  circle: [{ prop: 'circle-radius', kind: 'paint', fallback: 5, k: ICON_SCALE }],
};

/** Sets wall mode on the page now (before the map exists), from the URL and the width. */
export function wallWanted(): boolean {
  return wallFromUrl(location.search) ?? window.innerWidth >= WALL_MIN_WIDTH;
}

export function applyWallClass(on: boolean): void {
  document.documentElement.classList.toggle('wall', on);
}

/** Keeps wall mode in step with the window and scales the map's layers to it. */
export function mountWallMode(map: MapLibreMap): { isOn(): boolean } {
  const fixed = wallFromUrl(location.search);
  let on = wallWanted();
  /** Each scaled property's own value, to put back when the wall mode ends. */
  const originals = new Map<string, { layer: object; value: unknown }>();

  const scaleLayers = () => {
    for (const id of map.getLayersOrder()) {
      const layer = map.getLayer(id);
      if (!layer) continue;
      for (const p of SCALED[layer.type] ?? []) {
        const key = `${layer.id}\u0000${p.prop}`;
        // A layer removed and added again under its id is a new layer, not yet scaled.
        const has = originals.get(key)?.layer === layer;
        if (on === has) continue;
        const m = map as unknown as {
          getLayoutProperty(id: string, prop: string): unknown;
          getPaintProperty(id: string, prop: string): unknown;
          setLayoutProperty(id: string, prop: string, value: unknown): void;
          setPaintProperty(id: string, prop: string, value: unknown): void;
        };
        const get = (id: string) =>
          p.kind === 'layout' ? m.getLayoutProperty(id, p.prop) : m.getPaintProperty(id, p.prop);
        const set = (id: string, value: unknown) =>
          p.kind === 'layout'
            ? m.setLayoutProperty(id, p.prop, value)
            : m.setPaintProperty(id, p.prop, value);
        if (p.prop === 'text-size' && map.getLayoutProperty(layer.id, 'text-field') === undefined)
          continue;
        if (p.prop === 'icon-size' && map.getLayoutProperty(layer.id, 'icon-image') === undefined)
          continue;
        if (on) {
          const value = get(layer.id);
          originals.set(key, { layer, value });
          set(layer.id, scaleStyleValue(value ?? p.fallback, p.k));
        } else {
          set(layer.id, originals.get(key)?.value);
          originals.delete(key);
        }
      }
    }
  };

  const apply = () => {
    applyWallClass(on);
    scaleLayers();
  };
  // Layers added later (live crews, danger, stations) are scaled as they arrive.
  map.on('styledata', () => {
    if (on) scaleLayers();
  });
  if (fixed === null)
    window.matchMedia(`(min-width: ${WALL_MIN_WIDTH}px)`).addEventListener('change', (e) => {
      on = e.matches;
      apply();
    });
  apply();
  return { isOn: () => on };
}
