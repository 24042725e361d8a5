/**
 * Camera alarm intake on the small county (testing/factories.ts, with its small DEM for the
 * tilt): a registered camera posts Hikvision ISAPI, GB/T 28181 and JSON alarms with its key;
 * each alarm becomes one camera report with its bearing and picture, however often the
 * camera repeats it.
 */
import fs from 'node:fs';
import path from 'node:path';
import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import { sql } from 'drizzle-orm';
import geodesic from 'geographiclib-geodesic';
import type { Polygon } from 'geojson';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, buildApp } from '../app.ts';
import type { Database } from '../db/database.ts';
import { openSmallApp } from '../testing/demo-sessions.ts';
import { multipartBody } from '../testing/multipart.ts';
import { fixedRateClock } from '../testing/rate-clock.ts';
import { testBackend } from '../testing/test-database.ts';

const FIXTURES = path.resolve(import.meta.dirname, '../domain/cameras/fixtures');
const ISAPI = fs.readFileSync(path.join(FIXTURES, 'isapi-fire-detection.xml'), 'utf8');
const GB28181 = fs.readFileSync(path.join(FIXTURES, 'gb28181-alarm-notify.xml'), 'utf8');
const JPEG = fs.readFileSync(path.join(FIXTURES, 'smoke.jpg'));

let app: App;
let database: Database;
let tokens: Map<string, string>;
/** One camera per test, so alarms of one test do not collapse into another's. */
let n = 0;

beforeAll(async () => {
  ({ app, database, tokens } = await openSmallApp({}, { rateClock: fixedRateClock }));
});
afterAll(async () => {
  await app?.close();
});

/** An alarm time of now, as the camera's clock would stamp it (Beijing time). */
const now = (offsetS = 0) => {
  const t = new Date(Date.now() + offsetS * 1000 + 8 * 3600_000).toISOString().slice(0, 19);
  return `${t}+08:00`;
};
const isapi = (pan = 1235, time = now()) =>
  ISAPI.replace(/<dateTime>.*<\/dateTime>/, `<dateTime>${time}</dateTime>`).replace(
    '<azimuth>1235</azimuth>',
    `<azimuth>${pan}</azimuth>`,
  );

async function register(extra: Record<string, unknown> = {}) {
  n++;
  const res = await app.inject({
    method: 'POST',
    url: '/api/cameras',
    headers: { authorization: `Bearer ${tokens.get('county')}` },
    payload: {
      id: `CAM-T${n}`,
      name: `高村铁塔哨兵${n}号`,
      lon: 109.8,
      lat: 27.87,
      heightM: 40,
      headingDeg: 10,
      rangeM: 6000,
      ...extra,
    },
  });
  expect(res.statusCode).toBe(201);
  return res.json() as { id: string; key: string; alarmUrl: string };
}

/**
 * The incident a stored alarm's report went to, once the reports behind the answers are made
 * (the camera is answered 202 when its alarm is stored).
 */
async function incidentOf(reportUuid: string): Promise<string> {
  await app.cameraAlarmFusion.idle();
  const [row] = await database.query<{ incident_id: string }>(sql`
    SELECT incident_id FROM incident_reports WHERE client_uuid = ${reportUuid}::uuid`);
  if (!row) throw new Error(`no report ${reportUuid}`);
  return row.incident_id;
}

