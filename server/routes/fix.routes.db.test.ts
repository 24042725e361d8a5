/** The cross-bearing fix over HTTP: magnetic bearings turned by the county's declination. */
import geodesic from 'geographiclib-geodesic';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, buildApp } from '../app.ts';
import { crossBearingFix } from '../domain/lookouts/bearing-fix.ts';
import { openTestDatabase, testBackend } from '../testing/test-database.ts';

const WGS84 = geodesic.Geodesic.WGS84;
let app: App;
beforeAll(async () => {
  app = await buildApp({
    config: { logLevel: 'silent', bodyLimitBytes: 65536, magneticDeclinationDeg: -3.5 },
    database: await openTestDatabase(),
  });
  await app.ready();
});
afterAll(async () => {
  await app?.close();
});

const towers = [
  { lon: 109.7, lat: 27.8, azimuthDeg: 52.3 },
  { lon: 109.84, lat: 27.81, azimuthDeg: 331.7 },
];

describe(`POST /api/bearing-fix on the ${testBackend()} backend`, () => {
  it('gives the fix, its ellipse and an outline whose every point lies on that ellipse', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/bearing-fix',
      payload: { bearings: towers },
    });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    const direct = crossBearingFix(towers);
    expect(body.lon).toBeCloseTo(direct.lon, 9);
    expect(body.lat).toBeCloseTo(direct.lat, 9);
    const ring = body.outline.geometry.coordinates[0] as [number, number][];
    expect(ring[0]).toEqual(ring[ring.length - 1]);
    const { semiMajorM: a, semiMinorM: b, azimuthDeg } = body.ellipse;
    const alpha = (azimuthDeg * Math.PI) / 180;
    for (const [lon, lat] of ring) {
      const g = WGS84.Inverse(body.lat, body.lon, lat, lon);
      const az = ((g.azi1 as number) * Math.PI) / 180;
      const e = (g.s12 as number) * Math.sin(az);
      const n = (g.s12 as number) * Math.cos(az);
      const u = e * Math.sin(alpha) + n * Math.cos(alpha);
      const v = e * Math.cos(alpha) - n * Math.sin(alpha);
      expect((u / a) ** 2 + (v / b) ** 2).toBeCloseTo(1, 3);
    }
  });

  it('turns compass bearings to true north with MAGNETIC_DECLINATION_DEG (true = magnetic + declination)', async () => {
    const magnetic = towers.map((t) => ({
      ...t,
      azimuthDeg: t.azimuthDeg + 3.5,
      north: 'magnetic',
    }));
    const res = await app.inject({
      method: 'POST',
      url: '/api/bearing-fix',
      payload: { bearings: magnetic },
    });
    const direct = crossBearingFix(towers);
    expect(res.json().lon).toBeCloseTo(direct.lon, 9);
    expect(res.json().lat).toBeCloseTo(direct.lat, 9);
    expect(res.json().declinationDeg).toBe(-3.5);
  });

  it('bearings that meet behind a station are a 422 naming the bearing', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/bearing-fix',
      payload: {
        bearings: [
          { lon: 109.7, lat: 27.8, azimuthDeg: 225 },
          { lon: 109.8, lat: 27.8, azimuthDeg: 135 },
        ],
      },
    });
    expect(res.statusCode).toBe(422);
    expect(res.json().field).toMatch(/^bearings\[\d\]\.azimuthDeg$/);
  });
});
