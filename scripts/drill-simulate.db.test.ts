/**
 * `npm run drill:simulate` against a listening app on the small county (testing/factories.ts):
 * a drill fire started in drill mode, confirmed and a crew sent, is reached by the crew's
 * simulated phone through the real position endpoint (the server records the arrival); a real
 * fire is refused.
 */
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../server/app.ts';
import type { Database } from '../server/db/database.ts';
import { DEMO_PASSWORD } from '../server/geodata/demo-users.ts';
import { openSmallApp, requestsAs } from '../server/testing/demo-sessions.ts';
import { ROOT } from './e2e/product.ts';

let app: App;
let database: Database;
let api: ReturnType<typeof requestsAs>;
let base = '';
let gaocun = '';

beforeAll(async () => {
  const small = await openSmallApp();
  ({ app, database } = small);
  api = requestsAs(app, small.tokens);
  gaocun = small.county.townships.gaocun.code;
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});
afterAll(async () => {
  await app?.close();
});

function simulate(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(
      'npm',
      [
        'run',
        '--silent',
        'drill:simulate',
        '--',
        '--server',
        base,
        '--username',
        'county',
        ...args,
      ],
      { cwd: ROOT },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      err += d;
    });
    child.on('close', (code) => resolve({ code: code ?? -1, out, err }));
    child.stdin.end(`${DEMO_PASSWORD}\n`);
  });
}

async function fire(path: string, body: Record<string, unknown>, who: string) {
  const res = await api.post(path, who, body);
  expect(res.statusCode, res.body).toBe(201);
  return res.json().incidentId as string;
}

describe('drill:simulate', () => {
  it('drives the crew sent to a drill fire to it; the server records the arrival', async () => {
    const drill = await api.post('/api/drills', 'county', {
      title: '模拟演练',
      heldOn: '2026-04-01',
      townshipCode: gaocun,
      participants: 20,
    });
    const id = await fire(
      `/api/drills/${drill.json().id}/start`,
      {
        clientUuid: crypto.randomUUID(),
        position: { lon: 109.805, lat: 27.87 },
        observedAt: new Date().toISOString(),
      },
      'county',
    );
    for (const to of ['verifying', 'confirmed'])
      expect(
        (await api.post(`/api/incidents/${id}/transitions`, 'county', { to })).statusCode,
      ).toBe(200);
    const sent = await api.post(`/api/incidents/${id}/dispatches`, 'county', {
      crewIds: ['CR-T106'],
    });
    expect(sent.statusCode, sent.body).toBe(201);
    // The crew's phone is told its task is a drill.
    const task = await api.get('/api/crews/CR-T106/dispatch', 'crew-gaocun');
    expect(task.json().dispatch.incident).toMatchObject({ id, drill: true });
    const run = await simulate('--incident', id, '--every', '1', '--speedup', '600');
    expect(run.code, run.err).toBe(0);
    expect(run.out).toMatch(/^CR-T106 .* arrived after \d+ s$/m);
    const [d] = await database.query<{
      status: string;
      arrived_at: string | null;
      fixes: number;
    }>(sql`
      SELECT d.status, d.arrived_at,
             (SELECT count(*)::int FROM crew_positions p WHERE p.crew_id = d.crew_id) AS fixes
      FROM dispatches d WHERE d.incident_id = ${id}::uuid`);
    expect(d?.status).toBe('on_scene');
    expect(d?.arrived_at).not.toBeNull();
    expect(d?.fixes).toBeGreaterThan(1);
    const [inc] = await database.query<{ state: string }>(
      sql`SELECT state FROM incidents WHERE id = ${id}::uuid`,
    );
    expect(inc?.state).toBe('on_scene');
  }, 120_000);

  it('refuses a real fire and moves no crew', async () => {
    const id = await fire(
      '/api/reports',
      {
        clientUuid: crypto.randomUUID(),
        source: 'lookout',
        position: { lon: 109.6, lat: 27.75 },
        observedAt: new Date().toISOString(),
      },
      'lookout',
    );
    const before = await database.query(sql`SELECT 1 FROM crew_positions`);
    const run = await simulate('--incident', id);
    expect(run.code).toBe(2);
    expect(run.err).toContain('is not a drill');
    expect(await database.query(sql`SELECT 1 FROM crew_positions`)).toHaveLength(before.length);
  }, 60_000);
});
