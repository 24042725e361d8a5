/**
 * Live benchmarks: a report submitted → its event received by 1,000 connected Socket.IO
 * clients (p50 and p99 over the clients), against a bare Socket.IO broadcast of the same
 * size to the same clients; and durable report writes on the server backend against a bare
 * one-row INSERT, with the throughput of 16 concurrent writers.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import pointOnFeature from '@turf/point-on-feature';
import { sql } from 'drizzle-orm';
import type { Feature, MultiPolygon } from 'geojson';
import { io as connect, type Socket } from 'socket.io-client';
import { type App, buildApp } from '../../server/app.ts';
import { loadConfig } from '../../server/config/config.ts';
import { type Database, openDatabase } from '../../server/db/database.ts';
import type { LiveIncidentEvent } from '../../server/domain/live-events.ts';
import { DEMO_COUNTY_DIR, loadCounty } from '../../server/geodata/county-loader.ts';
import { DEMO_PASSWORD, seedDemoUsers } from '../../server/geodata/demo-users.ts';
import {
  copyEmbeddedTemplate,
  createServerCopy,
  createServerTemplate,
  dropServerDatabase,
  ensureEmbeddedTemplate,
} from '../../server/testing/database-template.ts';
import type { Benchmark, Measured } from './harness.ts';
import { stats } from './harness.ts';

const CLIENTS = 1000;

export async function openBenchDatabase(): Promise<{
  database: Database;
  cleanup: () => Promise<void>;
}> {
  const url = loadConfig().databaseUrl;
  if (url) {
    const template = await createServerTemplate(url);
    const copy = await createServerCopy(url, template);
    const database = await openDatabase({ databaseUrl: copy.url, maxConnections: 10 });
    return {
      database,
      cleanup: async () => {
        // The app may have closed it already on its way down.
        await database.close().catch(() => {});
        await dropServerDatabase(url, copy.name);
        await dropServerDatabase(url, template, true);
      },
    };
  }
  const dir = copyEmbeddedTemplate(await ensureEmbeddedTemplate(), 'bench-live-');
  const database = await openDatabase({ dataDir: dir });
  return {
    database,
    cleanup: async () => {
      await database.close().catch(() => {});
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A point inside each grid of the county, cycled through by the reports: every 89th grid (89
 * is prime to 815), so writers at once report fires across the county, not in neighbouring
 * grids whose intakes would wait for each other's merge (domain/merge-ground.ts).
 */
export const SPOTS = (
  JSON.parse(fs.readFileSync(path.join(DEMO_COUNTY_DIR, 'grids.geojson'), 'utf8'))
    .features as Feature<MultiPolygon>[]
).map((g) => pointOnFeature(g).geometry.coordinates as [number, number]);
let spot = 0;
/**
 * The write path is measured, not the anonymous limits: ranger reports without an account
 * and without a per-address cap (every bench request comes from one address).
 */
export const BENCH_CONFIG = {
  logLevel: 'silent' as const,
  bodyLimitBytes: 65536,
  reportsNeedSignIn: false,
  publicReportsPerHour: 1e9,
  publicReportsTotalPerHour: 1e9,
};
export function reportBody() {
  const [lon, lat] = SPOTS[(spot++ * 89) % SPOTS.length] as [number, number];
  return {
    clientUuid: crypto.randomUUID(),
    source: 'ranger',
    position: { lon, lat, accuracyM: 10 },
    observedAt: new Date().toISOString(),
    note: '山顶有烟',
  };
}

interface FanoutState {
  app: App;
  url: string;
  clients: Socket[];
  /** Per client: resolve when it receives the awaited marker. */
  waiting: Map<string, { t0: number; arrivals: number[]; done: () => void }>;
  pooled: number[];
  cleanup: () => Promise<void>;
}

function awaitAll(state: FanoutState, key: string, t0: number): Promise<number[]> {
  return new Promise((resolve) => {
    const arrivals: number[] = [];
    state.waiting.set(key, {
      t0,
      arrivals,
      done: () => {
        state.waiting.delete(key);
        resolve(arrivals);
      },
    });
  });
}

function onArrival(state: FanoutState, key: string) {
  const w = state.waiting.get(key);
  if (!w) return;
  w.arrivals.push(performance.now() - w.t0);
  if (w.arrivals.length === state.clients.length) w.done();
}

const p99 = (xs: number[]) =>
  [...xs].sort((a, b) => a - b)[Math.max(0, Math.ceil(0.99 * xs.length) - 1)] as number;

