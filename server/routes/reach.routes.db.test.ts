/**
 * Reach over HTTP, with the engine built from the database: it must give the same answers
 * as an engine built straight from the county files.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, buildApp } from '../app.ts';
import { ReachEngine } from '../domain/reach/reach-engine.ts';
import { DEMO_COUNTY_DIR, loadCounty } from '../geodata/county-loader.ts';
import { readReachData } from '../geodata/reach-data.ts';
import { fixedRateClock } from '../testing/rate-clock.ts';
import { openTestDatabase, testBackend } from '../testing/test-database.ts';
import { ANONYMOUS_REACH_DATA_PER_HOUR, ANONYMOUS_REACH_PER_MINUTE } from './reach.routes.ts';

let app: App;
beforeAll(async () => {
  const database = await openTestDatabase();
  await loadCounty(database, DEMO_COUNTY_DIR);
  app = await buildApp({
    config: { logLevel: 'silent', bodyLimitBytes: 65536 },
    database,
    rateClock: fixedRateClock,
  });
  await app.ready();
});
afterAll(async () => {
  await app?.close();
});

describe(`reach API on the ${testBackend()} backend`, () => {
  it('ranks every crew as the engine built from the county files does', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/reach?lon=109.74&lat=27.83' });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    const fromFiles = new ReachEngine(await readReachData(DEMO_COUNTY_DIR)).toPoint(109.74, 27.83);
    expect(body.crews).toHaveLength(fromFiles.crews.length);
    for (const [i, c] of fromFiles.crews.entries()) {
      expect(body.crews[i].seconds).toBeCloseTo(c.seconds as number, 0);
    }
    expect(
      body.isochrones.features.map(
        (f: { properties: { minutes: number } }) => f.properties.minutes,
      ),
    ).toEqual([10, 20, 30]);
    expect(body.waterSources.length).toBeGreaterThan(0);
    expect(body.crews[0].name).toMatch(/扑火队|消防|应急|林业|公安/);
  });

  it('refuses points outside the county and wrong types, naming the field', async () => {
    const outside = await app.inject({ method: 'GET', url: '/api/reach?lon=110.5&lat=27.8' });
    expect(outside.statusCode).toBe(422);
    expect(outside.json().field).toBe('lon,lat');
    const wrong = await app.inject({ method: 'GET', url: '/api/reach?lon=abc&lat=27.8' });
    expect(wrong.statusCode).toBe(400);
    expect(JSON.stringify(wrong.json())).toContain('lon');
  });

  it('audits coverage of all 815 grids', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/reach/coverage' });
    expect(res.statusCode).toBe(200);
    const audit = res.json();
    expect(audit.grids).toHaveLength(815);
    expect(audit.uncovered.length).toBe(
      audit.grids.filter((g: { meetsTarget: boolean }) => !g.meetsTarget).length,
    );
    expect(audit.suggestions.length).toBeGreaterThan(0);
  });

  it('serves the network and the DEM to the command page, with ETags', async () => {
    const net = await app.inject({ method: 'GET', url: '/api/reach/network' });
    expect(net.statusCode).toBe(200);
    const files = JSON.parse(fs.readFileSync(path.join(DEMO_COUNTY_DIR, 'roads.geojson'), 'utf8'));
    expect(net.json().roads).toHaveLength(files.features.length);
    const again = await app.inject({
      method: 'GET',
      url: '/api/reach/network',
      headers: { 'if-none-match': net.headers.etag as string },
    });
    expect(again.statusCode).toBe(304);
    const dem = await app.inject({ method: 'GET', url: '/api/reach/dem.tif' });
    expect(dem.statusCode).toBe(200);
    expect(
      Buffer.compare(dem.rawPayload, fs.readFileSync(path.join(DEMO_COUNTY_DIR, 'dem.tif'))),
    ).toBe(0);
  });

  it('limits reach questions from one address without sign-in (429 naming the field), others unaffected', async () => {
    const ask = (remoteAddress: string) =>
      app.inject({ method: 'GET', url: '/api/reach?lon=109.74&lat=27.83', remoteAddress });
    for (let i = 0; i < ANONYMOUS_REACH_PER_MINUTE; i++)
      expect((await ask('10.3.3.3')).statusCode).toBe(200);
    const refused = await ask('10.3.3.3');
    expect(refused.statusCode).toBe(429);
    expect(refused.json().field).toBe('lon,lat');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect((await ask('10.3.3.4')).statusCode).toBe(200);
  });

  it('limits downloads of the DEM and the network from one address without sign-in (429 naming which), others unaffected', async () => {
    for (const [url, field] of [
      ['/api/reach/dem.tif', 'dem.tif'],
      ['/api/reach/network', 'network'],
    ] as const) {
      const get = (remoteAddress: string) => app.inject({ method: 'GET', url, remoteAddress });
      for (let i = 0; i < ANONYMOUS_REACH_DATA_PER_HOUR; i++)
        expect((await get('10.4.4.4')).statusCode).toBe(200);
      const refused = await get('10.4.4.4');
      expect(refused.statusCode).toBe(429);
      expect(refused.json().field).toBe(field);
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      expect((await get('10.4.4.5')).statusCode).toBe(200);
    }
  });

  it('answers 503 with Retry-After naming the field when the reach queue is full, not queueing without bound', async () => {
    // 60 anonymous questions at once from 60 addresses (each within its own limit): the
    // worker takes one, REACH_QUEUE (32) wait, the rest are refused at once.
    const answers = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        app.inject({
          method: 'GET',
          url: '/api/reach?lon=109.74&lat=27.83',
          remoteAddress: `10.9.0.${i + 1}`,
        }),
      ),
    );
    const codes = answers.map((a) => a.statusCode);
    expect(codes.filter((c) => c === 200).length).toBeGreaterThanOrEqual(33);
    const refused = answers.filter((a) => a.statusCode === 503);
    expect(refused.length).toBeGreaterThan(0);
    expect(codes.every((c) => c === 200 || c === 503)).toBe(true);
    expect(refused[0]?.json().field).toBe('lon,lat');
    expect(refused[0]?.json().message).toMatch(/busy/);
    expect(Number(refused[0]?.headers['retry-after'])).toBeGreaterThan(0);
    // Once the queue has drained, questions are answered again.
    expect(
      (await app.inject({ method: 'GET', url: '/api/reach?lon=109.74&lat=27.83' })).statusCode,
    ).toBe(200);
  }, 60_000);
});
