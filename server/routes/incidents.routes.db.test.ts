/**
 * Reports and incidents over HTTP on both backends: idempotency on the client UUID, 409 on
 * changed content, 200 concurrent reports, merge rules, the state machine, photos, bad input.
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
import { newSmallCounty, newSmallCountyUsers, TEST_PASSWORD } from '../testing/factories.ts';
import { multipartBody, ONE_PIXEL_PNG } from '../testing/multipart.ts';
import { fixedRateClock } from '../testing/rate-clock.ts';
import { openTestDatabase, testBackend } from '../testing/test-database.ts';

/** The small county's grids in code order, each with a point inside it (see gridPoint). */
let grids: { code: string; lon: number; lat: number }[] = [];

let database: Database;
let app: App;
let dataDir: string;
beforeAll(async () => {
  database = await openTestDatabase();
  await newSmallCountyUsers(database, await newSmallCounty(database));
  grids = (
    await database.query<{ code: string; lon: number; lat: number }>(sql`
      SELECT code, ST_X(ST_PointOnSurface(geom)) AS lon, ST_Y(ST_PointOnSurface(geom)) AS lat
      FROM grids ORDER BY code`)
  ).map((g) => ({ code: g.code, lon: Number(g.lon), lat: Number(g.lat) }));
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fire-reports-'));
  app = await buildApp({
    config: {
      logLevel: 'silent',
      bodyLimitBytes: 10 * 1_048_576,
      dataDir,
      publicReportsPerHour: 3,
      maxPhotos: 2,
    },
    database,
    startBreachClock: false,
    rateClock: fixedRateClock,
  });
  await app.ready();
  const login = await app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { username: 'county', password: TEST_PASSWORD, client: 'field' },
  });
  countyToken = login.json().token;
  rangerToken = await signIn(app, 'ranger');
}, 120_000);

