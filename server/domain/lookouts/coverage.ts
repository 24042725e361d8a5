/**
 * Tower coverage (瞭望覆盖, issue 16 item 1): what the county's lookouts see of its forest.
 * Each tower's viewshed over the DEM within its range; per DEM cell the number of towers
 * that see it; per fire-prevention grid the share of its forest seen by 0, 1 and 2+ towers
 * (two towers seeing a smoke can cross their bearings into a fix; one only gives a
 * direction); the blind spots of each grid as patches of unseen forest; and greedy
 * suggestions for new towers, each the hilltop that would see the most forest still unseen.
 *
 * Forest: the demo county has no forest raster, and its 815 grids are drawn over forest
 * land only (scripts/geodata/mayang.ts), so a DEM cell whose centre lies in a grid is a
 * forest cell. Pure: no I/O, inputs not mutated.
 */
import type { Feature, MultiPolygon, Polygon, Position } from 'geojson';
import { metresPerDegree, VISIBLE, viewshed } from './viewshed.ts';

/** A north-up DEM in degrees WGS84 (the county's dem.tif). */
export interface DemGrid {
  width: number;
  height: number;
  /** west, south, east, north, degrees */
  bbox: [number, number, number, number];
  /** Elevation, metres, row 0 at the north edge. */
  values: ArrayLike<number>;
}

export interface Tower {
  id: string;
  lon: number;
  lat: number;
  /** Camera height above ground, metres. */
  heightM: number;
  /** Range, metres. */
  rangeM: number;
}

/** A viewshed cut to the box around the tower's range, placed in the DEM by its offset. */
export interface WindowedViewshed {
  col0: number;
  row0: number;
  width: number;
  height: number;
  /** VISIBLE / NOT_VISIBLE / BEYOND_RANGE per window cell. */
  cells: Uint8Array;
}

export interface BlindSpot {
  /** Centroid of the patch, degrees. */
  lon: number;
  lat: number;
  areaHa: number;
}

export interface GridCoverage {
  code: string;
  forestHa: number;
  /** Shares of the grid's forest seen by no tower, by exactly one, by two or more (sum 1). */
  seen0: number;
  seen1: number;
  seen2: number;
  /** Patches of unseen forest of at least `minBlindSpotHa`, largest first (at most 5). */
  blindSpots: BlindSpot[];
}

export interface TowerSuggestion {
  lon: number;
  lat: number;
  elevationM: number;
  /** Forest unseen before that this tower would see (after the suggestions before it). */
  newlySeenHa: number;
}

export interface TowerCoverage {
  towers: number;
  forestHa: number;
  seen0: number;
  seen1: number;
  seen2: number;
  grids: GridCoverage[];
  suggestions: TowerSuggestion[];
  /** Per DEM cell: −1 not forest, else how many towers see it (capped at 255). */
  seenBy: Int16Array;
}

export interface CoverageOptions {
  /** Height and range of a suggested new tower, metres. */
  newTowerHeightM?: number;
  newTowerRangeM?: number;
  suggestions?: number;
  /** Hilltops tried as new tower sites (highest first). */
  candidates?: number;
  minBlindSpotHa?: number;
}

function cellCentre(dem: DemGrid, col: number, row: number): [number, number] {
  const [w, s, e, n] = dem.bbox;
  return [w + ((col + 0.5) / dem.width) * (e - w), n - ((row + 0.5) / dem.height) * (n - s)];
}

/** Area of one DEM cell at `row`, hectares. */
function cellHa(dem: DemGrid, row: number): number {
  const [w, s, e, n] = dem.bbox;
  const m = metresPerDegree(cellCentre(dem, 0, row)[1]);
  return (((e - w) / dem.width) * m.x * ((n - s) / dem.height) * m.y) / 10_000;
}

