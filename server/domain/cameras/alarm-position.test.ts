import geodesic from 'geographiclib-geodesic';
import { describe, expect, it } from 'vitest';
import type { CameraAlarm } from './alarm-formats.ts';
import { alarmBearing, locateAlarm, rayToGround } from './alarm-position.ts';

const WGS84 = geodesic.Geodesic.WGS84;
const camera = { lon: 109.8, lat: 27.85, heightM: 40, headingDeg: 30, rangeM: 8000 };
const alarm = (a: Partial<CameraAlarm>): CameraAlarm => ({
  format: 'json',
  channel: 1,
  observedAt: new Date(),
  active: true,
  panDeg: null,
  bearingDeg: null,
  tiltDeg: null,
  distanceM: null,
  lon: null,
  lat: null,
  deviceId: null,
  description: null,
  picture: null,
  ...a,
});
const metres = (a: { lon: number; lat: number }, b: { lon: number; lat: number }) =>
  WGS84.Inverse(a.lat, a.lon, b.lat, b.lon).s12 as number;

describe('camera alarm position', () => {
  it('bearing = camera heading + pan, wrapped', () => {
    expect(alarmBearing(camera, alarm({ panDeg: 350 }))).toBeCloseTo(20, 12);
    expect(alarmBearing(camera, alarm({ bearingDeg: 90, panDeg: 10 }))).toBe(90);
    expect(alarmBearing(camera, alarm({}))).toBeNull();
  });

  it('over flat ground the sight line lands at height / tan(tilt) (plus a little for curvature)', () => {
    // Ground at 300 m, eye 40 m up, looking 2° down: 40 / tan 2° = 1145.5 m; the earth's
    // curvature with refraction lowers the ground by s²·(6/7)/(2R) ≈ 0.09 m there, 2.6 m further.
    const hit = rayToGround(camera, 90, 2, () => 300, 8000);
    const flat = 40 / Math.tan((2 * Math.PI) / 180);
    expect(hit?.distanceM).toBeGreaterThan(flat);
    expect(hit?.distanceM).toBeLessThan(flat + 4);
    // And the point is that far east along the geodesic.
    expect(metres(camera, hit as { lon: number; lat: number })).toBeCloseTo(
      hit?.distanceM as number,
      1,
    );
  });

  it('on ground rising away from the camera the line lands sooner: s = h / (tan θ + slope)', () => {
    // Ground rises 5 m per 100 m northwards from the camera's foot (at 300 m).
    const ground = (_lon: number, lat: number) =>
      300 +
      0.05 * Math.max(0, metres(camera, { lon: camera.lon, lat }) * Math.sign(lat - camera.lat));
    const hit = rayToGround(camera, 0, 2, ground, 8000);
    const expected = 40 / (Math.tan((2 * Math.PI) / 180) + 0.05);
    expect(hit?.distanceM).toBeCloseTo(expected, 0);
  });

  it('a sight line that never meets the ground gives no point; the report stays at the camera', () => {
    expect(rayToGround(camera, 0, 0.01, () => 300, 8000)).toBeNull();
    const p = locateAlarm(camera, alarm({ panDeg: 0, tiltDeg: 0.01 }), () => 300);
    expect(p.method).toBe('camera');
    expect([p.lon, p.lat, p.accuracyM, p.bearingDeg]).toEqual([109.8, 27.85, 8000, 30]);
  });

  it('a measured distance puts the smoke that far along the bearing', () => {
    const p = locateAlarm(camera, alarm({ panDeg: 60, distanceM: 2500 }), () => 0);
    expect(p.method).toBe('distance');
    expect(metres(camera, p)).toBeCloseTo(2500, 3);
    expect(WGS84.Inverse(camera.lat, camera.lon, p.lat, p.lon).azi1).toBeCloseTo(90, 6);
  });

  it('a tilt fix says how sure it is: wider when the line grazes the ground', () => {
    const steep = locateAlarm(camera, alarm({ panDeg: 0, tiltDeg: 5 }), () => 300);
    const grazing = locateAlarm(camera, alarm({ panDeg: 0, tiltDeg: 0.6 }), () => 300);
    expect(steep.method).toBe('tilt');
    expect(grazing.accuracyM).toBeGreaterThan(steep.accuracyM * 5);
  });
});
