/**
 * Where the ranger says the smoke is (issue 16 item 2, issue 19 item 5): without a direction
 * the report stands where the phone is; with the direction he reads on his compass (magnetic,
 * as phones and hand compasses give it: the server turns it to true north) and an estimated
 * distance (1 km when he gives none), the report's position is that far along the bearing,
 * with an accuracy that says how rough the estimate is, and the phone's place goes with it as
 * the bearing's observer, one line of the fire's cross-bearing fix.
 */
import destination from '@turf/destination';
import type { ReportBody } from '../../../server/contract/reports.ts';

/** The distance assumed when the ranger gives a direction but no distance, metres. */
export const DEFAULT_SMOKE_DISTANCE_M = 1000;

export interface PhoneFix {
  lon: number;
  lat: number;
  accuracyM: number;
}

export function smokePlacement(
  phone: PhoneFix,
  bearingDeg: number | null,
  distanceM: number | null,
): Pick<ReportBody, 'position' | 'bearingDeg' | 'bearingNorth' | 'observer'> {
  if (bearingDeg === null)
    return { position: { lon: phone.lon, lat: phone.lat, accuracyM: phone.accuracyM } };
  const d = distanceM ?? DEFAULT_SMOKE_DISTANCE_M;
  const [lon, lat] = destination([phone.lon, phone.lat], d / 1000, bearingDeg, {
    units: 'kilometers',
  }).geometry.coordinates as [number, number];
  // A guessed distance is as uncertain as itself; an estimated one to about a quarter.
  const accuracyM = Math.round(Math.max(phone.accuracyM, distanceM === null ? d : d / 4));
  return {
    position: { lon, lat, accuracyM },
    bearingDeg,
    bearingNorth: 'magnetic',
    observer: { lon: phone.lon, lat: phone.lat },
  };
}

/**
 * One compass reading, degrees clockwise from magnetic north, or null when the phone gives none
 * within `timeoutMs`: iOS's webkitCompassHeading, else the absolute orientation's alpha.
 */
export async function readCompass(timeoutMs = 3000): Promise<number | null> {
  const Orientation = window.DeviceOrientationEvent as unknown as
    | { requestPermission?: () => Promise<string> }
    | undefined;
  if (!Orientation) return null;
  if (typeof Orientation.requestPermission === 'function') {
    try {
      if ((await Orientation.requestPermission()) !== 'granted') return null;
    } catch {
      return null;
    }
  }
  return new Promise((resolve) => {
    const events = ['deviceorientationabsolute', 'deviceorientation'] as const;
    const done = (v: number | null) => {
      for (const e of events) window.removeEventListener(e, on as EventListener);
      clearTimeout(timer);
      resolve(v);
    };
    const on = (e: DeviceOrientationEvent & { webkitCompassHeading?: number }) => {
      if (typeof e.webkitCompassHeading === 'number') return done(e.webkitCompassHeading);
      if (e.absolute && typeof e.alpha === 'number') return done((360 - e.alpha) % 360);
    };
    const timer = setTimeout(() => done(null), timeoutMs);
    for (const e of events) window.addEventListener(e, on as EventListener);
  });
}
