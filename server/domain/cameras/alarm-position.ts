/**
 * Where a camera alarm points (issue 16, item 2: "one bearing from a PTZ camera with its
 * tilt is intersected with the DEM"). A camera knows the direction of the smoke, not its
 * place: with a measured distance the place is that far along the bearing; with a tilt the
 * sight line is followed down the bearing until it meets the ground; with neither the report
 * stands at the camera with its bearing and an accuracy of the camera's range, and a second
 * bearing (another tower, a ranger) fixes it (bearing-fix.ts).
 *
 * The sight line over a curved, refracting earth: at ground distance s it stands
 * eye − s·tan(tilt) + s²·(1 − k)/(2R) above the datum the ground heights use (the ground
 * falls away from the tangent by s²/2R, light bends back by k of that; k = 1/7).
 * Pure: the DEM comes in as a function.
 */
import geodesic from 'geographiclib-geodesic';
import { REFRACTION_K, WGS84_A } from '../lookouts/viewshed.ts';
import type { CameraAlarm } from './alarm-formats.ts';

const WGS84 = geodesic.Geodesic.WGS84;
const LATLON = geodesic.Geodesic.LATITUDE | geodesic.Geodesic.LONGITUDE;

export interface CameraSite {
  lon: number;
  lat: number;
  /** Lens height above the ground, metres. */
  heightM: number;
  /** True azimuth of pan 0, degrees. */
  headingDeg: number;
  rangeM: number;
}

export interface AlarmPosition {
  lon: number;
  lat: number;
  /** Radius of the place's uncertainty, metres. */
  accuracyM: number;
  bearingDeg: number | null;
  method: 'distance' | 'tilt' | 'reported' | 'camera';
}

/** Tilt uncertainty used for the accuracy of a tilt fix, degrees (a PTZ head's repeatability). */
export const TILT_SIGMA_DEG = 0.2;

/** True-north bearing of an alarm: given directly, or the camera's heading plus its pan. */
export function alarmBearing(camera: Pick<CameraSite, 'headingDeg'>, alarm: CameraAlarm) {
  if (alarm.bearingDeg !== null) return ((alarm.bearingDeg % 360) + 360) % 360;
  if (alarm.panDeg !== null) return (((camera.headingDeg + alarm.panDeg) % 360) + 360) % 360;
  return null;
}

/**
 * Follows the sight line from the camera along `bearingDeg`, `tiltDeg` below the horizon,
 * to where it first meets the ground; null when it does not within `maxRangeM`.
 * @param elevationAt ground height in metres at lon/lat (degrees)
 * @returns the ground point and its distance from the camera along the ground, metres
 */
export function rayToGround(
  camera: Pick<CameraSite, 'lon' | 'lat' | 'heightM'>,
  bearingDeg: number,
  tiltDeg: number,
  elevationAt: (lon: number, lat: number) => number,
  maxRangeM: number,
  stepM = 10,
): { lon: number; lat: number; distanceM: number } | null {
  if (!(tiltDeg > 0)) return null;
  const eye = elevationAt(camera.lon, camera.lat) + camera.heightM;
  const tan = Math.tan((tiltDeg * Math.PI) / 180);
  const bend = (1 - REFRACTION_K) / (2 * WGS84_A);
  const line = WGS84.DirectLine(camera.lat, camera.lon, bearingDeg, maxRangeM, LATLON);
  const at = (s: number) => {
    const p = line.Position(s, LATLON);
    return { lon: p.lon2 as number, lat: p.lat2 as number };
  };
  const above = (s: number) => {
    const p = at(s);
    return eye - s * tan + s * s * bend - elevationAt(p.lon, p.lat);
  };
  let prev = 0;
  for (let s = stepM; s <= maxRangeM; s += stepM) {
    if (above(s) <= 0) {
      // Bisect between the last point above ground and this one.
      let lo = prev;
      let hi = s;
      while (hi - lo > 0.1) {
        const mid = (lo + hi) / 2;
        if (above(mid) > 0) lo = mid;
        else hi = mid;
      }
      return { ...at(hi), distanceM: hi };
    }
    prev = s;
  }
  return null;
}

/** Where the alarm puts the smoke, and how sure that is. */
export function locateAlarm(
  camera: CameraSite,
  alarm: CameraAlarm,
  elevationAt: (lon: number, lat: number) => number,
): AlarmPosition {
  const bearingDeg = alarmBearing(camera, alarm);
  if (bearingDeg !== null && alarm.distanceM !== null) {
    const p = WGS84.Direct(camera.lat, camera.lon, bearingDeg, alarm.distanceM, LATLON);
    // A tenth of the distance along, a degree of bearing across: the larger.
    const accuracyM = Math.max(0.1 * alarm.distanceM, alarm.distanceM * (Math.PI / 180));
    return {
      lon: p.lon2 as number,
      lat: p.lat2 as number,
      accuracyM,
      bearingDeg,
      method: 'distance',
    };
  }
  if (bearingDeg !== null && alarm.tiltDeg !== null && alarm.tiltDeg > 0) {
    const hit = rayToGround(camera, bearingDeg, alarm.tiltDeg, elevationAt, camera.rangeM);
    if (hit) {
      // The spread of the ground point over the tilt's uncertainty either way.
      const near = rayToGround(
        camera,
        bearingDeg,
        alarm.tiltDeg + TILT_SIGMA_DEG,
        elevationAt,
        camera.rangeM,
      );
      const far = rayToGround(
        camera,
        bearingDeg,
        alarm.tiltDeg - TILT_SIGMA_DEG,
        elevationAt,
        camera.rangeM,
      );
      const spread = ((far?.distanceM ?? camera.rangeM) - (near?.distanceM ?? 0)) / 2;
      return {
        lon: hit.lon,
        lat: hit.lat,
        accuracyM: Math.max(30, Math.min(camera.rangeM, spread)),
        bearingDeg,
        method: 'tilt',
      };
    }
  }
  if (alarm.lon !== null && alarm.lat !== null)
    return {
      lon: alarm.lon,
      lat: alarm.lat,
      accuracyM: camera.rangeM,
      bearingDeg,
      method: 'reported',
    };
  return {
    lon: camera.lon,
    lat: camera.lat,
    accuracyM: camera.rangeM,
    bearingDeg,
    method: 'camera',
  };
}
