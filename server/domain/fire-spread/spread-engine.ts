/**
 * Fire growth over the terrain by minimum travel time (after Finney 2002, "Fire growth using
 * minimum travel time methods", Can. J. For. Res. 32: 1420–1424): the fire reaches each DEM
 * cell at the least time over all paths from the ignition, a path's time summed step by step
 * from the spread rate in the step's direction — half the step at the rate of the cell left,
 * half at the rate of the cell entered. Steps go to 32 neighbours (every direction to a cell
 * up to three rows and columns away), which keeps the shape of an ellipse within a few per
 * cent where 8 neighbours would square it off.
 *
 * Spread rate in a direction:
 * - Rothermel: each cell's BehavePlus fire (its fuel from the land cover, the midflame wind
 *   under its canopy, its slope and aspect by Horn's method) spreads as the BehavePlus ellipse
 *   with the ignition at its rear focus, R(θ) = R·(1 − e)/(1 − e·cos(θ − θmax)); on uniform
 *   ground the arrival times then trace that ellipse exactly.
 * - 王正非: R0·Ks·Kw·Kφ with the step's own rise over run for Kφ.
 *
 * Barriers: cells on roads (county, township and village), rivers of stream order ≥ 3 and
 * firebreaks do not burn unless the barriers are lifted; a longer step may not pass over a
 * cell that does not burn. Spotting across a barrier is not
 * modelled: the map says so.
 * Perimeters are the arrival-time raster traced at +10/+20/+30/+60/+120/+180 minutes
 * (marching squares), so they nest by construction.
 */
import turfArea from '@turf/area';
import { contours } from 'd3-contour';
import FlatQueue from 'flatqueue';
import type { FeatureCollection, MultiPolygon, Position } from 'geojson';
import { EARTH_RADIUS_M } from '../reach/geo.ts';
import { fuelModel } from './fuel-models.ts';
import { LAND_COVERS, type LandCover } from './land-cover.ts';
import {
  type Fuelbed,
  type FuelMoisture,
  fuelbed,
  surfaceFireOn,
  UNITS,
  windAdjustmentFactor,
} from './rothermel.ts';
import { wangSlopeFactor } from './wang-zhengfei.ts';

export const BARRIER_ROAD = 1;
export const BARRIER_RIVER = 2;
export const BARRIER_FIREBREAK = 4;

export interface SpreadGrid {
  width: number;
  height: number;
  /** west, south, east, north (degrees) */
  bbox: [number, number, number, number];
  /** Elevation per cell, m, rows from the north. */
  elevation: ArrayLike<number>;
  /** Land-cover code per cell (LAND_COVERS). */
  cover: Uint8Array;
  /** Barrier bits per cell (BARRIER_ROAD | BARRIER_RIVER | BARRIER_FIREBREAK). */
  barrier: Uint8Array;
}

export type SpreadModel = 'rothermel' | 'wang';

export interface SpreadSettings {
  model: SpreadModel;
  /** Open wind 10 m above ground, m/s. */
  windMs: number;
  /** Direction the wind blows from, degrees clockwise from north. */
  windFromDeg: number;
  moisture: FuelMoisture;
  /** 王正非 R0, m/min. */
  wangR0MMin: number;
  /** Whether roads, rivers and firebreaks stop the fire. */
  barriers: boolean;
  /** Cap the effective wind speed at Rothermel's limit (default: no cap, as BehavePlus 6). */
  windLimit?: boolean;
  covers?: readonly LandCover[];
}

/**
 * Default fuel moisture: BehavePlus's D2L2 scenario (6, 7, 8 % dead; 60 % herbaceous, 90 %
 * woody), a dry spring day in the hills; the 1 h value is replaced by the day's FFMC when the
 * fire-danger rating provides one (`moistureFromFfmc`).
 */
export const DEFAULT_MOISTURE: FuelMoisture = {
  d1h: 0.06,
  d10h: 0.07,
  d100h: 0.08,
  liveHerb: 0.6,
  liveWoody: 0.9,
};

/**
 * The county's fallback fuel moisture (issue 15, item 3: a setting where no FFMC is known),
 * from "d1h,d10h,d100h,herb,woody" in percent of oven-dry weight, as foresters write it
 * (BehavePlus's D2L2 default is "6,7,8,60,90"). Dead fuels 1–60 %, live 30–300 % (below 30 %
 * live herbaceous fuel is fully cured in BehavePlus). An error says what is wrong.
 */
