/**
 * Synthetic terrain that reads like Mayang's: the 锦江 valley at ~150–250 m crossing the
 * county west → east-north-east past 高村, ridged hills up to ~1,000 m, typical slopes
 * 10–35°. Sinks are filled (priority-flood, Barnes et al. 2014) and D8 flow accumulation
 * gives the river network, so rivers run down real valleys of this DEM.
 */
import FlatQueue from 'flatqueue';
import { createNoise2D } from 'simplex-noise';
import { fork } from './random.ts';
import { type Box, Raster } from './raster.ts';

/** 锦江 course through the county, west to east (lon, lat); meanders are added by noise. */
export const JINJIANG_WAYPOINTS: [number, number][] = [
  [109.405, 27.835],
  [109.5, 27.845],
  [109.6, 27.83],
  [109.7, 27.855],
  [109.8, 27.868],
  [109.87, 27.905],
  [109.93, 27.93],
  [110.0, 27.955],
  [110.06, 27.985],
  [110.11, 28.0],
];

export interface Terrain {
  /** Model-scale DEM (~150 m), filled, metres. */
  model: Raster;
  /** Distance to the 锦江 centreline, metres (model cells). */
  riverDistance: Raster;
  /** D8 receiver of each model cell (-1 at outlets). */
  receiver: Int32Array;
  /** Upstream area in model cells. */
  accumulation: Float64Array;
  /** The 锦江 centreline as densified lon/lat points. */
  jinjiang: [number, number][];
}

function fbm(
  noise: (x: number, y: number) => number,
  x: number,
  y: number,
  octaves: number,
  ridged: boolean,
): number {
  let sum = 0;
  let amp = 1;
  let freq = 1;
  let norm = 0;
  for (let o = 0; o < octaves; o++) {
    const n = noise(x * freq, y * freq);
    sum += amp * (ridged ? 1 - Math.abs(n) : 0.5 + 0.5 * n);
    norm += amp;
    amp *= 0.5;
    freq *= 2.03;
  }
  return sum / norm;
}

/** Densify the waypoints and let the river meander with low-frequency noise. */
function meanderingCourse(seed: number): [number, number][] {
  const noise = createNoise2D(fork(seed, 'jinjiang'));
  const out: [number, number][] = [];
  for (let k = 0; k < JINJIANG_WAYPOINTS.length - 1; k++) {
    const [x0, y0] = JINJIANG_WAYPOINTS[k] as [number, number];
    const [x1, y1] = JINJIANG_WAYPOINTS[k + 1] as [number, number];
    const steps = Math.ceil(Math.hypot(x1 - x0, y1 - y0) / 0.002);
    for (let s = 0; s < steps; s++) {
      const t = s / steps;
      const x = x0 + (x1 - x0) * t;
      const y = y0 + (y1 - y0) * t;
      // Perpendicular offset; zero at waypoints so the river passes the seats.
      const taper = Math.sin(Math.PI * t);
      const off = 0.012 * taper * noise(x * 18, 0.5) + 0.004 * taper * noise(x * 70, 3.1);
      const len = Math.hypot(x1 - x0, y1 - y0);
      out.push([x - ((y1 - y0) / len) * off, y + ((x1 - x0) / len) * off]);
    }
  }
  out.push(JINJIANG_WAYPOINTS.at(-1) as [number, number]);
  return out;
}

/** Multi-source Dijkstra over 8-neighbours: metric distance from the seed cells. */
export function distanceFrom(
  grid: Raster,
  seeds: number[],
  carry?: Float64Array,
): { dist: Float64Array; value: Float64Array } {
  const dist = new Float64Array(grid.size).fill(Number.POSITIVE_INFINITY);
  const value = new Float64Array(grid.size);
  const q = new FlatQueue<number>();
  for (const s of seeds) {
    dist[s] = 0;
    value[s] = carry ? (carry[s] as number) : 0;
    q.push(s, 0);
  }
  const nb: { j: number; d: number }[] = [];
  while (q.length > 0) {
    const d0 = q.peekValue() as number;
    const i = q.pop() as number;
    if (d0 > (dist[i] as number)) continue;
    for (const { j, d } of grid.neighbours(i, nb)) {
      const nd = d0 + d;
      if (nd < (dist[j] as number)) {
        dist[j] = nd;
        value[j] = value[i] as number;
        q.push(j, nd);
      }
    }
  }
  return { dist, value };
}

