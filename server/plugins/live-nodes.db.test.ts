/**
 * Two server nodes on one PostgreSQL with Redis between them (issue 17, item 1): a socket on
 * node B hears a report posted to node A; a node stopped (node A) or killed with SIGKILL (a
 * third node in its own process) in the middle of a burst loses no acknowledged event for B's
 * client (live, or by replay from the database when it reconnects as the real client does);
 * the breach clock runs on exactly one node and moves when that node stops. PGlite is one
 * process's database, so this runs on the server backend only; Redis 7 at 127.0.0.1:6379
 * (.ci/run starts it).
 */
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { createClient } from 'redis';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, buildApp } from '../app.ts';
import type { Database } from '../db/database.ts';
import type {
  ClientToServerEvents,
  LiveIncidentEvent,
  ServerToClientEvents,
} from '../domain/live-events.ts';
import { DEMO_COUNTY_DIR, loadCounty } from '../geodata/county-loader.ts';
import { seedDemoUsers } from '../geodata/demo-users.ts';
import { signIn } from '../testing/demo-sessions.ts';
import { openTestDatabase, testBackend } from '../testing/test-database.ts';

const REDIS_URL = 'redis://127.0.0.1:6379';
const onServer = testBackend() === 'server';

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;

let database: Database & { url?: string };
let nodeA: App;
let nodeB: App;
let urlA = '';
let urlB = '';
let token = '';
/** Points well apart (every 20th grid), so each report opens its own incident. */
let points: { lon: number; lat: number }[] = [];
const prefix = `fire-test-${crypto.randomUUID()}`;

