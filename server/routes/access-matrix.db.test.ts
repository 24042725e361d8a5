/**
 * Every write endpoint × every demo role (and no sign-in): who is let through and who gets
 * 401/403. "Let through" means any answer other than 401/403 — the request may still be a
 * 409 (wrong state) or 404, which is the endpoint's business, not access. Every POST route
 * the app registers must be in the table, so a new write endpoint cannot skip the matrix.
 */
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, buildApp } from '../app.ts';
import { DEMO_COUNTY_DIR, loadCounty } from '../geodata/county-loader.ts';
import { DEMO_PASSWORD, DEMO_USERS, seedDemoUsers } from '../geodata/demo-users.ts';
import { signInDemoUsers } from '../testing/demo-sessions.ts';
import { openTestDatabase, testBackend } from '../testing/test-database.ts';

let app: App;
const tokens = new Map<string, string>();
let incident = '';
let dispatchId = '';

beforeAll(async () => {
  const database = await openTestDatabase();
  await loadCounty(database, DEMO_COUNTY_DIR);
  await seedDemoUsers(database);
  app = await buildApp({
    config: { logLevel: 'silent', bodyLimitBytes: 65536 },
    database,
    startBreachClock: false,
  });
  await app.ready();
  for (const [user, token] of await signInDemoUsers(app)) tokens.set(user, token);
  // A confirmed fire in 高村镇 with the township crew dispatched to it.
  const county = { authorization: `Bearer ${tokens.get('county')}` };
  const report = await app.inject({
    method: 'POST',
    url: '/api/reports',
    payload: {
      clientUuid: crypto.randomUUID(),
      source: 'lookout',
      position: { lon: 109.805, lat: 27.87 },
      observedAt: new Date().toISOString(),
    },
  });
  incident = report.json().incidentId;
  for (const to of ['verifying', 'confirmed'])
    await app.inject({
      method: 'POST',
      url: `/api/incidents/${incident}/transitions`,
      headers: county,
      payload: { to },
    });
  const d = await app.inject({
    method: 'POST',
    url: `/api/incidents/${incident}/dispatches`,
    headers: county,
    payload: { crewIds: ['CR-T106'] },
  });
  dispatchId = d.json().dispatchIds[0];
}, 120_000);
afterAll(async () => {
  await app?.close();
});

type Who = (typeof DEMO_USERS)[number]['username'] | 'anonymous';
const EVERYONE: Who[] = [...DEMO_USERS.map((u) => u.username), 'anonymous'];

interface Row {
  route: string;
  request: () => { url: string; payload: Record<string, unknown> };
  /** Who gets through; everyone else 403 (or 401 when not signed in). */
  allowed: Who[];
}

const uuid = () => crypto.randomUUID();
const TABLE: Row[] = [
  {
    route: '/api/auth/login',
    request: () => ({ url: '/api/auth/login', payload: { username: 'nobody', password: 'x' } }),
    // Anyone may try; wrong credentials are a 401 of their own, checked in the sign-in tests.
    allowed: [],
  },
  {
    route: '/api/auth/logout',
    request: () => ({ url: '/api/auth/logout', payload: {} }),
    allowed: EVERYONE,
  },
  {
    route: '/api/reports',
    request: () => ({
      url: '/api/reports',
      payload: {
        clientUuid: uuid(),
        source: 'public',
        position: { lon: 109.9 + Math.random() * 0.01, lat: 27.95 },
        observedAt: new Date().toISOString(),
      },
    }),
    allowed: EVERYONE,
  },
  {
    route: '/api/incidents/:id/transitions',
    request: () => ({
      url: `/api/incidents/${incident}/transitions`,
      payload: { to: 'verifying' },
    }),
    allowed: ['county', 'zone-gaocun', 'twp-gaocun', 'village', 'lookout'],
  },
  {
    route: '/api/incidents/:id/dispatches',
    request: () => ({
      url: `/api/incidents/${incident}/dispatches`,
      payload: { crewIds: ['CR-T106'] },
    }),
    allowed: ['county', 'zone-gaocun', 'twp-gaocun'],
  },
  {
    route: '/api/incidents/:id/escalations',
    request: () => ({
      url: `/api/incidents/${incident}/escalations`,
      payload: { level: 'township', reason: '蔓延' },
    }),
    allowed: ['county', 'zone-gaocun', 'twp-gaocun', 'village'],
  },
  {
    route: '/api/incidents/:id/command-post',
    request: () => ({
      url: `/api/incidents/${incident}/command-post`,
      payload: { name: '前指', lon: 109.803, lat: 27.869 },
    }),
    allowed: ['county', 'zone-gaocun', 'twp-gaocun'],
  },
  {
    route: '/api/incidents/:id/orders',
    request: () => ({
      url: `/api/incidents/${incident}/orders`,
      payload: { text: '沿防火线阻截' },
    }),
    allowed: ['county', 'zone-gaocun', 'twp-gaocun'],
  },
  {
    route: '/api/dispatches/:id/status',
    request: () => ({
      url: `/api/dispatches/${dispatchId}/status`,
      payload: { status: 'acknowledged' },
    }),
    allowed: ['county', 'zone-gaocun', 'twp-gaocun', 'crew-gaocun'],
  },
  {
    route: '/api/crews/:id/positions',
    request: () => ({
      url: '/api/crews/CR-T106/positions',
      payload: { lon: 109.79, lat: 27.86, accuracyM: 9, recordedAt: new Date().toISOString() },
    }),
    allowed: ['county', 'crew-gaocun'],
  },
  {
    route: '/api/crews/:id/orders/:orderId/read',
    request: () => ({ url: `/api/crews/CR-T106/orders/${uuid()}/read`, payload: {} }),
    allowed: ['crew-gaocun'],
  },
];

describe(`access matrix on the ${testBackend()} backend`, () => {
  it('has every POST route of the app in its table', () => {
    const routes = app
      .printRoutes({ method: 'POST', commonPrefix: false })
      .split('\n')
      .map((l) => l.match(/(\/api\/\S+) \(POST\)/)?.[1])
      .filter((r): r is string => Boolean(r));
    expect(routes.length).toBeGreaterThanOrEqual(TABLE.length);
    expect(new Set(routes)).toEqual(new Set(TABLE.map((r) => r.route)));
  });

  for (const row of TABLE)
    it(`${row.route}: ${row.allowed.length === EVERYONE.length ? 'everyone' : row.allowed.join(', ') || 'anyone may try'}`, async () => {
      for (const who of EVERYONE) {
        const { url, payload } = row.request();
        const res = await app.inject({
          method: 'POST',
          url,
          payload,
          headers: who === 'anonymous' ? {} : { authorization: `Bearer ${tokens.get(who)}` },
        });
        if (row.route === '/api/auth/login') {
          expect(res.statusCode, who).toBe(401);
          continue;
        }
        const denied = who === 'anonymous' ? 401 : 403;
        if (row.allowed.includes(who))
          expect([401, 403], `${who} → ${res.statusCode} ${res.body}`).not.toContain(
            res.statusCode,
          );
        else expect(res.statusCode, `${who} → ${res.body}`).toBe(denied);
        // Logging out ends the session: sign in again for the next rows.
        if (row.route === '/api/auth/logout' && who !== 'anonymous') {
          const again = await app.inject({
            method: 'POST',
            url: '/api/auth/login',
            payload: { username: who, password: DEMO_PASSWORD, client: 'field' },
          });
          tokens.set(who, again.json().token);
        }
      }
    });
});
