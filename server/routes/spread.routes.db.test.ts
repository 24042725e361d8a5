/**
 * Fire spread over HTTP, with the engine built from the database: the same perimeters as an
 * engine built straight from the county files; the places the fire reaches and, at every one,
 * the crews arriving and whether before the fire; refusals that name the field.
 */

import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../app.ts';
import { loadConfig } from '../config/config.ts';
import type { Database } from '../db/database.ts';
import { beijingDate } from '../domain/fire-danger/weather-input.ts';
import { SpreadEngine } from '../domain/fire-spread/spread-engine.ts';
import { DEMO_COUNTY_DIR } from '../geodata/county-loader.ts';
import { loadDemoWeather } from '../geodata/demo-weather.ts';
import { readSpreadGrid } from '../geodata/spread-data.ts';
import { openDemoApp } from '../testing/demo-sessions.ts';
import { testBackend } from '../testing/test-database.ts';

const KS_DOUBLED = 'farmland=1.6,chinese-fir=1.6,masson-pine=1.6,broadleaf=2.4,shrub=3.2,grass=4.0';
let app: App;
let database: Database;
let county: Record<string, string>;
const today = beijingDate(new Date());
beforeAll(async () => {
  // The county's own 王正非 Ks (every burning cover at twice Wang's table) and fallback
  // moisture, as the settings give them.
  const { spreadCovers, spreadMoisture } = loadConfig({
    SPREAD_WANG_KS: KS_DOUBLED,
    SPREAD_MOISTURE: '5,9,11,70,110',
  });
  const demo = await openDemoApp({ spreadCovers, spreadMoisture });
  app = demo.app;
  database = demo.database;
  // The demo season's weather and danger, so a projection can read the day's FFMC and wind.
  await loadDemoWeather(demo.database, { system: 'lyt1172', gByMonth: Array(12).fill(0) });
  county = { authorization: `Bearer ${demo.tokens.get('county')}` };
});
afterAll(async () => {
  await app?.close();
});

// 130 m west of the seat of 官庄村 (431226101204), upwind of it in a west wind.
const LON = 109.97069;
const LAT = 27.948616;