export function buildTerrain(box: Box, seed: number, cellDeg = 0.0015): Terrain {
  const model = Raster.covering(box, cellDeg, cellDeg * 0.9);
  const jinjiang = meanderingCourse(seed);

  // River cells with the valley-floor height falling from ~205 m (west) to ~150 m (east).
  const floor = new Float64Array(model.size);
  const riverCells: number[] = [];
  jinjiang.forEach(([lon, lat], k) => {
    const i = model.cellAt(lon, lat);
    if (i < 0) return;
    floor[i] = 205 - (55 * k) / (jinjiang.length - 1);
    riverCells.push(i);
  });
  const { dist, value: floorNear } = distanceFrom(model, riverCells, floor);

  const ridge = createNoise2D(fork(seed, 'ridges'));
  const broad = createNoise2D(fork(seed, 'broad'));
  const detail = createNoise2D(fork(seed, 'detail'));
  for (let i = 0; i < model.size; i++) {
    const [lon, lat] = model.lonLat(i);
    const d = dist[i] as number;
    const x = lon * 24;
    const y = lat * 27; // ~4 km base wavelength
    const relief = 720 * (1 - Math.exp(-d / 2200));
    // Domain warping bends the ridges so they wander like real ones.
    const wx = x + 0.22 * broad(x * 0.5 + 7.1, y * 0.5);
    const wy = y + 0.22 * broad(x * 0.5, y * 0.5 + 3.7);
    const r = fbm(ridge, wx, wy, 6, true);
    const b = fbm(broad, lon * 3.5, lat * 4, 2, false);
    // The land rises away from the river, so hollows drain instead of filling flat.
    const valleyFloor = (floorNear[i] as number) + Math.min(d, 6000) * 0.035;
    model.data[i] =
      valleyFloor + relief * (r * r * 1.05) * (0.55 + 0.6 * b) + 12 * detail(x * 9, y * 9);
  }

  fillSinks(model);
  const { receiver, accumulation } = flow(model);
  return {
    model,
    riverDistance: new Raster(model.box, model.width, model.height, dist),
    receiver,
    accumulation,
    jinjiang,
  };
}

/** Priority-flood with a tiny gradient so every cell drains to the raster edge. */
function fillSinks(dem: Raster): void {
  const closed = new Uint8Array(dem.size);
  const q = new FlatQueue<number>();
  for (let c = 0; c < dem.width; c++)
    for (const r of [0, dem.height - 1]) {
      const i = dem.index(c, r);
      if (!closed[i]) {
        closed[i] = 1;
        q.push(i, dem.data[i] as number);
      }
    }
  for (let r = 0; r < dem.height; r++)
    for (const c of [0, dem.width - 1]) {
      const i = dem.index(c, r);
      if (!closed[i]) {
        closed[i] = 1;
        q.push(i, dem.data[i] as number);
      }
    }
  const nb: { j: number; d: number }[] = [];
  while (q.length > 0) {
    const i = q.pop() as number;
    const zi = dem.data[i] as number;
    for (const { j } of dem.neighbours(i, nb)) {
      if (closed[j]) continue;
      closed[j] = 1;
      if ((dem.data[j] as number) <= zi) dem.data[j] = zi + 0.01;
      q.push(j, dem.data[j] as number);
    }
  }
}

function flow(dem: Raster): { receiver: Int32Array; accumulation: Float64Array } {
  const receiver = new Int32Array(dem.size).fill(-1);
  const nb: { j: number; d: number }[] = [];
  for (let i = 0; i < dem.size; i++) {
    let best = -1;
    let bestSlope = 0;
    for (const { j, d } of dem.neighbours(i, nb)) {
      const s = ((dem.data[i] as number) - (dem.data[j] as number)) / d;
      if (s > bestSlope) {
        bestSlope = s;
        best = j;
      }
    }
    receiver[i] = best;
  }
  const order = Array.from({ length: dem.size }, (_, i) => i).sort(
    (a, b) => (dem.data[b] as number) - (dem.data[a] as number) || a - b,
  );
  const accumulation = new Float64Array(dem.size).fill(1);
  for (const i of order) {
    const r = receiver[i] as number;
    if (r >= 0) accumulation[r] = (accumulation[r] as number) + (accumulation[i] as number);
  }
  return { receiver, accumulation };
}

/** The fine DEM (≤ 50 m) written to dem.tif: the model surface plus small-scale relief. */
export function fineDem(
  terrain: Terrain,
  box: Box,
  seed: number,
  cellDegX = 0.0005,
  cellDegY = 0.00045,
): Raster {
  const fine = Raster.covering(box, cellDegX, cellDegY);
  const noise = createNoise2D(fork(seed, 'fine'));
  for (let i = 0; i < fine.size; i++) {
    const [lon, lat] = fine.lonLat(i);
    const base = terrain.model.sample(lon, lat);
    const rise = Math.min(1, terrain.riverDistance.sample(lon, lat) / 600);
    fine.data[i] =
      base + rise * (9 * noise(lon * 180, lat * 200) + 4 * noise(lon * 520, lat * 560));
  }
  return fine;
}
