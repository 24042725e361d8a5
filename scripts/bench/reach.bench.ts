/**
 * Reach benchmarks: the whole answer for a fire (every crew ranked, isochrones, water and
 * firebreaks) against ranking crews by straight-line distance (what circles would give);
 * road-network times per origin against pgRouting's pgr_drivingDistance on the same graph
 * (server PostGIS); the coverage audit of all grids against building the engine.
 */
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import type { Feature, MultiPolygon } from 'geojson';
import { loadConfig } from '../../server/config/config.ts';
import { type Database, openDatabase } from '../../server/db/database.ts';
import { coverageAudit } from '../../server/domain/reach/coverage.ts';
import { haversineM } from '../../server/domain/reach/geo.ts';

import { type ReachData, ReachEngine } from '../../server/domain/reach/reach-engine.ts';
import { DEMO_COUNTY_DIR, loadCounty } from '../../server/geodata/county-loader.ts';
import { readReachData } from '../../server/geodata/reach-data.ts';
import {
  createServerCopy,
  createServerTemplate,
  dropServerDatabase,
} from '../../server/testing/database-template.ts';
import { PGR_GRAPH_SQL } from '../../server/testing/pgrouting-graph.ts';
import type { Benchmark } from './harness.ts';

const grids = () =>
  JSON.parse(fs.readFileSync(path.join(DEMO_COUNTY_DIR, 'grids.geojson'), 'utf8'))
    .features as Feature<MultiPolygon, { code: string }>[];

/** Fires at 200 grids' inner points (every fourth grid), the same every run. */
export function firePoints(engine: ReachEngine): [number, number][] {
  return coverageAudit(
    engine,
    grids().filter((_, i) => i % 4 === 0),
    0,
  ).grids.map((g) => g.point);
}

interface EngineState {
  data: ReachData;
  engine: ReachEngine;
  points: [number, number][];
}

async function engineSetup(): Promise<EngineState> {
  const data = await readReachData(DEMO_COUNTY_DIR);
  const engine = new ReachEngine(data);
  return { data, engine, points: firePoints(engine) };
}

const at = <T>(list: T[], i: number) => list[((i % list.length) + list.length) % list.length] as T;

const reachPoint: Benchmark<EngineState> = {
  name: 'reach-point',
  subject: 'whole reach answer for a fire (224 crews, isochrones, water, firebreaks)',
  baseline: 'rank the 224 crews by straight-line distance',
  iterations: 200,
  setup: engineSetup,
  runSubject: async (s, i) => s.engine.toPoint(...at(s.points, i)),
  runBaseline: async (s, i) => {
    const [lon, lat] = at(s.points, i);
    return s.data.crews
      .map((c) => ({
        id: c.properties.id,
        m: haversineM(
          lon,
          lat,
          c.geometry.coordinates[0] as number,
          c.geometry.coordinates[1] as number,
        ),
      }))
      .sort((a, b) => a.m - b.m);
  },
};

const coverage: Benchmark<EngineState & { grids: Feature<MultiPolygon, { code: string }>[] }> = {
  name: 'reach-coverage',
  subject: 'coverage audit of the 815 grids with 5 standby suggestions',
  baseline: 'build the engine from the county data (road graph, walking surface)',
  iterations: 5,
  setup: async () => ({ ...(await engineSetup()), grids: grids() }),
  runSubject: async (s) => coverageAudit(s.engine, s.grids),
  runBaseline: async (s) => new ReachEngine(s.data),
};

interface PgrState extends EngineState {
  database: Database;
  nodeId: Map<string, number>;
  origins: number[];
  cleanup: () => Promise<void>;
}

function pgrBenchmark(): Benchmark<PgrState> {
  const url = loadConfig().databaseUrl;
  return {
    name: 'reach-roads-vs-pgrouting',
    subject: 'road travel times from one origin to every vertex (our engine)',
    baseline: 'pgr_drivingDistance from the same vertex (server PostGIS)',
    iterations: 20,
    skip: () => (url ? undefined : 'set DATABASE_URL to a PostGIS server with pgRouting to run it'),
    async setup() {
      const base = url as string;
      const template = await createServerTemplate(base);
      const copy = await createServerCopy(base, template);
      const database = await openDatabase({ databaseUrl: copy.url, maxConnections: 1 });
      await loadCounty(database, DEMO_COUNTY_DIR);
      for (const q of PGR_GRAPH_SQL) await database.query(q);
      const nodeId = new Map<string, number>();
      for (const r of await database.query<{ id: string; x: string; y: string }>(
        sql`SELECT id, x::text, y::text FROM pgr_road_nodes`,
      ))
        nodeId.set(`${Number(r.x)},${Number(r.y)}`, Number(r.id));
      const state = await engineSetup();
      const origins = state.points
        .slice(0, 20)
        .map(([lon, lat]) => state.engine.roads.nearest(lon, lat).node);
      return {
        ...state,
        database,
        nodeId,
        origins,
        cleanup: async () => {
          await database.close();
          await dropServerDatabase(base, copy.name);
          await dropServerDatabase(base, template, true);
        },
      };
    },
    runSubject: async (s, i) => s.engine.roads.travelTimes([[at(s.origins, i), 0]]),
    runBaseline: async (s, i) => {
      const n = at(s.origins, i);
      const id = s.nodeId.get(`${s.engine.roads.lon[n]},${s.engine.roads.lat[n]}`);
      return s.database.query(sql`
        SELECT node, agg_cost FROM pgr_drivingDistance(
          'SELECT id, source, target, cost, cost AS reverse_cost FROM pgr_road_edges',
          ${id}::bigint, 1e9::float8, true)`);
    },
    teardown: (s) => s.cleanup(),
  };
}

export const reachBenchmarks: Benchmark<never>[] = [
  reachPoint,
  coverage,
  pgrBenchmark(),
] as unknown as Benchmark<never>[];
