/**
 * Report and camera photos over HTTP: streamed to disk, refused whole when oversize, held to
 * a daily quota per address without sign-in, refused (never the report) when the disk runs
 * low, and written again by a resend when the stored file went missing.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, buildApp } from '../app.ts';
import type { Database } from '../db/database.ts';
import { signIn } from '../testing/demo-sessions.ts';
import { newSmallCounty, newSmallCountyUsers } from '../testing/factories.ts';
import { multipartBody, ONE_PIXEL_PNG } from '../testing/multipart.ts';
import { openTestDatabase, testBackend } from '../testing/test-database.ts';

const FIXTURES = path.resolve(import.meta.dirname, '../domain/cameras/fixtures');
const ISAPI = fs.readFileSync(path.join(FIXTURES, 'isapi-fire-detection.xml'), 'utf8');

let database: Database;
const apps: { app: App; dataDir: string }[] = [];
beforeAll(async () => {
  database = await openTestDatabase();
  await newSmallCountyUsers(database, await newSmallCounty(database));
}, 120_000);
afterAll(async () => {
  for (const { app, dataDir } of apps) {
    await app.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  await database?.close();
});

/** An app on the shared database with its own photos directory, rate counters and settings. */
async function photoApp(settings: Partial<Parameters<typeof buildApp>[0]['config']> = {}) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fire-photos-'));
  const app = await buildApp({
    config: {
      logLevel: 'silent',
      bodyLimitBytes: 10 * 1_048_576,
      dataDir,
      publicReportsPerHour: 1000,
      publicReportsTotalPerHour: 10_000,
      ...settings,
    },
    database: { ...database, close: async () => {} },
    startBreachClock: false,
  });
  await app.ready();
  apps.push({ app, dataDir });
  const photosDir = path.join(dataDir, 'photos');
  return {
    app,
    photosDir,
    /** Files left in the upload area. */
    incoming: () => {
      const dir = path.join(photosDir, 'incoming');
      return fs.existsSync(dir) ? fs.readdirSync(dir) : [];
    },
    /** Photo files stored by content hash. */
    stored: () =>
      fs.existsSync(photosDir)
        ? (fs.readdirSync(photosDir, { recursive: true }) as string[]).filter((f) =>
            /\.(png|jpg|webp)$/.test(f),
          )
        : [],
  };
}

/** A PNG (by its magic bytes) of `size` bytes, different every time. */
const png = (size: number) =>
  Buffer.concat([ONE_PIXEL_PNG, crypto.randomBytes(size - ONE_PIXEL_PNG.length)]);

/**
 * Report `n` at its own place, 1.2 km or more from every other (a lattice over 兰里镇 and
 * 高村镇), so no report joins another's fire.
 */
function report(n: number, over: Record<string, unknown> = {}) {
  const lon = 109.60625 + (n % 20) * 0.0125;
  const lat = 27.8225 + (Math.floor(n / 20) % 4) * 0.0125;
  return {
    clientUuid: crypto.randomUUID(),
    source: 'public',
    position: { lon, lat, accuracyM: 20 },
    observedAt: new Date().toISOString(),
    note: '看到山上冒烟',
    ...over,
  };
}

/** POST /api/reports as multipart with `photos`, from an address, signed in or not. */
function send(
  app: App,
  body: Record<string, unknown>,
  photos: Buffer[],
  opts: { address?: string; token?: string } = {},
) {
  const mp = multipartBody([
    { name: 'report', value: JSON.stringify(body) },
    ...photos.map((p, i) => ({
      name: 'photos',
      value: p,
      filename: `p${i}.png`,
      type: 'image/png',
    })),
  ]);
  return app.inject({
    method: 'POST',
    url: '/api/reports',
    payload: mp.payload,
    headers: {
      ...mp.headers,
      ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
    },
    remoteAddress: opts.address ?? '10.9.0.1',
  });
}

async function reportRow(clientUuid: string) {
  const [row] = await database.query<{ id: number; photos: number }>(sql`
    SELECT r.id, (SELECT count(*)::int FROM report_photos p WHERE p.report_id = r.id) AS photos
    FROM incident_reports r WHERE r.client_uuid = ${clientUuid}::uuid`);
  return row ? { id: Number(row.id), photos: Number(row.photos) } : null;
}

