/**
 * The GPS fixes a drill's simulated crew phone sends (issue 14 item 3, `npm run
 * drill:simulate`): from where the crew is to the fire at a steady speed, one fix every
 * `everyS` seconds, the last one on the fire. The path is the straight line, not the road
 * route: the reach engine gives times, not geometry. The speed is what makes the arrival
 * honest: straight-line distance over the reach engine's ETA arrives when the engine says.
 */
import { bearing, distance, point } from '@turf/turf';

export interface TrackFix {
  lon: number;
  lat: number;
  /** Seconds after the first fix. */
  afterS: number;
  /** Metres per second. */
  speedMs: number;
  /** Degrees clockwise from true north, [0, 360). */
  headingDeg: number;
}

/**
 * @param from [lon, lat] WGS84 degrees: the crew's last position (its base when it sent none)
 * @param to [lon, lat] WGS84 degrees: the fire
 * @param speedMs metres per second, > 0
 * @param everyS seconds between fixes, > 0
 * @returns the fixes after the start, the last exactly at `to`; none when already there
 */
export function simulatedTrack(
  from: [number, number],
  to: [number, number],
  speedMs: number,
  everyS: number,
): TrackFix[] {
  if (!(speedMs > 0) || !(everyS > 0)) throw new RangeError('speed and interval must be > 0');
  const lengthM = distance(point(from), point(to), { units: 'meters' });
  if (lengthM === 0) return [];
  const headingDeg = (bearing(point(from), point(to)) + 360) % 360;
  const steps = Math.max(1, Math.ceil(lengthM / (speedMs * everyS)));
  const fixes: TrackFix[] = [];
  for (let k = 1; k <= steps; k++) {
    const f = k / steps;
    fixes.push({
      lon: k === steps ? to[0] : from[0] + (to[0] - from[0]) * f,
      lat: k === steps ? to[1] : from[1] + (to[1] - from[1]) * f,
      afterS: k === steps ? lengthM / speedMs : k * everyS,
      speedMs,
      headingDeg,
    });
  }
  return fixes;
}

/** Speed that covers the straight line in the reach engine's ETA; `fallbackMs` without one. */
export function speedFor(
  from: [number, number],
  to: [number, number],
  etaSeconds: number | null,
  fallbackMs: number,
): number {
  const lengthM = distance(point(from), point(to), { units: 'meters' });
  if (etaSeconds === null || etaSeconds <= 0 || lengthM === 0) return fallbackMs;
  return lengthM / etaSeconds;
}
