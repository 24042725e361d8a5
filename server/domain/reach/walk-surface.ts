/**
 * The off-road walking surface: the county DEM as a grid of cells, 8-connected. A step costs
 * its length at Tobler's speed for the slope in the direction of travel, times the off-path
 * factor unless both cells are on a path (firebreak, road or track). River cells cannot be
 * walked, except where a road or track crosses them (a bridge, or a ford of a track); small
 * headwater streams (stream order 1) are fordable anywhere. A diagonal step may not cut the
 * corner between two cells of which one is river, so a river one cell wide has no gaps.
 */
import FlatQueue from 'flatqueue';
import type { Feature, LineString, MultiLineString } from 'geojson';
import { EARTH_RADIUS_M } from './geo.ts';
import { walkSpeedMs } from './tobler.ts';

export interface DemGrid {
  width: number;
  height: number;
  /** west, south, east, north (degrees) */
  bbox: [number, number, number, number];
  values: ArrayLike<number>;
}

/** Stream order from which a river is impassable on foot. */
export const IMPASSABLE_STREAM_ORDER = 3;

const BLOCKED = 1;
const PATH = 2;

export type LineFeature = Feature<LineString | MultiLineString, Record<string, unknown>>;

export class WalkSurface {
  readonly width: number;
  readonly height: number;
  readonly bbox: [number, number, number, number];
  readonly elevation: Float32Array;
  readonly flags: Uint8Array;
  /** Cell size in degrees. */
  readonly dLon: number;
  readonly dLat: number;
  /** Cell size in metres: east-west per row (it shrinks northwards), north-south. */
  readonly rowDx: Float64Array;
  readonly dy: number;

  constructor(dem: DemGrid, lines: { rivers: LineFeature[]; paths: LineFeature[] }) {
    this.width = dem.width;
    this.height = dem.height;
    this.bbox = dem.bbox;
    this.elevation = Float32Array.from(dem.values);
    this.flags = new Uint8Array(dem.width * dem.height);
    const [w, s, e, n] = dem.bbox;
    this.dLon = (e - w) / dem.width;
    this.dLat = (n - s) / dem.height;
    const m = (EARTH_RADIUS_M * Math.PI) / 180;
    this.dy = this.dLat * m;
    this.rowDx = new Float64Array(dem.height);
    for (let r = 0; r < dem.height; r++) {
      const lat = n - (r + 0.5) * this.dLat;
      this.rowDx[r] = this.dLon * m * Math.cos((lat * Math.PI) / 180);
    }
    for (const f of lines.rivers) {
      if (Number(f.properties.stream_order ?? IMPASSABLE_STREAM_ORDER) < IMPASSABLE_STREAM_ORDER)
        continue;
      this.rasterise(f, BLOCKED);
    }
    // Paths last: where a road or track crosses a river it is a bridge or a ford.
    for (const f of lines.paths) this.rasterise(f, PATH);
  }

  /** Cell index of a point, or -1 outside the grid. */
  cellOf(lon: number, lat: number): number {
    const c = Math.floor((lon - (this.bbox[0] as number)) / this.dLon);
    const r = Math.floor(((this.bbox[3] as number) - lat) / this.dLat);
    if (c < 0 || r < 0 || c >= this.width || r >= this.height) return -1;
    return r * this.width + c;
  }

  /** Centre of a cell, [lon, lat]. */
  centre(cell: number): [number, number] {
    const r = Math.floor(cell / this.width);
    const c = cell - r * this.width;
    return [
      (this.bbox[0] as number) + (c + 0.5) * this.dLon,
      (this.bbox[3] as number) - (r + 0.5) * this.dLat,
    ];
  }

  /**
   * The cell itself, or when it is river, the nearest walkable cell (a point reported on a
   * river is walked to from its bank).
   */
  openCell(cell: number): number {
    if (cell < 0 || this.flags[cell] !== BLOCKED) return cell;
    const r0 = Math.floor(cell / this.width);
    const c0 = cell - r0 * this.width;
    for (let d = 1; d < 20; d++)
      for (let dr = -d; dr <= d; dr++)
        for (let dc = -d; dc <= d; dc++) {
          if (Math.max(Math.abs(dr), Math.abs(dc)) !== d) continue;
          const r = r0 + dr;
          const c = c0 + dc;
          if (r < 0 || c < 0 || r >= this.height || c >= this.width) continue;
          if (this.flags[r * this.width + c] !== BLOCKED) return r * this.width + c;
        }
    return cell;
  }

  isBlocked(cell: number): boolean {
    return this.flags[cell] === BLOCKED;
  }

  isPath(cell: number): boolean {
    return this.flags[cell] === PATH;
  }

  /** Marks the cells a line passes through (a 4-connected trace: no diagonal gaps). */
  private rasterise(f: LineFeature, flag: number) {
    traceLine(f, this.bbox, this.dLon, this.dLat, (c, r) => this.mark(c, r, flag));
  }

