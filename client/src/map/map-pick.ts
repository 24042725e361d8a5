/**
 * Picking one place on the map (the forward command post, …): the next click on the map is
 * the answer, Esc cancels. While a pick is under way other map clicks (grid cards) are ignored
 * — main.ts passes isPickingOnMap to the selection — and Esc closes nothing else.
 */
import type { Map as MapLibreMap, MapMouseEvent } from 'maplibre-gl';

let active: { cancel: () => void } | null = null;

export function isPickingOnMap(): boolean {
  return active !== null;
}

/** Starts a pick; returns the function that cancels it. A new pick cancels the one before. */
export function pickOnMap(
  map: MapLibreMap,
  onPick: (lngLat: [number, number]) => void,
  onCancel: () => void = () => {},
): () => void {
  active?.cancel();
  const canvas = map.getCanvas();
  const cursor = canvas.style.cursor;
  canvas.style.cursor = 'crosshair';
  let done = false;
  const finish = () => {
    done = true;
    map.off('click', click);
    window.removeEventListener('keydown', key, true);
    canvas.style.cursor = cursor;
    // After every click handler of this click has run, so the selection still ignores it.
    setTimeout(() => {
      if (active === me) active = null;
    });
  };
  const click = (e: MapMouseEvent) => {
    finish();
    onPick([e.lngLat.lng, e.lngLat.lat]);
  };
  const key = (e: KeyboardEvent) => {
    if (e.key !== 'Escape') return;
    // Esc ends the pick only, not the card the pick was started from.
    e.stopPropagation();
    me.cancel();
  };
  const me = {
    // Once picked or cancelled, cancelling again does nothing.
    cancel: () => {
      if (done) return;
      finish();
      onCancel();
    },
  };
  map.on('click', click);
  window.addEventListener('keydown', key, true);
  active = me;
  return me.cancel;
}
