/**
 * A province of three counties (scripts/geodata/province.ts) loaded whole: the province sees
 * every county, and the county views answer per county (outline, place at a point, open
 * incidents, search). Loading the base county alone afterwards leaves only it. The oracle is
 * the generator's own layout (county codes, offsets) and the base county's files.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pointOnFeature from '@turf/point-on-feature';
import type { Feature, MultiPolygon } from 'geojson';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ProvinceCounty, writeProvince } from '../../scripts/geodata/province.ts';
import { type App, buildApp } from '../app.ts';
import { openTestDatabase } from '../testing/test-database.ts';
import { DEMO_COUNTY_DIR, loadCounty } from './county-loader.ts';

const baseGrids = (
  JSON.parse(fs.readFileSync(path.join(DEMO_COUNTY_DIR, 'grids.geojson'), 'utf8')) as {
    features: Feature<MultiPolygon, { code: string }>[];
  }
).features;

let app: App;
let dir: string;
let counties: ProvinceCounty[];
beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'province-test-'));
  counties = writeProvince(3, dir).counties;
  const database = await openTestDatabase();
  await loadCounty(database, dir);
  app = await buildApp({
    config: { logLevel: 'silent', bodyLimitBytes: 65536, reportsNeedSignIn: false },
    database,
    startBreachClock: false,
  });
  await app.ready();
}, 240_000);
afterAll(async () => {
  await app?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

const get = (url: string) => app.inject({ method: 'GET', url });
/** A point inside the base's i-th grid, in county k. */
const spot = (k: number, i: number): [number, number] => {
  const [lon, lat] = pointOnFeature(baseGrids[i] as Feature<MultiPolygon>).geometry.coordinates as [
    number,
    number,
  ];
  const c = counties[k] as ProvinceCounty;
  return [lon + c.dx, lat + c.dy];
};