  private mark(c: number, r: number, flag: number) {
    if (c < 0 || r < 0 || c >= this.width || r >= this.height) return;
    this.flags[r * this.width + c] = flag;
  }

  /**
   * Walking times over the grid from seed cells, Dijkstra. direction 'from': time to walk
   * FROM the seeds to each cell; 'to': time to walk from each cell TO the seeds (the
   * reverse search, with each step costed in its true direction of travel).
   * Returns the times (Infinity where unreached) and the cells reached, in order.
   */
  walk(
    seeds: Iterable<[cell: number, seconds: number]>,
    direction: 'from' | 'to',
    limit: (settledSeconds: number, cell: number) => boolean,
    out?: Float64Array,
  ): { time: Float64Array; reached: Int32Array } {
    const size = this.width * this.height;
    const time = out ?? new Float64Array(size);
    time.fill(Number.POSITIVE_INFINITY);
    const reached: number[] = [];
    const queue = new FlatQueue<number>();
    for (const [cell, s] of seeds) {
      if (cell < 0 || this.flags[cell] === BLOCKED) continue;
      if (s < (time[cell] as number)) {
        time[cell] = s;
        queue.push(cell, s);
      }
    }
    const W = this.width;
    const H = this.height;
    const el = this.elevation;
    const flags = this.flags;
    while (queue.length > 0) {
      const t = queue.peekValue() as number;
      const cell = queue.pop() as number;
      if (t > (time[cell] as number)) continue;
      if (limit(t, cell)) break;
      reached.push(cell);
      const r = (cell / W) | 0;
      const c = cell - r * W;
      const z = el[cell] as number;
      const onPath = flags[cell] === PATH;
      for (let dr = -1; dr <= 1; dr++) {
        const rr = r + dr;
        if (rr < 0 || rr >= H) continue;
        for (let dc = -1; dc <= 1; dc++) {
          if (dr === 0 && dc === 0) continue;
          const cc = c + dc;
          if (cc < 0 || cc >= W) continue;
          const next = rr * W + cc;
          if (flags[next] === BLOCKED) continue;
          if (
            dr !== 0 &&
            dc !== 0 &&
            (flags[r * W + cc] === BLOCKED || flags[rr * W + c] === BLOCKED)
          )
            continue;
          const dx = dc === 0 ? 0 : (this.rowDx[dr === 0 ? r : rr] as number);
          const dy = dr === 0 ? 0 : this.dy;
          const run = dr !== 0 && dc !== 0 ? Math.hypot(dx, dy) : dx + dy;
          const zNext = el[next] as number;
          // Travel direction: 'from' walks cell → next; 'to' walks next → cell.
          const rise = direction === 'from' ? zNext - z : z - zNext;
          const path = onPath && flags[next] === PATH;
          const tn = t + run / walkSpeedMs(rise, run, path);
          if (tn < (time[next] as number)) {
            time[next] = tn;
            queue.push(next, tn);
          }
        }
      }
    }
    return { time, reached: Int32Array.from(reached) };
  }
}

/**
 * Visits the grid cells (column, row; possibly outside the grid) a line passes through, as a
 * 4-connected trace: where the line moves diagonally one orthogonal neighbour is visited too,
 * so the trace has no diagonal gaps for an 8-connected walker to slip through.
 */
export function traceLine(
  f: LineFeature,
  bbox: [number, number, number, number],
  dLon: number,
  dLat: number,
  visit: (c: number, r: number) => void,
) {
  const parts =
    f.geometry.type === 'LineString' ? [f.geometry.coordinates] : f.geometry.coordinates;
  const [w, , , n] = bbox;
  for (const line of parts)
    for (let i = 1; i < line.length; i++) {
      const [x0, y0] = line[i - 1] as [number, number];
      const [x1, y1] = line[i] as [number, number];
      // Grid coordinates (fractional columns/rows).
      const gx0 = (x0 - w) / dLon;
      const gy0 = (n - y0) / dLat;
      const gx1 = (x1 - w) / dLon;
      const gy1 = (n - y1) / dLat;
      const steps = Math.max(1, Math.ceil(Math.max(Math.abs(gx1 - gx0), Math.abs(gy1 - gy0)) * 3));
      let pc = Math.floor(gx0);
      let pr = Math.floor(gy0);
      for (let k = 0; k <= steps; k++) {
        const t = k / steps;
        const c = Math.floor(gx0 + (gx1 - gx0) * t);
        const r = Math.floor(gy0 + (gy1 - gy0) * t);
        // A diagonal move between samples: also visit one orthogonal neighbour.
        if (c !== pc && r !== pr) visit(c, pr);
        visit(c, r);
        pc = c;
        pr = r;
      }
    }
}
