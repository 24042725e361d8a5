/**
 * OGC API – Features read by a real client: GDAL's OAPIF driver (`ogrinfo`, `ogr2ogr` from
 * Debian's gdal-bin) against the demo county served on a port. Expected counts and
 * geometries come from the database, not from our own responses.
 */
import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, buildApp } from '../app.ts';
import type { Database } from '../db/database.ts';
import { DEMO_COUNTY_DIR, loadCounty } from '../geodata/county-loader.ts';
import { seedDemoUsers } from '../geodata/demo-users.ts';
import { signIn } from '../testing/demo-sessions.ts';
import { fixedRateClock } from '../testing/rate-clock.ts';
import { openTestDatabase, testBackend } from '../testing/test-database.ts';
import { ANONYMOUS_ITEM_PAGES_PER_MINUTE } from './ogc.routes.ts';

// Async: the server answering GDAL runs in this same process.
const run = promisify(execFile);

let database: Database;
let app: App;
let base = '';
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ogc-'));
/**
 * Three fires reported at these times, at three townships' seats; the last one is closed.
 * Days back from today (UTC): a report may be at most MAX_OBSERVATION_AGE_HOURS (72) old.
 */
const DAY0 = new Date(Math.floor(Date.now() / 86_400_000) * 86_400_000 - 2 * 86_400_000);
const at = (days: number, hhmm: string) =>
  `${new Date(DAY0.getTime() + days * 86_400_000).toISOString().slice(0, 10)}T${hhmm}:00.000Z`;
const dayOf = (days: number) => at(days, '00:00').slice(0, 10);
const FIRES = [
  { observedAt: at(0, '02:00') },
  { observedAt: at(1, '05:30') },
  { observedAt: at(1, '08:00') },
];
const incidentIds: string[] = [];

