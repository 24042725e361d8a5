/**
 * GET /api/county before and after a county is loaded: with none in the database the demo
 * outline (loaded: false), whatever code is asked, so a fresh install's page still draws a
 * county; once one is, its outline by code, and an unknown code is a 404 naming `code`.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, buildApp } from '../app.ts';
import type { Database } from '../db/database.ts';
import { newCounty } from '../testing/factories.ts';
import { openTestDatabase, testBackend } from '../testing/test-database.ts';
import { DEMO_OUTLINE_FILE } from './county.routes.ts';

let database: Database;
let app: App;
beforeAll(async () => {
  database = await openTestDatabase();
  app = await buildApp({ config: { logLevel: 'silent', bodyLimitBytes: 4096 }, database });
  await app.ready();
});
afterAll(async () => {
  await app?.close();
});

const get = (url: string) => app.inject({ method: 'GET', url });
const demo = JSON.parse(fs.readFileSync(DEMO_OUTLINE_FILE, 'utf8')).features[0];

describe(`the county outline on the ${testBackend()} backend`, () => {
  it('with no county loaded: the demo outline, loaded false, with or without a code', async () => {
    expect((await get('/api/counties')).json().counties).toEqual([]);
    for (const url of ['/api/county', '/api/county?code=439001']) {
      const res = await get(url);
      expect(res.statusCode).toBe(200);
      expect(res.json().properties).toMatchObject({ code: demo.properties.code, loaded: false });
      expect(res.json().geometry.coordinates).toEqual(demo.geometry.coordinates);
    }
    expect((await get('/api/county?code=43')).json().field).toBe('code');
  });

  it('once a county is loaded: its outline, and an unknown code is a 404 naming the field', async () => {
    await newCounty(database, { code: '439001', name: '模拟县001' });
    const one = await get('/api/county?code=439001');
    expect(one.statusCode).toBe(200);
    expect(one.json().properties).toMatchObject({
      code: '439001',
      name: '模拟县001',
      loaded: true,
    });
    expect((await get('/api/county')).json().properties.code).toBe('439001');
    const none = await get('/api/county?code=439002');
    expect(none.statusCode).toBe(404);
    expect(none.json().field).toBe('code');
  });
});
