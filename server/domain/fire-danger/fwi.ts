/**
 * The Canadian Forest Fire Weather Index (FWI) System: the three fuel moisture codes (FFMC,
 * DMC, DC) and the three fire behaviour indices (ISI, BUI, FWI), after Van Wagner, C.E. (1987)
 * *Development and structure of the Canadian Forest Fire Weather Index System*, Forestry
 * Technical Report 35, and the Fortran of Van Wagner & Pickett (1985) as updated by Wang,
 * Anderson & Suddaby (2015), NOR-X-424. Equation numbers below are Van Wagner 1987's.
 *
 * Choices, as in NOR-X-424's reference sequence: the original FFMC constant 147.2 (eq. 1 and
 * 10; the 1985 code's 147.27723 differs by < 0.1), the standard day-length factors Le (DMC)
 * and Lf (DC) of the northern mid-latitudes (no latitude adjustment), and no overwintering of
 * DC. Inputs are noon (LST) observations: temperature °C, relative humidity %, 10 m open wind
 * speed km/h, and rain mm over the past 24 h. Pure functions: nothing is mutated, nothing read.
 */

/** Daily weather for the FWI System, observed at local noon. */
export interface FwiWeather {
  /** Month 1–12 (selects the day-length factors). */
  month: number;
  /** Air temperature at noon, °C. */
  tempC: number;
  /** Relative humidity at noon, % (0–100). */
  rhPct: number;
  /** 10 m open wind speed at noon, km/h. */
  windKmh: number;
  /** Rain in the 24 h up to noon, mm. */
  rainMm: number;
}

/** Yesterday's moisture codes, the state carried from day to day. */
export interface FwiCodes {
  ffmc: number;
  dmc: number;
  dc: number;
}

export interface FwiDay extends FwiCodes {
  isi: number;
  bui: number;
  fwi: number;
}

/** Start-up codes of the standard spring start (Van Wagner 1987, "start-up"). */
export const FWI_START: FwiCodes = { ffmc: 85, dmc: 6, dc: 15 };

/** Effective day-length factors Le for the DMC by month, hours (Van Wagner 1987, table 1). */
export const DMC_DAY_LENGTH = [6.5, 7.5, 9.0, 12.8, 13.9, 13.9, 12.4, 10.9, 9.4, 8.0, 7.0, 6.0];
/** Day-length adjustments Lf for the DC by month (Van Wagner 1987, table 2). */
export const DC_DAY_LENGTH = [-1.6, -1.6, -1.6, 0.9, 3.8, 5.8, 6.4, 5.0, 2.4, 0.4, -1.6, -1.6];

/** The FFMC's scale constant, original value (eq. 1, 10). */
const FFMC_K = 147.2;

function checkMonth(month: number): number {
  if (!Number.isInteger(month) || month < 1 || month > 12)
    throw new RangeError(`month must be 1–12, got ${month}`);
  return month - 1;
}

/**
 * Fine Fuel Moisture Code for today (eq. 1–10).
 * @param prevFfmc yesterday's FFMC (0–101)
 * @param tempC noon temperature, °C
 * @param rhPct noon relative humidity, %
 * @param windKmh noon 10 m wind speed, km/h
 * @param rainMm 24 h rain, mm
 */
export function ffmc(
  prevFfmc: number,
  tempC: number,
  rhPct: number,
  windKmh: number,
  rainMm: number,
): number {
  // eq. 1: moisture content (%) from yesterday's code
  let mo = (FFMC_K * (101 - prevFfmc)) / (59.5 + prevFfmc);
  if (rainMm > 0.5) {
    const rf = rainMm - 0.5; // eq. 2: the canopy holds the first 0.5 mm
    // eq. 3a, and 3b above 150 % moisture
    let gain = 42.5 * rf * Math.exp(-100 / (251 - mo)) * (1 - Math.exp(-6.93 / rf));
    if (mo > 150) gain += 0.0015 * (mo - 150) ** 2 * Math.sqrt(rf);
    mo = Math.min(mo + gain, 250);
  }
  const h = rhPct;
  // eq. 4: equilibrium moisture content for drying
  const ed =
    0.942 * h ** 0.679 +
    11 * Math.exp((h - 100) / 10) +
    0.18 * (21.1 - tempC) * (1 - Math.exp(-0.115 * h));
  let m: number;
  if (mo > ed) {
    // eq. 6a, 6b, 8: log drying rate, moisture toward ed
    const ko = 0.424 * (1 - (h / 100) ** 1.7) + 0.0694 * Math.sqrt(windKmh) * (1 - (h / 100) ** 8);
    const kd = ko * 0.581 * Math.exp(0.0365 * tempC);
    m = ed + (mo - ed) * 10 ** -kd;
  } else {
    // eq. 5: equilibrium moisture content for wetting
    const ew =
      0.618 * h ** 0.753 +
      10 * Math.exp((h - 100) / 10) +
      0.18 * (21.1 - tempC) * (1 - Math.exp(-0.115 * h));
    if (mo < ew) {
      // eq. 7a, 7b, 9: log wetting rate, moisture toward ew
      const k1 =
        0.424 * (1 - ((100 - h) / 100) ** 1.7) +
        0.0694 * Math.sqrt(windKmh) * (1 - ((100 - h) / 100) ** 8);
      const kw = k1 * 0.581 * Math.exp(0.0365 * tempC);
      m = ew - (ew - mo) * 10 ** -kw;
    } else m = mo;
  }
  // eq. 10
  const code = (59.5 * (250 - m)) / (FFMC_K + m);
  return Math.min(Math.max(code, 0), 101);
}

