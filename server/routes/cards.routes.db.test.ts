/**
 * Grid, lookout, water and crew cards, search and focus statistics, checked against the
 * county's own files (geodata/mayang) rather than against the SQL that produces them.
 * On the demo county, not the small one: the files loaded are the oracle (every card field,
 * the roster of people.csv, each war zone's counts adding up to the county's 815 grids).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import pointOnFeature from '@turf/point-on-feature';
import pointToPolygonDistance from '@turf/point-to-polygon-distance';
import type { FeatureCollection, MultiPolygon, Point } from 'geojson';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, buildApp } from '../app.ts';
import { DEMO_COUNTY_DIR, loadCounty } from '../geodata/county-loader.ts';
import { openTestDatabase, testBackend } from '../testing/test-database.ts';

// biome-ignore lint/suspicious/noExplicitAny: GeoJSON properties read from the files
type Fc<G extends MultiPolygon | Point = MultiPolygon | Point> = FeatureCollection<G, any>;
const read = (name: string) =>
  JSON.parse(fs.readFileSync(path.join(DEMO_COUNTY_DIR, name), 'utf8')) as Fc;
const grids = read('grids.geojson') as Fc<MultiPolygon>;
const villages = read('villages.geojson');
const townships = read('townships.geojson');
const warZones = read('war-zones.geojson');
const lookouts = read('lookouts.geojson') as Fc<Point>;
const waterSources = read('water-sources.geojson') as Fc<Point>;
const crews = read('crews.geojson') as Fc<Point>;
const people = fs
  .readFileSync(path.join(DEMO_COUNTY_DIR, 'people.csv'), 'utf8')
  .trim()
  .split('\n')
  .slice(1)
  .map((line) => {
    const [, name, phone, role, , grid] = line.split(',');
    return { name, phone, role, grid };
  });

let app: App;
beforeAll(async () => {
  const database = await openTestDatabase();
  await loadCounty(database, DEMO_COUNTY_DIR);
  app = await buildApp({ config: { logLevel: 'silent', bodyLimitBytes: 65536 }, database });
  await app.ready();
});
afterAll(async () => {
  await app?.close();
});

const get = (url: string) => app.inject({ method: 'GET', url });

describe(`grid card on the ${testBackend()} backend`, () => {
  // A grid with a lookout inside it, so "inside" is exercised as well as "nearest".
  const withLookout = grids.features.find((g) => g.properties.lookouts > 0);
  const grid = withLookout ?? grids.features[0];
  const code = grid?.properties.code as string;

  it('names its village, township and war zone as the files do', async () => {
    const res = await get(`/api/grids/${code}`);
    expect(res.statusCode).toBe(200);
    const card = res.json();
    const village = villages.features.find(
      (v) => v.properties.code === grid?.properties.village_code,
    );
    const township = townships.features.find(
      (t) => t.properties.code === grid?.properties.township_code,
    );
    expect(card.village).toEqual({
      code: village?.properties.code,
      name: village?.properties.name,
    });
    expect(card.township.name).toBe(township?.properties.name);
    expect(card.warZone.name).toBe(township?.properties.war_zone);
    expect(card.areaHa).toBeCloseTo(grid?.properties.area_ha, 3);
    expect(card.forestShare).toBe(grid?.properties.forest_share);
    expect(card.fuelType).toBe(grid?.properties.fuel_type);
    expect(card.elevation.meanM).toBe(grid?.properties.elev_mean_m);
    expect(card.slopeMeanDeg).toBe(grid?.properties.slope_mean_deg);
    expect(card.riskClass).toBe(grid?.properties.risk_class);
    const [w, s, e, n] = card.bbox;
    expect(w).toBeLessThan(e);
    expect(s).toBeLessThan(n);
  });

  it('lists the nearest lookouts in the order turf measures them, with distances', async () => {
    const card = (await get(`/api/grids/${code}`)).json();
    const byTurf = lookouts.features
      .map((l) => ({
        id: l.properties.id as string,
        m: pointToPolygonDistance(l.geometry.coordinates, grid as never, { units: 'meters' }),
      }))
      .map((x) => ({ ...x, m: Math.max(0, x.m) }))
      .sort((a, b) => a.m - b.m);
    expect(card.lookouts).toHaveLength(3);
    expect(card.lookouts.map((l: { id: string }) => l.id)).toEqual(
      byTurf.slice(0, 3).map((l) => l.id),
    );
    for (const [i, l] of (card.lookouts as { distanceM: number; inside: boolean }[]).entries()) {
      // PostGIS measures on the spheroid, turf on a sphere: within 0.5 % or 2 m.
      expect(Math.abs(l.distanceM - (byTurf[i]?.m ?? 0))).toBeLessThanOrEqual(
        Math.max(2, 0.005 * (byTurf[i]?.m ?? 0)),
      );
      expect(l.inside).toBe((byTurf[i]?.m ?? 1) === 0);
    }
    expect(card.lookouts[0].inside).toBe(Boolean(withLookout));
    expect(card.waterSources).toHaveLength(3);
    expect(card.firebreaks.length).toBeGreaterThan(0);
  });

  it('carries the roster of people.csv with phones masked for an anonymous viewer', async () => {
    const card = (await get(`/api/grids/${code}`)).json();
    const expected = people.filter((p) => p.grid === code);
    expect(card.roster).toHaveLength(expected.length);
    expect(new Set(card.roster.map((r: { role: string }) => r.role))).toEqual(
      new Set([
        'grid_head',
        'ranger',
        'guide',
        'village_cadre',
        'supervisor',
        ...expected.map((p) => p.role),
      ]),
    );
    expect(card.roster[0].role).toBe('grid_head');
    for (const r of card.roster as { name: string; phone: string; role: string }[]) {
      const person = expected.find((p) => p.name === r.name && p.role === r.role);
      expect(person).toBeDefined();
      expect(r.phone).toMatch(/^\d{3}\*{4}\d{4}$/);
      expect(r.phone).not.toBe(person?.phone);
      expect(r.phone.slice(-4)).toBe(person?.phone?.slice(-4));
    }
    expect(res404(await get('/api/grids/431226000000000'))).toBe('code');
  });

  it('leads with the open fire reported in the grid, and only in that grid', async () => {
    const burning = grids.features[200] as (typeof grids.features)[number];
    const other = grids.features[201] as (typeof grids.features)[number];
    const at = pointOnFeature(burning).geometry.coordinates as [number, number];
    expect((await get(`/api/grids/${burning.properties.code}`)).json().fires).toEqual([]);
    const report = await app.inject({
      method: 'POST',
      url: '/api/reports',
      payload: {
        clientUuid: crypto.randomUUID(),
        source: 'public',
        position: { lon: at[0], lat: at[1] },
        observedAt: new Date().toISOString(),
      },
    });
    expect(report.statusCode).toBe(201);
    const card = (await get(`/api/grids/${burning.properties.code}`)).json();
    expect(card.fires).toEqual([
      {
        id: report.json().incident.id,
        state: 'reported',
        firstReportedAt: expect.any(String),
        drill: false,
      },
    ]);
    expect((await get(`/api/grids/${other.properties.code}`)).json().fires).toEqual([]);
  });

  it('rejects a malformed grid code naming the field', async () => {
    const res = await get('/api/grids/1%27%20OR%201=1');
    expect(res.statusCode).toBe(400);
    expect(JSON.stringify(res.json())).toContain('code');
  });
});

function res404(res: Awaited<ReturnType<typeof get>>): string {
  expect(res.statusCode).toBe(404);
  return res.json().field;
}

describe(`lookout, water and crew cards on the ${testBackend()} backend`, () => {
  it('shows what the files say about each', async () => {
    const l = lookouts.features[7]?.properties;
    const lc = (await get(`/api/lookouts/${l.id}`)).json();
    expect([lc.name, lc.cameraKind, lc.heightM, lc.gridCode]).toEqual([
      l.name,
      l.camera_kind,
      l.height_m,
      l.grid_code,
    ]);
    const w = waterSources.features[3]?.properties;
    const wc = (await get(`/api/water-sources/${w.id}`)).json();
    expect([wc.name, wc.kind, wc.capacityM3]).toEqual([w.name, w.kind, w.capacity_m3]);
    const c = crews.features.find((f) => f.properties.level === 'township')?.properties;
    const cc = (await get(`/api/crews/${c.id}`)).json();
    expect([cc.name, cc.members, cc.level]).toEqual([c.name, c.members, c.level]);
    expect(cc.equipment.pump ?? 0).toBe(c.pumps);
    expect(cc.equipment.drone ?? 0).toBe(c.drones);
    expect(res404(await get('/api/crews/CR-NOPE'))).toBe('id');
  });
});

describe(`search on the ${testBackend()} backend`, () => {
  it('finds a village by part of its name, with its township and a box to fly to', async () => {
    const v = villages.features.find((f) => f.properties.kind === '村')?.properties;
    const part = (v.name as string).slice(0, 2);
    const { hits } = (await get(`/api/search?q=${encodeURIComponent(part)}`)).json();
    const hit = hits.find((h: { id: string }) => h.id === v.code);
    expect(hit).toBeDefined();
    expect(hit.kind).toBe('village');
    const township = townships.features.find((t) => t.properties.code === v.township_code);
    expect(hit.context).toBe(township?.properties.name);
    for (const h of hits) expect(h.name.includes(part) || h.id.includes(part)).toBe(true);
  });

  it('finds townships first, grids by code and crews by name', async () => {
    const t = townships.features[2]?.properties;
    const { hits } = (await get(`/api/search?q=${encodeURIComponent(t.name)}`)).json();
    expect(hits[0]).toMatchObject({ kind: 'township', id: t.code, name: t.name });
    const g = grids.features[100]?.properties.code as string;
    const gridHits = (await get(`/api/search?q=${g}`)).json().hits;
    expect(gridHits.map((h: { id: string }) => h.id)).toContain(g);
    const crewHits = (await get(`/api/search?q=${encodeURIComponent('县森林消防')}`)).json().hits;
    expect(crewHits[0].kind).toBe('crew');
  });

  it('treats SQL and LIKE wildcards in the query as text', async () => {
    for (const q of ["'; DROP TABLE grids; --", '%', '_', '\\']) {
      const res = await get(`/api/search?q=${encodeURIComponent(q)}`);
      expect(res.statusCode).toBe(200);
      expect(res.json().hits).toEqual([]);
    }
    expect((await get(`/api/grids/${grids.features[0]?.properties.code}`)).statusCode).toBe(200);
    const blank = await get('/api/search?q=%20%20');
    expect(blank.statusCode).toBe(400);
    expect(blank.json().field).toBe('q');
    expect((await get(`/api/search?q=${'x'.repeat(41)}`)).statusCode).toBe(400);
  });
});

describe(`focus statistics on the ${testBackend()} backend`, () => {
  it('counts grids, crews and resources of each war zone as the files do', async () => {
    const { warZones: zones } = (await get('/api/war-zones')).json();
    expect(zones.map((z: { name: string }) => z.name).sort()).toEqual(
      warZones.features.map((z) => z.properties.name).sort(),
    );
    let total = 0;
    for (const zone of zones) {
      const stats = (await get(`/api/war-zones/${zone.id}/stats`)).json();
      const codes = new Set(
        townships.features
          .filter((t) => t.properties.war_zone === zone.name)
          .map((t) => t.properties.code),
      );
      expect(stats.townships).toBe(codes.size);
      expect(stats.grids).toBe(
        grids.features.filter((g) => codes.has(g.properties.township_code)).length,
      );
      const zoneCrews = crews.features.filter(
        (c) => c.properties.level !== 'county' && codes.has(c.properties.township_code),
      );
      expect(stats.crews).toBe(zoneCrews.length);
      expect(stats.members).toBe(zoneCrews.reduce((s, c) => s + c.properties.members, 0));
      expect(stats.equipment.drone ?? 0).toBe(
        zoneCrews.reduce((s, c) => s + c.properties.drones, 0),
      );
      expect(stats.reservoirs).toBe(
        waterSources.features.filter(
          (w) => w.properties.kind === 'reservoir' && codes.has(w.properties.township_code),
        ).length,
      );
      total += stats.grids;
    }
    expect(total).toBe(815);
  });

  it('gives a township its own figures and 404 for an unknown one', async () => {
    const t = townships.features[5]?.properties;
    const stats = (await get(`/api/townships/${t.code}/stats`)).json();
    expect(stats.name).toBe(t.name);
    expect(stats.lookouts).toBe(
      lookouts.features.filter((l) => l.properties.township_code === t.code).length,
    );
    expect(res404(await get('/api/townships/431226999/stats'))).toBe('code');
    expect((await get('/api/war-zones/abc/stats')).statusCode).toBe(400);
  });
});
