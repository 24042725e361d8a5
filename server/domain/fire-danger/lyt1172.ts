/**
 * The national forest-fire weather danger index of LY/T 1172-1995 《全国森林火险天气等级》:
 * index = A + B + C + E − G, each component read from a table of one day's weather, and the
 * five danger levels (一级 … 五级) with the names and colours of QX/T 77-2007
 * 《森林火险气象等级》. Pure functions; the tables below are the standard's.
 */

/** Beaufort force 0–12 from the 10 m wind speed in m/s (WMO, Manual on Codes No. 306,
 * code table 1100 / the WMO Beaufort scale). Upper bounds of forces 0–11 as published,
 * speeds quoted to 0.1 m/s: 0.2, 1.5, 3.3, 5.4, 7.9, 10.7, 13.8, 17.1, 20.7, 24.4, 28.4, 32.6;
 * a speed between two published figures (e.g. 0.25) takes the upper force from half-way. */
export const BEAUFORT_UPPER_MS = [
  0.2, 1.5, 3.3, 5.4, 7.9, 10.7, 13.8, 17.1, 20.7, 24.4, 28.4, 32.6,
];

/**
 * @param windMs 10 m wind speed, m/s (≥ 0)
 * @returns Beaufort force 0–12
 */
export function beaufortForce(windMs: number): number {
  if (!(windMs >= 0)) throw new RangeError(`wind speed must be ≥ 0 m/s, got ${windMs}`);
  // Published speeds are to 0.1 m/s: force n covers up to its bound + 0.05.
  const i = BEAUFORT_UPPER_MS.findIndex((upper) => windMs < upper + 0.05);
  return i < 0 ? 12 : i;
}

/**
 * A: daily maximum temperature, °C: ≤5 → 0, (5,10] → 4, (10,15] → 8, (15,20] → 12,
 * (20,25] → 16, >25 → 20.
 * @param tmaxC daily maximum air temperature, °C
 */
export function componentA(tmaxC: number): number {
  const bounds = [5, 10, 15, 20, 25];
  const i = bounds.findIndex((b) => tmaxC <= b);
  return (i < 0 ? 5 : i) * 4;
}

/**
 * B: relative humidity at 14:00, %: ≥65 → 0, 55–64 → 4, 45–54 → 8, 35–44 → 12, 25–34 → 16,
 * ≤24 → 20 (a fractional humidity belongs to the band of its whole percent, so 64.9 → 4).
 * @param rh14Pct relative humidity at 14:00 local time, %
 */
export function componentB(rh14Pct: number): number {
  const lows = [65, 55, 45, 35, 25];
  const i = lows.findIndex((lo) => rh14Pct >= lo);
  return (i < 0 ? 5 : i) * 4;
}

/**
 * C: consecutive days without precipitation up to today: 0 (the day of rain) → 0, then 5 per
 * dry day, 50 for more than 10 (10 days is also 50).
 * @param dryDays whole days since the last day with ≥ 0.1 mm (0 on a day of rain)
 */
export function componentC(dryDays: number): number {
  if (!Number.isInteger(dryDays) || dryDays < 0)
    throw new RangeError(`dry days must be a whole number ≥ 0, got ${dryDays}`);
  return Math.min(dryDays, 10) * 5;
}

/** A day with less than this much precipitation (mm) is dry (LY/T 1172: < 0.1 mm). */
export const DRY_DAY_MAX_MM = 0.1;

/**
 * Consecutive dry days ending with the last day of a rain series.
 * @param rainMm 24 h precipitation per day, mm, oldest first
 * @param before dry days counted before the first day of the series (e.g. from earlier data)
 */
export function dryDaysAtEnd(rainMm: readonly number[], before = 0): number {
  let n = before;
  for (const r of rainMm) n = r < DRY_DAY_MAX_MM ? n + 1 : 0;
  return n;
}

/**
 * E: the day's maximum wind force on the Beaufort scale: force 0–8 → 0, 5, …, 40 (stronger
 * winds stay 40).
 * @param windMs the day's maximum 10 m wind speed, m/s
 */