/** The tower's viewshed on the part of the DEM within its range. */
export function towerViewshed(dem: DemGrid, tower: Omit<Tower, 'id'>): WindowedViewshed | null {
  const [w, s, e, n] = dem.bbox;
  const degX = (e - w) / dem.width;
  const degY = (n - s) / dem.height;
  const col = Math.floor((tower.lon - w) / degX);
  const row = Math.floor((n - tower.lat) / degY);
  if (col < 0 || row < 0 || col >= dem.width || row >= dem.height) return null;
  const m = metresPerDegree(tower.lat);
  const cellM = { x: degX * m.x, y: degY * m.y };
  const rx = Math.ceil(tower.rangeM / cellM.x) + 1;
  const ry = Math.ceil(tower.rangeM / cellM.y) + 1;
  const col0 = Math.max(0, col - rx);
  const row0 = Math.max(0, row - ry);
  const width = Math.min(dem.width, col + rx + 1) - col0;
  const height = Math.min(dem.height, row + ry + 1) - row0;
  const elevation = new Float64Array(width * height);
  for (let r = 0; r < height; r++)
    for (let c = 0; c < width; c++)
      elevation[r * width + c] = dem.values[(row0 + r) * dem.width + col0 + c] as number;
  const cells = viewshed({
    elevation,
    width,
    height,
    cellM,
    col: col - col0,
    row: row - row0,
    observerHeightM: tower.heightM,
    radiusM: tower.rangeM,
  });
  return { col0, row0, width, height, cells };
}

/**
 * Which grid each DEM cell's centre lies in (index into `grids`, −1 for none): even–odd
 * scanline fill of every ring at each row's centre latitude, so holes stay empty.
 */
export function rasterizeGrids(
  dem: DemGrid,
  grids: Feature<Polygon | MultiPolygon, unknown>[],
): Int32Array {
  const out = new Int32Array(dem.width * dem.height).fill(-1);
  const [w, s, e, n] = dem.bbox;
  const degX = (e - w) / dem.width;
  const degY = (n - s) / dem.height;
  grids.forEach((g, gi) => {
    const polys: Position[][][] =
      g.geometry.type === 'Polygon' ? [g.geometry.coordinates] : g.geometry.coordinates;
    for (const rings of polys) {
      let minY = Number.POSITIVE_INFINITY;
      let maxY = Number.NEGATIVE_INFINITY;
      for (const ring of rings)
        for (const p of ring) {
          minY = Math.min(minY, p[1] as number);
          maxY = Math.max(maxY, p[1] as number);
        }
      const rFrom = Math.max(0, Math.floor((n - maxY) / degY - 0.5));
      const rTo = Math.min(dem.height - 1, Math.ceil((n - minY) / degY - 0.5));
      const xs: number[] = [];
      for (let r = rFrom; r <= rTo; r++) {
        const y = n - (r + 0.5) * degY;
        xs.length = 0;
        for (const ring of rings)
          for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
            const [xi, yi] = ring[i] as [number, number];
            const [xj, yj] = ring[j] as [number, number];
            if (yi > y !== yj > y) xs.push(xi + ((y - yi) / (yj - yi)) * (xj - xi));
          }
        xs.sort((a, b) => a - b);
        for (let k = 0; k + 1 < xs.length; k += 2) {
          const c0 = Math.max(0, Math.ceil(((xs[k] as number) - w) / degX - 0.5));
          const c1 = Math.min(dem.width - 1, Math.floor(((xs[k + 1] as number) - w) / degX - 0.5));
          for (let c = c0; c <= c1; c++) out[r * dem.width + c] = gi;
        }
      }
    }
  });
  return out;
}

/** Forest cells of the window that the viewshed sees, as DEM cell indices. */
function seenForest(dem: DemGrid, v: WindowedViewshed, gridOf: Int32Array, out: number[] = []) {
  out.length = 0;
  for (let r = 0; r < v.height; r++)
    for (let c = 0; c < v.width; c++) {
      if (v.cells[r * v.width + c] !== VISIBLE) continue;
      const k = (v.row0 + r) * dem.width + v.col0 + c;
      if ((gridOf[k] as number) >= 0) out.push(k);
    }
  return out;
}