export function parseMoisturePercent(text: string): { moisture: FuelMoisture } | { error: string } {
  const parts = text.split(',').map((p) => p.trim());
  const v = parts.map(Number);
  const ok = (i: number, lo: number, hi: number) =>
    /^\d+(\.\d+)?$/.test(parts[i] ?? '') && (v[i] as number) >= lo && (v[i] as number) <= hi;
  if (
    parts.length !== 5 ||
    ![0, 1, 2].every((i) => ok(i, 1, 60)) ||
    ![3, 4].every((i) => ok(i, 30, 300))
  )
    return {
      error: `must be five percentages d1h,d10h,d100h,herb,woody (dead 1–60, live 30–300; e.g. 6,7,8,60,90), got "${text}"`,
    };
  const [d1h, d10h, d100h, liveHerb, liveWoody] = v.map((x) => x / 100) as number[];
  return {
    moisture: {
      d1h: d1h as number,
      d10h: d10h as number,
      d100h: d100h as number,
      liveHerb: liveHerb as number,
      liveWoody: liveWoody as number,
    },
  };
}

/**
 * Fine dead fuel moisture (fraction) from the FFMC: Van Wagner (1987) eq. 1 inverted,
 * m = 147.2·(101 − F)/(59.5 + F) %.
 */
export function moistureFromFfmc(ffmc: number): number {
  return (147.2 * (101 - ffmc)) / (59.5 + ffmc) / 100;
}

export const PERIMETER_MINUTES = [10, 20, 30, 60, 120, 180] as const;
export const MAX_SPREAD_MINUTES = 180;

/** The perimeter times for a horizon: the standard ones within it, and the horizon itself. */
export function perimeterMinutes(minutes: number): number[] {
  const list: number[] = PERIMETER_MINUTES.filter((m) => m <= minutes);
  if (!list.includes(minutes)) list.push(minutes);
  return list;
}

export interface SpreadResult {
  model: SpreadModel;
  origin: [number, number];
  /** The cell the fire started from (the nearest burnable one to the point). */
  ignition: [number, number];
  minutes: number;
  /** Head of the fire at the ignition: rate m/min and direction, degrees from north. */
  head: { rosMMin: number; azimuthDeg: number };
  perimeters: FeatureCollection<MultiPolygon, { minutes: number; areaHa: number }>;
  /** Arrival time at a point, minutes; Infinity beyond the horizon or never. */
  minutesAt(lon: number, lat: number): number;
  /** Arrival time at a cell of the grid, minutes; Infinity beyond the horizon or never. */
  minutesAtCell(cell: number): number;
  /** The rows and columns of the grid the fire's times are kept for (all it reached). */
  window: { row: number; col: number; rows: number; cols: number };
}

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

/** Steps to every cell within 3 rows and columns in a direction no shorter step takes. */
const STEPS: readonly [number, number][] = (() => {
  const list: [number, number][] = [];
  for (let dr = -3; dr <= 3; dr++)
    for (let dc = -3; dc <= 3; dc++)
      if ((dr !== 0 || dc !== 0) && gcd(Math.abs(dr), Math.abs(dc)) === 1) list.push([dr, dc]);
  return list;
})();

/**
 * The cells a step passes over between its ends (all must burn): the segment between the
 * cell centres sampled finely, a touch wider than a line so that a step through a corner
 * counts both cells beside the corner.
 */
function between(dr: number, dc: number): [number, number][] {
  const seen = new Set<string>();
  const out: [number, number][] = [];
  const n = 64;
  for (let k = 1; k < n; k++) {
    const y = 0.5 + (dr * k) / n;
    const x = 0.5 + (dc * k) / n;
    for (const [ey, ex] of [
      [-1e-6, -1e-6],
      [-1e-6, 1e-6],
      [1e-6, -1e-6],
      [1e-6, 1e-6],
    ] as const) {
      const r = Math.floor(y + ey);
      const c = Math.floor(x + ex);
      if ((r === 0 && c === 0) || (r === dr && c === dc) || seen.has(`${r},${c}`)) continue;
      seen.add(`${r},${c}`);
      out.push([r, c]);
    }
  }
  return out;
}
const BETWEEN = STEPS.map(([dr, dc]) => between(dr, dc));

const DEG = Math.PI / 180;