describe(`report photos on the ${testBackend()} backend`, () => {
  it('streams a 6 MB photo to its content-hash path and leaves no temporary file', async () => {
    const { app, photosDir, incoming } = await photoApp();
    const photo = png(6 * 1_048_576);
    const body = report(100);
    const res = await send(app, body, [photo]);
    expect(res.statusCode).toBe(201);
    expect(res.json().photos).toEqual([{ stored: true }]);
    const sha = crypto.createHash('sha256').update(photo).digest('hex');
    const file = path.join(photosDir, sha.slice(0, 2), `${sha}.png`);
    expect(Buffer.compare(fs.readFileSync(file), photo)).toBe(0);
    expect(incoming()).toEqual([]);
    expect((await reportRow(body.clientUuid))?.photos).toBe(1);
  });

  it('refuses an oversize photo with 413 naming photos: no report, no temporary file, no photo', async () => {
    const { app, incoming, stored } = await photoApp({ maxPhotoBytes: 64 * 1024 });
    const before = await database.query<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM incident_reports`,
    );
    // The first photo fits and is already on disk when the second turns out too large.
    const body = report(110);
    const res = await send(app, body, [png(10_000), png(200 * 1024)]);
    expect(res.statusCode).toBe(413);
    expect(res.json().field).toBe('photos');
    expect(await reportRow(body.clientUuid)).toBeNull();
    const after = await database.query<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM incident_reports`,
    );
    expect(after[0]?.n).toBe(before[0]?.n);
    expect(incoming()).toEqual([]);
    expect(stored()).toEqual([]);
  });

  it('keeps the report but refuses photos past the daily quota of an address; another address, and a signed-in user, are not held back', async () => {
    const { app, stored, incoming } = await photoApp({
      publicPhotosPerDay: 2,
      publicPhotoBytesPerDay: 300_000,
    });
    const outcomes = [];
    for (let i = 0; i < 3; i++)
      outcomes.push((await send(app, report(120), [png(2000)], { address: '10.9.1.1' })).json());
    expect(outcomes.map((o) => o.photos[0].stored)).toEqual([true, true, false]);
    const refused = outcomes[2];
    expect(refused.created).toBe(true);
    expect(refused.photos[0].reason).toBe('quota');
    expect(refused.photos[0].message).toMatch(/sign in/);
    expect(refused.incidentId).toBeTruthy();
    const [row] = await database.query<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM report_photos WHERE report_id = ${refused.reportId}`,
    );
    expect(row?.n).toBe(0);
    expect(stored()).toHaveLength(2);

    // Bytes: 200 kB fits, the next 200 kB does not (it is cut off as it arrives).
    const big = await send(app, report(121), [png(200_000)], { address: '10.9.1.2' });
    expect(big.json().photos).toEqual([{ stored: true }]);
    const over = await send(app, report(121), [png(200_000)], { address: '10.9.1.2' });
    expect(over.statusCode).toBe(201);
    expect(over.json().photos[0]).toMatchObject({ stored: false, reason: 'quota' });

    // Another address has its own quota; a signed-in ranger has none.
    expect(
      (await send(app, report(122), [png(2000)], { address: '10.9.1.3' })).json().photos,
    ).toEqual([{ stored: true }]);
    const token = await signIn(app, 'ranger');
    const signedIn = await send(app, report(123, { source: 'ranger' }), [png(2000)], {
      address: '10.9.1.1',
      token,
    });
    expect(signedIn.statusCode).toBe(201);
    expect(signedIn.json().photos).toEqual([{ stored: true }]);
    expect(incoming()).toEqual([]);
  });

  it('lets ten reports sent at once from one address keep no more photos than the quota', async () => {
    const { app, stored, incoming } = await photoApp({
      publicPhotosPerDay: 100,
      publicPhotoBytesPerDay: 3 * 1_048_576,
    });
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        send(app, report(130 + i), [png(1_048_576)], { address: '10.9.2.1' }),
      ),
    );
    expect(answers.map((a) => a.statusCode)).toEqual(Array(10).fill(201));
    const kept = answers.filter((a) => a.json().photos[0].stored).length;
    expect(kept).toBeGreaterThanOrEqual(2);
    expect(kept).toBeLessThanOrEqual(3);
    expect(stored()).toHaveLength(kept);
    expect(incoming()).toEqual([]);
  });

  it('refuses photos, never the report, when the disk is below MIN_FREE_DISK_MB', async () => {
    const { app, stored, incoming } = await photoApp({ minFreeDiskMb: 1_000_000_000 });
    const token = await signIn(app, 'ranger');
    const body = report(140, { source: 'ranger' });
    const res = await send(app, body, [png(5000)], { token });
    expect(res.statusCode).toBe(201);
    expect(res.json().photos[0]).toMatchObject({ stored: false, reason: 'low_disk' });
    expect(await reportRow(body.clientUuid)).toMatchObject({ photos: 0 });
    expect(stored()).toEqual([]);
    expect(incoming()).toEqual([]);
  });

  it('writes a photo again when the same report is resent and its file is missing', async () => {
    const { app, photosDir, incoming } = await photoApp();
    const token = await signIn(app, 'ranger');
    const photo = png(30_000);
    const body = report(150, { source: 'ranger' });
    const first = await send(app, body, [photo], { token });
    expect(first.statusCode).toBe(201);
    const [p] = await database.query<{ id: number; storage_path: string }>(sql`
      SELECT id, storage_path FROM report_photos WHERE report_id = ${first.json().reportId}`);
    const file = path.join(photosDir, String(p?.storage_path));
    fs.rmSync(file);
    const get = () =>
      app.inject({
        method: 'GET',
        url: `/api/photos/${p?.id}`,
        headers: { authorization: `Bearer ${token}` },
      });
    expect((await get()).statusCode).toBe(404);

    const again = await send(app, body, [photo], { token });
    expect(again.statusCode).toBe(200);
    expect(again.json().photos).toEqual([{ stored: true }]);
    expect(Buffer.compare(fs.readFileSync(file), photo)).toBe(0);
    expect((await get()).statusCode).toBe(200);
    expect((await reportRow(body.clientUuid))?.photos).toBe(1);
    expect(incoming()).toEqual([]);
  });

  it('answers a resend of a report whose photo the quota refused 200, not 409, and does not add the photo later', async () => {
    const tight = await photoApp({ publicPhotosPerDay: 0 });
    const body = report(160);
    const photo = png(4000);
    const first = await send(tight.app, body, [photo], { address: '10.9.3.1' });
    expect(first.statusCode).toBe(201);
    expect(first.json().photos[0].reason).toBe('quota');
    // A node with quota to spare gets the resend: same report, photo not added after the fact.
    const roomy = await photoApp();
    const again = await send(roomy.app, body, [photo], { address: '10.9.3.1' });
    expect(again.statusCode).toBe(200);
    expect(again.json().reportId).toBe(first.json().reportId);
    expect(again.json().photos[0]).toMatchObject({ stored: false, reason: 'not_in_first_send' });
    expect(roomy.stored()).toEqual([]);
    expect(roomy.incoming()).toEqual([]);
  });
});

describe(`camera alarm pictures on the ${testBackend()} backend`, () => {
  const time = () => `${new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 19)}+08:00`;
  async function camera(app: App, id: string) {
    const res = await app.inject({
      method: 'POST',
      url: '/api/cameras',
      headers: { authorization: `Bearer ${await signIn(app, 'county')}` },
      payload: { id, name: id, lon: 109.8, lat: 27.87, heightM: 40, headingDeg: 10 },
    });
    expect(res.statusCode).toBe(201);
    return res.json() as { key: string; alarmUrl: string };
  }
  const alarm = (app: App, cam: { key: string; alarmUrl: string }, picture: Buffer) => {
    const mp = multipartBody([
      {
        name: 'alarm',
        value: ISAPI.replace(/<dateTime>.*<\/dateTime>/, `<dateTime>${time()}</dateTime>`),
        type: 'application/xml',
      },
      { name: 'picture', value: picture, filename: 'p.jpg', type: 'image/jpeg' },
    ]);
    return app.inject({
      method: 'POST',
      url: cam.alarmUrl,
      payload: mp.payload,
      headers: { ...mp.headers, 'x-device-key': cam.key },
    });
  };

  it('holds pictures to MAX_PHOTO_BYTES (413, nothing left) and the disk guard (alarm reported without it), with no daily quota', async () => {
    const small = await photoApp({ maxPhotoBytes: 64 * 1024, publicPhotosPerDay: 0 });
    const cam = await camera(small.app, 'CAM-P1');
    const tooBig = await alarm(small.app, cam, png(100 * 1024));
    expect(tooBig.statusCode).toBe(413);
    expect(tooBig.json().field).toBe('picture');
    expect(small.incoming()).toEqual([]);
    expect(small.stored()).toEqual([]);
    // A device is not held to the anonymous quota (0 here).
    const fits = await alarm(small.app, cam, png(10 * 1024));
    // Answered once stored (202); its report is made behind the answer.
    expect(fits.statusCode).toBe(202);
    expect(fits.json().photos).toEqual([{ stored: true }]);

    const full = await photoApp({ minFreeDiskMb: 1_000_000_000 });
    const cam2 = await camera(full.app, 'CAM-P2');
    const res = await alarm(full.app, cam2, png(10 * 1024));
    expect(res.statusCode).toBe(202);
    expect(res.json().state).toBe('stored');
    // The alarm still becomes its report, without the picture the disk had no room for.
    await full.app.cameraAlarmFusion.idle();
    const [made] = await full.app.database.query<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM incident_reports WHERE client_uuid = ${res.json().reportUuid}::uuid`,
    );
    expect(Number(made?.n)).toBe(1);
    expect(res.json().photos[0]).toMatchObject({ stored: false, reason: 'low_disk' });
    expect(full.stored()).toEqual([]);
    expect(full.incoming()).toEqual([]);
  });
});
