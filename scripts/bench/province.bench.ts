/**
 * A province against its county, in one run: the demo county alone in one database, a
 * generated province of PROVINCE_COUNTIES counties (default 100: 81,500 grids; the county is
 * its county 0) in another, each behind its own app with the same open fires per county. The
 * subject is the province, the baseline the county, for the four reads a province's wall
 * makes all day: a vector tile, the grid at a point, a search, the open-incident list.
 * On the server backend when DATABASE_URL is set (the province's load takes minutes there,
 * longer on the embedded one).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type App, buildApp } from '../../server/app.ts';
import type { Database } from '../../server/db/database.ts';
import { DEMO_COUNTY_DIR, loadCounty } from '../../server/geodata/county-loader.ts';
import { type ProvinceCounty, writeProvince } from '../geodata/province.ts';
import type { Benchmark } from './harness.ts';
import { BENCH_CONFIG, openBenchDatabase, SPOTS } from './live.bench.ts';
import { benchTiles } from './map.bench.ts';

const COUNTIES = Number(process.env.PROVINCE_COUNTIES ?? 100);
/** Open fires per county, on both sides. */
const FIRES_PER_COUNTY = 10;

interface Side {
  app: App;
  database: Database;
  cleanup: () => Promise<void>;
  /** Points inside grids, spread over the side's counties. */
  points: [number, number][];
}

interface ProvinceState {
  county: Side;
  province: Side;
  tiles: [number, number, number][];
  terms: string[];
}

async function side(dir: string, counties: ProvinceCounty[], label: string): Promise<Side> {
  const { database, cleanup } = await openBenchDatabase();
  const t0 = performance.now();
  const loaded = await loadCounty(database, dir, () => {}, {});
  console.log(
    `  (${label}: ${counties.length} counties, ${loaded.counts.grids} grids loaded in ${((performance.now() - t0) / 1000).toFixed(0)} s, ${database.kind} database)`,
  );
  const app = await buildApp({ config: BENCH_CONFIG, database, startBreachClock: false });
  // Every county's spots, shifted to it: a province's points are spread over its counties.
  const points = counties.flatMap((c, k) =>
    SPOTS.filter((_, i) => (i + k) % 41 === 0).map(
      ([lon, lat]) => [lon + c.dx, lat + c.dy] as [number, number],
    ),
  );
  const t1 = performance.now();
  for (const [k, c] of counties.entries())
    for (let f = 0; f < FIRES_PER_COUNTY; f++) {
      const [lon, lat] = SPOTS[(f * 89 + k * 7) % SPOTS.length] as [number, number];
      const res = await app.inject({
        method: 'POST',
        url: '/api/reports',
        payload: {
          clientUuid: crypto.randomUUID(),
          source: 'ranger',
          position: { lon: lon + c.dx, lat: lat + c.dy, accuracyM: 10 },
          observedAt: new Date().toISOString(),
          note: '山顶有烟',
        },
      });
      if (res.statusCode !== 201) throw new Error(`${label} report: HTTP ${res.statusCode}`);
    }
  console.log(
    `  (${label}: ${counties.length * FIRES_PER_COUNTY} reports in ${((performance.now() - t1) / 1000).toFixed(0)} s)`,
  );
  return {
    app,
    database,
    points,
    cleanup: async () => {
      await app.close();
      await cleanup();
    },
  };
}

let shared: Promise<ProvinceState> | null = null;

async function setup(): Promise<ProvinceState> {
  shared ??= (async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'province-'));
    try {
      const { counties } = writeProvince(COUNTIES, dir);
      const county = await side(DEMO_COUNTY_DIR, counties.slice(0, 1), 'county');
      const province = await side(dir, counties, 'province');
      const villageNames = (
        JSON.parse(fs.readFileSync(path.join(DEMO_COUNTY_DIR, 'villages.geojson'), 'utf8'))
          .features as { properties: { name: string } }[]
      ).map((v) => v.properties.name.slice(0, 2));
      const terms = [...villageNames.filter((_, i) => i % 11 === 0), '护林', '1012', '扑火队'];
      // The vector tile sets are built before timing (tiles-cold measures the build).
      for (const s of [county, province])
        await s.app.inject({ method: 'GET', url: '/api/tiles/county/10/823/429.pbf' });
      return { county, province, tiles: benchTiles(), terms };
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  })();
  return shared;
}

/** The province's databases go when the run ends (run.ts), not between its benchmarks. */
export async function closeProvinceBench() {
  const state = await shared?.catch(() => null);
  shared = null;
  await state?.county.cleanup();
  await state?.province.cleanup();
}

const pick = <T>(xs: T[], i: number) => xs[((i % xs.length) + xs.length) % xs.length] as T;

function ok(res: { statusCode: number; body: string }, what: string) {
  if (res.statusCode !== 200)
    throw new Error(`${what}: HTTP ${res.statusCode} ${res.body.slice(0, 200)}`);
  return res;
}

type Read = (s: Side, state: ProvinceState, i: number) => Promise<unknown>;
const reads: [name: string, what: string, iterations: number, read: Read][] = [
  [
    'province-tiles',
    'vector tile z8–z14 over the county',
    100,
    async (s, state, i) => {
      const [z, x, y] = pick(state.tiles, i);
      return ok(
        await s.app.inject({ method: 'GET', url: `/api/tiles/county/${z}/${x}/${y}.pbf` }),
        'tile',
      );
    },
  ],
  [
    'province-grid-lookup',
    'grid, village, township and county at a point (GET /api/places/at)',
    200,
    async (s, _state, i) => {
      const [lon, lat] = pick(s.points, i * 7919);
      return ok(
        await s.app.inject({ method: 'GET', url: `/api/places/at?lon=${lon}&lat=${lat}` }),
        'place',
      );
    },
  ],
  [
    'province-search',
    'search by name or code fragment (GET /api/search)',
    100,
    async (s, state, i) =>
      ok(
        await s.app.inject({
          method: 'GET',
          url: `/api/search?q=${encodeURIComponent(pick(state.terms, i))}&limit=12`,
        }),
        'search',
      ),
  ],
  [
    'province-incidents',
    `open incidents, a page of ${FIRES_PER_COUNTY} (GET /api/incidents; ${FIRES_PER_COUNTY} fires in each county)`,
    100,
    async (s) =>
      ok(
        await s.app.inject({
          method: 'GET',
          url: `/api/incidents?open=true&limit=${FIRES_PER_COUNTY}`,
        }),
        'list',
      ),
  ],
];

export const provinceBenchmarks: Benchmark<never>[] = reads.map(
  ([name, what, iterations, read]) =>
    ({
      name,
      subject: `${what}: province of ${COUNTIES} counties`,
      baseline: `the same read on the county alone`,
      iterations,
      setup,
      runSubject: (state: ProvinceState, i: number) => read(state.province, state, i),
      runBaseline: (state: ProvinceState, i: number) => read(state.county, state, i),
    }) as unknown as Benchmark<never>,
);
