/**
 * Weather in, danger out, on the demo county: the synthetic season, the exact shape of
 * GET /api/fire-danger, ingest errors naming row and field (nothing stored), and a township's
 * own weather giving the LY/T 1172 value worked by hand.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../app.ts';
import type { Database } from '../db/database.ts';
import { fwiLevel } from '../domain/fire-danger/lyt1172.ts';
import { addDays, beijingDate } from '../domain/fire-danger/weather-input.ts';
import { DEMO_SEASON_DAYS, loadDemoWeather } from '../geodata/demo-weather.ts';
import { createFireDangerRepository } from '../repositories/fire-danger-repository.ts';
import { createFireDangerService } from '../services/fire-danger.ts';
import { openDemoApp } from '../testing/demo-sessions.ts';

let app: App;
let database: Database;
let tokens: Map<string, string>;
const today = beijingDate(new Date());
const auth = (who: string) => ({ authorization: `Bearer ${tokens.get(who)}` });

beforeAll(async () => {
  ({ app, database, tokens } = await openDemoApp());
  await loadDemoWeather(database, { system: 'lyt1172', gByMonth: Array(12).fill(0) });
}, 180_000);
afterAll(async () => {
  await app?.close();
});

describe('the demo season', () => {
  it('has six synthetic stations on the map and 60 days observed plus a 3-day forecast', async () => {
    const stations = (await app.inject({ url: '/api/weather/stations' })).json();
    expect(stations.features).toHaveLength(6);
    for (const f of stations.features) expect(f.properties.synthetic).toBe(true);
    const [c] = await database.query<{
      obs: string;
      fc: string;
      rainy: string;
      first: string;
      last: string;
    }>(sql`
      SELECT count(*) FILTER (WHERE kind = 'observation') AS obs, count(*) FILTER (WHERE kind = 'forecast') AS fc,
             count(*) FILTER (WHERE rain_mm >= 0.1 AND kind = 'observation') AS rainy,
             min(valid_date)::text AS first, max(valid_date)::text AS last FROM weather_daily`);
    expect(Number(c?.obs)).toBe(6 * DEMO_SEASON_DAYS);
    expect(Number(c?.fc)).toBe(6 * 3);
    expect(Number(c?.rainy)).toBeGreaterThan(30);
    expect(c?.last).toBe(addDays(today, 3));
  });

  it('loading it again the same day adds nothing', async () => {
    expect(
      await loadDemoWeather(database, { system: 'lyt1172', gByMonth: Array(12).fill(0) }),
    ).toBe(0);
  });

  it('a dry spell: the last week observed is dry everywhere and today is 三级 or worse somewhere', async () => {
    const [dry] = await database.query<{ n: string }>(sql`
      SELECT count(*) AS n FROM weather_daily WHERE kind = 'observation' AND valid_date > ${addDays(today, -7)}::date AND rain_mm >= 0.1`);
    expect(Number(dry?.n)).toBe(0);
    const rows = (
      await app.inject({ url: `/api/fire-danger?date=${today}&level=township` })
    ).json();
    expect(Math.max(...rows.map((r: { level: number }) => r.level))).toBeGreaterThanOrEqual(3);
  });
});

describe('GET /api/fire-danger', () => {
  it('answers every township with exactly code, name, level, index, fwi, issuedAt for today and 3 days ahead', async () => {
    for (const n of [0, 1, 2, 3]) {
      const date = addDays(today, n);
      const res = await app.inject({ url: `/api/fire-danger?date=${date}&level=township` });
      expect(res.statusCode).toBe(200);
      const rows = res.json();
      expect(rows).toHaveLength(18);
      for (const r of rows) {
        expect(Object.keys(r)).toEqual(['code', 'name', 'level', 'index', 'fwi', 'issuedAt']);
        expect(r.code).toMatch(/^431226\d{3}$/);
        expect([1, 2, 3, 4, 5]).toContain(r.level);
        expect(Number.isInteger(r.index)).toBe(true);
        expect(r.fwi).toBeGreaterThanOrEqual(0);
        expect(Number.isNaN(Date.parse(r.issuedAt))).toBe(false);
      }
    }
  });

  it('per grid: all 815 grids', async () => {
    const rows = (
      await app.inject({ url: `/api/fire-danger?date=${addDays(today, 1)}&level=grid` })
    ).json();
    expect(rows).toHaveLength(815);
    expect(Object.keys(rows[0])).toEqual(['code', 'name', 'level', 'index', 'fwi', 'issuedAt']);
  });

  it('a day without weather is an empty list; a bad date or level is a 400 naming the field', async () => {
    expect(
      (await app.inject({ url: '/api/fire-danger?date=2001-01-01&level=grid' })).json(),
    ).toEqual([]);
    const bad = await app.inject({ url: '/api/fire-danger?date=tomorrow' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().field).toBe('date');
    expect((await app.inject({ url: '/api/fire-danger?level=village' })).statusCode).toBe(400);
    // Shaped like a day, not a day on the calendar.
    for (const url of [
      '/api/fire-danger?date=2026-13-45',
      '/api/fire-danger/summary?date=2026-02-30',
    ]) {
      const res = await app.inject({ url });
      expect(res.statusCode, url).toBe(400);
      expect(res.json().field, url).toBe('date');
    }
  });
});

describe('POST /api/weather/observations and /forecasts', () => {
  it('names every bad row and field and stores nothing', async () => {
    const before = await database.query<{ n: string }>(
      sql`SELECT count(*) AS n FROM weather_daily`,
    );
    const res = await app.inject({
      method: 'POST',
      url: '/api/weather/observations',
      headers: auth('county'),
      payload: [
        { stationId: 'MY-A01', date: today, tmaxC: 20, rh14Pct: 40, windMs: 3, rainMm: 0 },
        { stationId: 'MY-A01', date: today, tmaxC: 20, rh14Pct: 140, windMs: 3, rainMm: 0 },
        { stationId: 'NOPE', date: today, tmaxC: 20, rh14Pct: 40, windMs: 3, rainMm: 0 },
        {
          townshipCode: '431226106',
          date: '2026-02-30',
          tmaxC: 20,
          rh14Pct: 40,
          windMs: -1,
          rainMm: 0,
        },
        { date: today, tmaxC: 'warm', rh14Pct: 40, windMs: 3, rainMm: 0 },
      ],
    });
    expect(res.statusCode).toBe(422);
    const problems = res
      .json()
      .problems.map((p: { row: number; field: string }) => `${p.row}:${p.field}`);
    expect(problems).toEqual([
      '2:rh14Pct',
      '3:stationId',
      '4:date',
      '4:windMs',
      '5:stationId',
      '5:tmaxC',
    ]);
    expect(res.json().field).toBe('rows[1].rh14Pct');
    const after = await database.query<{ n: string }>(sql`SELECT count(*) AS n FROM weather_daily`);
    expect(after).toEqual(before);
  });

  it('takes where the wind blows from; a direction out of range or not a direction is refused naming the field, nothing stored', async () => {
    const count = async () =>
      (await database.query<{ n: string }>(sql`SELECT count(*) AS n FROM weather_daily`))[0]?.n;
    const before = await count();
    const row = (windFromDeg: unknown) => ({
      stationId: 'MY-A02',
      date: today,
      tmaxC: 20,
      rh14Pct: 40,
      windMs: 3,
      rainMm: 0,
      windFromDeg,
    });
    for (const bad of [400, -1, 'abc']) {
      const res = await app.inject({
        method: 'POST',
        url: '/api/weather/observations',
        headers: auth('county'),
        // A good row first: the whole batch is refused all the same.
        payload: [row(90), row(bad)],
      });
      expect(res.statusCode, String(bad)).toBe(422);
      expect(res.json().field).toBe('rows[1].windFromDeg');
      expect(res.json().message).toContain('windFromDeg');
      expect(await count()).toBe(before);
    }
    const issuedAt = new Date(Date.now() - 60_000).toISOString();
    const ok = await app.inject({
      method: 'POST',
      url: '/api/weather/observations',
      headers: auth('county'),
      payload: [
        { ...row('NE'), issuedAt },
        { ...row(360), issuedAt },
        { ...row(null), issuedAt },
        { ...row('西南'), issuedAt },
      ],
    });
    expect(ok.statusCode, ok.body).toBe(201);
    const stored = await database.query<{ d: number | null }>(sql`
      SELECT wind_from_deg AS d FROM weather_daily
      WHERE station_id = 'MY-A02' AND issued_at = ${issuedAt}::timestamptz ORDER BY id`);
    // North-east 45°, 360° is north (0), calm null, 西南 225°.
    expect(stored.map((r) => (r.d === null ? null : Number(r.d)))).toEqual([45, 0, null, 225]);
  });

  it('a forecast needs its issue time and reaches at most 3 days past its issue day', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/weather/forecasts',
      headers: auth('county'),
      payload: {
        rows: [
          {
            stationId: 'MY-A01',
            date: addDays(today, 1),
            tmaxC: 20,
            rh14Pct: 40,
            windMs: 3,
            rainMm: 0,
          },
          {
            stationId: 'MY-A01',
            date: addDays(today, 4),
            // Midnight of today in Beijing: always past (06:00 is still ahead from 16:00 to
            // 22:00 UTC, which made this test fail at those hours).
            issuedAt: `${today}T00:00:00+08:00`,
            tmaxC: 20,
            rh14Pct: 40,
            windMs: 3,
            rainMm: 0,
          },
        ],
      },
    });
    expect(res.statusCode).toBe(422);
    expect(
      res.json().problems.map((p: { row: number; field: string }) => `${p.row}:${p.field}`),
    ).toEqual(['1:issuedAt', '2:date']);
  });

  it('only the county command posts weather', async () => {
    const row = [
      { stationId: 'MY-A01', date: today, tmaxC: 20, rh14Pct: 40, windMs: 3, rainMm: 0 },
    ];
    expect(
      (await app.inject({ method: 'POST', url: '/api/weather/observations', payload: row }))
        .statusCode,
    ).toBe(401);
    const res = await app.inject({
      method: 'POST',
      url: '/api/weather/observations',
      headers: auth('twp-gaocun'),
      payload: row,
    });
    expect(res.statusCode).toBe(403);
  });

  it("a township's own weather drives it and its grids: 5 dry days at 22 °C, 30 %, 4.0 m/s → 72, 三级 (the worked day)", async () => {
    const code = '431226106';
    const days = [4, 3, 2, 1, 0].map((n) => addDays(today, -n));
    const res = await app.inject({
      method: 'POST',
      url: '/api/weather/observations',
      headers: auth('county'),
      payload: days.map((date) => ({
        townshipCode: code,
        date,
        tmaxC: 22,
        rh14Pct: 30,
        windMs: 4.0,
        rainMm: 0,
      })),
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().recomputed).toContain(today);
    const twp = (await app.inject({ url: `/api/fire-danger?date=${today}&level=township` })).json();
    expect(twp.find((r: { code: string }) => r.code === code)).toMatchObject({
      index: 72,
      level: 3,
    });
    const grids = (await app.inject({ url: `/api/fire-danger?date=${today}&level=grid` })).json();
    const [g] = await database.query<{ code: string }>(
      sql`SELECT code FROM grids WHERE township_code = ${code} LIMIT 1`,
    );
    expect(grids.find((r: { code: string }) => r.code === g?.code)).toMatchObject({
      index: 72,
      level: 3,
    });
    // Rain on the last day: C = 0 → 16 + 16 + 0 + 15 = 47, 二级.
    await app.inject({
      method: 'POST',
      url: '/api/weather/observations',
      headers: auth('county'),
      payload: [
        { townshipCode: code, date: today, tmaxC: 22, rh14Pct: 30, windMs: 4.0, rainMm: 3 },
      ],
    });
    const after = (
      await app.inject({ url: `/api/fire-danger?date=${today}&level=township` })
    ).json();
    expect(after.find((r: { code: string }) => r.code === code)).toMatchObject({
      index: 47,
      level: 2,
    });
  });

  it('the summary counts townships per level and says when to suggest a warning', async () => {
    const s = (await app.inject({ url: `/api/fire-danger/summary?date=${today}` })).json();
    expect(Object.values(s.counts).reduce((a: number, b) => a + (b as number), 0)).toBe(18);
    expect(s.dates).toEqual([0, 1, 2, 3].map((n) => addDays(today, n)));
    expect(s.weather.lastDate).toBe(addDays(today, 3));
    const anyAt4 = s.highest >= 4 || false;
    if (anyAt4) expect(s.suggestWarning.days.length).toBeGreaterThan(0);
  });

  it('a single grid at 四级 in a township at 二级 is "anywhere": the summary suggests a warning naming its township', async () => {
    const day3 = addDays(today, 3);
    // The third day's rating set to 二级 everywhere (township and grid rows alike)…
    await database.query(
      sql`UPDATE fire_danger_forecasts SET level = 2 WHERE valid_date = ${day3}::date`,
    );
    const summary = async () =>
      (await app.inject({ url: `/api/fire-danger/summary?date=${today}` })).json() as {
        suggestWarning: { days: { date: string; highest: number; at4: string[] }[] } | null;
      };
    expect((await summary()).suggestWarning?.days.some((d) => d.date === day3) ?? false).toBe(
      false,
    );
    // …then one grid at 四级: its township's own row stays 二级.
    const [grid] = await database.query<{ grid_code: string; township: string }>(sql`
      SELECT f.grid_code, t.name AS township FROM fire_danger_forecasts f
      JOIN grids g ON g.code = f.grid_code JOIN townships t ON t.code = g.township_code
      WHERE f.valid_date = ${day3}::date AND f.grid_code IS NOT NULL
      ORDER BY f.grid_code LIMIT 1`);
    expect(grid).toBeDefined();
    await database.query(sql`
      UPDATE fire_danger_forecasts SET level = 4
      WHERE valid_date = ${day3}::date AND grid_code = ${grid?.grid_code as string}`);
    const day = (await summary()).suggestWarning?.days.find((d) => d.date === day3);
    expect(day).toEqual({ date: day3, highest: 4, at4: [grid?.township] });
  });
});

describe('the level setting (DANGER_SYSTEM)', () => {
  it('fwi: every level follows the FWI classes; lyt1172 again: the LY/T 1172 bands', async () => {
    const repo = createFireDangerRepository(database);
    await createFireDangerService(repo, { system: 'fwi', gByMonth: Array(12).fill(0) }).recompute();
    const byFwi = (await app.inject({ url: `/api/fire-danger?date=${today}&level=grid` })).json();
    const clear = byFwi.filter(
      (r: { fwi: number }) => ![5, 10, 20, 30].some((b) => Math.abs(r.fwi - b) < 0.06),
    );
    expect(clear.length).toBeGreaterThan(700);
    for (const r of clear) expect(r.level, r.code).toBe(fwiLevel(r.fwi));
    await createFireDangerService(repo, {
      system: 'lyt1172',
      gByMonth: Array(12).fill(0),
    }).recompute();
    const byLyt = (await app.inject({ url: `/api/fire-danger?date=${today}&level=grid` })).json();
    const band = (i: number) => (i <= 25 ? 1 : i <= 50 ? 2 : i <= 72 ? 3 : i <= 90 ? 4 : 5);
    for (const r of byLyt) expect(r.level, r.code).toBe(band(r.index));
  });
});