/** Patches (8-connected) of unseen forest cells per grid. */
function blindSpots(dem: DemGrid, gridOf: Int32Array, seenBy: Int16Array, minHa: number) {
  const byGrid = new Map<number, BlindSpot[]>();
  const done = new Uint8Array(seenBy.length);
  const stack: number[] = [];
  for (let start = 0; start < seenBy.length; start++) {
    if (done[start] || seenBy[start] !== 0) continue;
    const g = gridOf[start] as number;
    let ha = 0;
    let sx = 0;
    let sy = 0;
    stack.push(start);
    done[start] = 1;
    while (stack.length) {
      const k = stack.pop() as number;
      const col = k % dem.width;
      const row = (k - col) / dem.width;
      const a = cellHa(dem, row);
      const [lon, lat] = cellCentre(dem, col, row);
      ha += a;
      sx += lon * a;
      sy += lat * a;
      for (let dr = -1; dr <= 1; dr++)
        for (let dc = -1; dc <= 1; dc++) {
          const c = col + dc;
          const r = row + dr;
          if (c < 0 || r < 0 || c >= dem.width || r >= dem.height) continue;
          const j = r * dem.width + c;
          if (done[j] || seenBy[j] !== 0 || gridOf[j] !== g) continue;
          done[j] = 1;
          stack.push(j);
        }
    }
    if (ha < minHa) continue;
    const list = byGrid.get(g) ?? [];
    list.push({ lon: round6(sx / ha), lat: round6(sy / ha), areaHa: Math.round(ha * 10) / 10 });
    byGrid.set(g, list);
  }
  return byGrid;
}

const round6 = (x: number) => Math.round(x * 1e6) / 1e6;

/**
 * Hilltops: forest cells as high as anything within 4 cells (a 9×9 window).
 * The window maximum is taken by rows then by columns (separable), O(cells · 9).
 */
function hilltops(dem: DemGrid, gridOf: Int32Array): number[] {
  const k = 4;
  const { width, height, values } = dem;
  const rowMax = new Float64Array(width * height);
  for (let r = 0; r < height; r++)
    for (let c = 0; c < width; c++) {
      let m = Number.NEGATIVE_INFINITY;
      for (let x = Math.max(0, c - k); x <= Math.min(width - 1, c + k); x++)
        m = Math.max(m, values[r * width + x] as number);
      rowMax[r * width + c] = m;
    }
  const tops: number[] = [];
  for (let r = 0; r < height; r++)
    for (let c = 0; c < width; c++) {
      const i = r * width + c;
      if ((gridOf[i] as number) < 0) continue;
      const z = values[i] as number;
      let top = true;
      for (let y = Math.max(0, r - k); y <= Math.min(height - 1, r + k) && top; y++)
        if ((rowMax[y * width + c] as number) > z) top = false;
      if (top) tops.push(i);
    }
  return tops;
}

/**
 * The `limit` hilltops with the most unseen forest within `radius` cells (a square, by a
 * summed-area table): the ones worth a full viewshed.
 */
function promisingSites(
  dem: DemGrid,
  tops: number[],
  unseen: Uint8Array,
  radius: number,
  limit: number,
) {
  const { width, height } = dem;
  const sat = new Float64Array((width + 1) * (height + 1));
  for (let r = 0; r < height; r++)
    for (let c = 0; c < width; c++)
      sat[(r + 1) * (width + 1) + c + 1] =
        (unseen[r * width + c] as number) +
        (sat[r * (width + 1) + c + 1] as number) +
        (sat[(r + 1) * (width + 1) + c] as number) -
        (sat[r * (width + 1) + c] as number);
  const around = (i: number) => {
    const c = i % width;
    const r = (i - c) / width;
    const c0 = Math.max(0, c - radius);
    const r0 = Math.max(0, r - radius);
    const c1 = Math.min(width, c + radius + 1);
    const r1 = Math.min(height, r + radius + 1);
    const at = (rr: number, cc: number) => sat[rr * (width + 1) + cc] as number;
    return at(r1, c1) - at(r0, c1) - at(r1, c0) + at(r0, c0);
  };
  return tops
    .map((i) => ({ i, score: around(i) + (dem.values[i] as number) * 1e-6 }))
    .sort((a, b) => b.score - a.score)
    .slice(0, limit)
    .map((t) => t.i);
}

