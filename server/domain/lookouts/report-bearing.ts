/**
 * A report's bearing (issue 16, item 2): a lookout operator or a ranger with a compass says in
 * which direction he sees the smoke, from where he stands (`observer`), and estimates where it
 * is (`position`). The bearing is kept in degrees from true north — a compass reading
 * (`bearingNorth: magnetic`) is turned with the county's declination — and, with its observer,
 * is one line of the fire's cross-bearing fix. Pure.
 */
import geodesic from 'geographiclib-geodesic';
import { DomainError } from '../errors.ts';
import { trueFromMagnetic } from './bearing-fix.ts';

/** Farther than this an observer cannot have seen the smoke at `position`. */
export const MAX_OBSERVER_DISTANCE_M = 50_000;

export class BearingInputError extends DomainError {
  constructor(message: string, field: string, status: 400 | 422) {
    super(message, field, status);
  }
}

export interface ReportedBearing {
  position: { lon: number; lat: number };
  bearingDeg?: number;
  bearingNorth?: 'true' | 'magnetic';
  observer?: { lon: number; lat: number };
}

/**
 * The bearing in true degrees (null without one) and its observer (null without one); a
 * BearingInputError naming the field for an observer or north without a bearing, or an observer
 * farther from the smoke than anyone sees.
 */
export function reportBearing(
  r: ReportedBearing,
  declinationDeg: number,
): { bearingDeg: number | null; observer: { lon: number; lat: number } | null } {
  if (r.observer && r.bearingDeg === undefined)
    throw new BearingInputError(
      'observer is where a bearing was taken: give bearingDeg',
      'observer',
      400,
    );
  if (r.bearingNorth && r.bearingDeg === undefined)
    throw new BearingInputError('bearingNorth needs bearingDeg', 'bearingNorth', 400);
  if (r.observer) {
    const d = geodesic.Geodesic.WGS84.Inverse(
      r.observer.lat,
      r.observer.lon,
      r.position.lat,
      r.position.lon,
    ).s12 as number;
    if (d > MAX_OBSERVER_DISTANCE_M)
      throw new BearingInputError(
        `observer is ${Math.round(d / 1000)} km from the smoke's position; a bearing is taken within ${MAX_OBSERVER_DISTANCE_M / 1000} km`,
        'observer',
        422,
      );
  }
  const bearingDeg =
    r.bearingDeg === undefined
      ? null
      : r.bearingNorth === 'magnetic'
        ? trueFromMagnetic(r.bearingDeg, declinationDeg)
        : r.bearingDeg;
  return { bearingDeg, observer: r.observer ?? null };
}