/** The county command centre moves incidents in these tests (see dispatch tests for who may). */
let countyToken = '';
const commander = () => ({ authorization: `Bearer ${countyToken}` });
/** Reports come from a signed-in ranger unless a test says otherwise. */
let rangerToken = '';
const ranger = () => ({ authorization: `Bearer ${rangerToken}` });
afterAll(async () => {
  await app?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** A point inside the n-th grid (each test its own grid, 1.5 km or more from the others'). */
function gridPoint(n: number) {
  const g = grids[n] as (typeof grids)[number];
  return { lon: g.lon, lat: g.lat, grid: g };
}

/** The n-th point of a 2 km lattice over the whole county (in a township or not). */
function spot(n: number) {
  return { lon: 109.56 + (n % 26) * 0.02, lat: 27.56 + (Math.floor(n / 26) % 24) * 0.02 };
}

/** Moves a point by metres east / north. */
const offset = (lon: number, lat: number, east: number, north: number): [number, number] => [
  lon + east / (111_320 * Math.cos((lat * Math.PI) / 180)),
  lat + north / 110_574,
];

function report(lon: number, lat: number, over: Record<string, unknown> = {}) {
  return {
    clientUuid: crypto.randomUUID(),
    source: 'ranger',
    position: { lon, lat, accuracyM: 12 },
    observedAt: new Date().toISOString(),
    note: '山顶有烟',
    ...over,
  };
}

/** An incident's detail as the county command centre reads it. */
const detailOf = async (id: string) =>
  (await app.inject({ method: 'GET', url: `/api/incidents/${id}`, headers: commander() })).json();

/** A second app on the same database with other report settings (close it when done). */
async function otherApp(settings: Partial<Parameters<typeof buildApp>[0]['config']>) {
  const other = await buildApp({
    config: { logLevel: 'silent', bodyLimitBytes: 65536, dataDir, ...settings },
    database: { ...database, close: async () => {} },
    startBreachClock: false,
  });
  await other.ready();
  return other;
}

const post = (body: unknown, headers: Record<string, string> = ranger()) =>
  app.inject({ method: 'POST', url: '/api/reports', payload: body as object, headers });

async function count(table: 'incident_reports' | 'incidents' | 'incident_events'): Promise<number> {
  const [r] = await database.query<{ n: number }>(
    sql`SELECT count(*)::int AS n FROM ${sql.identifier(table)}`,
  );
  return Number(r?.n);
}

describe(`POST /api/reports on the ${testBackend()} backend`, () => {
  it('opens an incident in the grid, village, township and war zone the point lies in', async () => {
    const { lon, lat, grid } = gridPoint(1);
    const res = await post(report(lon, lat));
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body.created).toBe(true);
    const inc = body.incident;
    expect(inc.gridCode).toBe(grid.code);
    // The small county's plan (factories.ts): 2nd grid of 锦和镇's west village 锦和西村.
    expect(grid.code).toBe('431226101201002');
    expect(inc.villageName).toBe('锦和西村');
    expect(inc.townshipName).toBe('锦和镇');
    expect(inc.warZoneName).toBe('锦和战区');
    expect(inc.state).toBe('reported');
    const first = Date.parse(inc.firstReportedAt);
    expect(Date.parse(inc.deadlines.arrive) - first).toBe(10 * 60_000);
    expect(Date.parse(inc.deadlines.extinguish) - first).toBe(30 * 60_000);
    const list = (await app.inject({ method: 'GET', url: '/api/incidents' })).json();
    expect(list.incidents.map((i: { id: string }) => i.id)).toContain(body.incidentId);
  });

  it('answers a resend with the first result and stores nothing more; other content → 409', async () => {
    const { lon, lat } = gridPoint(2);
    const r = report(lon, lat);
    const first = await post(r);
    const before = [await count('incident_reports'), await count('incident_events')];
    const again = await post(r);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({
      created: false,
      reportId: first.json().reportId,
      incidentId: first.json().incidentId,
    });
    const changed = await post({ ...r, note: '明火' });
    expect(changed.statusCode).toBe(409);
    expect(changed.json().field).toBe('clientUuid');
    expect([await count('incident_reports'), await count('incident_events')]).toEqual(before);
  });

  it('stores 200 concurrent reports, and exactly one of 50 concurrent copies of one', async () => {
    const before = await count('incident_reports');
    const bodies = Array.from({ length: 200 }, (_, i) => {
      const { lon, lat } = spot(100 + i * 3);
      return report(lon, lat);
    });
    const results = await Promise.all(bodies.map((b) => post(b)));
    expect(results.map((r) => r.statusCode).filter((s) => s !== 201)).toEqual([]);
    expect(await count('incident_reports')).toBe(before + 200);
    const same = report(...(Object.values(gridPoint(12)).slice(0, 2) as [number, number]));
    const copies = await Promise.all(Array.from({ length: 50 }, () => post(same)));
    expect(copies.filter((r) => r.statusCode === 201)).toHaveLength(1);
    expect(copies.filter((r) => r.statusCode === 200)).toHaveLength(49);
    expect(new Set(copies.map((r) => r.json().reportId)).size).toBe(1);
    // One sequence, no gaps among this file's events.
    const seqs = (
      await database.query<{ seq: number }>(sql`SELECT seq FROM incident_events ORDER BY seq`)
    ).map((r) => Number(r.seq));
    for (let i = 1; i < seqs.length; i++) expect(seqs[i]).toBeGreaterThan(seqs[i - 1] as number);
  }, 120_000);

  it('merges reports of one fire and keeps others apart (distance, time window, false alarm)', async () => {
    const { lon, lat } = gridPoint(4);
    const t0 = Date.now() - 240 * 60_000;
    const at = (min: number) => new Date(t0 + min * 60_000).toISOString();
    const a = (await post(report(lon, lat, { observedAt: at(0) }))).json();
    const near = (
      await post(
        report(...offset(lon, lat, 300, 200), {
          observedAt: at(20),
          source: 'lookout',
          bearingDeg: 45,
        }),
      )
    ).json();
    expect(near.incidentId).toBe(a.incidentId);
    expect(near.incident.reportCount).toBe(2);
    const far = (await post(report(...offset(lon, lat, 3000, 0), { observedAt: at(21) }))).json();
    expect(far.incidentId).not.toBe(a.incidentId);
    const late = (
      await post(
        report(lon, lat, {
          observedAt: new Date(t0 + 200 * 60_000 - 60 * 60_000 * 2).toISOString(),
        }),
      )
    ).json();
    // 80 min after the first is inside the 90-min window: still the same fire.
    expect(late.incidentId).toBe(a.incidentId);
    // 100 min after its latest report (beyond the 90-min window), the same place is a new fire.
    const another = (await post(report(lon, lat, { observedAt: at(80 + 100) }))).json();
    expect(another.incidentId).not.toBe(a.incidentId);
    // A report queued offline that saw it earlier moves the clock's start back.
    const earlier = (
      await post(report(lon, lat, { observedAt: new Date(t0 - 5 * 60_000).toISOString() }))
    ).json();
    expect(earlier.incidentId).toBe(a.incidentId);
    expect(Date.parse(earlier.incident.firstReportedAt)).toBe(t0 - 5 * 60_000);

    const { lon: lon2, lat: lat2 } = gridPoint(5);
    const b = (await post(report(lon2, lat2))).json();
    await app.inject({
      method: 'POST',
      url: `/api/incidents/${b.incidentId}/transitions`,
      headers: commander(),
      payload: { to: 'verifying' },
    });
    await app.inject({
      method: 'POST',
      url: `/api/incidents/${b.incidentId}/transitions`,
      headers: commander(),
      payload: { to: 'false_alarm' },
    });
    const after = (await post(report(lon2, lat2))).json();
    expect(after.incidentId).not.toBe(b.incidentId);
  });

  it('says how far a fire is believed: a public report alone is probable, a ranger joining makes it likely', async () => {
    const { lon, lat } = gridPoint(6);
    const alone = (
      await app.inject({
        method: 'POST',
        url: '/api/reports',
        // Its own address, so the per-address limit other tests count on is untouched.
        remoteAddress: '10.42.0.7',
        payload: report(lon, lat, { source: 'public' }),
      })
    ).json();
    expect(alone.incident.confidence).toBe('probable');
    const seen = (await post(report(...offset(lon, lat, 150, 0)))).json();
    expect(seen.incidentId).toBe(alone.incidentId);
    expect(seen.incident.confidence).toBe('likely');
    const listed = (
      await app.inject({ method: 'GET', url: '/api/incidents?open=true', headers: commander() })
    ).json().incidents as { id: string; confidence: string }[];
    expect(listed.find((i) => i.id === alone.incidentId)?.confidence).toBe('likely');
  });

  it('refuses bad input naming the field, and writes nothing', async () => {
    const before = [
      await count('incident_reports'),
      await count('incidents'),
      await count('incident_events'),
    ];
    const { lon, lat } = gridPoint(0);
    const cases: [unknown, number, string][] = [
      [report(110.5, 27.8), 422, 'position'],
      [report(lon, lat, { position: { lon: 'x', lat } }), 400, 'position.lon'],
      [report(lon, lat, { clientUuid: 'not-a-uuid' }), 400, 'clientUuid'],
      [report(lon, lat, { source: 'drone' }), 400, 'source'],
      [report(lon, lat, { bearingDeg: 360 }), 400, 'bearingDeg'],
      [report(lon, lat, { note: 'x'.repeat(2001) }), 400, 'note'],
      [
        report(lon, lat, { observedAt: new Date(Date.now() + 3_600_000).toISOString() }),
        422,
        'observedAt',
      ],
      [report(lon, lat, { extra: 1 }), 400, 'extra'],
      [{ ...report(lon, lat), clientUuid: undefined }, 400, 'clientUuid'],
    ];
    for (const [body, status, field] of cases) {
      const res = await post(body);
      expect(res.statusCode, JSON.stringify(body)).toBe(status);
      expect(res.json().field).toBe(field);
    }
    const malformed = await app.inject({
      method: 'POST',
      url: '/api/reports',
      payload: '{"clientUuid": ',
      headers: { 'content-type': 'application/json' },
    });
    expect(malformed.statusCode).toBe(400);
    expect([
      await count('incident_reports'),
      await count('incidents'),
      await count('incident_events'),
    ]).toEqual(before);
    // SQL and HTML in text are kept as text.
    const evil = report(lon, lat, {
      note: "<script>alert(1)</script>'); DROP TABLE incidents; --",
    });
    const ok = await post(evil);
    expect(ok.statusCode).toBe(201);
    const detail = await detailOf(ok.json().incidentId);
    expect(detail.reports.map((r: { note: string }) => r.note)).toContain(evil.note);
  });

  it('limits reports without sign-in per address and in total (429 naming source), never a signed-in one', async () => {
    const limited = await otherApp({ publicReportsPerHour: 3, publicReportsTotalPerHour: 5 });
    try {
      const from = async (address: string, headers: Record<string, string> = {}) => {
        const { lon, lat } = gridPoint(14);
        return limited.inject({
          method: 'POST',
          url: '/api/reports',
          payload: report(lon, lat, { source: 'public' }),
          headers,
          remoteAddress: address,
        });
      };
      const codes: number[] = [];
      for (let i = 0; i < 4; i++) codes.push((await from('10.0.0.1')).statusCode);
      expect(codes).toEqual([201, 201, 201, 429]);
      const refused = await from('10.0.0.1');
      expect(refused.json().field).toBe('source');
      expect(refused.headers['retry-after']).toBeDefined();
      // Another address has its own three, until all addresses together reach five.
      expect((await from('10.0.0.2')).statusCode).toBe(201);
      expect((await from('10.0.0.3')).statusCode).toBe(201);
      expect((await from('10.0.0.4')).statusCode).toBe(429);
      // A signed-in ranger is never held back by what the anonymous did.
      const token = await signIn(limited, 'ranger');
      expect((await from('10.0.0.1', { authorization: `Bearer ${token}` })).statusCode).toBe(201);
    } finally {
      await limited.close();
    }
  });

  it("keeps the clock: an anonymous report never moves a fire's first-report time; old and future times are refused", async () => {
    const { lon, lat } = gridPoint(12);
    const first = (await post(report(lon, lat))).json();
    const clockBefore = first.incident.firstReportedAt;
    const fourHoursAgo = new Date(Date.now() - 4 * 3_600_000 - 27 * 60_000).toISOString();
    const anon = await post(
      report(...offset(lon, lat, 50, 0), {
        source: 'public',
        observedAt: fourHoursAgo,
        reporterName: 'county',
      }),
      {},
    );
    expect(anon.statusCode).toBe(201);
    // Merged into the same fire, whose clock did not move.
    expect(anon.json().incidentId).toBe(first.incidentId);
    expect(anon.json().incident.firstReportedAt).toBe(clockBefore);
    expect(anon.json().incident.breached).toEqual([]);
    // Its timeline names the anonymous reporter as such, never as the name it chose.
    const detail = await detailOf(first.incidentId);
    const added = detail.timeline.find(
      (e: { payload: { reportId?: number } }) => e.payload.reportId === anon.json().reportId,
    );
    expect(added.actor).toBe('(anonymous)');
    // A new fire reported anonymously with an old time starts its clock on receipt.
    const elsewhere = gridPoint(13);
    const t0 = Date.now();
    const fresh = await post(
      report(elsewhere.lon, elsewhere.lat, { source: 'public', observedAt: fourHoursAgo }),
      {},
    );
    expect(fresh.statusCode).toBe(201);
    expect(Date.parse(fresh.json().incident.firstReportedAt)).toBeGreaterThanOrEqual(t0 - 1000);
    // Out of bounds for anyone, signed in or not: beyond MAX_OBSERVATION_AGE_HOURS or in the
    // future is a 422 of the domain; a date outside 1970–2100 is not a date at all (400).
    for (const [observedAt, status] of [
      ['1900-01-01T00:00:00Z', 400],
      [new Date(Date.now() - 73 * 3_600_000).toISOString(), 422],
      ['2099-01-01T00:00:00Z', 422],
      ['2101-01-01T00:00:00Z', 400],
    ] as const) {
      const res = await post(report(lon, lat, { observedAt }));
      expect(res.statusCode, observedAt).toBe(status);
      expect(res.json().field).toBe('observedAt');
    }
  });

  it('lists fires being fought before a flood of unverified reports, pages, and says how many there are', async () => {
    const flood = await otherApp({ publicReportsPerHour: 1000, publicReportsTotalPerHour: 1000 });
    try {
      const { lon, lat } = gridPoint(3);
      const real = (await post(report(lon, lat))).json().incidentId;
      await app.inject({
        method: 'POST',
        url: `/api/incidents/${real}/transitions`,
        headers: commander(),
        payload: { to: 'verifying' },
      });
      await app.inject({
        method: 'POST',
        url: `/api/incidents/${real}/transitions`,
        headers: commander(),
        payload: { to: 'confirmed' },
      });
      // 30 anonymous reports; most open an incident each, some merge with a neighbour's.
      const floodIds = new Set<string>();
      for (let i = 0; i < 30; i++) {
        const g = spot(120 + i * 20);
        const res = await flood.inject({
          method: 'POST',
          url: '/api/reports',
          payload: report(g.lon, g.lat, { source: 'public' }),
          remoteAddress: `10.1.0.${i}`,
        });
        expect(res.statusCode).toBe(201);
        floodIds.add(res.json().incidentId);
      }
      const all = (await flood.inject({ url: '/api/incidents?open=true&limit=1000' })).json();
      const page = (await flood.inject({ url: '/api/incidents?open=true&limit=5' })).json();
      expect(page.incidents).toHaveLength(5);
      expect(page.total).toBe(all.incidents.length);
      expect(page.total).toBeGreaterThan(30);
      // The confirmed fire is on the first page, ahead of every unverified report.
      const states = page.incidents.map((i: { state: string }) => i.state);
      expect(page.incidents.map((i: { id: string }) => i.id)).toContain(real);
      expect(states.indexOf('reported')).toBeGreaterThan(states.indexOf('confirmed'));
      // Every page together holds every open incident once.
      const ids = new Set<string>();
      for (let offset = 0; offset < page.total; offset += 5) {
        const p = (
          await flood.inject({ url: `/api/incidents?open=true&limit=5&offset=${offset}` })
        ).json();
        for (const i of p.incidents) ids.add(i.id);
      }
      expect(ids.size).toBe(page.total);
      const listed = all.incidents.filter((i: { id: string }) => floodIds.has(i.id));
      expect(listed).toHaveLength(floodIds.size);
      for (const i of listed) expect(i.sources).toContain('public');
      expect(
        listed.filter((i: { anonymousOnly: boolean }) => i.anonymousOnly).length,
      ).toBeGreaterThan(floodIds.size / 2);
      expect(all.incidents.find((i: { id: string }) => i.id === real).anonymousOnly).toBe(false);
      expect((await flood.inject({ url: '/api/incidents?limit=0' })).json().field).toBe('limit');
    } finally {
      await flood.close();
    }
  });
});

describe(`sign-in before parsing on the ${testBackend()} backend`, () => {
  it('answers an anonymous protected write 401 whatever its body, without parsing it', async () => {
    const { lon, lat } = gridPoint(11);
    const { incidentId } = (await post(report(lon, lat))).json();
    const before = await count('incident_events');
    // Nearly 10 MB of malformed JSON: parsed, it would be a 400; read at all, a cost.
    const junk = `{"to": "${'x'.repeat(10 * 1_000_000)}`;
    for (const [url, payload, type] of [
      [`/api/incidents/${incidentId}/transitions`, junk, 'application/json'],
      [`/api/incidents/${incidentId}/transitions`, '{"to":"verifying"}', 'application/json'],
      [`/api/incidents/${incidentId}/escalations`, 'not json at all', 'text/plain'],
    ] as const) {
      const res = await app.inject({
        method: 'POST',
        url,
        payload,
        headers: { 'content-type': type },
      });
      expect(res.statusCode, url).toBe(401);
      expect(res.json().field).toBe('authorization');
    }
    expect(await count('incident_events')).toBe(before);
  });
});

describe(`reports that need sign-in (REPORTS_NEED_SIGN_IN) on the ${testBackend()} backend`, () => {
  it('takes public reports from anyone and the other sources only from a signed-in account', async () => {
    // Sign-in for non-public sources is the default (REPORTS_NEED_SIGN_IN unset).
    const strict = await buildApp({
      config: { logLevel: 'silent', bodyLimitBytes: 65536, dataDir },
      database: { ...database, close: async () => {} },
      startBreachClock: false,
    });
    try {
      await strict.ready();
      const { lon, lat } = gridPoint(7);
      const before = await count('incident_reports');
      for (const source of ['ranger', 'lookout', 'camera', 'satellite']) {
        const refused = await strict.inject({
          method: 'POST',
          url: '/api/reports',
          payload: report(lon, lat, { source }),
        });
        expect(refused.statusCode, source).toBe(401);
        expect(refused.json().field).toBe('authorization');
      }
      expect(await count('incident_reports')).toBe(before);
      const villager = await strict.inject({
        method: 'POST',
        url: '/api/reports',
        payload: report(lon, lat, { source: 'public' }),
      });
      expect(villager.statusCode).toBe(201);
      const ranger = await strict.inject({
        method: 'POST',
        url: '/api/reports',
        payload: report(lon, lat),
        headers: { authorization: `Bearer ${await signIn(strict, 'ranger')}` },
      });
      expect(ranger.statusCode).toBe(201);
      expect(await count('incident_reports')).toBe(before + 2);
    } finally {
      await strict.close();
    }
  });
});

describe(`photos on the ${testBackend()} backend`, () => {
  const png = ONE_PIXEL_PNG;

  it('stores a PNG recognised by its bytes and serves it back', async () => {
    const { lon, lat } = gridPoint(8);
    const body = multipartBody([
      { name: 'report', value: JSON.stringify(report(lon, lat)) },
      { name: 'photos', value: png, filename: 'smoke.bin', type: 'application/octet-stream' },
    ]);
    const res = await app.inject({
      method: 'POST',
      url: '/api/reports',
      payload: body.payload,
      headers: { ...body.headers, ...ranger() },
    });
    expect(res.statusCode).toBe(201);
    const detail = await detailOf(res.json().incidentId);
    const photo = detail.reports.find((r: { id: number }) => r.id === res.json().reportId)
      .photos[0];
    expect(photo.mimeType).toBe('image/png');
    const img = await app.inject({
      method: 'GET',
      url: `/api/photos/${photo.id}`,
      headers: commander(),
    });
    expect(img.statusCode).toBe(200);
    expect(Buffer.compare(img.rawPayload, png)).toBe(0);
  });

  it('refuses a file that is not an image, and too many photos, writing nothing', async () => {
    const before = await count('incident_reports');
    const { lon, lat } = gridPoint(9);
    const fake = multipartBody([
      { name: 'report', value: JSON.stringify(report(lon, lat)) },
      {
        name: 'photos',
        value: Buffer.from('GIF89a not really'),
        filename: 'smoke.jpg',
        type: 'image/jpeg',
      },
    ]);
    const r1 = await app.inject({
      method: 'POST',
      url: '/api/reports',
      payload: fake.payload,
      headers: { ...fake.headers, ...ranger() },
    });
    expect(r1.statusCode).toBe(415);
    expect(r1.json().field).toBe('photos');
    const many = multipartBody([
      { name: 'report', value: JSON.stringify(report(lon, lat)) },
      ...[1, 2, 3].map((i) => ({
        name: 'photos',
        value: png,
        filename: `${i}.png`,
        type: 'image/png',
      })),
    ]);
    const r2 = await app.inject({
      method: 'POST',
      url: '/api/reports',
      payload: many.payload,
      headers: { ...many.headers, ...ranger() },
    });
    expect(r2.statusCode).toBe(413);
    const bad = multipartBody([{ name: 'report', value: '{not json' }]);
    expect(
      (
        await app.inject({
          method: 'POST',
          url: '/api/reports',
          payload: bad.payload,
          headers: { ...bad.headers, ...ranger() },
        })
      ).json().field,
    ).toBe('report');
    expect(await count('incident_reports')).toBe(before);
  });
});

describe(`incident state machine on the ${testBackend()} backend`, () => {
  it('walks the chain, refuses illegal moves with 409, and records every change as an event', async () => {
    const { lon, lat } = gridPoint(10);
    const { incidentId } = (await post(report(lon, lat))).json();
    const move = (to: string, extra: Record<string, unknown> = {}) =>
      app.inject({
        method: 'POST',
        url: `/api/incidents/${incidentId}/transitions`,
        headers: commander(),
        payload: { to, ...extra },
      });
    expect((await move('on_scene')).statusCode).toBe(409);
    for (const to of ['verifying', 'confirmed']) expect((await move(to)).statusCode, to).toBe(200);
    // Dispatched and on scene only through a crew: sent, then arrived.
    expect((await move('dispatched')).statusCode).toBe(409);
    const dispatchable = await app.inject({
      method: 'GET',
      url: `/api/incidents/${incidentId}/dispatchable`,
      headers: commander(),
    });
    const crewId = dispatchable.json().crews[0].id;
    const sent = await app.inject({
      method: 'POST',
      url: `/api/incidents/${incidentId}/dispatches`,
      headers: commander(),
      payload: { crewIds: [crewId] },
    });
    expect(sent.statusCode, sent.body).toBe(201);
    for (const status of ['acknowledged', 'on_scene'])
      expect(
        (
          await app.inject({
            method: 'POST',
            url: `/api/dispatches/${sent.json().dispatchIds[0]}/status`,
            headers: commander(),
            payload: { status },
          })
        ).statusCode,
        status,
      ).toBe(200);
    for (const to of ['controlled', 'extinguished'])
      expect((await move(to)).statusCode, to).toBe(200);
    expect((await move('controlled')).json().field).toBe('to');
    const noArea = await move('closed', { cause: '祭祀用火' });
    expect(noArea.statusCode).toBe(422);
    expect(noArea.json().field).toBe('burnedAreaHa');
    expect((await move('closed', { burnedAreaHa: 0.4 })).json().field).toBe('cause');
    expect((await move('closed', { burnedAreaHa: 0.4, cause: '祭祀用火' })).statusCode).toBe(200);
    expect((await move('reported')).statusCode).toBe(409);
    const detail = await detailOf(incidentId);
    expect(detail.state).toBe('closed');
    expect(detail.burnedAreaHa).toBe(0.4);
    expect(detail.cause).toBe('祭祀用火');
    const changes = detail.timeline.filter((e: { type: string }) => e.type === 'state_changed');
    expect(changes.map((e: { payload: { to: string } }) => e.payload.to)).toEqual([
      'verifying',
      'confirmed',
      'dispatched',
      'on_scene',
      'controlled',
      'extinguished',
      'closed',
    ]);
    for (let i = 1; i < detail.timeline.length; i++)
      expect(detail.timeline[i].seq).toBeGreaterThan(detail.timeline[i - 1].seq);
    expect(changes[0].actor).toBeTruthy();
    const unknown = await app.inject({
      method: 'POST',
      url: `/api/incidents/${crypto.randomUUID()}/transitions`,
      headers: commander(),
      payload: { to: 'verifying' },
    });
    expect(unknown.statusCode).toBe(404);
  });
});
