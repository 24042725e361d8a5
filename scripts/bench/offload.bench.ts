/**
 * Costly work off the event loop (issue 18, item 4). `report-under-reach-load`: a signed-in
 * ranger's report acknowledged (HTTP 201) while 50 anonymous /api/reach questions are in
 * flight from 50 addresses (a separate process, reach-load.ts), against the same report with
 * no load; p50/p99 of every report are printed at the end (goal: p99 ≤ 200 ms under load).
 * `replay-50`: 50 anonymous sockets replaying from sequence 0 over a 20,000-event log until
 * every one has `replay:done`, against one socket doing the same, with the latency of a
 * report made meanwhile.
 */
import { type ChildProcessByStdio, spawn } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { sql } from 'drizzle-orm';
import { io as connect, type Socket } from 'socket.io-client';
import { type App, buildApp } from '../../server/app.ts';
import { DEMO_COUNTY_DIR, loadCounty } from '../../server/geodata/county-loader.ts';
import { seedDemoUsers } from '../../server/geodata/demo-users.ts';
import { signIn } from '../../server/testing/demo-sessions.ts';
import type { Benchmark, Measured } from './harness.ts';
import { stats } from './harness.ts';
import { openBenchDatabase, reportBody, SPOTS } from './live.bench.ts';

const LOAD = 50;
const REPORTS_PER_ROUND = 5;

const pct = (xs: number[], q: number) =>
  [...xs].sort((a, b) => a - b)[Math.max(0, Math.ceil(q * xs.length) - 1)] as number;
const summary = (label: string, xs: number[]) =>
  `${label}: p50 ${pct(xs, 0.5).toFixed(1)} ms, p99 ${pct(xs, 0.99).toFixed(1)} ms (n=${xs.length})`;

interface Served {
  app: App;
  url: string;
  ranger: string;
  cleanup: () => Promise<void>;
}

