/**
 * Limits on the anonymous hold across server nodes: two nodes sharing Redis admit from one
 * address what one node would, not twice as much.
 */
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, buildApp } from '../app.ts';
import type { Database } from '../db/database.ts';
import { newSmallCounty } from '../testing/factories.ts';
import { fixedRateClock } from '../testing/rate-clock.ts';
import { REDIS_URL, redisUp } from '../testing/redis.ts';
import { openTestDatabase, testBackend } from '../testing/test-database.ts';

const redisAvailable = await redisUp();
let database: Database;
const apps: App[] = [];
beforeAll(async () => {
  database = await openTestDatabase();
  await newSmallCounty(database);
}, 120_000);
afterAll(async () => {
  for (const app of apps) await app.close();
  await database?.close();
});

async function node(redisPrefix: string): Promise<App> {
  const app = await buildApp({
    config: {
      logLevel: 'silent',
      bodyLimitBytes: 65536,
      publicReportsPerHour: 3,
      redisUrl: REDIS_URL,
    },
    database: { ...database, close: async () => {} },
    startBreachClock: false,
    redisPrefix,
    rateClock: fixedRateClock,
  });
  await app.ready();
  apps.push(app);
  return app;
}

let n = 0;
const publicReport = (app: App, remoteAddress: string) =>
  app.inject({
    method: 'POST',
    url: '/api/reports',
    remoteAddress,
    payload: {
      clientUuid: crypto.randomUUID(),
      source: 'public',
      position: { lon: 109.7 + (n++ % 20) * 0.012, lat: 27.83 },
      observedAt: new Date().toISOString(),
    },
  });

describe(`anonymous limits across nodes (${testBackend()})`, () => {
  it.skipIf(!redisAvailable)(
    'two nodes on one Redis admit three public reports an hour from one address, not six',
    async () => {
      const prefix = `fire-test-${crypto.randomUUID()}`;
      const a = await node(prefix);
      const b = await node(prefix);
      const address = `10.77.${crypto.randomInt(0, 250)}.${crypto.randomInt(1, 250)}`;
      const statuses: number[] = [];
      for (const app of [a, b, a, b, a, b])
        statuses.push((await publicReport(app, address)).statusCode);
      expect(statuses.filter((s) => s === 201)).toHaveLength(3);
      expect(statuses.slice(3)).toEqual([429, 429, 429]);
    },
  );
});