const fanout: Benchmark<FanoutState> = {
  name: 'live-fanout',
  subject: `report submitted → event at all ${CLIENTS} Socket.IO clients (p99 over clients)`,
  baseline: `bare Socket.IO broadcast of the same size to the same clients (p99)`,
  iterations: 20,
  async setup() {
    const { database, cleanup: dropDb } = await openBenchDatabase();
    await loadCounty(database, DEMO_COUNTY_DIR);
    await seedDemoUsers(database);
    const app = await buildApp({
      config: BENCH_CONFIG,
      database,
      startBreachClock: false,
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as { port: number };
    const url = `http://127.0.0.1:${port}`;
    // Wall screens of the command centres: signed in (viewer), so they hear events whole.
    const login = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'viewer', password: DEMO_PASSWORD, client: 'field' },
    });
    const token = login.json().token as string;
    const state: FanoutState = {
      app,
      url,
      clients: [],
      waiting: new Map(),
      pooled: [],
      cleanup: async () => {},
    };
    const lastSeq = await app.incidentsRepository.lastSeq();
    let ready = 0;
    await new Promise<void>((resolve) => {
      for (let i = 0; i < CLIENTS; i++) {
        const s = connect(url, {
          transports: ['websocket'],
          auth: { lastSeq, token },
          reconnection: false,
          forceNew: true,
        });
        s.on('incident:event', (e: LiveIncidentEvent) => {
          if ('public' in e) return;
          if (e.type === 'reported' || e.type === 'report_added')
            onArrival(state, e.payload.clientUuid);
        });
        s.on('replay:done', () => {
          ready++;
          if (ready === CLIENTS) resolve();
        });
        state.clients.push(s);
      }
    });
    console.log(`  (${CLIENTS} clients connected, ${database.kind} database)`);
    state.cleanup = async () => {
      for (const s of state.clients) s.disconnect();
      await app.close();
      await dropDb();
    };
    return state;
  },
  async runSubject(state): Promise<Measured> {
    const body = reportBody();
    const t0 = performance.now();
    const all = awaitAll(state, body.clientUuid, t0);
    const res = await fetch(`${state.url}/api/reports`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (res.status !== 201) throw new Error(`report: HTTP ${res.status}`);
    const arrivals = await all;
    state.pooled.push(...arrivals);
    return { measuredMs: p99(arrivals) };
  },
  async runBaseline(state): Promise<Measured> {
    const marker = crypto.randomUUID();
    const sample = (await state.app.incidentsRepository.eventsAfter(0, { kind: 'county' }, 1))[0];
    const t0 = performance.now();
    const all = awaitAll(state, marker, t0);
    if (sample?.type !== 'reported') throw new Error('the baseline needs a stored report event');
    // The same event as a real report's, with the marker where a report carries its UUID.
    state.app.live.io.to('county').emit('incident:event', {
      ...sample,
      seq: 0,
      payload: { ...sample.payload, clientUuid: marker },
    });
    return { measuredMs: p99(await all) };
  },
  async teardown(state) {
    const s = stats(state.pooled);
    console.log(
      `  per client, report → event: median ${s.median.toFixed(1)} ms, p99 ${p99(state.pooled).toFixed(1)} ms (n=${s.n})`,
    );
    await state.cleanup();
  },
};

interface Written {
  perSecond: number;
  p50: number;
  p99: number;
  /** CPU of this process (the app and the driving requests) per successful write, ms. */
  cpuMs: number;
}

/** 16 writers at once for 5 s: what succeeded per second, and each write's latency. */
async function sixteenWriters(write: () => Promise<boolean>): Promise<Written> {
  const seconds = 5;
  const until = performance.now() + seconds * 1000;
  const took: number[] = [];
  let ok = 0;
  const cpu0 = process.cpuUsage();
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (performance.now() < until) {
        const t0 = performance.now();
        if (await write()) ok++;
        took.push(performance.now() - t0);
      }
    }),
  );
  const cpu = process.cpuUsage(cpu0);
  took.sort((a, b) => a - b);
  const at = (p: number) => took[Math.min(took.length - 1, Math.floor(p * took.length))] ?? 0;
  return {
    perSecond: ok / seconds,
    p50: at(0.5),
    p99: at(0.99),
    cpuMs: (cpu.user + cpu.system) / 1000 / Math.max(ok, 1),
  };
}

interface WriteState {
  app: App;
  database: Database;
  cleanup: () => Promise<void>;
}

const writes: Benchmark<WriteState> = {
  name: 'report-writes-server',
  subject: 'one durable report (validate, place, merge search, insert, event)',
  baseline: 'a bare one-row INSERT (autocommit)',
  iterations: 300,
  skip: () =>
    loadConfig().databaseUrl ? undefined : 'set DATABASE_URL to a PostGIS server to run it',
  async setup() {
    const { database, cleanup } = await openBenchDatabase();
    await loadCounty(database, DEMO_COUNTY_DIR);
    await database.query(
      sql`CREATE TABLE IF NOT EXISTS bench_writes (id bigserial PRIMARY KEY, note text, at timestamptz DEFAULT now())`,
    );
    const app = await buildApp({
      config: BENCH_CONFIG,
      database,
      startBreachClock: false,
    });
    await app.ready();
    return {
      app,
      database,
      cleanup: async () => {
        await app.close();
        await cleanup();
      },
    };
  },
  runSubject: async (s) => {
    const res = await s.app.inject({ method: 'POST', url: '/api/reports', payload: reportBody() });
    if (res.statusCode !== 201) throw new Error(`report: HTTP ${res.statusCode} ${res.body}`);
  },
  runBaseline: (s) => s.database.query(sql`INSERT INTO bench_writes (note) VALUES ('山顶有烟')`),
  async teardown(s) {
    // Throughput and latency with 16 writers at once for 5 s each, the bare INSERT first.
    const bare = await sixteenWriters(() =>
      s.database.query(sql`INSERT INTO bench_writes (note) VALUES ('山顶有烟')`).then(() => true),
    );
    const reports = await sixteenWriters(async () => {
      const res = await s.app.inject({
        method: 'POST',
        url: '/api/reports',
        payload: reportBody(),
      });
      return res.statusCode === 201;
    });
    const line = (w: Written) =>
      `${w.perSecond.toFixed(0)}/s, p50 ${w.p50.toFixed(1)} ms, p99 ${w.p99.toFixed(1)} ms, Node CPU ${w.cpuMs.toFixed(2)} ms each`;
    console.log(`  16 concurrent writers, durable reports: ${line(reports)}`);
    console.log(`  16 concurrent writers, bare INSERTs:    ${line(bare)}`);
    console.log(
      `  ratio (bare INSERTs per second / durable reports per second): ${(bare.perSecond / reports.perSecond).toFixed(2)}×`,
    );
    await s.cleanup();
  },
};

export const liveBenchmarks: Benchmark<never>[] = [fanout, writes] as unknown as Benchmark<never>[];
