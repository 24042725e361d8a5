/**
 * A synthetic fire season for the demo county, labelled synthetic: six automatic weather
 * stations at township seats and 60 days of daily weather up to today, then a 3-day forecast
 * issued this morning. The climate follows Huaihua's monthly normal maximum temperatures; rain
 * falls on about two days in five until a dry spell sets in eight days before today — warm
 * days, the 14:00 humidity falling towards 25–35 %, a breeze of force 3–4 — which the
 * forecast carries on, with light rain reaching the western stations on the third day. The
 * wind blows from the winter monsoon's north to north-east from October to March, from the
 * summer monsoon's south from June to August, and from either in the months between
 * (Huaihua's prevailing winds, simplified), one day in five from anywhere; each day's
 * direction is a 16-point compass direction, as a station reports it. Each day's values come
 * from a generator seeded by station and date, so a day keeps its weather when the season is
 * extended on a later day.
 */

import { fork } from '../../scripts/geodata/random.ts';
import type { Database } from '../db/database.ts';
import { addDays, beijingDate, type DailyWeather } from '../domain/fire-danger/weather-input.ts';
import { createFireDangerRepository } from '../repositories/fire-danger-repository.ts';
import { createFireDangerService, type FireDangerSettings } from '../services/fire-danger.ts';

/** Mean daily maximum temperature by month, °C (Huaihua, climate normal, rounded). */
const TMAX_NORMAL = [9, 11, 16, 22, 26, 29, 33, 33, 29, 23, 17, 11];
export const DEMO_SEASON_DAYS = 60;
const DRY_SPELL_DAYS = 8;
const SEED = 20260313;

/**
 * The day's wind direction (degrees from, on the 16-point compass): north to north-east in
 * the winter monsoon (October–March), south-south-east to south-south-west in the summer
 * monsoon (June–August), either in April, May and September; one day in five from any point.
 */
export function demoWindFrom(month: number, r: () => number): number {
  const winter = [0, 22.5, 45];
  const summer = [157.5, 180, 202.5];
  const season =
    month >= 10 || month <= 3 ? winter : month >= 6 && month <= 8 ? summer : [...winter, ...summer];
  if (r() < 0.2) return Math.floor(r() * 16) * 22.5;
  return season[Math.floor(r() * season.length)] as number;
}

export interface DemoStation {
  id: string;
  name: string;
  location: [number, number];
}

/** One day at one station. `ahead` > 0 for forecast days. */
function demoDay(
  station: DemoStation,
  date: string,
  today: string,
  west: boolean,
): Omit<DailyWeather, 'kind' | 'issuedAt'> {
  const r = fork(SEED, `${station.id}:${date}`);
  const month = Number(date.slice(5, 7));
  const daysToToday = Math.round(
    (Date.parse(`${today}T00:00:00Z`) - Date.parse(`${date}T00:00:00Z`)) / 86_400_000,
  );
  const inSpell = daysToToday < DRY_SPELL_DAYS;
  const spellDay = DRY_SPELL_DAYS - daysToToday; // 1 … 8 today, 9 … 11 forecast
  // Stations differ a little: a hill station is cooler and damper.
  const offset = fork(SEED, station.id);
  const tOff = -3 + 4 * offset();
  const rhOff = 14 * offset();
  const tmaxC =
    (TMAX_NORMAL[month - 1] as number) +
    tOff +
    (inSpell ? 2 + 0.3 * Math.min(spellDay, 10) : 0) +
    4 * (r() - 0.5);
  let rainMm = 0;
  if (!inSpell && r() < 0.4) rainMm = Math.round(-8 * Math.log(1 - r()) * 10) / 10 + 0.2;
  if (inSpell && spellDay === DRY_SPELL_DAYS + 3 && west)
    rainMm = Math.round((2 + 4 * r()) * 10) / 10;
  const rh14Pct =
    rainMm > 0
      ? 78 + 15 * r()
      : inSpell
        ? Math.max(22, 50 - 2.5 * Math.min(spellDay, 10) + rhOff + 8 * (r() - 0.5))
        : 52 + rhOff + 16 * (r() - 0.5);
  const windMs = (inSpell ? 3.2 + 0.12 * Math.min(spellDay, 10) : 2.2) + 2.5 * r();
  const round = (v: number) => Math.round(v * 10) / 10;
  return {
    stationId: station.id,
    townshipCode: null,
    date,
    tmaxC: round(tmaxC),
    rh14Pct: round(Math.min(100, rh14Pct)),
    windMs: round(windMs),
    rainMm: round(rainMm),
    // A generator of its own, so the other values stay what they were before directions.
    windFromDeg: demoWindFrom(month, fork(SEED, `${station.id}:${date}:wind`)),
  };
}