beforeAll(async () => {
  database = await openTestDatabase();
  await loadCounty(database, DEMO_COUNTY_DIR);
  await seedDemoUsers(database);
  const seats = await database.query<{ lon: number; lat: number }>(
    sql`SELECT ST_X(seat) AS lon, ST_Y(seat) AS lat FROM townships ORDER BY code LIMIT 3`,
  );
  app = await buildApp({
    config: { logLevel: 'silent', bodyLimitBytes: 65536 },
    // The app closes what it is given; the test closes the database itself.
    database: { ...database, close: async () => {} },
    startBreachClock: false,
    rateClock: fixedRateClock,
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}/ogc`;
  const county = { authorization: `Bearer ${await signIn(app, 'county')}` };
  for (const [i, fire] of FIRES.entries()) {
    const { lon, lat } = seats[i] as { lon: number; lat: number };
    const res = await app.inject({
      method: 'POST',
      url: '/api/reports',
      headers: county,
      payload: {
        clientUuid: crypto.randomUUID(),
        source: 'ranger',
        position: { lon: Number(lon), lat: Number(lat), accuracyM: 10 },
        observedAt: fire.observedAt,
        note: '村民王某 13800000000 报告',
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    incidentIds.push(res.json().incidentId);
  }
  for (const to of ['verifying', 'false_alarm', 'closed']) {
    const res = await app.inject({
      method: 'POST',
      url: `/api/incidents/${incidentIds[2]}/transitions`,
      headers: county,
      payload: { to },
    });
    expect(res.statusCode, res.body).toBe(200);
  }
}, 120_000);
afterAll(async () => {
  await app?.close();
  await database?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** Each collection's size, counted from its table. */
async function countsFromDatabase(): Promise<Record<string, number>> {
  const [r] = await database.query<Record<string, number>>(sql`SELECT
    (SELECT count(*)::int FROM grids) AS "grids",
    (SELECT count(*)::int FROM villages) AS "villages",
    (SELECT count(*)::int FROM townships) AS "townships",
    (SELECT count(*)::int FROM war_zones) AS "war-zones",
    (SELECT count(*)::int FROM lookouts) AS "lookouts",
    (SELECT count(*)::int FROM water_sources) AS "water-sources",
    (SELECT count(*)::int FROM firebreaks) AS "firebreaks",
    (SELECT count(*)::int FROM key_areas) AS "key-areas",
    (SELECT count(*)::int FROM crews) AS "crew-bases",
    (SELECT count(*)::int FROM incidents WHERE state <> 'closed') AS "incidents"`);
  return r as Record<string, number>;
}

async function get(url: string, headers: Record<string, string> = {}) {
  const res = await fetch(url.startsWith('http') ? url : `${base}${url}`, { headers });
  const text = await res.text();
  return {
    status: res.status,
    type: res.headers.get('content-type') ?? '',
    body: text ? JSON.parse(text) : null,
  };
}

describe(`OGC API – Features on the ${testBackend()} backend`, () => {
  it('ogrinfo lists every collection with its feature count from the database', async () => {
    const { stdout } = await run('ogrinfo', ['-ro', '-so', '-al', `OAPIF:${base}`], {
      maxBuffer: 16 * 1024 * 1024,
    });
    const listed: Record<string, number> = {};
    for (const block of stdout.split(/\nLayer name: /).slice(1)) {
      const name = block.split('\n')[0]?.trim() ?? '';
      const count = block.match(/Feature Count: (\d+)/);
      listed[name] = Number(count?.[1]);
    }
    const expected = await countsFromDatabase();
    expect(expected.grids).toBe(815);
    expect(expected.incidents).toBe(2);
    expect(listed).toEqual(expected);
  });

  it('ogr2ogr copies all 815 grids with the same ids and geometries', async () => {
    const out = path.join(tmp, 'grids.geojson');
    await run('ogr2ogr', ['-f', 'GeoJSON', out, `OAPIF:${base}`, 'grids'], {
      maxBuffer: 16 * 1024 * 1024,
    });
    const copy = JSON.parse(fs.readFileSync(out, 'utf8')) as {
      features: { properties: { id: string; code: string }; geometry: unknown }[];
    };
    expect(copy.features).toHaveLength(815);
    const pairs = copy.features.map((f) => ({ id: f.properties.id, geometry: f.geometry }));
    expect(new Set(pairs.map((p) => p.id)).size).toBe(815);
    // The copy's geometries go back into PostGIS and are compared vertex by vertex.
    const [r] = await database.query<{ matched: number; same: number }>(sql`
      SELECT count(g.code)::int AS matched,
             count(*) FILTER (WHERE ST_OrderingEquals(g.geom,
               ST_SetSRID(ST_GeomFromGeoJSON(c->>'geometry'), 4326)))::int AS same
      FROM json_array_elements(${JSON.stringify(pairs)}::json) c
      JOIN grids g ON g.code = c->>'id'`);
    expect(r).toEqual({ matched: 815, same: 815 });
  });

  it('pages with next links that keep bbox and limit until numberMatched is reached', async () => {
    const bbox = '109.7,27.8,109.9,27.95';
    const [want] = await database.query<{ n: number }>(sql`
      SELECT count(*)::int AS n FROM grids
      WHERE ST_Intersects(geom, ST_MakeEnvelope(109.7, 27.8, 109.9, 27.95, 4326))`);
    let url = `/collections/grids/items?bbox=${bbox}&limit=50`;
    const seen: string[] = [];
    let pages = 0;
    for (;;) {
      const page = await get(url);
      expect(page.status).toBe(200);
      expect(page.type).toContain('application/geo+json');
      expect(page.body.numberMatched).toBe(want?.n);
      expect(page.body.numberReturned).toBe(page.body.features.length);
      seen.push(...page.body.features.map((f: { id: string }) => f.id));
      pages++;
      const next = page.body.links.find((l: { rel: string }) => l.rel === 'next');
      if (!next) break;
      const params = new URL(next.href).searchParams;
      expect(params.get('bbox')).toBe(bbox);
      expect(params.get('limit')).toBe('50');
      url = next.href;
    }
    expect(seen).toHaveLength(want?.n ?? -1);
    expect(new Set(seen).size).toBe(seen.length);
    expect(pages).toBe(Math.ceil((want?.n ?? 0) / 50));
  });

  it('filters open incidents by datetime and publishes only their public summary', async () => {
    const all = await get('/collections/incidents/items');
    expect(all.body.numberMatched).toBe(2);
    const ids = all.body.features.map((f: { id: string }) => f.id).sort();
    expect(ids).toEqual([incidentIds[0], incidentIds[1]].sort());
    for (const f of all.body.features) {
      const text = JSON.stringify(f);
      expect(text).not.toContain('13800000000');
      expect(text).not.toContain('王某');
      expect(
        Object.keys(f.properties).filter((k) => /report(er|s)$|note|phone|actor/.test(k)),
      ).toEqual([]);
    }
    const second = await get(`/collections/incidents/items?datetime=${dayOf(1)}T00:00:00Z/..`);
    expect(second.body.features.map((f: { id: string }) => f.id)).toEqual([incidentIds[1]]);
    const first = await get(`/collections/incidents/items?datetime=../${dayOf(0)}T02:00:00Z`);
    expect(first.body.features.map((f: { id: string }) => f.id)).toEqual([incidentIds[0]]);
    const day = await get(`/collections/incidents/items?datetime=${dayOf(1)}`);
    expect(day.body.numberMatched).toBe(1);
    // The closed fire is not an open incident.
    expect((await get(`/collections/incidents/items/${incidentIds[2]}`)).status).toBe(404);
    const one = await get(`/collections/incidents/items/${incidentIds[0]}`);
    expect(one.status).toBe(200);
    expect(one.body.properties.first_reported_at).toBe(FIRES[0]?.observedAt);
    // A drill's fire is published as a drill.
    expect(one.body.properties.drill).toBe(false);
    await database.query(sql`
      WITH d AS (INSERT INTO drills (title, held_on, participants) VALUES ('演练', '2026-03-01', 5)
                 RETURNING id)
      INSERT INTO drill_incidents (incident_id, drill_id) SELECT ${incidentIds[1]}::uuid, id FROM d`);
    const drill = await get(`/collections/incidents/items/${incidentIds[1]}`);
    expect(drill.body.properties.drill).toBe(true);
  });

  it('publishes no roster or phone number in any collection', async () => {
    const { body } = await get('/collections');
    for (const c of body.collections) {
      const items = await get(`/collections/${c.id}/items?limit=10000`);
      const text = JSON.stringify(items.body.features);
      expect(text, c.id).not.toMatch(/"phone"|roster|"person|1[3-9]\d{9}/);
    }
  });

  it('serves the landing page, conformance and an OpenAPI 3.0 definition with typed links', async () => {
    const landing = await get('');
    const rels = Object.fromEntries(
      landing.body.links.map((l: { rel: string; type: string }) => [l.rel, l.type]),
    );
    expect(rels).toMatchObject({
      self: 'application/json',
      'service-desc': 'application/vnd.oai.openapi+json;version=3.0',
      conformance: 'application/json',
      data: 'application/json',
    });
    const conf = await get('/conformance');
    expect(conf.body.conformsTo).toContain(
      'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson',
    );
    const api = await get('/api');
    expect(api.type).toContain('application/vnd.oai.openapi+json');
    expect(api.body.openapi).toMatch(/^3\.0\./);
    const grids = await get('/collections/grids');
    expect(grids.body.crs).toEqual(['http://www.opengis.net/def/crs/OGC/1.3/CRS84']);
    const [ext] = await database.query<{ w: number; n: number }>(
      sql`SELECT ST_XMin(ST_Extent(geom)) AS w, ST_YMax(ST_Extent(geom)) AS n FROM grids`,
    );
    expect(grids.body.extent.spatial.bbox[0][0]).toBeCloseTo(Number(ext?.w), 9);
    expect(grids.body.extent.spatial.bbox[0][3]).toBeCloseTo(Number(ext?.n), 9);
  });

  it('builds links on PUBLIC_URL when it is set (behind a proxy terminating TLS)', async () => {
    const behindProxy = await buildApp({
      config: { logLevel: 'silent', bodyLimitBytes: 65536, publicUrl: 'https://fire.county.lan' },
      database: { ...database, close: async () => {} },
      startBreachClock: false,
    });
    const res = await behindProxy.inject({
      method: 'GET',
      url: '/ogc/collections/grids/items?limit=5',
    });
    await behindProxy.close();
    const hrefs = res.json().links.map((l: { href: string }) => l.href);
    expect(hrefs.length).toBeGreaterThan(1);
    for (const href of hrefs) expect(href).toMatch(/^https:\/\/fire\.county\.lan\/ogc\//);
  });

  it('refuses bad parameters with a 400 naming them, and formats it cannot serve', async () => {
    const cases: [string, number, string][] = [
      ['/collections/grids/items?bbox=109,27,110', 400, 'bbox'],
      ['/collections/grids/items?bbox=109,a,110,28', 400, 'bbox'],
      ['/collections/grids/items?bbox=109,28,110,27', 400, 'bbox'],
      ['/collections/grids/items?bbox=200,27,210,28', 400, 'bbox'],
      ['/collections/grids/items?limit=0', 400, 'limit'],
      ['/collections/grids/items?limit=10001', 400, 'limit'],
      ['/collections/grids/items?limit=ten', 400, 'limit'],
      ['/collections/grids/items?offset=-1', 400, 'offset'],
      ['/collections/incidents/items?datetime=yesterday', 400, 'datetime'],
      [
        '/collections/incidents/items?datetime=2026-03-02T00:00:00Z/2026-03-01T00:00:00Z',
        400,
        'datetime',
      ],
      ['/collections/incidents/items?datetime=../..', 400, 'datetime'],
      ['/collections/grids/items?colour=red', 400, 'colour'],
      ['/collections/grids/items?f=html', 400, 'f'],
      ['/collections/rosters/items', 404, 'collectionId'],
      ['/collections/grids/items/no-such-grid', 404, 'featureId'],
    ];
    for (const [url, status, field] of cases) {
      const res = await get(url);
      expect([url, res.status, res.body.field]).toEqual([url, status, field]);
    }
    const html = await get('/collections', { accept: 'text/html' });
    expect(html.status).toBe(406);
    const browser = await get('/collections', {
      accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
    });
    expect(browser.status).toBe(200);
  });

  it('bounds the pages of features one address without sign-in may ask a minute (429 naming limit)', async () => {
    const page = (remoteAddress: string) =>
      app.inject({
        method: 'GET',
        url: '/ogc/collections/townships/items?limit=1',
        remoteAddress,
      });
    for (let i = 0; i < ANONYMOUS_ITEM_PAGES_PER_MINUTE; i++)
      expect((await page('10.7.7.7')).statusCode).toBe(200);
    const refused = await page('10.7.7.7');
    expect(refused.statusCode).toBe(429);
    expect(refused.json().field).toBe('limit');
    expect((await page('10.7.7.8')).statusCode).toBe(200);
  });
});