describe(`camera alarms on the ${testBackend()} backend`, () => {
  it('registers a camera only for the county command; the key is never listed', async () => {
    const payload = { id: 'CAM-X', name: 'x', lon: 109.8, lat: 27.87, heightM: 30, headingDeg: 0 };
    const anon = await app.inject({ method: 'POST', url: '/api/cameras', payload });
    expect(anon.statusCode).toBe(401);
    const ranger = await app.inject({
      method: 'POST',
      url: '/api/cameras',
      headers: { authorization: `Bearer ${tokens.get('ranger')}` },
      payload,
    });
    expect(ranger.statusCode).toBe(403);
    const cam = await register();
    const list = await app.inject({ method: 'GET', url: '/api/cameras' });
    expect(list.json().map((c: { id: string }) => c.id)).toContain(cam.id);
    expect(list.body).not.toContain(cam.key);
    expect(list.body).not.toMatch(/key/i);
  });

  it('an ISAPI multipart alarm with its JPEG becomes a camera report with the true bearing and picture', async () => {
    const cam = await register();
    const body = multipartBody([
      {
        name: 'fireDetection',
        value: isapi(),
        filename: 'fireDetection.xml',
        type: 'application/xml',
      },
      { name: 'fireDetectionPicture', value: JPEG, filename: 'picture.jpg', type: 'image/jpeg' },
    ]);
    const res = await app.inject({
      method: 'POST',
      url: cam.alarmUrl,
      headers: { ...body.headers, 'x-device-key': cam.key },
      payload: body.payload,
    });
    expect(res.statusCode).toBe(202);
    const out = res.json();
    expect(out).toMatchObject({ state: 'stored', reported: false, incidentId: null, posts: 1 });
    expect(out.photos).toEqual([{ stored: true }]);
    const incidentId = await incidentOf(out.reportUuid);
    // Heading 10° + pan 123.5° = 133.5° true; tilt 5.2° puts it on the ground along it.
    expect(out.bearingDeg).toBeCloseTo(133.5, 9);
    expect(out.position.method).toBe('tilt');
    const [report] = await database.query<{
      source: string;
      bearing_deg: number;
      photos: number;
      reporter_name: string;
    }>(sql`
      SELECT r.source, r.bearing_deg, r.reporter_name,
             (SELECT count(*)::int FROM report_photos p WHERE p.report_id = r.id) AS photos
      FROM incident_reports r WHERE r.client_uuid = ${out.reportUuid}::uuid`);
    expect(report).toMatchObject({
      source: 'camera',
      photos: 1,
      reporter_name: `高村铁塔哨兵${n}号`,
    });
    expect(Number(report?.bearing_deg)).toBeCloseTo(133.5, 9);
    const detail = await app.inject({
      method: 'GET',
      url: `/api/incidents/${incidentId}`,
      headers: { authorization: `Bearer ${tokens.get('county')}` },
    });
    expect(detail.statusCode).toBe(200);
    expect(JSON.stringify(detail.json())).toContain('camera');
  });

  it('a burst of the same alarm re-posted 25 times at once becomes one report', async () => {
    const cam = await register();
    const posts = await Promise.all(
      Array.from({ length: 25 }, (_, i) =>
        app.inject({
          method: 'POST',
          url: `${cam.alarmUrl}?key=${cam.key}`,
          headers: { 'content-type': 'application/xml' },
          // Seconds apart, the pan wobbling by a few tenths of a degree.
          payload: isapi(1235 + (i % 3), now(-25 + i)),
        }),
      ),
    );
    expect(posts.map((p) => p.statusCode).sort()).toEqual([...Array(24).fill(200), 202]);
    const uuids = new Set(posts.map((p) => p.json().reportUuid));
    expect(uuids.size).toBe(1);
    await app.cameraAlarmFusion.idle();
    const [row] = await database.query<{ n: number; posts: number }>(sql`
      SELECT (SELECT count(*)::int FROM incident_reports WHERE client_uuid = a.report_uuid) AS n, a.posts
      FROM camera_alarms a WHERE a.camera_id = ${cam.id}`);
    expect(row).toEqual({ n: 1, posts: 25 });
    // Another bearing from the same camera is another alarm.
    const other = await app.inject({
      method: 'POST',
      url: `${cam.alarmUrl}?key=${cam.key}`,
      headers: { 'content-type': 'application/xml' },
      payload: isapi(2400),
    });
    expect(other.statusCode).toBe(202);
  });

  it('a repeat is counted into its alarm and answers where the alarm’s report stands', async () => {
    const cam = await register();
    const send = (pan: number, at: string) =>
      app.inject({
        method: 'POST',
        url: `${cam.alarmUrl}?key=${cam.key}`,
        headers: { 'content-type': 'application/xml' },
        payload: isapi(pan, at),
      });
    const first = await send(1235, now(-3));
    expect(first.statusCode).toBe(202);
    await app.cameraAlarmFusion.idle();
    const again = await send(1236, now(-2));
    const later = await send(1234, now(-1));
    expect([again.statusCode, later.statusCode]).toEqual([200, 200]);
    expect(later.json()).toMatchObject({
      state: 'collapsed',
      reported: false,
      reportUuid: first.json().reportUuid,
      posts: 3,
      position: first.json().position,
    });
    const [row] = await database.query<{ posts: number; last_at: Date }>(sql`
      SELECT posts, last_at FROM camera_alarms WHERE camera_id = ${cam.id}`);
    expect(row?.posts).toBe(3);
  });

  it('an alarm stored while no report is being made (a crash before it) becomes its report when the next app starts', async () => {
    const cam = await register();
    // Apps of their own on this file's database, which their close leaves open.
    const shared: Database = { ...database, close: async () => {} };
    const config = { logLevel: 'silent', bodyLimitBytes: 65536 } as const;
    const stopped = await buildApp({
      config,
      database: shared,
      startBreachClock: false,
      startCameraAlarmFusion: false,
    });
    await stopped.ready();
    const res = await stopped.inject({
      method: 'POST',
      url: cam.alarmUrl,
      headers: { 'x-device-key': cam.key },
      payload: {
        observedAt: new Date().toISOString(),
        bearingDeg: 200,
        distanceM: 2500,
        picture: JPEG.toString('base64'),
      },
    });
    expect(res.statusCode).toBe(202);
    const uuid = res.json().reportUuid as string;
    const stateOf = async () =>
      database.query<{ state: string; reports: number; photos: number }>(sql`
        SELECT a.state,
               (SELECT count(*)::int FROM incident_reports r WHERE r.client_uuid = a.report_uuid) AS reports,
               (SELECT count(*)::int FROM report_photos p JOIN incident_reports r ON r.id = p.report_id
                 WHERE r.client_uuid = a.report_uuid) AS photos
        FROM camera_alarms a WHERE a.report_uuid = ${uuid}::uuid`);
    expect(await stateOf()).toEqual([{ state: 'pending', reports: 0, photos: 0 }]);
    await stopped.close();

    const next = await buildApp({ config, database: shared, startBreachClock: false });
    await next.ready();
    await next.cameraAlarmFusion.idle();
    expect(await stateOf()).toEqual([{ state: 'reported', reports: 1, photos: 1 }]);
    // Made once: another pass finds nothing pending.
    next.cameraAlarmFusion.kick();
    await next.cameraAlarmFusion.idle();
    expect(await stateOf()).toEqual([{ state: 'reported', reports: 1, photos: 1 }]);
    await next.close();
  });

  it('refuses a wrong key (401), malformed XML naming the part (400), and another event type (422)', async () => {
    const cam = await register();
    const wrong = await app.inject({
      method: 'POST',
      url: cam.alarmUrl,
      headers: { 'content-type': 'application/xml', 'x-device-key': 'guess' },
      payload: isapi(),
    });
    expect([wrong.statusCode, wrong.json().field]).toEqual([401, 'x-device-key']);
    const body = multipartBody([
      {
        name: 'fireDetection',
        value: isapi().replace('</eventType>', '</eventTyp>'),
        filename: 'a.xml',
        type: 'application/xml',
      },
      { name: 'picture', value: JPEG, filename: 'p.jpg', type: 'image/jpeg' },
    ]);
    const malformed = await app.inject({
      method: 'POST',
      url: cam.alarmUrl,
      headers: { ...body.headers, 'x-device-key': cam.key },
      payload: body.payload,
    });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().field).toBe('fireDetection');
    const vmd = await app.inject({
      method: 'POST',
      url: cam.alarmUrl,
      headers: { 'content-type': 'application/xml', 'x-device-key': cam.key },
      payload: isapi().replace('>fireDetection<', '>VMD<'),
    });
    expect([vmd.statusCode, vmd.json().field]).toEqual([422, 'EventNotificationAlert.eventType']);
    const reports = await database.query(sql`
      SELECT 1 FROM camera_alarms WHERE camera_id = ${cam.id}`);
    expect(reports).toHaveLength(0);
  });

  it('refuses an address that sent 100 wrong device keys in 10 minutes, before any lookup; others still post', async () => {
    const cam = await register();
    const post = (key: string, remoteAddress: string) =>
      app.inject({
        method: 'POST',
        url: cam.alarmUrl,
        remoteAddress,
        headers: { 'content-type': 'application/xml', 'x-device-key': key },
        payload: isapi(),
      });
    for (let i = 0; i < 100; i++)
      expect((await post(`guess-${i}`, '10.66.0.1')).statusCode).toBe(401);
    const locked = await post(cam.key, '10.66.0.1');
    expect([locked.statusCode, locked.json().field]).toEqual([429, 'x-device-key']);
    expect((await post(cam.key, '10.66.0.2')).statusCode).toBe(202);
  });

  it('takes a GB/T 28181 Notify (at the camera, no bearing) and the JSON form (bearing and distance)', async () => {
    const cam = await register();
    const gb = await app.inject({
      method: 'POST',
      url: cam.alarmUrl,
      headers: { 'content-type': 'application/MANSCDP+xml', 'x-device-key': cam.key },
      payload: GB28181.replace(
        /<AlarmTime>.*<\/AlarmTime>/,
        `<AlarmTime>${now().slice(0, 19)}</AlarmTime>`,
      ),
    });
    expect(gb.statusCode).toBe(202);
    expect(gb.json().position).toMatchObject({ lon: 109.8, lat: 27.87, method: 'camera' });
    expect(gb.json().bearingDeg).toBeNull();
    const json = await app.inject({
      method: 'POST',
      url: cam.alarmUrl,
      headers: { 'x-device-key': cam.key },
      payload: {
        observedAt: new Date().toISOString(),
        bearingDeg: 250,
        distanceM: 1800,
        picture: JPEG.toString('base64'),
      },
    });
    expect(json.statusCode).toBe(202);
    expect(json.json().position.method).toBe('distance');
  });

  it('queues each unconfirmed alarm for those who may confirm it; confirmed and dismissed ones leave the queue and count in the camera’s false-alarm rate', async () => {
    const cam = await register();
    const auth = (who: string) => ({ authorization: `Bearer ${tokens.get(who)}` });
    const post = (bearingDeg: number) =>
      app.inject({
        method: 'POST',
        url: cam.alarmUrl,
        headers: { 'x-device-key': cam.key },
        // 4 km out, away from the other tests' fires, so each alarm is its own incident.
        payload: {
          observedAt: new Date().toISOString(),
          bearingDeg,
          distanceM: 4000,
          picture: JPEG.toString('base64'),
        },
      });
    const first = { incidentId: await incidentOf((await post(90)).json().reportUuid) };
    const queueOf = async (who: string) =>
      (
        await app.inject({ method: 'GET', url: '/api/camera-alarms/queue', headers: auth(who) })
      ).json() as {
        incident: { id: string };
        confidence: string;
        photoUrls: string[];
        bearingDeg: number;
        camera: { id: string };
      }[];
    const mine = (await queueOf('county')).find((q) => q.incident.id === first.incidentId);
    expect(mine).toMatchObject({ confidence: 'to_verify', bearingDeg: 90, camera: { id: cam.id } });
    expect(mine?.photoUrls).toHaveLength(1);
    expect((await queueOf('viewer')).some((q) => q.incident.id === first.incidentId)).toBe(false);
    const anon = await app.inject({ method: 'GET', url: '/api/camera-alarms/queue' });
    expect(anon.statusCode).toBe(401);

    const move = (id: string, to: string) =>
      app.inject({
        method: 'POST',
        url: `/api/incidents/${id}/transitions`,
        headers: auth('county'),
        payload: { to },
      });
    expect((await move(first.incidentId, 'verifying')).statusCode).toBe(200);
    expect((await move(first.incidentId, 'confirmed')).statusCode).toBe(200);
    const second = { incidentId: await incidentOf((await post(270)).json().reportUuid) };
    expect(second.incidentId).not.toBe(first.incidentId);
    await move(second.incidentId, 'verifying');
    await move(second.incidentId, 'false_alarm');
    const left = await queueOf('county');
    expect(left.some((q) => [first.incidentId, second.incidentId].includes(q.incident.id))).toBe(
      false,
    );

    const rates = await app.inject({
      method: 'GET',
      url: '/api/camera-alarms/rates?weeks=2',
      headers: auth('county'),
    });
    const row = rates.json().find((r: { cameraId: string }) => r.cameraId === cam.id);
    expect(row).toMatchObject({ alarms: 2, falseAlarms: 1, confirmed: 1, falseAlarmRate: 0.5 });
    const ranger = await app.inject({
      method: 'GET',
      url: '/api/camera-alarms/rates',
      headers: auth('ranger'),
    });
    expect(ranger.statusCode).toBe(403);
  });
});

