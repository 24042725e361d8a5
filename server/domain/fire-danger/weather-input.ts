/**
 * Daily fire weather as the county receives it from the meteorological bureau — observed, or
 * forecast for the next three days (森林火灾气象等级预报) — per station or per township, and
 * its validation. Every problem names the row (1-based, as a person counts the rows of a
 * table or the lines of a CSV file) and the field, and all problems are reported at once.
 * Pure: the caller passes the time "now".
 */

export const WEATHER_KINDS = ['observation', 'forecast'] as const;
export type WeatherKind = (typeof WEATHER_KINDS)[number];

/** One day's weather at a station or for a township. */
export interface DailyWeather {
  kind: WeatherKind;
  stationId: string | null;
  townshipCode: string | null;
  /** The day it describes, YYYY-MM-DD (Beijing time). */
  date: string;
  /** When the bureau issued it (ISO 8601). */
  issuedAt: string;
  /** Daily maximum air temperature, °C. */
  tmaxC: number;
  /** Relative humidity at 14:00, %. */
  rh14Pct: number;
  /** The day's maximum 10 m wind speed, m/s. */
  windMs: number;
  /** Precipitation over the 24 h of the day, mm. */
  rainMm: number;
  /**
   * Where the day's wind blows from, degrees clockwise from north (0 north, 90 east), with
   * 0 ≤ deg < 360; null for calm or not reported.
   */
  windFromDeg: number | null;
}

export interface RowProblem {
  /** 1-based row (JSON array position + 1, or the CSV line number). */
  row: number;
  field: string;
  message: string;
}

/** How far ahead a forecast may reach from the day it was issued (today + 3 days). */
export const FORECAST_DAYS = 3;