export function componentE(windMs: number): number {
  return Math.min(beaufortForce(windMs), 8) * 5;
}

export interface Lyt1172Input {
  /** Daily maximum temperature, °C. */
  tmaxC: number;
  /** Relative humidity at 14:00, %. */
  rh14Pct: number;
  /** Consecutive days without precipitation (0 on a day of rain). */
  dryDays: number;
  /** The day's maximum 10 m wind speed, m/s. */
  windMs: number;
  /** G: the county's phenology/season correction for the month (0 by default). */
  g?: number;
}

export interface Lyt1172Result {
  index: number;
  level: DangerLevel;
  components: { A: number; B: number; C: number; E: number; G: number };
}

export type DangerLevel = 1 | 2 | 3 | 4 | 5;

/** Highest index of levels 1–4: 一级 ≤25, 二级 26–50, 三级 51–72, 四级 73–90, 五级 ≥91. */
export const LYT1172_LEVEL_MAX = [25, 50, 72, 90] as const;

/** @param index the LY/T 1172 index (A + B + C + E − G) */
export function lyt1172Level(index: number): DangerLevel {
  const i = LYT1172_LEVEL_MAX.findIndex((max) => index <= max);
  return (i < 0 ? 5 : i + 1) as DangerLevel;
}

/** The index of LY/T 1172-1995 for one day, with its components and level. */
export function lyt1172(input: Lyt1172Input): Lyt1172Result {
  const components = {
    A: componentA(input.tmaxC),
    B: componentB(input.rh14Pct),
    C: componentC(input.dryDays),
    E: componentE(input.windMs),
    G: input.g ?? 0,
  };
  const index = components.A + components.B + components.C + components.E - components.G;
  return { index, level: lyt1172Level(index), components };
}

/**
 * The alternative: danger level from the FWI, with the fire-danger classes of the Canadian
 * Wildland Fire Information System (low 0–5, moderate 5–10, high 10–20, very high 20–30,
 * extreme ≥ 30), mapped one to one onto 一级 … 五级.
 */
export const FWI_LEVEL_MIN = [5, 10, 20, 30] as const;

/** @param fwiValue the Fire Weather Index (dimensionless) */
export function fwiLevel(fwiValue: number): DangerLevel {
  let level = 1;
  for (const min of FWI_LEVEL_MIN) if (fwiValue >= min) level++;
  return level as DangerLevel;
}

/** Which index drives the product's level: LY/T 1172 by default, FWI as the alternative. */
export const DANGER_SYSTEMS = ['lyt1172', 'fwi'] as const;
export type DangerSystem = (typeof DANGER_SYSTEMS)[number];

/** The level the product shows, by the county's setting; both indices are always kept. */
export function productLevel(
  system: DangerSystem,
  lyt: Lyt1172Result,
  fwiValue: number,
): DangerLevel {
  return system === 'fwi' ? fwiLevel(fwiValue) : lyt.level;
}

/** Names and colours per QX/T 77-2007; 三级 and above hang the matching flag (挂旗). */
export const DANGER_LEVEL_INFO: Record<
  DangerLevel,
  {
    name: string;
    meaning: string;
    meaningEn: string;
    colour: string;
    colourName: string;
    flag: boolean;
  }
> = {
  1: {
    name: '一级',
    meaning: '低',
    meaningEn: 'low',
    colour: '#2e9e44',
    colourName: 'green',
    flag: false,
  },
  2: {
    name: '二级',
    meaning: '较低',
    meaningEn: 'moderate',
    colour: '#2f6fd6',
    colourName: 'blue',
    flag: false,
  },
  3: {
    name: '三级',
    meaning: '较高',
    meaningEn: 'high',
    colour: '#f2d00f',
    colourName: 'yellow',
    flag: true,
  },
  4: {
    name: '四级',
    meaning: '高',
    meaningEn: 'very high',
    colour: '#f28c13',
    colourName: 'orange',
    flag: true,
  },
  5: {
    name: '五级',
    meaning: '极高',
    meaningEn: 'extreme',
    colour: '#d7261e',
    colourName: 'red',
    flag: true,
  },
};