export class SpreadEngine {
  readonly grid: SpreadGrid;
  readonly dLon: number;
  readonly dLat: number;
  readonly rowDx: Float64Array;
  readonly dy: number;
  private readonly size: number;
  /** Per-cell slope (rise over run) and upslope azimuth (radians), NaN until first asked. */
  private readonly slopeTan: Float32Array;
  private readonly upAz: Float32Array;
  // Scratch for one spread, valid where stamp === epoch.
  private readonly stamp: Int32Array;
  private epoch = 0;
  private readonly time: Float64Array;
  private readonly rate: Float32Array;
  private readonly rateAz: Float32Array;
  private readonly ecc: Float32Array;

  constructor(grid: SpreadGrid) {
    this.grid = grid;
    const [w, s, e, n] = grid.bbox;
    this.dLon = (e - w) / grid.width;
    this.dLat = (n - s) / grid.height;
    const m = (EARTH_RADIUS_M * Math.PI) / 180;
    this.dy = this.dLat * m;
    this.rowDx = new Float64Array(grid.height);
    for (let r = 0; r < grid.height; r++)
      this.rowDx[r] = this.dLon * m * Math.cos((n - (r + 0.5) * this.dLat) * DEG);
    this.size = grid.width * grid.height;
    this.slopeTan = new Float32Array(this.size).fill(Number.NaN);
    this.upAz = new Float32Array(this.size);
    this.stamp = new Int32Array(this.size);
    this.time = new Float64Array(this.size);
    this.rate = new Float32Array(this.size);
    this.rateAz = new Float32Array(this.size);
    this.ecc = new Float32Array(this.size);
  }

  /** Cell index of a point, or -1 outside the grid. */
  cellOf(lon: number, lat: number): number {
    const c = Math.floor((lon - this.grid.bbox[0]) / this.dLon);
    const r = Math.floor((this.grid.bbox[3] - lat) / this.dLat);
    if (c < 0 || r < 0 || c >= this.grid.width || r >= this.grid.height) return -1;
    return r * this.grid.width + c;
  }

  centre(cell: number): [number, number] {
    const r = Math.floor(cell / this.grid.width);
    const c = cell - r * this.grid.width;
    return [this.grid.bbox[0] + (c + 0.5) * this.dLon, this.grid.bbox[3] - (r + 0.5) * this.dLat];
  }

  covers(lon: number, lat: number): boolean {
    return this.cellOf(lon, lat) >= 0;
  }

  /** Slope (rise over run) and upslope azimuth (radians from north) by Horn's (1981) method. */
  private terrain(cell: number) {
    if (!Number.isNaN(this.slopeTan[cell] as number)) return;
    const W = this.grid.width;
    const H = this.grid.height;
    const r = (cell / W) | 0;
    const c = cell - r * W;
    const z = (rr: number, cc: number) =>
      this.grid.elevation[
        Math.min(H - 1, Math.max(0, rr)) * W + Math.min(W - 1, Math.max(0, cc))
      ] as number;
    const dx = this.rowDx[r] as number;
    const east =
      z(r - 1, c + 1) +
      2 * z(r, c + 1) +
      z(r + 1, c + 1) -
      (z(r - 1, c - 1) + 2 * z(r, c - 1) + z(r + 1, c - 1));
    const north =
      z(r - 1, c - 1) +
      2 * z(r - 1, c) +
      z(r - 1, c + 1) -
      (z(r + 1, c - 1) + 2 * z(r + 1, c) + z(r + 1, c + 1));
    const gx = east / (8 * dx);
    const gy = north / (8 * this.dy);
    this.slopeTan[cell] = Math.hypot(gx, gy);
    this.upAz[cell] = Math.atan2(gx, gy);
  }

