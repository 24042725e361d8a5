/**
 * From daily weather at a place to its danger per day: the LY/T 1172 index (its C read from
 * the run of dry days in the series) and the FWI System run in order through the series.
 * Also inverse-distance weighting, which gives a township or grid without a station the
 * weather of the stations around it. Pure functions.
 *
 * The FWI System is defined on noon observations; the bureau's daily forecast gives the
 * maximum temperature, the 14:00 humidity and the day's maximum wind instead, and these stand
 * in for the noon values here (temperature °C, humidity %, wind ×3.6 → km/h, 24 h rain mm).
 * That overstates the FWI a little on windy days; the LY/T 1172 index is computed from
 * exactly the inputs its standard names.
 */
import { FWI_START, type FwiCodes, fwiDay } from './fwi.ts';
import {
  type DangerLevel,
  type DangerSystem,
  DRY_DAY_MAX_MM,
  fwiLevel,
  lyt1172,
} from './lyt1172.ts';
import { addDays, daysBetween } from './weather-input.ts';

export interface DayWeather {
  date: string;
  tmaxC: number;
  rh14Pct: number;
  windMs: number;
  rainMm: number;
  /** Issue time of what this day was computed from (ISO). */
  issuedAt: string;
}

export interface DayDanger {
  date: string;
  /** The level the product shows (by the county's setting). */
  level: DangerLevel;
  index: number;
  components: { A: number; B: number; C: number; E: number; G: number };
  lytLevel: DangerLevel;
  fwiLevel: DangerLevel;
  ffmc: number;
  dmc: number;
  dc: number;
  isi: number;
  bui: number;
  fwi: number;
  issuedAt: string;
}

export interface DangerSettings {
  system: DangerSystem;
  /** G by month (index 0 = January), the county's phenology/season correction. */
  gByMonth: readonly number[];
}

/**
 * Danger for every day of a series, oldest first. Dry days count from the start of the
 * series (give it enough history, e.g. 30 days); a missing day breaks the FWI run, which then
 * starts again from the standard codes, and the dry-day count, which starts again at 0.
 * @param series daily weather, dates ascending
 */
export function dangerSeries(series: readonly DayWeather[], settings: DangerSettings): DayDanger[] {
  const out: DayDanger[] = [];
  let codes: FwiCodes = FWI_START;
  let dry = 0;
  let last: string | null = null;
  for (const d of series) {
    if (last !== null && daysBetween(last, d.date) !== 1) {
      codes = FWI_START;
      dry = 0;
    }
    last = d.date;
    dry = d.rainMm < DRY_DAY_MAX_MM ? dry + 1 : 0;
    const month = Number(d.date.slice(5, 7));
    const lyt = lyt1172({
      tmaxC: d.tmaxC,
      rh14Pct: d.rh14Pct,
      dryDays: dry,
      windMs: d.windMs,
      g: settings.gByMonth[month - 1] ?? 0,
    });
    const f = fwiDay(codes, {
      month,
      tempC: d.tmaxC,
      rhPct: d.rh14Pct,
      windKmh: d.windMs * 3.6,
      rainMm: d.rainMm,
    });
    codes = f;
    const fl = fwiLevel(f.fwi);
    out.push({
      date: d.date,
      level: settings.system === 'fwi' ? fl : lyt.level,
      index: lyt.index,
      components: lyt.components,
      lytLevel: lyt.level,
      fwiLevel: fl,
      ...f,
      issuedAt: d.issuedAt,
    });
  }
  return out;
}

/** Distance in km between two lon/lat points (spherical, good to ~0.5 % at this scale). */
export function distanceKm(a: readonly [number, number], b: readonly [number, number]): number {
  const rad = Math.PI / 180;
  const dLat = (b[1] - a[1]) * rad;
  const dLon = (b[0] - a[0]) * rad;
  const h =
    Math.sin(dLat / 2) ** 2 + Math.cos(a[1] * rad) * Math.cos(b[1] * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6371.0088 * Math.asin(Math.sqrt(h));
}

/** Within this distance (km) a station's own value is taken as is. */
export const IDW_SAME_KM = 0.5;

/**
 * Inverse-distance weighted value at `at` from stations' values (Shepard 1968, power 2).
 * @param at target [lon, lat]
 * @param stations [lon, lat] and a value each (at least one)
 * @param power distance exponent
 */
export function idw(
  at: readonly [number, number],
  stations: readonly { at: readonly [number, number]; value: number }[],
  power = 2,
): number {
  if (stations.length === 0) throw new RangeError('idw needs at least one station');
  let num = 0;
  let den = 0;
  for (const s of stations) {
    const d = distanceKm(at, s.at);
    if (d < IDW_SAME_KM) return s.value;
    const w = 1 / d ** power;
    num += w * s.value;
    den += w;
  }
  return num / den;
}

/**
 * The weather at a point for each day from stations' daily series: every field weighted by
 * inverse distance over the stations that have that day; the day's issue time is the latest
 * of theirs.
 * @param at [lon, lat]
 * @param stations each with its location and its days by date
 */
export function interpolatedSeries(
  at: readonly [number, number],
  stations: readonly { at: readonly [number, number]; days: ReadonlyMap<string, DayWeather> }[],
  dates: readonly string[],
): DayWeather[] {
  const out: DayWeather[] = [];
  for (const date of dates) {
    const have = stations.flatMap((s) => {
      const d = s.days.get(date);
      return d ? [{ at: s.at, d }] : [];
    });
    if (have.length === 0) continue;
    const field = (k: 'tmaxC' | 'rh14Pct' | 'windMs' | 'rainMm') =>
      idw(
        at,
        have.map((h) => ({ at: h.at, value: h.d[k] })),
      );
    out.push({
      date,
      tmaxC: field('tmaxC'),
      rh14Pct: field('rh14Pct'),
      windMs: field('windMs'),
      rainMm: field('rainMm'),
      issuedAt: have
        .map((h) => h.d.issuedAt)
        .sort()
        .at(-1) as string,
    });
  }
  return out;
}

/** Every date from `from` to `to` inclusive. */
export function dateRange(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) out.push(d);
  return out;
}