/**
 * Duff Moisture Code for today (eq. 11–17).
 * @param prevDmc yesterday's DMC
 * @param tempC noon temperature, °C (below −1.1 °C there is no drying)
 * @param rhPct noon relative humidity, %
 * @param rainMm 24 h rain, mm
 * @param month month 1–12, for the day-length factor Le
 */
export function dmc(
  prevDmc: number,
  tempC: number,
  rhPct: number,
  rainMm: number,
  month: number,
): number {
  const le = DMC_DAY_LENGTH[checkMonth(month)] as number;
  let po = prevDmc;
  if (rainMm > 1.5) {
    const re = 0.92 * rainMm - 1.27; // eq. 11: effective rain
    const mo = 20 + Math.exp(5.6348 - po / 43.43); // eq. 12: duff moisture content
    // eq. 13a–c
    const b =
      po <= 33
        ? 100 / (0.5 + 0.3 * po)
        : po <= 65
          ? 14 - 1.3 * Math.log(po)
          : 6.2 * Math.log(po) - 17.2;
    const mr = mo + (1000 * re) / (48.77 + b * re); // eq. 14
    po = Math.max(244.72 - 43.43 * Math.log(mr - 20), 0); // eq. 15
  }
  // eq. 16: log drying rate (×100)
  const k = 1.894 * (Math.max(tempC, -1.1) + 1.1) * (100 - rhPct) * le * 1e-4;
  return Math.max(po + k, 0); // eq. 17
}

/**
 * Drought Code for today (eq. 18–23).
 * @param prevDc yesterday's DC
 * @param tempC noon temperature, °C (below −2.8 °C only the day-length term acts)
 * @param rainMm 24 h rain, mm
 * @param month month 1–12, for the day-length adjustment Lf
 */
export function dc(prevDc: number, tempC: number, rainMm: number, month: number): number {
  const lf = DC_DAY_LENGTH[checkMonth(month)] as number;
  let dr = prevDc;
  if (rainMm > 2.8) {
    const rd = 0.83 * rainMm - 1.27; // eq. 18: effective rain
    const qo = 800 * Math.exp(-prevDc / 400); // eq. 19: moisture equivalent
    const qr = qo + 3.937 * rd; // eq. 20
    dr = Math.max(400 * Math.log(800 / qr), 0); // eq. 21
  }
  // eq. 22: potential evapotranspiration, never negative
  const v = Math.max(0.36 * (Math.max(tempC, -2.8) + 2.8) + lf, 0);
  return Math.max(dr + 0.5 * v, 0); // eq. 23
}

/**
 * Initial Spread Index (eq. 24–26).
 * @param ffmcToday today's FFMC
 * @param windKmh noon 10 m wind speed, km/h
 */
export function isi(ffmcToday: number, windKmh: number): number {
  const m = (FFMC_K * (101 - ffmcToday)) / (59.5 + ffmcToday); // eq. 1
  const fW = Math.exp(0.05039 * windKmh); // eq. 24
  const fF = 91.9 * Math.exp(-0.1386 * m) * (1 + m ** 5.31 / 4.93e7); // eq. 25
  return 0.208 * fW * fF; // eq. 26
}

/**
 * Buildup Index (eq. 27a, 27b).
 * @param dmcToday today's DMC
 * @param dcToday today's DC
 */
export function bui(dmcToday: number, dcToday: number): number {
  if (dmcToday === 0 && dcToday === 0) return 0;
  const u =
    dmcToday <= 0.4 * dcToday
      ? (0.8 * dmcToday * dcToday) / (dmcToday + 0.4 * dcToday)
      : dmcToday -
        (1 - (0.8 * dcToday) / (dmcToday + 0.4 * dcToday)) * (0.92 + (0.0114 * dmcToday) ** 1.7);
  return Math.max(u, 0);
}

/**
 * Fire Weather Index (eq. 28–30).
 * @param isiToday today's ISI
 * @param buiToday today's BUI
 */
export function fwi(isiToday: number, buiToday: number): number {
  // eq. 28a, 28b: duff moisture function
  const fD =
    buiToday <= 80
      ? 0.626 * buiToday ** 0.809 + 2
      : 1000 / (25 + 108.64 * Math.exp(-0.023 * buiToday));
  const b = 0.1 * isiToday * fD; // eq. 29: intermediate (B-scale) FWI
  // Van Wagner's rounded 0.434 (≈ log10 e) is part of the published equation: keep it.
  // biome-ignore lint/suspicious/noApproximativeNumericConstant: eq. 30a as published
  return b > 1 ? Math.exp(2.72 * (0.434 * Math.log(b)) ** 0.647) : b; // eq. 30a, 30b
}

/**
 * One day of the whole system: today's codes and indices from yesterday's codes.
 * @param prev yesterday's FFMC, DMC, DC
 * @param w today's noon weather (units on FwiWeather)
 */
export function fwiDay(prev: FwiCodes, w: FwiWeather): FwiDay {
  const f = ffmc(prev.ffmc, w.tempC, w.rhPct, w.windKmh, w.rainMm);
  const d = dmc(prev.dmc, w.tempC, w.rhPct, w.rainMm, w.month);
  const c = dc(prev.dc, w.tempC, w.rainMm, w.month);
  const i = isi(f, w.windKmh);
  const u = bui(d, c);
  return { ffmc: f, dmc: d, dc: c, isi: i, bui: u, fwi: fwi(i, u) };
}

/**
 * A season run in order: each day starts from the day before's codes.
 * @param days noon weather, consecutive days
 * @param start codes before the first day (the standard start by default)
 */
export function fwiSeries(days: readonly FwiWeather[], start: FwiCodes = FWI_START): FwiDay[] {
  const out: FwiDay[] = [];
  let prev = start;
  for (const w of days) {
    const today = fwiDay(prev, w);
    out.push(today);
    prev = today;
  }
  return out;
}