async function serve(): Promise<Served> {
  const { database, cleanup } = await openBenchDatabase();
  await loadCounty(database, DEMO_COUNTY_DIR);
  await seedDemoUsers(database);
  // Defaults of a 2-core county server: one reach worker, anonymous limits as deployed.
  const app = await buildApp({
    config: { logLevel: 'silent', bodyLimitBytes: 65536 },
    database,
    startBreachClock: false,
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as { port: number };
  return {
    app,
    url: `http://127.0.0.1:${port}`,
    ranger: await signIn(app, 'ranger'),
    cleanup: async () => {
      await app.close();
      await cleanup();
    },
  };
}

/** A signed-in ranger's report, timed from send to the 201. */
async function timedReport(s: Served): Promise<number> {
  const t0 = performance.now();
  const res = await fetch(`${s.url}/api/reports`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${s.ranger}` },
    body: JSON.stringify(reportBody()),
  });
  await res.arrayBuffer();
  if (res.status !== 201) throw new Error(`report: HTTP ${res.status}`);
  return performance.now() - t0;
}

interface LoadState extends Served {
  child: ChildProcessByStdio<Writable, Readable, null>;
  lines: AsyncIterator<string>;
  loaded: number[];
  unloaded: number[];
  counts: Record<string, number>;
  loadMs: number;
  /** The server's event-loop lag while loaded and while not (the server runs in this process). */
  lag: LagSampler;
}

interface LagSampler {
  phase: 'loaded' | 'idle' | null;
  samples: { loaded: number[]; idle: number[] };
  timer: NodeJS.Timeout;
}

/** How late a 10 ms timer fires, recorded into the current phase's samples. */
function lagSampler(): LagSampler {
  let last = performance.now();
  const s: LagSampler = {
    phase: null,
    samples: { loaded: [], idle: [] },
    timer: setInterval(() => {
      const now = performance.now();
      if (s.phase) s.samples[s.phase].push(Math.max(0, now - last - 10));
      last = now;
    }, 10),
  };
  return s;
}

async function command(s: LoadState, cmd: string, answer?: string): Promise<string> {
  s.child.stdin.write(`${cmd}\n`);
  if (!answer) return '';
  for (;;) {
    const { value, done } = await s.lines.next();
    if (done) throw new Error('the load process ended');
    if (answer === '*' || value === answer) return value;
  }
}

async function reports(s: Served, into: number[]): Promise<Measured> {
  const round: number[] = [];
  for (let i = 0; i < REPORTS_PER_ROUND; i++) round.push(await timedReport(s));
  into.push(...round);
  return { measuredMs: stats(round).median };
}

const underLoad: Benchmark<LoadState> = {
  name: 'report-under-reach-load',
  subject: `ranger report → 201 with ${LOAD} anonymous /api/reach in flight`,
  baseline: 'the same report with no load',
  iterations: 30,
  async setup() {
    const served = await serve();
    // Build the reach workers before timing (a signed-in question waits for them).
    const warm = await fetch(`${served.url}/api/reach?lon=109.8&lat=27.87`, {
      headers: { authorization: `Bearer ${served.ranger}` },
    });
    if (warm.status !== 200) throw new Error(`reach warm-up: HTTP ${warm.status}`);
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        path.join(import.meta.dirname, 'reach-load.ts'),
        served.url,
        String(LOAD),
        JSON.stringify(SPOTS.filter((_, i) => i % 7 === 0)),
      ],
      { stdio: ['pipe', 'pipe', 'inherit'] },
    );
    const lines = readline.createInterface({ input: child.stdout })[Symbol.asyncIterator]();
    const state: LoadState = {
      ...served,
      child,
      lines,
      loaded: [],
      unloaded: [],
      counts: {},
      loadMs: 0,
      lag: lagSampler(),
    };
    const ready = await lines.next();
    if (ready.value !== 'ready') throw new Error(`load process: ${ready.value}`);
    return state;
  },
  async runSubject(s) {
    await command(s, 'on');
    // Let the 50 loops fill the queue before the report.
    await new Promise((r) => setTimeout(r, 500));
    const t0 = performance.now();
    s.lag.phase = 'loaded';
    const m = await reports(s, s.loaded);
    s.lag.phase = null;
    await command(s, 'off', 'idle');
    s.loadMs += performance.now() - t0 + 500;
    const counts = JSON.parse(await command(s, 'stats', '*')) as Record<string, number>;
    for (const [k, v] of Object.entries(counts)) s.counts[k] = (s.counts[k] ?? 0) + v;
    return m;
  },
  async runBaseline(s) {
    s.lag.phase = 'idle';
    const m = await reports(s, s.unloaded);
    s.lag.phase = null;
    return m;
  },
  async teardown(s) {
    const ok = s.counts['200'] ?? 0;
    console.log(
      `  reach under load: ${ok} answered (${((ok * 1000) / s.loadMs).toFixed(1)}/s), ` +
        `${s.counts['503'] ?? 0} refused busy (503), ${s.counts['429'] ?? 0} over the per-address limit (429), ` +
        `other ${Object.entries(s.counts)
          .filter(([k]) => !['200', '503', '429'].includes(k))
          .map(([k, v]) => `${k}:${v}`)
          .join(' ')}`,
    );
    console.log(`  ${summary('report with load', s.loaded)}`);
    console.log(`  ${summary('report without load', s.unloaded)}`);
    console.log(
      `  ratio p50 ${(pct(s.loaded, 0.5) / pct(s.unloaded, 0.5)).toFixed(2)}×, p99 ${(pct(s.loaded, 0.99) / pct(s.unloaded, 0.99)).toFixed(2)}× (goal: p99 under load ≤ 200 ms)`,
    );
    clearInterval(s.lag.timer);
    console.log(`  ${summary('server event-loop lag with load', s.lag.samples.loaded)}`);
    console.log(`  ${summary('server event-loop lag without load', s.lag.samples.idle)}`);
    s.child.kill();
    await s.cleanup();
  },
};

interface ReplayState extends Served {
  events: number;
  during50: number[];
  during1: number[];
}

/** `n` anonymous sockets from sequence 0; resolves when every one has had replay:done. */
async function replayAll(s: ReplayState, n: number, into: number[]): Promise<Measured> {
  const t0 = performance.now();
  const sockets: Socket[] = [];
  const done = Promise.all(
    Array.from({ length: n }, () => {
      const socket = connect(s.url, {
        transports: ['websocket'],
        auth: { lastSeq: 0 },
        reconnection: false,
        forceNew: true,
      });
      sockets.push(socket);
      return new Promise<void>((resolve, reject) => {
        socket.on('replay:done', () => resolve());
        socket.on('connect_error', reject);
      });
    }),
  );
  // A ranger's reports, one after another, for as long as they replay.
  let replaying = true;
  const finished = done.then(() => {
    replaying = false;
  });
  await new Promise((r) => setTimeout(r, 20));
  do into.push(await timedReport(s));
  while (replaying);
  await finished;
  const measuredMs = performance.now() - t0;
  for (const socket of sockets) socket.disconnect();
  return { measuredMs };
}

const replay50: Benchmark<ReplayState> = {
  name: 'replay-50',
  subject: '50 anonymous sockets replaying from sequence 0 (20k-event log)',
  baseline: 'one socket replaying from sequence 0',
  iterations: 8,
  async setup() {
    const served = await serve();
    for (let i = 0; i < 20; i++) await timedReport(served);
    // A season's log: the first reports' events repeated to 20,000.
    const db = served.app.database;
    const [{ n } = { n: 0 }] = await db.query<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM incident_events`,
    );
    await db.query(sql`
      INSERT INTO incident_events (incident_id, type, actor_label, payload)
      SELECT e.incident_id, e.type, e.actor_label, e.payload
      FROM generate_series(1, ${Math.ceil(20_000 / Math.max(1, n))}) g, incident_events e
      ORDER BY g, e.seq`);
    const [{ total } = { total: 0 }] = await db.query<{ total: number }>(
      sql`SELECT count(*)::int AS total FROM incident_events`,
    );
    console.log(`  (${total} events in the log)`);
    return { ...served, events: total, during50: [], during1: [] };
  },
  runSubject: (s) => replayAll(s, 50, s.during50),
  runBaseline: (s) => replayAll(s, 1, s.during1),
  async teardown(s) {
    console.log(`  ${summary('report during 50 replays', s.during50)}`);
    console.log(`  ${summary('report during 1 replay', s.during1)}`);
    await s.cleanup();
  },
};

export const offloadBenchmarks: Benchmark<never>[] = [
  underLoad,
  replay50,
] as unknown as Benchmark<never>[];
