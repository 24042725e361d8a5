/**
 * Fire spread over HTTP, with the engine built from the database: the same perimeters as an
 * engine built straight from the county files; the places the fire reaches and, at every one,
 * the crews arriving and whether before the fire; refusals that name the field.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../app.ts';
import { loadConfig } from '../config/config.ts';
import { SpreadEngine } from '../domain/fire-spread/spread-engine.ts';
import { DEMO_COUNTY_DIR } from '../geodata/county-loader.ts';
import { loadDemoWeather } from '../geodata/demo-weather.ts';
import { readSpreadGrid } from '../geodata/spread-data.ts';
import { openDemoApp } from '../testing/demo-sessions.ts';
import { testBackend } from '../testing/test-database.ts';

const KS_DOUBLED = 'farmland=1.6,chinese-fir=1.6,masson-pine=1.6,broadleaf=2.4,shrub=3.2,grass=4.0';
let app: App;
let county: Record<string, string>;
beforeAll(async () => {
  // The county's own 王正非 Ks (every burning cover at twice Wang's table) and fallback
  // moisture, as the settings give them.
  const { spreadCovers, spreadMoisture } = loadConfig({
    SPREAD_WANG_KS: KS_DOUBLED,
    SPREAD_MOISTURE: '5,9,11,70,110',
  });
  const demo = await openDemoApp({ spreadCovers, spreadMoisture });
  app = demo.app;
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
      url: `/api/spread?lon=${LON}&lat=${LAT}&minutes=60&windMs=4&windFromDeg=270`,
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

  it('says the wind direction was assumed (from the north) when none was typed', async () => {
    const res = await app.inject({
      method: 'GET',
      url: `/api/spread?lon=${LON}&lat=${LAT}&minutes=30&windMs=4&ffmc=90`,
      headers: county,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().sources.windDirection).toBe('assumed');
    expect(res.json().windFromDeg).toBe(0);
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
