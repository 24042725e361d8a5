/**
 * The forecast drives the wall (issue 13, items 4 and 6), on a county with no weather but one
 * township's, so every value is worked by hand from LY/T 1172: a 四级 forecast for tomorrow
 * makes the summary suggest a warning (today being only 二级), and a grid's card gets its four
 * days with their levels.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../app.ts';
import type { Database } from '../db/database.ts';
import { addDays, beijingDate } from '../domain/fire-danger/weather-input.ts';
import { openSmallApp } from '../testing/demo-sessions.ts';

let app: App;
let database: Database;
let county: Record<string, string>;
const today = beijingDate(new Date());
const GAOCUN = '431226106';
const calm = { windMs: 0, rainMm: 0 };

beforeAll(async () => {
  let tokens: Map<string, string>;
  ({ app, database, tokens } = await openSmallApp());
  county = { authorization: `Bearer ${tokens.get('county')}` };
}, 180_000);
afterAll(async () => {
  await app?.close();
});

const post = (kind: 'observations' | 'forecasts', rows: Record<string, unknown>[]) =>
  app.inject({ method: 'POST', url: `/api/weather/${kind}`, headers: county, payload: rows });

describe('a 四级 forecast for tomorrow', () => {
  it('today 二级, nothing suggested; tomorrow forecast 四级: the summary suggests a warning for tomorrow naming 高村镇', async () => {
    // 14 dry, cold, humid days up to today: A 0 (≤5 °C), B 0 (≥65 %), C 50 (more than 10 dry
    // days), E 0 (calm) → 50, 二级.
    const observed = await post(
      'observations',
      Array.from({ length: 14 }, (_, i) => ({
        townshipCode: GAOCUN,
        date: addDays(today, i - 13),
        tmaxC: 4,
        rh14Pct: 70,
        ...calm,
      })),
    );
    expect(observed.statusCode, observed.body).toBe(201);
    const before = (await app.inject({ url: '/api/fire-danger/summary' })).json();
    expect(before.highest).toBe(2);
    expect(before.suggestWarning).toBeNull();

    // Tomorrow: 26 °C → A 20, 40 % → B 12, still dry → C 50, calm → E 0: 82, 四级.
    const issuedAt = `${today}T00:00:00+08:00`;
    const forecast = await post('forecasts', [
      { townshipCode: GAOCUN, date: addDays(today, 1), issuedAt, tmaxC: 26, rh14Pct: 40, ...calm },
    ]);
    expect(forecast.statusCode, forecast.body).toBe(201);
    const after = (await app.inject({ url: '/api/fire-danger/summary' })).json();
    // Today is still 二级: the suggestion comes from tomorrow alone.
    expect(after.highest).toBe(2);
    expect(after.suggestWarning).toEqual({
      days: [{ date: addDays(today, 1), highest: 4, at4: ['高村镇'] }],
    });
  });
});

describe('GET /api/fire-danger/grids/{code}', () => {
  it('gives a grid of 高村镇 today and the next 3 days with their LY/T 1172 levels', async () => {
    // Day 2: 12 °C → A 8, 50 % → B 8, dry → C 50: 66, 三级. Day 3 rains (C 0) at 3 °C and
    // 80 %: 0, 一级.
    const issuedAt = `${today}T00:00:00+08:00`;
    const res = await post('forecasts', [
      { townshipCode: GAOCUN, date: addDays(today, 2), issuedAt, tmaxC: 12, rh14Pct: 50, ...calm },
      {
        townshipCode: GAOCUN,
        date: addDays(today, 3),
        issuedAt,
        tmaxC: 3,
        rh14Pct: 80,
        windMs: 0,
        rainMm: 5,
      },
    ]);
    expect(res.statusCode, res.body).toBe(201);
    const [grid] = await database.query<{ code: string }>(
      sql`SELECT code FROM grids WHERE township_code = ${GAOCUN} ORDER BY code LIMIT 1`,
    );
    const card = await app.inject({ url: `/api/fire-danger/grids/${grid?.code}` });
    expect(card.statusCode).toBe(200);
    const days: { date: string; level: number; index: number }[] = card.json().days;
    expect(days.map((d) => [d.date, d.index, d.level])).toEqual([
      [today, 50, 2],
      [addDays(today, 1), 82, 4],
      [addDays(today, 2), 66, 3],
      [addDays(today, 3), 0, 1],
    ]);
  });

  it('a code that is not a grid code is a 400 naming code', async () => {
    const res = await app.inject({ url: '/api/fire-danger/grids/abc' });
    expect(res.statusCode).toBe(400);
    expect(JSON.stringify(res.json())).toContain('code');
  });
});