async function startNode(): Promise<{ app: App; url: string }> {
  const app = await buildApp({
    config: { logLevel: 'silent', bodyLimitBytes: 65536, redisUrl: REDIS_URL },
    // The nodes share the test's database; the test closes it.
    database: { ...database, close: async () => {} },
    redisPrefix: prefix,
    breachClockLeaseCheckMs: 200,
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as { port: number };
  return { app, url: `http://127.0.0.1:${port}` };
}

/** A node in its own process (server/testing/serve-node.ts), to be killed outright. */
async function startNodeProcess() {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'server/testing/serve-node.ts', prefix],
    {
      cwd: root,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '/tmp',
        DATABASE_URL: database.url ?? '',
        REDIS_URL,
        PORT: '0',
        HOST: '127.0.0.1',
        LOG_LEVEL: 'silent',
        DEMO: 'false',
        // Its audit key and anchors, away from the checkout's ./data (the anchors of a test
        // database there would not match the developer's own trail).
        DATA_DIR: path.join(os.tmpdir(), prefix),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  child.stdout.on('data', (d) => {
    out += d;
  });
  child.stderr.on('data', (d) => {
    out += d;
  });
  await waitFor(`node process ready (${out})`, () => /listening \d+/.test(out), 60_000);
  const port = out.match(/listening (\d+)/)?.[1];
  const exited = new Promise((r) => child.once('exit', r));
  return { url: `http://127.0.0.1:${port}`, kill: () => child.kill('SIGKILL'), exited };
}

async function waitFor(what: string, ok: () => boolean, ms = 30_000): Promise<void> {
  const until = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > until) throw new Error(`gave up waiting: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A signed-in client that records every event, as the command page's live client does. */
function follow(url: string, lastSeq: number) {
  const seen: LiveIncidentEvent[] = [];
  let done = false;
  const socket: Client = connect(url, {
    auth: { lastSeq, token },
    transports: ['websocket'],
    reconnection: false,
  });
  socket.on('incident:event', (e) => seen.push(e));
  socket.on('replay:done', () => {
    done = true;
  });
  return { socket, seen, ready: () => waitFor('replay', () => done) };
}

/**
 * B's client reconnects with the last sequence it saw, as the real one does, and gets the
 * rest from the database: the acknowledged incidents it has heard of neither way.
 */
async function missingAfterReconnect(
  b: ReturnType<typeof follow>,
  from: number,
  acknowledged: string[],
): Promise<string[]> {
  const seenSeq = Math.max(from, ...b.seen.map((e) => e.seq));
  b.socket.disconnect();
  const again = follow(urlB, seenSeq);
  await again.ready();
  again.socket.disconnect();
  const heard = new Set([...b.seen, ...again.seen].map((e) => e.incidentId));
  return acknowledged.filter((id) => !heard.has(id));
}

let n = 0;
async function report(url: string): Promise<Response> {
  const p = points[n++ % points.length] as { lon: number; lat: number };
  return fetch(`${url}/api/reports`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({
      clientUuid: crypto.randomUUID(),
      source: 'ranger',
      position: { ...p, accuracyM: 10 },
      observedAt: new Date().toISOString(),
    }),
  });
}

async function lastSeq(): Promise<number> {
  const [r] = await database.query<{ s: number }>(
    sql`SELECT COALESCE(max(seq), 0)::int AS s FROM incident_events`,
  );
  return Number(r?.s ?? 0);
}

beforeAll(async () => {
  if (!onServer) return;
  database = await openTestDatabase();
  await loadCounty(database, DEMO_COUNTY_DIR);
  await seedDemoUsers(database);
  points = (
    await database.query<{ lon: number; lat: number }>(sql`
      SELECT ST_X(p) AS lon, ST_Y(p) AS lat FROM (
        SELECT ST_PointOnSurface(geom) AS p, row_number() OVER (ORDER BY code) AS i FROM grids) g
      WHERE i % 20 = 0`)
  ).map((r) => ({ lon: Number(r.lon), lat: Number(r.lat) }));
  ({ app: nodeA, url: urlA } = await startNode());
  ({ app: nodeB, url: urlB } = await startNode());
  token = await signIn(nodeA, 'county');
}, 120_000);
afterAll(async () => {
  await nodeB?.close();
  await nodeA?.close();
  await database?.close();
  fs.rmSync(path.join(os.tmpdir(), prefix), { recursive: true, force: true });
  if (!onServer) return;
  // The streams this run left in Redis.
  const redis = createClient({ url: REDIS_URL });
  await redis.connect();
  for await (const keys of redis.scanIterator({ MATCH: `${prefix}:*` }))
    if (keys.length > 0) await redis.del(keys);
  await redis.quit();
});

describe.skipIf(!onServer)('two server nodes on one PostgreSQL, Redis between them', () => {
  it('runs the breach clock and the rhythm watch on exactly one node', async () => {
    await waitFor('a leader', () => nodeA.breachClockLeader() || nodeB.breachClockLeader());
    // Both have tried several times by now (every 200 ms); still only one holds it.
    await new Promise((r) => setTimeout(r, 1000));
    expect([nodeA.breachClockLeader(), nodeB.breachClockLeader()].filter(Boolean)).toHaveLength(1);
    // A was ready first, so it leads; the last test sees the lead move when A stops.
    expect(nodeA.breachClockLeader()).toBe(true);
    // The 321 rhythm's overdue pushes too: from one node, or each page hears each twice.
    expect([nodeA.rhythmWatchLeader(), nodeB.rhythmWatchLeader()].filter(Boolean)).toHaveLength(1);
  });

  it('delivers a report posted to node A to a socket on node B', async () => {
    const b = follow(urlB, await lastSeq());
    await b.ready();
    const res = await report(urlA);
    expect(res.status).toBe(201);
    const { incidentId } = (await res.json()) as { incidentId: string };
    await waitFor('the event on B', () => b.seen.some((e) => e.incidentId === incidentId));
    expect(b.seen.find((e) => e.incidentId === incidentId)?.type).toBe('reported');
    b.socket.disconnect();
  });

  it('loses no acknowledged event when node A stops mid-burst', async () => {
    const from = await lastSeq();
    const b = follow(urlB, from);
    await b.ready();
    const acknowledged: string[] = [];
    let closing: Promise<void> | null = null;
    let beforeClose: string[] = [];
    for (let i = 0; i < 30; i++) {
      // Three at a time; node A is told to stop after the first twelve.
      const answers = await Promise.allSettled([report(urlA), report(urlA), report(urlA)]);
      for (const a of answers)
        if (a.status === 'fulfilled' && a.value.status === 201)
          acknowledged.push(((await a.value.json()) as { incidentId: string }).incidentId);
      if (i === 3) {
        beforeClose = [...acknowledged];
        closing = nodeA.close();
      }
      if (closing && answers.every((a) => a.status === 'rejected' || a.value.status !== 201)) break;
    }
    await closing;
    expect(beforeClose).toHaveLength(12);
    // What A acknowledged before it was told to stop reached B live, through Redis.
    await waitFor('live events on B', () =>
      beforeClose.every((id) => b.seen.some((e) => e.incidentId === id)),
    );
    expect(await missingAfterReconnect(b, from, acknowledged)).toEqual([]);
  });

  it('moves the breach clock to node B once node A has stopped', async () => {
    await waitFor('B to lead', () => nodeB.breachClockLeader());
    expect(nodeB.breachClockLeader()).toBe(true);
  });

  it('loses no acknowledged event when a node process is killed mid-burst', async () => {
    const nodeC = await startNodeProcess();
    const from = await lastSeq();
    const b = follow(urlB, from);
    await b.ready();
    const acknowledged: string[] = [];
    let killed = false;
    for (let i = 0; i < 30; i++) {
      const answers = await Promise.allSettled(Array.from({ length: 4 }, () => report(nodeC.url)));
      // SIGKILL while the next requests are in flight: no graceful close, no last flush.
      if (i === 3) {
        const next = [report(nodeC.url), report(nodeC.url)];
        nodeC.kill();
        killed = true;
        answers.push(...(await Promise.allSettled(next)));
      }
      for (const a of answers)
        if (a.status === 'fulfilled' && a.value.status === 201)
          acknowledged.push(((await a.value.json()) as { incidentId: string }).incidentId);
      if (killed) break;
    }
    await nodeC.exited;
    expect(acknowledged.length).toBeGreaterThanOrEqual(16);
    // Some of it came live through Redis before the kill.
    expect(b.seen.length).toBeGreaterThan(0);
    expect(await missingAfterReconnect(b, from, acknowledged)).toEqual([]);
  });
});