describe(`spread API on the ${testBackend()} backend`, () => {
  it('draws the perimeters the engine built from the county files draws, and the village it reaches', async () => {
    const res = await app.inject({
      method: 'GET',
      // A dry day (FFMC 90) typed in: what the village is reached by does not hang on the
      // demo weather of whatever day the test runs (the day's FFMC is tested below).
      url: `/api/spread?lon=${LON}&lat=${LAT}&minutes=60&windMs=4&windFromDeg=270&ffmc=90`,
      headers: county,
    });
    expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
    const body = res.json();
    expect(body.model).toBe('rothermel');
    const fromFiles = new SpreadEngine(await readSpreadGrid(DEMO_COUNTY_DIR)).spread(LON, LAT, 60, {
      model: 'rothermel',
      windMs: 4,
      windFromDeg: 270,
      // The day's FFMC sets the 1 h moisture on the server; the same here.
      moisture: body.moisture,
      wangR0MMin: 1,
      barriers: true,
    });
    const minutes = body.perimeters.features.map(
      (f: { properties: { minutes: number } }) => f.properties.minutes,
    );
    expect(minutes).toEqual([10, 20, 30, 60]);
    for (const [i, f] of fromFiles.perimeters.features.entries())
      expect(
        Math.abs(body.perimeters.features[i].properties.areaHa - f.properties.areaHa),
      ).toBeLessThanOrEqual(0.02 * f.properties.areaHa + 0.02);
    const village = body.places.find((p: { id: string }) => p.id === '431226101204');
    expect(village?.name).toBe('官庄村');
    expect(village.minutes).toBeGreaterThan(10);
    expect(village.minutes).toBeLessThan(60);
    // Earliest first.
    const times = body.places.map((p: { minutes: number }) => p.minutes);
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  it("gives every place its crews' arrival times, the village's own crew before the fire there but not at the road the fire starts beside", async () => {
    // FFMC typed, so the fire's times do not depend on the demo season's date.
    const res = await app.inject({
      method: 'GET',
      url: `/api/spread?lon=${LON}&lat=${LAT}&minutes=60&windMs=4&windFromDeg=270&ffmc=90`,
      headers: county,
    });
    expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
    type Crew = { id: string; seconds: number; beforeFire: boolean };
    type Place = { id: string; kind: string; minutes: number; at: [number, number]; crews: Crew[] };
    const places: Place[] = res.json().places;
    expect(places.length).toBeGreaterThanOrEqual(2);
    for (const p of places) {
      // Every place, not only the first few, lists its crews fastest first.
      expect(p.crews.length, p.id).toBeGreaterThan(0);
      const s = p.crews.map((c) => c.seconds);
      expect(s).toEqual([...s].sort((a, b) => a - b));
    }
    // 官庄村扑火队 stands 70 m from its village's seat; the fire, lit 130 m west of the seat,
    // takes minutes to get there: the crew is there first.
    const village = places.find((p) => p.id === '431226101204') as Place;
    expect(village.minutes).toBeGreaterThanOrEqual(5);
    const own = village.crews.find((c) => c.id === 'CR-V101204');
    expect(own?.beforeFire).toBe(true);
    expect(own?.seconds).toBeLessThan(5 * 60);
    // The fire is lit 60 m from 村道 RD-0034 and is at it from the first minute: no crew,
    // however near, gets there before it; the village's crew is listed there, late.
    const road = places.find((p) => p.id === 'RD-0034') as Place;
    expect(road.minutes).toBeLessThan(1);
    const late = road.crews.find((c) => c.id === 'CR-V101204');
    expect(late?.beforeFire).toBe(false);
    expect(late?.seconds).toBeGreaterThan(road.minutes * 60);
    // The times are the reach engine's: the same as /api/reach at the place.
    const reach = await app.inject({
      method: 'GET',
      url: `/api/reach?lon=${village.at[0]}&lat=${village.at[1]}`,
      headers: county,
    });
    const ranked: { id: string; seconds: number }[] = reach.json().crews;
    expect(village.crews.map((c) => [c.id, c.seconds])).toEqual(
      ranked.slice(0, village.crews.length).map((c) => [c.id, c.seconds]),
    );
  });

  it("reads the day's FFMC and wind where the commander typed none, and says where they came from", async () => {
    const typed = await app.inject({
      method: 'GET',
      url: `/api/spread?lon=${LON}&lat=${LAT}&minutes=30&windMs=4&windFromDeg=270&ffmc=90`,
      headers: county,
    });
    expect(typed.json().sources).toEqual({
      wind: 'typed',
      windDirection: 'typed',
      windDirectionFrom: null,
      moisture: 'ffmc',
    });
    // FFMC 90 → 147.2·11/149.5 = 10.83 % fine dead moisture.
    expect(typed.json().moisture.d1h).toBeCloseTo(0.1083, 4);
    const res = await app.inject({
      method: 'GET',
      url: `/api/spread?lon=${LON}&lat=${LAT}&minutes=30&windFromDeg=270`,
      headers: county,
    });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.sources).toEqual({
      wind: 'weather',
      windDirection: 'typed',
      windDirectionFrom: null,
      moisture: 'fire-danger',
    });
    // The heavier fuels' moisture is the county's setting (SPREAD_MOISTURE=5,9,11,70,110).
    expect(body.moisture).toMatchObject({ d10h: 0.09, d100h: 0.11, liveHerb: 0.7, liveWoody: 1.1 });
    expect(body.windMs).toBeGreaterThan(0);
    expect(body.ffmc).toBeGreaterThan(0);
    expect(body.moisture.d1h).toBeCloseTo(
      (147.2 * (101 - body.ffmc)) / (59.5 + body.ffmc) / 100,
      9,
    );
  });

  it("draws with the 王正非 model when asked, and says so, with the county's Ks", async () => {
    const res = await app.inject({
      method: 'GET',
      url: `/api/spread?lon=${LON}&lat=${LAT}&minutes=30&windMs=4&windFromDeg=270&model=wang&r0=0.8`,
      headers: county,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().model).toBe('wang');
    expect(res.json().wangR0MMin).toBe(0.8);
    // R = R0·Ks·Kw·Kφ is linear in Ks: every Ks doubled doubles the head rate of the same
    // fire drawn with Wang's own table.
    const wang = new SpreadEngine(await readSpreadGrid(DEMO_COUNTY_DIR)).spread(LON, LAT, 30, {
      model: 'wang',
      windMs: 4,
      windFromDeg: 270,
      moisture: res.json().moisture,
      wangR0MMin: 0.8,
      barriers: true,
    });
    expect(wang.head.rosMMin).toBeGreaterThan(0);
    expect(res.json().head.rosMMin).toBeCloseTo(2 * wang.head.rosMMin, 6);
  });

  it("takes the direction of the day's observation at the township's station when none was typed, and says which", async () => {
    const res = await app.inject({
      method: 'GET',
      url: `/api/spread?lon=${LON}&lat=${LAT}&minutes=30&ffmc=90`,
      headers: county,
    });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    // The demo season's observation of today at the station of the point's township: the
    // speed and the direction both come from it.
    const [obs] = await database.query<Record<string, unknown>>(sql`
      SELECT w.station_id, s.name, w.wind_ms, w.wind_from_deg, w.issued_at
      FROM weather_daily w JOIN weather_stations s ON s.id = w.station_id
      WHERE w.kind = 'observation' AND w.valid_date = ${today}::date
        AND s.township_code = (SELECT code FROM townships
                               WHERE ST_Intersects(geom, ST_SetSRID(ST_MakePoint(${LON}, ${LAT}), 4326)))
      ORDER BY w.issued_at DESC, w.id DESC LIMIT 1`);
    expect(obs, 'a demo station in the township').toBeDefined();
    expect(body.sources.wind).toBe('weather');
    expect(body.sources.windDirection).toBe('observed');
    expect(body.sources.windDirectionFrom).toMatchObject({
      stationId: obs?.station_id,
      name: obs?.name,
      date: today,
      issuedAt: new Date(obs?.issued_at as string).toISOString(),
    });
    expect(body.windMs).toBe(Number(obs?.wind_ms));
    expect(body.windFromDeg).toBe(Number(obs?.wind_from_deg));
  });

  it('refuses points outside the county, bad values and anonymous callers, naming the field', async () => {
    const outside = await app.inject({
      method: 'GET',
      url: '/api/spread?lon=110.5&lat=27.8',
      headers: county,
    });
    expect(outside.statusCode).toBe(422);
    expect(outside.json().field).toBe('lon,lat');
    const model = await app.inject({
      method: 'GET',
      url: `/api/spread?lon=${LON}&lat=${LAT}&model=fast`,
      headers: county,
    });
    expect(model.statusCode).toBe(400);
    expect(JSON.stringify(model.json())).toContain('model');
    const minutes = await app.inject({
      method: 'GET',
      url: `/api/spread?lon=${LON}&lat=${LAT}&minutes=999`,
      headers: county,
    });
    expect(minutes.statusCode).toBe(400);
    expect(JSON.stringify(minutes.json())).toContain('minutes');
    const anonymous = await app.inject({ method: 'GET', url: `/api/spread?lon=${LON}&lat=${LAT}` });
    expect(anonymous.statusCode).toBe(401);
  });
});

/** Local east and north offsets, metres, of a point from another (equirectangular). */
function offset([lon, lat]: number[], [lon0, lat0]: number[]): { east: number; north: number } {
  return {
    east:
      ((lon as number) - (lon0 as number)) * 111_320 * Math.cos(((lat0 as number) * Math.PI) / 180),
    north: ((lat as number) - (lat0 as number)) * 110_574,
  };
}

/**
 * Where the +30 min perimeter lies from the ignition: the offset of its farthest vertex (the
 * head) and of the mean of its vertices (taken over the outer rings).
 */
function thirtyMinutes(body: {
  ignition: [number, number];
  perimeters: {
    features: { properties: { minutes: number }; geometry: { coordinates: number[][][][] } }[];
  };
}) {
  const f = body.perimeters.features.find((x) => x.properties.minutes === 30);
  if (!f) throw new Error('no +30 min perimeter');
  const ring = f.geometry.coordinates.flatMap((polygon) => polygon[0] ?? []);
  const offsets = ring.map((p) => offset(p, body.ignition));
  const far = offsets.reduce((a, b) =>
    Math.hypot(b.east, b.north) > Math.hypot(a.east, a.north) ? b : a,
  );
  const n = offsets.length;
  const mean = {
    east: offsets.reduce((a, o) => a + o.east, 0) / n,
    north: offsets.reduce((a, o) => a + o.north, 0) / n,
  };
  return { far, mean };
}

describe(`the wind on record drives the spread (${testBackend()} backend)`, () => {
  const observe = async (row: Record<string, unknown>, kind = 'observations') => {
    const res = await app.inject({
      method: 'POST',
      url: `/api/weather/${kind}`,
      headers: county,
      payload: [{ date: today, tmaxC: 24, rh14Pct: 30, windMs: 4, rainMm: 0, ...row }],
    });
    expect(res.statusCode, res.body).toBe(201);
  };
  const spread = async (extra = '', lon = LON, lat = LAT) => {
    const res = await app.inject({
      method: 'GET',
      url: `/api/spread?lon=${lon}&lat=${lat}&minutes=30&ffmc=90${extra}`,
      headers: county,
    });
    expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
    return res.json();
  };
  let township = '';
  beforeAll(async () => {
    const [t] = await database.query<{ code: string }>(sql`
      SELECT code FROM townships WHERE ST_Intersects(geom, ST_SetSRID(ST_MakePoint(${LON}, ${LAT}), 4326))`);
    township = t?.code as string;
  });

  it('an observed west wind (from 270°) drives the head east, an east wind (from 90°) west', async () => {
    // The township's own observation comes before its stations'.
    await observe({
      townshipCode: township,
      issuedAt: new Date(Date.now() - 3 * 60_000).toISOString(),
      windFromDeg: 270,
    });
    const west = await spread();
    expect(west.sources.windDirection).toBe('observed');
    expect(west.sources.windDirectionFrom).toMatchObject({
      stationId: null,
      townshipCode: township,
    });
    expect(west.windFromDeg).toBe(270);
    expect(west.windMs).toBe(4);
    const w = thirtyMinutes(west);
    // The head lies east of the ignition, within 45° of due east, and so does the bulk.
    expect(w.far.east).toBeGreaterThan(Math.abs(w.far.north));
    expect(w.mean.east).toBeGreaterThan(0);
    expect(w.mean.east).toBeGreaterThan(Math.abs(w.mean.north));

    // A later observation of the day, the wind now from the east.
    await observe({
      townshipCode: township,
      issuedAt: new Date(Date.now() - 2 * 60_000).toISOString(),
      windFromDeg: 90,
    });
    const east = await spread();
    expect(east.windFromDeg).toBe(90);
    expect(east.sources.windDirection).toBe('observed');
    const e = thirtyMinutes(east);
    expect(-e.far.east).toBeGreaterThan(Math.abs(e.far.north));
    expect(e.mean.east).toBeLessThan(0);
    expect(-e.mean.east).toBeGreaterThan(Math.abs(e.mean.north));
  });

  it('a direction the commander types wins over the observation', async () => {
    // The observation says from the east (the test before); the commander says from the south.
    const typed = await spread('&windFromDeg=180');
    expect(typed.sources.windDirection).toBe('typed');
    expect(typed.sources.windDirectionFrom).toBeNull();
    expect(typed.windFromDeg).toBe(180);
    const t = thirtyMinutes(typed);
    expect(t.far.north).toBeGreaterThan(Math.abs(t.far.east));
  });

  it('with no direction on record anywhere the wind is assumed from the north; a forecast of the day gives one when no observation does', async () => {
    // Nothing of the day says where the wind blows from, anywhere in the county.
    await database.query(
      sql`UPDATE weather_daily SET wind_from_deg = NULL WHERE valid_date = ${today}::date`,
    );
    // A burnable point in a township with no station and no weather of its own.
    const candidates = await database.query<{ code: string; lon: number; lat: number }>(sql`
      SELECT t.code, ST_X(p) AS lon, ST_Y(p) AS lat
      FROM townships t CROSS JOIN LATERAL (
        SELECT ST_PointOnSurface(g.geom) AS p FROM grids g WHERE g.township_code = t.code ORDER BY g.code LIMIT 3) g
      WHERE NOT EXISTS (SELECT 1 FROM weather_stations s WHERE s.township_code = t.code)
        AND NOT EXISTS (SELECT 1 FROM weather_daily w WHERE w.township_code = t.code)
      ORDER BY t.code`);
    let found: {
      code: string;
      lon: number;
      lat: number;
      body: ReturnType<typeof JSON.parse>;
    } | null = null;
    for (const c of candidates) {
      const res = await app.inject({
        method: 'GET',
        url: `/api/spread?lon=${c.lon}&lat=${c.lat}&minutes=30&ffmc=90&windMs=4`,
        headers: county,
      });
      if (res.statusCode === 200 && res.json().head.rosMMin > 0.5) {
        found = { ...c, lon: Number(c.lon), lat: Number(c.lat), body: res.json() };
        break;
      }
    }
    if (!found) throw new Error('no burnable point in a township without weather');
    expect(found.body.sources.windDirection).toBe('assumed');
    expect(found.body.sources.windDirectionFrom).toBeNull();
    expect(found.body.windFromDeg).toBe(0);
    // From the north: the head runs south.
    const a = thirtyMinutes(found.body);
    expect(-a.far.north).toBeGreaterThan(Math.abs(a.far.east));

    // The day's forecast gives a direction; an observation without one leaves it at that,
    // while its speed is taken.
    await observe(
      {
        townshipCode: found.code,
        issuedAt: `${today}T00:00:00+08:00`,
        windFromDeg: 'W',
      },
      'forecasts',
    );
    await observe({
      townshipCode: found.code,
      issuedAt: new Date(Date.now() - 60_000).toISOString(),
      windMs: 6,
    });
    const forecast = await spread('', found.lon, found.lat);
    expect(forecast.sources.windDirection).toBe('forecast');
    expect(forecast.sources.windDirectionFrom).toMatchObject({
      townshipCode: found.code,
      issuedAt: new Date(`${today}T00:00:00+08:00`).toISOString(),
    });
    expect(forecast.windFromDeg).toBe(270);
    expect(forecast.windMs).toBe(6);
    expect(forecast.sources.wind).toBe('weather');
  });
  it('a township with no weather of its own takes the nearest station’s observation, and names it', async () => {
    // Today's weather is only what this test posts: two stations' observations.
    await database.query(sql`DELETE FROM weather_daily WHERE valid_date = ${today}::date`);
    const [c] = await database.query<{ code: string; lon: number; lat: number }>(sql`
      SELECT t.code, ST_X(p) AS lon, ST_Y(p) AS lat
      FROM townships t CROSS JOIN LATERAL (
        SELECT ST_PointOnSurface(g.geom) AS p FROM grids g WHERE g.township_code = t.code
        ORDER BY g.code LIMIT 1) g
      WHERE NOT EXISTS (SELECT 1 FROM weather_stations s WHERE s.township_code = t.code)
      ORDER BY t.code LIMIT 1`);
    if (!c) throw new Error('no township without a station');
    const [lon, lat] = [Number(c.lon), Number(c.lat)];
    // The nearest station and one at least 5 km further away.
    const stations = await database.query<{ id: string; km: number }>(sql`
      SELECT id, ST_Distance(geom::geography, ST_SetSRID(ST_MakePoint(${lon}, ${lat}), 4326)::geography) / 1000 AS km
      FROM weather_stations ORDER BY km`);
    const near = stations[0];
    const far = stations.find((s) => Number(s.km) > Number(near?.km) + 5);
    if (!near || !far) throw new Error('needs two stations 5 km apart in distance');
    await observe({
      stationId: far.id,
      issuedAt: new Date(Date.now() - 60_000).toISOString(),
      windMs: 7,
      windFromDeg: 270,
    });
    await observe({
      stationId: near.id,
      issuedAt: new Date(Date.now() - 120_000).toISOString(),
      windMs: 5,
      windFromDeg: 90,
    });
    const body = await spread('', lon, lat);
    expect(body.sources.windDirection).toBe('observed');
    expect(body.sources.windDirectionFrom).toMatchObject({ stationId: near.id });
    expect(body.windFromDeg).toBe(90);
    expect(body.windMs).toBe(5);
  });
});