describe(`cameras that see one smoke, on the ${testBackend()} backend`, () => {
  // The smoke stands at P; two towers south-west and south-east of it. Their bearings to P
  // come from GeographicLib's inverse geodesic problem, so the fix must land back on P.
  const P = { lon: 109.72, lat: 27.82 };
  const towers: [{ lon: number; lat: number }, { lon: number; lat: number }] = [
    { lon: 109.7, lat: 27.8 },
    { lon: 109.745, lat: 27.795 },
  ];
  const toP = (from: { lon: number; lat: number }) => {
    const g = geodesic.Geodesic.WGS84.Inverse(from.lat, from.lon, P.lat, P.lon);
    return { bearingDeg: ((g.azi1 as number) + 360) % 360, distanceM: g.s12 as number };
  };
  const auth = (who: string) => ({ authorization: `Bearer ${tokens.get(who)}` });
  const alarm = (cam: { key: string; alarmUrl: string }, at: { lon: number; lat: number }) =>
    app.inject({
      method: 'POST',
      url: cam.alarmUrl,
      headers: { 'x-device-key': cam.key },
      payload: {
        observedAt: new Date().toISOString(),
        ...toP(at),
        picture: JPEG.toString('base64'),
      },
    });

  it('intersects the bearings of two cameras whose alarms joined one fire: the fix lies on the smoke and its 95 % ellipse holds it', async () => {
    const [a, b] = [await register(towers[0]), await register(towers[1])];
    const first = await incidentOf((await alarm(a, towers[0])).json().reportUuid);
    // One camera: no fix, and the answer says why.
    const alone = await app.inject({
      method: 'GET',
      url: `/api/incidents/${first}/bearing-fix`,
      headers: auth('county'),
    });
    expect(alone.statusCode).toBe(200);
    expect(alone.json()).toMatchObject({
      fix: null,
      outline: null,
      bearings: [{ stationId: a.id, kind: 'camera' }],
    });
    expect(alone.json().reason).toMatch(/two or more bearings/);

    const second = await incidentOf((await alarm(b, towers[1])).json().reportUuid);
    expect(second).toBe(first);
    const res = await app.inject({
      method: 'GET',
      url: `/api/incidents/${first}/bearing-fix`,
      headers: auth('county'),
    });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.bearings.map((x: { stationId: string }) => x.stationId).sort()).toEqual(
      [a.id, b.id].sort(),
    );
    const missM = geodesic.Geodesic.WGS84.Inverse(body.fix.lat, body.fix.lon, P.lat, P.lon)
      .s12 as number;
    expect(missM).toBeLessThan(1);
    // Two bearings ±0.5° (1 σ) from 2.3 and 3.5 km: a 95 % ellipse of tens of metres.
    expect(body.fix.ellipse.semiMajorM).toBeGreaterThan(10);
    expect(body.fix.ellipse.semiMajorM).toBeLessThan(500);
    expect(booleanPointInPolygon([P.lon, P.lat], body.outline.geometry as Polygon)).toBe(true);

    // The operator's queue shows the fix, and from each camera's alarm the other camera:
    // which way to turn it (its azimuth to the alarm's place) and its picture.
    const queue = (
      await app.inject({ method: 'GET', url: '/api/camera-alarms/queue', headers: auth('county') })
    ).json() as {
      camera: { id: string };
      incident: { id: string };
      position: { lon: number; lat: number };
      fix: { lon: number; lat: number } | null;
      fixBearings: number;
      otherCameras: { id: string; bearingDeg: number; photoUrls: string[] }[];
    }[];
    const fromA = queue.find((q) => q.camera.id === a.id && q.incident.id === first);
    expect(fromA?.fixBearings).toBe(2);
    expect(fromA?.fix?.lon).toBeCloseTo(body.fix.lon, 9);
    const other = fromA?.otherCameras.find((o) => o.id === b.id);
    const turn = geodesic.Geodesic.WGS84.Inverse(
      towers[1].lat,
      towers[1].lon,
      fromA?.position.lat as number,
      fromA?.position.lon as number,
    );
    const expected = ((turn.azi1 as number) + 360) % 360;
    expect(Math.abs((((other?.bearingDeg as number) - expected + 540) % 360) - 180)).toBeLessThan(
      0.11,
    );
    expect(other?.photoUrls).toHaveLength(1);
    expect(other?.photoUrls[0]).toMatch(/^\/api\/photos\/\d+$/);
  });

  it('gives no fix for bearings that meet nowhere, and reads the fix only for the fire’s readers', async () => {
    // Two towers 1 km apart on one meridian, both looking due east: parallel sight lines.
    const due = async (cam: { key: string; alarmUrl: string }) => {
      const res = await app.inject({
        method: 'POST',
        url: cam.alarmUrl,
        headers: { 'x-device-key': cam.key },
        payload: { observedAt: new Date().toISOString(), bearingDeg: 90, distanceM: 2000 },
      });
      return incidentOf(res.json().reportUuid);
    };
    const first = await due(await register({ lon: 109.66, lat: 27.76 }));
    const second = await due(await register({ lon: 109.66, lat: 27.769 }));
    expect(second).toBe(first);
    const res = await app.inject({
      method: 'GET',
      url: `/api/incidents/${first}/bearing-fix`,
      headers: auth('county'),
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ fix: null, outline: null });
    expect(res.json().bearings).toHaveLength(2);
    expect(res.json().reason).toBeTruthy();
    const anon = await app.inject({ method: 'GET', url: `/api/incidents/${first}/bearing-fix` });
    expect(anon.statusCode).toBe(401);
    const missing = await app.inject({
      method: 'GET',
      url: '/api/incidents/00000000-0000-4000-8000-000000000000/bearing-fix',
      headers: auth('county'),
    });
    expect([missing.statusCode, missing.json().field]).toEqual([404, 'id']);
  });
});
