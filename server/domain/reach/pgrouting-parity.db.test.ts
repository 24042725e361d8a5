/**
 * Road-network travel times of the reach engine against an independent engine: pgRouting's
 * pgr_drivingDistance on PostGIS, over a graph built in SQL from the same roads table
 * (vertices from ST_DumpPoints, edge cost = ST_Length(geography, sphere) / speed). From 20
 * random origins, every vertex's time must agree within 1 s. Needs the server backend
 * (PGlite has no pgRouting).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeProvince } from '../../../scripts/geodata/province.ts';
import { seededRandom } from '../../../scripts/geodata/random.ts';
import type { Database } from '../../db/database.ts';
import { DEMO_COUNTY_DIR, loadCounty } from '../../geodata/county-loader.ts';
import { readReachData } from '../../geodata/reach-data.ts';
import { PGR_GRAPH_SQL } from '../../testing/pgrouting-graph.ts';
import { openTestDatabase, testBackend } from '../../testing/test-database.ts';
import { ReachEngine } from './reach-engine.ts';

const onServer = testBackend() === 'server';

/**
 * The demo county's roads (a tree: one way between two points), and the same county as a
 * province's county 0 with its loop-closing roads (scripts/geodata/road-loops.ts), where
 * both engines must pick the faster of alternative routes.
 */
const networks: [label: string, dir: () => string][] = [
  ['the demo county (a tree)', () => DEMO_COUNTY_DIR],
  [
    'the demo county with loop-closing roads',
    () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loops-'));
      writeProvince(1, dir);
      return dir;
    },
  ],
];

describe.skipIf(!onServer).each(networks)(
  'road travel times agree with pgRouting on %s (server PostGIS)',
  (_label, dirOf) => {
    let database: Database;
    let engine: ReachEngine;
    let dir: string;
    const nodeId = new Map<string, number>();

    beforeAll(async () => {
      dir = dirOf();
      database = await openTestDatabase();
      await loadCounty(database, dir);
      for (const q of PGR_GRAPH_SQL) await database.query(q);
      for (const r of await database.query<{ id: string; x: string; y: string }>(
        sql`SELECT id, x::text, y::text FROM pgr_road_nodes`,
      ))
        nodeId.set(`${Number(r.x)},${Number(r.y)}`, Number(r.id));
      engine = new ReachEngine(await readReachData(dir));
    }, 120_000);
    afterAll(async () => {
      await database?.close();
      if (dir !== DEMO_COUNTY_DIR) fs.rmSync(dir, { recursive: true, force: true });
    });

    it('builds the same vertices and edges', async () => {
      expect(nodeId.size).toBe(engine.roads.size);
      const [{ n }] = (await database.query<{ n: number }>(
        sql`SELECT count(*)::int AS n FROM pgr_road_edges`,
      )) as [{ n: number }];
      // The engine stores each segment both ways.
      expect(2 * Number(n)).toBe(engine.roads.targets.length);
    });

    it('from 20 random origins, every vertex within 1 s of pgr_drivingDistance', async () => {
      const rand = seededRandom(20261128);
      let compared = 0;
      let worst = 0;
      for (let k = 0; k < 20; k++) {
        const lon = 109.45 + rand() * 0.6;
        const lat = 27.55 + rand() * 0.45;
        const { node, drive } = engine.roadsOnly(lon, lat);
        const start = nodeId.get(`${engine.roads.lon[node]},${engine.roads.lat[node]}`);
        expect(start).toBeDefined();
        const rows = await database.query<{ node: string; agg_cost: number }>(sql`
        SELECT node, agg_cost FROM pgr_drivingDistance(
          'SELECT id, source, target, cost, cost AS reverse_cost FROM pgr_road_edges',
          ${start}::bigint, 1e9::float8, true)`);
        const theirs = new Map(rows.map((r) => [Number(r.node), Number(r.agg_cost)]));
        for (let i = 0; i < engine.roads.size; i++) {
          const id = nodeId.get(`${engine.roads.lon[i]},${engine.roads.lat[i]}`) as number;
          const mine = drive[i] as number;
          const other = theirs.get(id);
          if (other === undefined) {
            expect(mine).toBe(Number.POSITIVE_INFINITY);
            continue;
          }
          worst = Math.max(worst, Math.abs(mine - other));
          compared++;
        }
      }
      expect(compared).toBeGreaterThan(20 * 0.9 * engine.roads.size);
      console.log(`compared ${compared} vertex times, worst difference ${worst.toFixed(6)} s`);
      expect(worst).toBeLessThan(1);
    }, 120_000);
  },
);