export function towerCoverage(
  dem: DemGrid,
  towers: readonly Tower[],
  grids: Feature<Polygon | MultiPolygon, { code: string }>[],
  options: CoverageOptions = {},
): TowerCoverage {
  const newHeight = options.newTowerHeightM ?? 25;
  const newRange = options.newTowerRangeM ?? 5000;
  const minBlind = options.minBlindSpotHa ?? 1;
  const gridOf = rasterizeGrids(dem, grids);
  const seenBy = new Int16Array(gridOf.length);
  for (let i = 0; i < gridOf.length; i++) seenBy[i] = (gridOf[i] as number) >= 0 ? 0 : -1;

  const seen: number[] = [];
  for (const t of towers) {
    const v = towerViewshed(dem, t);
    if (!v) continue;
    for (const k of seenForest(dem, v, gridOf, seen))
      seenBy[k] = Math.min(255, (seenBy[k] as number) + 1);
  }

  // Per grid and county shares, by area.
  const area = grids.map(() => [0, 0, 0]);
  const total = [0, 0, 0];
  for (let k = 0; k < seenBy.length; k++) {
    const g = gridOf[k] as number;
    if (g < 0) continue;
    const a = cellHa(dem, Math.floor(k / dem.width));
    const bucket = Math.min(2, seenBy[k] as number);
    (area[g] as number[])[bucket] = ((area[g] as number[])[bucket] as number) + a;
    total[bucket] = (total[bucket] as number) + a;
  }
  const spots = blindSpots(dem, gridOf, seenBy, minBlind);
  const share = (a: number[]) => {
    const sum = (a[0] as number) + (a[1] as number) + (a[2] as number);
    return {
      forestHa: Math.round(sum * 10) / 10,
      seen0: sum > 0 ? (a[0] as number) / sum : 0,
      seen1: sum > 0 ? (a[1] as number) / sum : 0,
      seen2: sum > 0 ? (a[2] as number) / sum : 0,
    };
  };
  const gridRows: GridCoverage[] = grids.map((g, gi) => ({
    code: g.properties.code,
    ...share(area[gi] as number[]),
    blindSpots: (spots.get(gi) ?? []).sort((a, b) => b.areaHa - a.areaHa).slice(0, 5),
  }));

  // Greedy new towers: each the hilltop whose viewshed holds the most forest still unseen.
  const unseen = new Uint8Array(seenBy.length);
  for (let k = 0; k < seenBy.length; k++) unseen[k] = seenBy[k] === 0 ? 1 : 0;
  const [, south, , north] = dem.bbox;
  const cellM = metresPerDegree((south + north) / 2).y * ((north - south) / dem.height);
  const sites = promisingSites(
    dem,
    hilltops(dem, gridOf),
    unseen,
    Math.round((0.4 * newRange) / cellM),
    options.candidates ?? 150,
  );
  const candidates = sites.map((i) => {
    const col = i % dem.width;
    const row = (i - col) / dem.width;
    const [lon, lat] = cellCentre(dem, col, row);
    const v = towerViewshed(dem, { lon, lat, heightM: newHeight, rangeM: newRange });
    const cells = v ? seenForest(dem, v, gridOf).filter((k) => unseen[k]) : [];
    return { i, lon, lat, cells };
  });
  const suggestions: TowerSuggestion[] = [];
  for (let s = 0; s < (options.suggestions ?? 3); s++) {
    let best: (typeof candidates)[number] | null = null;
    let bestHa = 0;
    for (const cand of candidates) {
      let ha = 0;
      for (const k of cand.cells) if (unseen[k]) ha += cellHa(dem, Math.floor(k / dem.width));
      if (ha > bestHa) {
        bestHa = ha;
        best = cand;
      }
    }
    if (!best) break;
    for (const k of best.cells) unseen[k] = 0;
    suggestions.push({
      lon: round6(best.lon),
      lat: round6(best.lat),
      elevationM: Math.round(dem.values[best.i] as number),
      newlySeenHa: Math.round(bestHa * 10) / 10,
    });
  }

  return { towers: towers.length, ...share(total), grids: gridRows, suggestions, seenBy };
}
