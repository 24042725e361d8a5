/**
 * Fewer frames while the command map first loads, for wall PCs that draw in software.
 */
import type { Map as MapLibreMap, MapSourceDataEvent } from 'maplibre-gl';

/** What of MapLibre's map the pacing uses. */
export type PacedMap = Pick<MapLibreMap, 'triggerRepaint' | 'on' | 'off' | 'once'>;

/**
 * While the map first loads, at most one frame per this many milliseconds, except that a
 * source whose tiles in view have all arrived is drawn at once. A wall PC without a GPU draws
 * each frame in software (~250 ms for the county's layers at 1920×1080 in SwiftShader, read
 * back for the compositor), MapLibre draws one for every batch of tiles, GeoJSON and style
 * change that arrives, and those frames take the CPU the tiles still loading need. Measured
 * on the page-idle bench's page, 3 loads each on one machine: first idle 5.2–5.8 s drawing
 * every frame; 3.6–4.4 s one frame per 600 ms; with whole sources drawn at once, 4.0–5.2 s
 * at 600 ms, 3.7–4.6 s at 1200 ms, 3.9–6.1 s at 2000 ms.
 */
export const LOADING_FRAME_GAP_MS = 1200;

/** Map events of a person's hand on the map. */
const HANDS = ['mousedown', 'touchstart', 'wheel'] as const;

/**
 * Paces MapLibre's redraws (`triggerRepaint`, which every tile, source and style change
 * calls) to one per `gapMs` until the map is first idle or a person touches it; from then
 * on every redraw is drawn at once, so panning and live updates are not held back. Moves
 * made by the page itself before the first idle (a focus, a search) are paced too.
 */
export function paceFramesWhileLoading(map: PacedMap, gapMs: number): void {
  const draw = map.triggerRepaint.bind(map);
  let last = Number.NEGATIVE_INFINITY;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const fire = () => {
    clearTimeout(timer);
    timer = undefined;
    last = performance.now();
    draw();
  };
  map.triggerRepaint = () => {
    if (timer !== undefined) return;
    const wait = last + gapMs - performance.now();
    if (wait <= 0) fire();
    else timer = setTimeout(fire, wait);
  };
  // A source whose last tile in view just arrived (the county's own layers, the relief) is
  // drawn at once: what is whole is worth a frame, what is half-loaded waits for the gap.
  const whole = (e: MapSourceDataEvent) => {
    if (e.tile !== undefined && e.isSourceLoaded && timer !== undefined) fire();
  };
  // A person's hand on the map: a press, a touch or the wheel ends the pacing before the
  // move it starts, so the first drag or zoom is drawn at full rate; a keyboard pan ends it
  // at its movestart (a resize of the page also moves the map, without an originalEvent).
  const moved = (e: { originalEvent?: unknown }) => {
    if (e.originalEvent !== undefined) end();
  };
  /** Back to MapLibre's own redraws, the frame still waiting drawn now. */
  const end = () => {
    map.off('idle', end);
    map.off('sourcedata', whole);
    map.off('movestart', moved);
    for (const type of HANDS) map.off(type, end);
    map.triggerRepaint = draw;
    if (timer !== undefined) fire();
  };
  map.on('idle', end);
  map.on('sourcedata', whole);
  map.on('movestart', moved);
  for (const type of HANDS) map.on(type, end);
}
