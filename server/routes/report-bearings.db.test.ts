/**
 * Bearings reported by people (issue 16, item 2): a lookout operator and a ranger each report
 * the direction they see one smoke in and where they stand; the reports join one fire and
 * their bearings meet at the smoke. The bearings to the smoke are worked out here with
 * GeographicLib's inverse geodesic problem, so the fix must land back on it.
 */
import crypto from 'node:crypto';
import geodesic from 'geographiclib-geodesic';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../app.ts';
import { openSmallApp } from '../testing/demo-sessions.ts';
import { testBackend } from '../testing/test-database.ts';

const WGS84 = geodesic.Geodesic.WGS84;
const DECLINATION = -3.4;
let app: App;
let tokens: Map<string, string>;

beforeAll(async () => {
  ({ app, tokens } = await openSmallApp({ magneticDeclinationDeg: DECLINATION }));
});
afterAll(async () => {
  await app?.close();
});

const SMOKE = { lon: 109.83, lat: 27.93 };
const toSmoke = (from: { lon: number; lat: number }) =>
  ((WGS84.Inverse(from.lat, from.lon, SMOKE.lat, SMOKE.lon).azi1 as number) + 360) % 360;

const report = (who: string | null, body: Record<string, unknown>) =>
  app.inject({
    method: 'POST',
    url: '/api/reports',
    headers: who ? { authorization: `Bearer ${tokens.get(who)}` } : {},
    payload: {
      clientUuid: crypto.randomUUID(),
      observedAt: new Date().toISOString(),
      ...body,
    },
  });

describe(`reported bearings on the ${testBackend()} backend`, () => {
  it('a lookout’s true bearing and a ranger’s compass bearing of one smoke join one fire and meet on the smoke', async () => {
    const tower = { lon: 109.81, lat: 27.915 };
    const ranger = { lon: 109.852, lat: 27.918 };
    // Each estimates the smoke a few hundred metres off; the bearings are exact.
    const first = await report('lookout', {
      source: 'lookout',
      position: { lon: 109.832, lat: 27.929, accuracyM: 500 },
      bearingDeg: toSmoke(tower),
      observer: tower,
    });
    expect(first.statusCode).toBe(201);
    // The ranger's phone compass reads magnetic north: magnetic = true − declination.
    const magnetic = (toSmoke(ranger) - DECLINATION + 360) % 360;
    const second = await report('ranger', {
      source: 'ranger',
      position: { lon: 109.828, lat: 27.932, accuracyM: 500 },
      bearingDeg: magnetic,
      bearingNorth: 'magnetic',
      observer: ranger,
    });
    expect(second.statusCode).toBe(201);
    const incidentId = first.json().incidentId as string;
    expect(second.json().incidentId).toBe(incidentId);

    const res = await app.inject({
      method: 'GET',
      url: `/api/incidents/${incidentId}/bearing-fix`,
      headers: { authorization: `Bearer ${tokens.get('county')}` },
    });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.bearings.map((b: { kind: string }) => b.kind).sort()).toEqual([
      'lookout',
      'ranger',
    ]);
    const missM = WGS84.Inverse(body.fix.lat, body.fix.lon, SMOKE.lat, SMOKE.lon).s12 as number;
    expect(missM).toBeLessThan(1);
  });

  it('keeps the observer in what a resend must repeat, and refuses an observer without a bearing or out of sight (4xx naming the field)', async () => {
    const observer = { lon: 109.81, lat: 27.915 };
    const body = {
      clientUuid: crypto.randomUUID(),
      observedAt: new Date().toISOString(),
      source: 'lookout',
      position: { lon: 109.83, lat: 27.93 },
      bearingDeg: toSmoke(observer),
      observer,
    };
    const send = (b: Record<string, unknown>) =>
      app.inject({
        method: 'POST',
        url: '/api/reports',
        headers: { authorization: `Bearer ${tokens.get('lookout')}` },
        payload: b,
      });
    expect((await send(body)).statusCode).toBe(201);
    expect((await send(body)).statusCode).toBe(200);
    const moved = await send({ ...body, observer: { lon: 109.811, lat: 27.915 } });
    expect([moved.statusCode, moved.json().field]).toEqual([409, 'clientUuid']);

    const noBearing = await report('lookout', {
      source: 'lookout',
      position: SMOKE,
      observer,
    });
    expect([noBearing.statusCode, noBearing.json().field]).toEqual([400, 'observer']);
    const far = await report('lookout', {
      source: 'lookout',
      position: SMOKE,
      bearingDeg: 10,
      observer: { lon: 110.5, lat: 28.3 },
    });
    expect([far.statusCode, far.json().field]).toEqual([422, 'observer']);
    const northOnly = await report('lookout', {
      source: 'lookout',
      position: SMOKE,
      bearingNorth: 'magnetic',
    });
    expect([northOnly.statusCode, northOnly.json().field]).toEqual([400, 'bearingNorth']);
    const extra = await report('lookout', {
      source: 'lookout',
      position: SMOKE,
      bearingDeg: 10,
      observer: { ...observer, height: 3 },
    });
    expect(extra.statusCode).toBe(400);
    expect(extra.json().field).toMatch(/observer/);
  });
});