const DATE = /^\d{4}-\d{2}-\d{2}$/;
// An explicit offset is required: a time without one is ambiguous between UTC and Beijing.
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/** The calendar date in Beijing time (UTC+8, no daylight saving) of an instant. */
export function beijingDate(at: Date | string | number): string {
  return new Date(new Date(at).getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

/** Whole days from date `a` to date `b` (YYYY-MM-DD). */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

/** The date `n` days after `date` (YYYY-MM-DD). */
export function addDays(date: string, n: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}

/** The 16 compass points, clockwise from north, 22.5° apart. */
const COMPASS_16 = [
  'N',
  'NNE',
  'NE',
  'ENE',
  'E',
  'ESE',
  'SE',
  'SSE',
  'S',
  'SSW',
  'SW',
  'WSW',
  'W',
  'WNW',
  'NW',
  'NNW',
] as const;
/** The eight directions as Chinese station exports write them (北 or 北风), 45° apart. */
const COMPASS_ZH = ['北', '东北', '东', '东南', '南', '西南', '西', '西北'] as const;
/** What a station export writes for calm: CMA's C, "calm", 静风. */
const CALM = new Set(['C', 'CALM', '静风']);

/**
 * Reads a wind direction as given: degrees the wind blows from (a number, or its text), 0 ≤
 * deg ≤ 360 with 360 read as north (0, as the column stores it); a 16-point compass letter
 * N, NNE, … NNW (any case); the Chinese 北, 东北, 东, 东南, 南, 西南, 西, 西北 (with or without
 * 风). Calm (C, calm, 静风), empty or absent: null. Anything else: an error message.
 */
export function parseWindFrom(value: unknown): { deg: number | null } | { error: string } {
  if (value === undefined || value === null) return { deg: null };
  const bad = (got: unknown) => ({
    error: `must be the direction the wind blows from: degrees 0–360 (0 north, 90 east), a compass point N, NNE, … NNW, 北/东北/东/东南/南/西南/西/西北, or C for calm; got ${JSON.stringify(got)}`,
  });
  let deg: number;
  if (typeof value === 'number') deg = value;
  else if (typeof value === 'string') {
    const text = value.trim();
    if (text === '' || CALM.has(text.toUpperCase())) return { deg: null };
    const point = COMPASS_16.indexOf(text.toUpperCase() as (typeof COMPASS_16)[number]);
    if (point >= 0) return { deg: point * 22.5 };
    const zh = COMPASS_ZH.indexOf(text.replace(/风$/, '') as (typeof COMPASS_ZH)[number]);
    if (zh >= 0) return { deg: zh * 45 };
    deg = /^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(text) ? Number(text) : Number.NaN;
  } else return bad(value);
  if (!Number.isFinite(deg) || deg < 0 || deg > 360) return bad(value);
  return { deg: deg === 360 ? 0 : deg };
}

const FIELDS: Record<string, { min: number; max: number; unit: string }> = {
  tmaxC: { min: -60, max: 60, unit: '°C' },
  rh14Pct: { min: 0, max: 100, unit: '%' },
  windMs: { min: 0, max: 75, unit: 'm/s' },
  rainMm: { min: 0, max: 1000, unit: 'mm' },
};

/**
 * Checks rows of daily weather. A row names a station (`stationId`) or a township
 * (`townshipCode`, 9 digits), not both; `date` YYYY-MM-DD; the four measures within physical
 * bounds; `issuedAt` with an offset (required for forecasts; an observation without one is
 * taken as issued at 20:00 Beijing time of its day, or now if that is still to come). An observation may not describe a day
 * after today; a forecast reaches from its issue day to at most 3 days later.
 * @param input the parsed body: an array of row objects
 * @param kind observation or forecast
 * @param now the present, to judge dates
 * @param rowNumbers optional row numbers to report (e.g. CSV line numbers)
 */
export function validateWeatherRows(
  input: unknown,
  kind: WeatherKind,
  now: Date,
  rowNumbers?: readonly number[],
): { rows: DailyWeather[]; problems: RowProblem[] } {
  const problems: RowProblem[] = [];
  const rows: DailyWeather[] = [];
  if (!Array.isArray(input)) {
    problems.push({ row: 0, field: 'rows', message: 'must be an array of daily weather rows' });
    return { rows, problems };
  }
  if (input.length === 0) problems.push({ row: 0, field: 'rows', message: 'has no rows' });
  const today = beijingDate(now);
  input.forEach((raw, i) => {
    const row = rowNumbers?.[i] ?? i + 1;
    const bad = (field: string, message: string) => problems.push({ row, field, message });
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      bad('row', 'must be an object');
      return;
    }
    const r = raw as Record<string, unknown>;
    const before = problems.length;
    const known = new Set([
      'stationId',
      'townshipCode',
      'date',
      'issuedAt',
      'windFromDeg',
      ...Object.keys(FIELDS),
    ]);
    for (const k of Object.keys(r)) if (!known.has(k)) bad(k, 'is not a field of daily weather');
    const str = (k: string) =>
      typeof r[k] === 'string' && (r[k] as string).trim() !== '' ? (r[k] as string).trim() : null;
    const stationId = str('stationId');
    const townshipCode = str('townshipCode');
    if (r.stationId !== undefined && r.stationId !== null && stationId === null)
      bad('stationId', 'must be a non-empty text');
    if (stationId !== null && !/^[A-Za-z0-9_-]{1,40}$/.test(stationId))
      bad('stationId', 'must be 1–40 letters, digits, _ or -');
    if (townshipCode !== null && !/^\d{9}$/.test(townshipCode))
      bad('townshipCode', 'must be a 9-digit township code');
    if (stationId === null && townshipCode === null)
      bad('stationId', 'a row needs a stationId or a townshipCode');
    if (stationId !== null && townshipCode !== null)
      bad('townshipCode', 'give a stationId or a townshipCode, not both');
    const date = str('date');
    if (
      date === null ||
      !DATE.test(date) ||
      Number.isNaN(Date.parse(`${date}T00:00:00Z`)) ||
      addDays(date, 0) !== date
    )
      bad('date', 'must be a date YYYY-MM-DD');
    const values: Record<string, number> = {};
    for (const [k, b] of Object.entries(FIELDS)) {
      const v = typeof r[k] === 'string' && (r[k] as string).trim() !== '' ? Number(r[k]) : r[k];
      if (typeof v !== 'number' || !Number.isFinite(v)) bad(k, `must be a number (${b.unit})`);
      else if (v < b.min || v > b.max)
        bad(k, `must be from ${b.min} to ${b.max} ${b.unit}, got ${v}`);
      else values[k] = v;
    }
    const windFrom = parseWindFrom(r.windFromDeg);
    if ('error' in windFrom) bad('windFromDeg', windFrom.error);
    let issuedAt = str('issuedAt');
    if (issuedAt !== null && (!ISO_TIME.test(issuedAt) || Number.isNaN(Date.parse(issuedAt))))
      bad('issuedAt', 'must be an ISO 8601 time with an offset, e.g. 2026-03-01T06:00:00+08:00');
    else if (issuedAt === null && kind === 'forecast')
      bad('issuedAt', 'a forecast needs its issue time');
    if (problems.length > before || date === null) return;
    if (issuedAt === null) {
      const evening = `${date}T20:00:00+08:00`;
      issuedAt = Date.parse(evening) > now.getTime() ? now.toISOString() : evening;
    }
    const issueDay = beijingDate(issuedAt);
    if (Date.parse(issuedAt) > now.getTime() + 10 * 60_000) bad('issuedAt', 'lies in the future');
    if (kind === 'observation' && date > today)
      bad('date', `an observation cannot describe a day after today (${today})`);
    if (kind === 'forecast') {
      const ahead = daysBetween(issueDay, date);
      if (ahead < 0 || ahead > FORECAST_DAYS)
        bad(
          'date',
          `a forecast issued on ${issueDay} covers ${issueDay} to ${addDays(issueDay, FORECAST_DAYS)}`,
        );
    }
    if (problems.length > before) return;
    rows.push({
      kind,
      stationId,
      townshipCode,
      date,
      issuedAt: new Date(issuedAt).toISOString(),
      tmaxC: values.tmaxC as number,
      rh14Pct: values.rh14Pct as number,
      windMs: values.windMs as number,
      rainMm: values.rainMm as number,
      windFromDeg: 'deg' in windFrom ? windFrom.deg : null,
    });
  });
  return { rows, problems };
}

/** CSV header names accepted for each field (the JSON name, or a short one). */
export const CSV_COLUMNS: Record<string, string[]> = {
  stationId: ['stationid', 'station'],
  townshipCode: ['townshipcode', 'township'],
  date: ['date'],
  issuedAt: ['issuedat', 'issued_at'],
  tmaxC: ['tmaxc', 'tmax'],
  rh14Pct: ['rh14pct', 'rh14'],
  windMs: ['windms', 'wind_ms'],
  rainMm: ['rainmm', 'rain_mm', 'rain'],
  windFromDeg: ['windfromdeg', 'wind_from_deg', 'winddir', 'wind_dir', '风向'],
};