/**
 * The demo season's weather: observations for the 60 days up to `today` and a forecast for
 * the 3 days after, issued at 06:00 Beijing time today.
 * @param stations the demo stations (west = the lower longitudes)
 * @param today YYYY-MM-DD, Beijing time
 */
export function demoSeason(stations: readonly DemoStation[], today: string): DailyWeather[] {
  const lons = stations.map((s) => s.location[0]).sort((a, b) => a - b);
  const westOf = lons[Math.floor(lons.length / 3)] ?? Number.NEGATIVE_INFINITY;
  const out: DailyWeather[] = [];
  for (const s of stations) {
    const west = s.location[0] <= westOf;
    for (let i = DEMO_SEASON_DAYS - 1; i >= 0; i--) {
      const date = addDays(today, -i);
      out.push({
        kind: 'observation',
        issuedAt: `${date}T20:00:00+08:00`,
        ...demoDay(s, date, today, west),
      });
    }
    for (let i = 1; i <= 3; i++) {
      const date = addDays(today, i);
      out.push({
        kind: 'forecast',
        issuedAt: `${today}T06:00:00+08:00`,
        ...demoDay(s, date, today, west),
      });
    }
  }
  return out;
}

/**
 * Loads the demo weather into a database with the demo county when today's is missing:
 * stations at six township seats spread over the county (first use), the days not yet
 * there, today's forecast; then computes the danger. Returns how many rows were added.
 */
export async function loadDemoWeather(
  database: Database,
  settings: FireDangerSettings,
  now: Date = new Date(),
): Promise<number> {
  const repo = createFireDangerRepository(database);
  const today = beijingDate(now);
  let stations = await repo.stations();
  if (stations.length === 0) {
    const { townships } = await repo.places();
    if (townships.length === 0) return 0;
    const chosen = townships.filter((_, i) => i % 3 === 0).slice(0, 6);
    await repo.upsertStations(
      chosen.map((t, i) => ({
        id: `MY-A${String(i + 1).padStart(2, '0')}`,
        name: `${t.name}自动站`,
        elevationM: null,
        synthetic: true,
        location: t.at,
      })),
    );
    stations = await repo.stations();
  }
  const demo = stations.filter((s) => s.synthetic);
  if (demo.length === 0) return 0;
  const { lastDate } = await repo.latestWeather();
  if (lastDate !== null && lastDate >= addDays(today, 3)) return 0;
  const have = await repo.weatherFrom(addDays(today, -DEMO_SEASON_DAYS));
  // Days already there stay; the forecast is issued again for the days after today.
  const missing = demoSeason(
    demo.map((s) => ({ id: s.id, name: s.name, location: s.location })),
    today,
  )
    .filter((w) => w.kind === 'forecast' || !have.stations.get(w.stationId as string)?.has(w.date))
    // Nothing is issued in the future: today's observation and forecast carry "now" until then.
    .map((w) =>
      Date.parse(w.issuedAt) > now.getTime() ? { ...w, issuedAt: now.toISOString() } : w,
    );
  await repo.insertWeather(missing);
  await createFireDangerService(repo, settings, () => now).recompute(
    missing.map((w) => w.date).sort()[0],
  );
  return missing.length;
}