describe('a province of three counties', () => {
  it('GET /api/counties lists each county whole: 5 war zones, 18 townships, 815 grids', async () => {
    const res = await get('/api/counties');
    expect(res.statusCode).toBe(200);
    const list = res.json().counties as { code: string; name: string; grids: number }[];
    expect(list.map((c) => c.code)).toEqual(['431226', '439001', '439002']);
    for (const c of list) expect(c).toMatchObject({ warZones: 5, townships: 18, grids: 815 });
    expect(list[1]?.name).toBe('模拟县001');
  });

  it("the map's vector tiles cover every county; relief and terrain the DEM's county", async () => {
    const style = (await get('/api/style.json')).json();
    const counties = (await get('/api/counties')).json().counties as { bbox: number[] }[];
    const east = Math.max(...counties.map((c) => c.bbox[2] as number));
    const west = Math.min(...counties.map((c) => c.bbox[0] as number));
    expect(style.sources.county.bounds[0]).toBeCloseTo(west, 6);
    expect(style.sources.county.bounds[2]).toBeCloseTo(east, 6);
    expect(style.sources.relief.bounds[2]).toBeLessThan(counties[1]?.bbox[0] as number);
  });

  it('GET /api/county?code= gives that county; an unknown code is a 404 naming the field', async () => {
    const one = await get('/api/county?code=439002');
    expect(one.json().properties).toMatchObject({ code: '439002', loaded: true });
    const first = await get('/api/county');
    expect(first.json().properties.code).toBe('431226');
    const none = await get('/api/county?code=439999');
    expect(none.statusCode).toBe(404);
    expect(none.json().field).toBe('code');
  });

  it('a point in the third county lies in its grid, village, township and county', async () => {
    const [lon, lat] = spot(2, 100);
    const res = await get(`/api/places/at?lon=${lon}&lat=${lat}`);
    expect(res.statusCode).toBe(200);
    const place = res.json();
    expect(place.countyCode).toBe('439002');
    expect(place.gridCode).toBe(`439002${baseGrids[100]?.properties.code.slice(6)}`);
    expect(place.townshipCode.startsWith('439002')).toBe(true);
    // Between the counties of the lattice: outside every county.
    const c1 = counties[1] as ProvinceCounty;
    const gap = await get(`/api/places/at?lon=${109.4 + c1.dx - 0.03}&lat=27.8`);
    expect(gap.statusCode).toBe(422);
  });

  it('the open-incident list and search answer for one county with countyCode, for all without', async () => {
    for (const [k, i] of [
      [0, 10],
      [1, 200],
      [2, 300],
      [2, 500],
    ] as const) {
      const [lon, lat] = spot(k, i);
      const res = await app.inject({
        method: 'POST',
        url: '/api/reports',
        payload: {
          clientUuid: crypto.randomUUID(),
          source: 'ranger',
          position: { lon, lat, accuracyM: 10 },
          observedAt: new Date().toISOString(),
          note: '山顶有烟',
        },
      });
      expect(res.statusCode).toBe(201);
    }
    const all = (await get('/api/incidents?open=true')).json();
    expect(all.total).toBe(4);
    const third = (await get('/api/incidents?open=true&countyCode=439002')).json();
    expect(third.total).toBe(2);
    for (const i of third.incidents) expect(i.townshipCode.startsWith('439002')).toBe(true);
    expect((await get('/api/incidents?open=true&countyCode=439001')).json().total).toBe(1);
    expect((await get('/api/incidents?countyCode=43900')).statusCode).toBe(400);
    // The wall's counts and feed: the province's, or one county's.
    const wall = (await get('/api/situation')).json();
    const wallThird = (await get('/api/situation?countyCode=439002')).json();
    expect(wall.counts.open).toBe(4);
    expect(wallThird.counts.open).toBe(2);
    expect(wallThird.crews.onDuty).toBe(wall.crews.onDuty / 3);
    expect(wallThird.events.length).toBeGreaterThan(0);
    for (const e of wallThird.events)
      expect(third.incidents.map((i: { id: string }) => i.id)).toContain(e.incidentId);
    const zones = (await get('/api/war-zones?countyCode=439001')).json().warZones as {
      name: string;
      townships: { code: string }[];
    }[];
    expect(zones).toHaveLength(5);
    for (const z of zones) {
      expect(z.name.startsWith('模拟县001')).toBe(true);
      for (const t of z.townships) expect(t.code.startsWith('439001')).toBe(true);
    }
    expect((await get('/api/war-zones')).json().warZones).toHaveLength(15);

    const name = encodeURIComponent('东街');
    const everywhere = (await get(`/api/search?q=${name}&limit=50`)).json().hits as {
      id: string;
    }[];
    const prefixes = new Set(everywhere.map((h) => h.id.slice(0, 6)));
    expect(prefixes).toEqual(new Set(['431226', '439001', '439002']));
    const one = (await get(`/api/search?q=${name}&limit=50&countyCode=439001`)).json().hits as {
      id: string;
    }[];
    expect(one.length).toBe(everywhere.length / 3);
    for (const h of one) expect(h.id.startsWith('439001')).toBe(true);
  });

  it('reach works on the terrain model (county 0) from its own network, and refuses the others', async () => {
    const network = (await get('/api/reach/network')).json();
    expect(network.roads.length).toBeGreaterThan(16_000 / 40);
    for (const layer of ['roads', 'crews', 'waterSources'] as const)
      for (const f of network[layer] as { properties: { id: string } }[])
        expect(f.properties.id.startsWith('4390'), `${layer} ${f.properties.id}`).toBe(false);
    const [lon, lat] = spot(0, 300);
    const here = await get(`/api/reach?lon=${lon}&lat=${lat}`);
    expect(here.statusCode).toBe(200);
    const crews = here.json().crews as { id: string }[];
    expect(crews.length).toBeGreaterThan(100);
    for (const c of crews) expect(c.id.startsWith('4390')).toBe(false);
    // The coverage audit is of the grids on the terrain model: county 0's 815.
    const coverage = (await get('/api/reach/coverage')).json();
    expect(coverage.grids).toHaveLength(815);
    for (const g of coverage.grids as { code: string }[])
      expect(g.code.startsWith('431226')).toBe(true);
    // County 2 has no DEM loaded: a clear refusal naming the point, not a guess.
    const [lon2, lat2] = spot(2, 300);
    const there = await get(`/api/reach?lon=${lon2}&lat=${lat2}`);
    expect(there.statusCode).toBe(422);
    expect(there.json().field).toBe('lon,lat');
  });

  it('loading the base county alone afterwards leaves only it', async () => {
    // The fires reported above are in the other counties' townships: closed incidents keep
    // their township, so the reload is refused while they point at it … as a real province
    // would refuse to drop a county with fires on record.
    const refused = await loadCounty(app.database, DEMO_COUNTY_DIR).then(
      () => null,
      (e: Error & { cause?: Error }) => `${e.message} ${e.cause?.message ?? ''}`,
    );
    expect(refused).toMatch(/foreign key/);
    expect((await get('/api/counties')).json().counties).toHaveLength(3);
  });
});

describe('a province reloaded as its base county', () => {
  it('keeps the base county and drops the others (no fires on record)', async () => {
    const database = await openTestDatabase();
    const two = fs.mkdtempSync(path.join(os.tmpdir(), 'province-test-'));
    try {
      writeProvince(2, two);
      await loadCounty(database, two);
      await loadCounty(database, DEMO_COUNTY_DIR);
      const other = await buildApp({
        config: { logLevel: 'silent', bodyLimitBytes: 65536 },
        database,
      });
      try {
        const list = (await other.inject({ method: 'GET', url: '/api/counties' })).json();
        expect(list.counties).toEqual([expect.objectContaining({ code: '431226', grids: 815 })]);
      } finally {
        await other.close();
      }
    } finally {
      fs.rmSync(two, { recursive: true, force: true });
    }
  }, 240_000);
});