  /**
   * Spread from a point for `minutes` (≤ 180) under the settings. Throws RangeError when the
   * point is off the grid; when nothing burnable lies within ten cells of it the fire does not
   * spread (no perimeters, head rate 0).
   */
  spread(lon: number, lat: number, minutes: number, settings: SpreadSettings): SpreadResult {
    const g = this.grid;
    const W = g.width;
    const H = g.height;
    const covers = settings.covers ?? LAND_COVERS;
    const windHeadingAz = ((settings.windFromDeg + 180) % 360) * DEG;
    // Per land cover: the fuelbed, midflame wind (ft/min) or Ks.
    const beds: (Fuelbed | null)[] = [];
    const midflame: number[] = [];
    for (const cv of covers) {
      const fuel = fuelModel(cv.fuelModel);
      const bed = fuel ? fuelbed(fuel, settings.moisture) : null;
      beds[cv.code] = bed && bed.ros0 > 0 ? bed : null;
      const waf = fuel
        ? windAdjustmentFactor({
            canopyCover: cv.canopy?.cover ?? 0,
            canopyHeightFt: (cv.canopy?.heightM ?? 0) / UNITS.ftToM,
            crownRatio: cv.canopy?.crownRatio ?? 0,
            fuelbedDepthFt: fuel.depthFt,
          })
        : 0;
      // 10-m wind to 20-ft wind as `behave` does (÷ 1.15), then to midflame.
      midflame[cv.code] = (settings.windMs / 1.15) * waf * UNITS.msToFtPerMin;
    }
    const ks: number[] = [];
    for (const cv of covers) ks[cv.code] = cv.wangKs;
    const wang = settings.model === 'wang';
    const wangR0 = settings.wangR0MMin;
    const windMs = settings.windMs;

    this.epoch++;
    const epoch = this.epoch;
    const { stamp, time, rate, rateAz, ecc } = this;
    const el = g.elevation;
    const blocked = (cell: number) => rate[cell] === 0;
    // First touch of a cell in this spread: its head rate, direction and eccentricity.
    const touch = (cell: number) => {
      if (stamp[cell] === epoch) return;
      stamp[cell] = epoch;
      time[cell] = Number.POSITIVE_INFINITY;
      const code = g.cover[cell] as number;
      if (settings.barriers && g.barrier[cell] !== 0) {
        rate[cell] = 0;
        return;
      }
      if (wang) {
        rate[cell] = wangR0 * (ks[code] ?? 0);
        return;
      }
      const bed = beds[code];
      if (!bed) {
        rate[cell] = 0;
        return;
      }
      this.terrain(cell);
      const up = this.upAz[cell] as number;
      const fire = surfaceFireOn(bed, {
        midflameWindFtPerMin: midflame[code] ?? 0,
        windHeadingFromUpslopeDeg: (windHeadingAz - up) / DEG,
        slopeDeg: Math.atan(this.slopeTan[cell] as number) / DEG,
        applyWindLimit: settings.windLimit === true,
      });
      rate[cell] = fire.rosFtPerMin * UNITS.ftToM;
      rateAz[cell] = up + fire.headingFromUpslopeDeg * DEG;
      ecc[cell] = fire.eccentricity;
    };
    /** Rate (m/min) from a cell in direction az (radians from north), step rise over run. */
    const rateTowards = (cell: number, az: number, tanStep: number) => {
      if (wang)
        return (
          (rate[cell] as number) *
          Math.exp(0.1783 * windMs * Math.cos(az - windHeadingAz)) *
          wangSlopeFactor(tanStep)
        );
      const e = ecc[cell] as number;
      return ((rate[cell] as number) * (1 - e)) / (1 - e * Math.cos(az - (rateAz[cell] as number)));
    };

    let start = this.cellOf(lon, lat);
    if (start < 0) throw new RangeError(`(${lon}, ${lat}) lies outside the terrain model`);
    touch(start);
    if (blocked(start)) start = this.nearestBurnable(start, touch, blocked);
    const queue = new FlatQueue<number>();
    if (!blocked(start)) {
      time[start] = 0;
      queue.push(start, 0);
    }
    // Search a little past the horizon so the last perimeter is traced between real times.
    const limit = minutes * 1.1 + 2;
    let minR = H;
    let maxR = -1;
    let minC = W;
    let maxC = -1;
    while (queue.length > 0) {
      const t = queue.peekValue() as number;
      const cell = queue.pop() as number;
      if (t > (time[cell] as number)) continue;
      if (t > limit) break;
      const r = (cell / W) | 0;
      const c = cell - r * W;
      if (r < minR) minR = r;
      if (r > maxR) maxR = r;
      if (c < minC) minC = c;
      if (c > maxC) maxC = c;
      const z = el[cell] as number;
      for (let k = 0; k < STEPS.length; k++) {
        const [dr, dc] = STEPS[k] as [number, number];
        const rr = r + dr;
        const cc = c + dc;
        if (rr < 0 || rr >= H || cc < 0 || cc >= W) continue;
        const next = rr * W + cc;
        touch(next);
        if (blocked(next)) continue;
        let open = true;
        for (const [br, bc] of BETWEEN[k] as [number, number][]) {
          const mid = (r + br) * W + (c + bc);
          touch(mid);
          if (blocked(mid)) open = false;
        }
        if (!open) continue;
        const dxm = dc * (this.rowDx[(r + rr) >> 1] as number);
        const dym = -dr * this.dy;
        const len = Math.hypot(dxm, dym);
        const az = Math.atan2(dxm, dym);
        const tanStep = ((el[next] as number) - z) / len;
        const tn =
          t + len / 2 / rateTowards(cell, az, tanStep) + len / 2 / rateTowards(next, az, tanStep);
        if (tn < (time[next] as number)) {
          time[next] = tn;
          queue.push(next, tn);
        }
      }
    }

    // The arrival-time window around what burned, two cells of margin.
    if (maxR < 0) {
      const r = (start / W) | 0;
      minR = maxR = r;
      minC = maxC = start - r * W;
    }
    const r0 = Math.max(0, minR - 2);
    const c0 = Math.max(0, minC - 2);
    const ww = Math.min(W, maxC + 3) - c0;
    const wh = Math.min(H, maxR + 3) - r0;
    const win = new Float64Array(ww * wh).fill(Number.POSITIVE_INFINITY);
    for (let y = 0; y < wh; y++)
      for (let x = 0; x < ww; x++) {
        const cell = (r0 + y) * W + c0 + x;
        if (stamp[cell] === epoch) win[y * ww + x] = time[cell] as number;
      }
    const [w, , , n] = g.bbox;
    const toLonLat = ([x, y]: Position): Position => [
      Math.round((w + (c0 + (x as number)) * this.dLon) * 1e6) / 1e6,
      Math.round((n - (r0 + (y as number)) * this.dLat) * 1e6) / 1e6,
    ];
    const values = Array.from(win, (t) => (Number.isFinite(t) ? -t : -1e9));
    const bands = contours()
      .size([ww, wh])
      .thresholds(perimeterMinutes(minutes).map((m) => -m))(values);
    const features = bands
      .map((band) => {
        const geometry = {
          type: 'MultiPolygon' as const,
          coordinates: band.coordinates.map((poly) => poly.map((ring) => ring.map(toLonLat))),
        };
        const areaHa =
          Math.round(turfArea({ type: 'Feature', properties: {}, geometry }) / 100) / 100;
        return {
          type: 'Feature' as const,
          properties: { minutes: Math.round(-band.value), areaHa },
          geometry,
        };
      })
      .sort((a, b) => a.properties.minutes - b.properties.minutes);

    const at = (col: number, row: number) => {
      const x = col - c0;
      const y = row - r0;
      if (x < 0 || y < 0 || x >= ww || y >= wh) return Number.POSITIVE_INFINITY;
      const t = win[y * ww + x] as number;
      return t <= minutes ? t : Number.POSITIVE_INFINITY;
    };
    const headRate = blocked(start)
      ? 0
      : wang
        ? rateTowards(start, windHeadingAz, 0)
        : (rate[start] as number);
    const headAz = wang ? windHeadingAz : (rateAz[start] as number);
    return {
      model: settings.model,
      origin: [lon, lat],
      ignition: this.centre(start),
      minutes,
      head: { rosMMin: headRate, azimuthDeg: (((headAz / DEG) % 360) + 360) % 360 },
      perimeters: { type: 'FeatureCollection', features },
      minutesAt: (plon, plat) =>
        at(Math.floor((plon - w) / this.dLon), Math.floor((n - plat) / this.dLat)),
      window: { row: r0, col: c0, rows: wh, cols: ww },
      minutesAtCell: (cell) => {
        const r = (cell / W) | 0;
        return at(cell - r * W, r);
      },
    };
  }

  private nearestBurnable(
    cell: number,
    touch: (c: number) => void,
    blocked: (c: number) => boolean,
  ): number {
    const W = this.grid.width;
    const r0 = Math.floor(cell / W);
    const c0 = cell - r0 * W;
    for (let d = 1; d <= 10; d++)
      for (let dr = -d; dr <= d; dr++)
        for (let dc = -d; dc <= d; dc++) {
          if (Math.max(Math.abs(dr), Math.abs(dc)) !== d) continue;
          const r = r0 + dr;
          const c = c0 + dc;
          if (r < 0 || c < 0 || r >= this.grid.height || c >= W) continue;
          touch(r * W + c);
          if (!blocked(r * W + c)) return r * W + c;
        }
    return cell;
  }
}
