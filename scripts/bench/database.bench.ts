/**
 * Database benchmarks: embedded open (fresh vs re-open), point-in-polygon grid lookup on
 * both backends against a plain `SELECT 1` round trip, and a second `npm start` on an
 * initialised data dir.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { loadConfig } from '../../server/config/config.ts';
import { type Database, openDatabase } from '../../server/db/database.ts';
import { migrate } from '../../server/db/migrate.ts';
import { DEMO_COUNTY_DIR, loadCounty } from '../../server/geodata/county-loader.ts';
import { createAreasRepository } from '../../server/repositories/areas-repository.ts';
import {
  copyEmbeddedTemplate,
  createServerCopy,
  createServerTemplate,
  dropServerDatabase,
  ensureEmbeddedTemplate,
} from '../../server/testing/database-template.ts';
import { startProduct } from '../e2e/product.ts';
import { benchPoints, seedBenchAreas } from './bench-areas.ts';
import type { Benchmark } from './harness.ts';

const tmp = (prefix: string) => fs.mkdtempSync(path.join(os.tmpdir(), prefix));

const embeddedOpen: Benchmark<{ initialised: string; fresh: string[] }> = {
  name: 'embedded-open',
  subject: 'fresh data dir: create, PostGIS, migrate',
  baseline: 're-open an initialised data dir',
  iterations: 3,
  async setup() {
    const initialised = tmp('bench-open-');
    const db = await openDatabase({ dataDir: initialised });
    await migrate(db);
    await db.close();
    return { initialised, fresh: [] };
  },
  async runSubject(state) {
    const dir = tmp('bench-fresh-');
    state.fresh.push(dir);
    const db = await openDatabase({ dataDir: dir });
    await migrate(db);
    await db.close();
  },
  async runBaseline(state) {
    const db = await openDatabase({ dataDir: state.initialised });
    await migrate(db);
    await db.close();
  },
  async teardown(state) {
    for (const d of [state.initialised, ...state.fresh])
      fs.rmSync(d, { recursive: true, force: true });
  },
};

interface PipState {
  database: Database;
  points: [number, number][];
  cleanup: () => Promise<void>;
}

function pipBenchmark(backend: 'embedded' | 'server'): Benchmark<PipState> {
  const url = loadConfig().databaseUrl;
  return {
    name: `grid-lookup-${backend}`,
    subject: `point → grid/village/township/war zone (${backend})`,
    baseline: `SELECT 1 round trip (${backend})`,
    iterations: 400,
    skip: () =>
      backend === 'server' && !url ? 'set DATABASE_URL to a PostGIS server to run it' : undefined,
    async setup() {
      let database: Database;
      let cleanup: () => Promise<void>;
      if (backend === 'server') {
        const base = url as string;
        const template = await createServerTemplate(base);
        const copy = await createServerCopy(base, template);
        database = await openDatabase({ databaseUrl: copy.url, maxConnections: 1 });
        cleanup = async () => {
          await database.close();
          await dropServerDatabase(base, copy.name);
          await dropServerDatabase(base, template, true);
        };
      } else {
        const dir = copyEmbeddedTemplate(await ensureEmbeddedTemplate(), 'bench-pip-');
        database = await openDatabase({ dataDir: dir });
        cleanup = async () => {
          await database.close();
          fs.rmSync(dir, { recursive: true, force: true });
        };
      }
      const { grids } = await seedBenchAreas(database);
      console.log(`  (${backend}: ${grids} benchmark grids over the county outline)`);
      return { database, points: benchPoints(401), cleanup };
    },
    async runSubject(state, i) {
      const [lon, lat] = state.points[i + 1] as [number, number];
      await createAreasRepository(state.database).placeAt(lon, lat);
    },
    async runBaseline(state) {
      await state.database.query(sql`SELECT 1`);
    },
    teardown: (state) => state.cleanup(),
  };
}

const secondStart: Benchmark<{ dataDir: string }> = {
  name: 'second-start',
  subject: '`npm start` on an initialised data dir → ready',
  baseline: 're-open the same PGlite data dir',
  iterations: 3,
  async setup() {
    const dataDir = copyEmbeddedTemplate(await ensureEmbeddedTemplate(), 'bench-start-');
    return { dataDir };
  },
  async runSubject(state) {
    const product = await startProduct({ DATA_DIR: state.dataDir, LOG_LEVEL: 'warn' });
    await product.stop();
  },
  async runBaseline(state) {
    const db = await openDatabase({ dataDir: state.dataDir });
    await db.close();
  },
  async teardown(state) {
    fs.rmSync(state.dataDir, { recursive: true, force: true });
  },
};

const countyLoad: Benchmark<{ dirs: string[] }> = {
  name: 'county-load-embedded',
  subject: 'load the demo county into an empty embedded database',
  baseline: 'read and parse the same county files (no database)',
  iterations: 3,
  async setup() {
    return { dirs: [] };
  },
  async runSubject(state) {
    const dir = copyEmbeddedTemplate(await ensureEmbeddedTemplate(), 'bench-load-');
    state.dirs.push(dir);
    const db = await openDatabase({ dataDir: dir });
    try {
      await loadCounty(db, DEMO_COUNTY_DIR);
    } finally {
      await db.close();
    }
  },
  async runBaseline() {
    for (const f of fs.readdirSync(DEMO_COUNTY_DIR)) {
      if (f.endsWith('.geojson'))
        JSON.parse(fs.readFileSync(path.join(DEMO_COUNTY_DIR, f), 'utf8'));
    }
  },
  async teardown(state) {
    for (const d of state.dirs) fs.rmSync(d, { recursive: true, force: true });
  },
};

export const databaseBenchmarks: Benchmark<never>[] = [
  embeddedOpen,
  pipBenchmark('embedded'),
  pipBenchmark('server'),
  countyLoad,
  secondStart,
] as unknown as Benchmark<never>[];
