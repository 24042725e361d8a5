/**
 * TRUST_PROXY: behind the county's TLS reverse proxy the session cookie is Secure and
 * per-address limits see the real caller; without it, forwarded headers are anyone's
 * words and change nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, buildApp } from '../app.ts';
import { ConfigError, loadConfig } from '../config/config.ts';
import type { Database } from '../db/database.ts';
import { newSmallCounty, newSmallCountyUsers, TEST_PASSWORD } from '../testing/factories.ts';
import { fixedRateClock } from '../testing/rate-clock.ts';
import { openTestDatabase, testBackend } from '../testing/test-database.ts';

let database: Database;
let shared: Database;
beforeAll(async () => {
  database = await openTestDatabase();
  await newSmallCountyUsers(database, await newSmallCounty(database));
  shared = { ...database, close: async () => {} };
}, 120_000);
afterAll(async () => {
  await database?.close();
});

async function appWith(trustProxy: boolean | number | string): Promise<App> {
  const app = await buildApp({
    config: { logLevel: 'silent', bodyLimitBytes: 65536, trustProxy, publicReportsPerHour: 1 },
    database: shared,
    startBreachClock: false,
    rateClock: fixedRateClock,
  });
  await app.ready();
  return app;
}

const login = (app: App) =>
  app.inject({
    method: 'POST',
    url: '/api/auth/login',
    remoteAddress: '127.0.0.1',
    headers: { 'x-forwarded-proto': 'https', 'x-forwarded-for': '10.20.30.40' },
    payload: { username: 'viewer', password: TEST_PASSWORD },
  });

let n = 0;
const publicReport = (app: App, forwardedFor: string) =>
  app.inject({
    method: 'POST',
    url: '/api/reports',
    remoteAddress: '127.0.0.1',
    headers: { 'x-forwarded-for': forwardedFor },
    payload: {
      clientUuid: crypto.randomUUID(),
      source: 'public',
      position: { lon: 109.7 + (n++ % 20) * 0.01, lat: 27.8 },
      observedAt: new Date().toISOString(),
    },
  });

describe(`TRUST_PROXY (${testBackend()})`, () => {
  it('reads true, false, a hop count and proxy addresses, and refuses anything else', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(loadConfig({ TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.5, 10.0.1.0/24' }).trustProxy).toBe(
      '10.0.0.5, 10.0.1.0/24',
    );
    expect(() => loadConfig({ TRUST_PROXY: 'nginx please' })).toThrow(ConfigError);
  });

  it('marks the session cookie Secure only when a trusted proxy says the caller used https', async () => {
    const direct = await appWith(false);
    const proxied = await appWith('127.0.0.1');
    try {
      const plain = await login(direct);
      expect(plain.statusCode).toBe(200);
      expect(String(plain.headers['set-cookie'])).not.toMatch(/;\s*Secure/i);
      const tls = await login(proxied);
      expect(tls.statusCode).toBe(200);
      expect(String(tls.headers['set-cookie'])).toMatch(/;\s*Secure/i);
    } finally {
      await direct.close();
      await proxied.close();
    }
  });

  it('limits each caller behind a trusted proxy, and ignores a forged X-Forwarded-For otherwise', async () => {
    const proxied = await appWith('127.0.0.1');
    const direct = await appWith(false);
    try {
      // One public report an hour per address: two callers behind the proxy get one each.
      expect((await publicReport(proxied, '10.1.1.1')).statusCode).toBe(201);
      expect((await publicReport(proxied, '10.1.1.1')).statusCode).toBe(429);
      expect((await publicReport(proxied, '10.1.1.2')).statusCode).toBe(201);
      // Straight to the server, a new X-Forwarded-For per request buys nothing.
      expect((await publicReport(direct, '10.2.2.1')).statusCode).toBe(201);
      expect((await publicReport(direct, '10.2.2.2')).statusCode).toBe(429);
    } finally {
      await direct.close();
      await proxied.close();
    }
  });
});
