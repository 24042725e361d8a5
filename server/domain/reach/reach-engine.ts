/**
 * The reach engine (10分钟能到): real travel times for every crew to a fire, on roads and on
 * foot, with 10/20/30-minute isochrones, the nearest water and firebreaks by travel time,
 * and the county's coverage audit. Pure TypeScript — no DOM, no Fastify — so the same code
 * runs in Node (API, CLI, tests) and in the command page's Web Worker.
 *
 * A trip drives from the crew's position along roads to the best road point and walks the
 * rest (Tobler on the DEM), or walks all the way when that is faster. Times TO the fire are
 * found by searching backwards from it: walking first (each step costed in its true
 * direction), then driving outwards from every road vertex the walk reached.
 */
import { contours } from 'd3-contour';
import type {
  Feature,
  FeatureCollection,
  LineString,
  MultiPolygon,
  Point,
  Position,
} from 'geojson';
import { haversineM } from './geo.ts';
import { RoadGraph, type RoadProperties } from './road-graph.ts';
import { walkSpeedMs } from './tobler.ts';
import { type DemGrid, type LineFeature, WalkSurface } from './walk-surface.ts';

export const TARGET_SECONDS = 600;
export const ISOCHRONE_MINUTES = [10, 20, 30] as const;
/** Walking between a point and its road vertex: Tobler off path on the flat (0.84 m/s). */
const SNAP_SPEED_MS = walkSpeedMs(0, 1, false);
/**
 * A crew this far or nearer to a road vertex has its vehicle there; farther off, it is on foot
 * and only walks.
 */
export const MAX_SNAP_M = 150;
/** How far (in time) the backwards walk from a fire looks: 2 h covers ~6 km off path. */
const WALK_HORIZON_S = 2 * 3600;
/** Isochrone raster: this many DEM cells per side (≈ 200 m in Mayang). */
const ISO_CELLS = 4;

export interface ReachData {
  dem: DemGrid;
  roads: Feature<LineString, RoadProperties>[];
  rivers: LineFeature[];
  firebreaks: LineFeature[];
  crews: Feature<Point, { id: string; name?: string; level?: string }>[];
  waterSources: Feature<Point, { id: string; name?: string; kind?: string }>[];
}

export interface CrewReach {
  id: string;
  name: string | null;
  level: string | null;
  /** Travel time to the point, seconds; null when no way was found. */
  seconds: number | null;
  meetsTarget: boolean;
  /** How: by road then on foot, or on foot only. */
  mode: 'road' | 'walk' | null;
}

export interface ReachAnswer {
  origin: [number, number];
  crews: CrewReach[];
  isochrones: FeatureCollection<MultiPolygon, { minutes: number }>;
  waterSources: { id: string; name: string | null; seconds: number }[];
  firebreaks: { id: string; name: string | null; seconds: number }[];
}

const round1 = (s: number) => Math.round(s * 10) / 10;
/** A crew's answer from its best time (Infinity: no way found) and how it got there. */
const crewReach = (
  c: ReachData['crews'][number],
  seconds: number,
  mode: 'road' | 'walk',
): CrewReach => ({
  id: c.properties.id,
  name: c.properties.name ?? null,
  level: c.properties.level ?? null,
  seconds: Number.isFinite(seconds) ? round1(seconds) : null,
  meetsTarget: seconds <= TARGET_SECONDS,
  mode: Number.isFinite(seconds) ? mode : null,
});
/** Fastest first; unreached last; ties by id. */
const byTime = (a: CrewReach, b: CrewReach) =>
  (a.seconds ?? Number.POSITIVE_INFINITY) - (b.seconds ?? Number.POSITIVE_INFINITY) ||
  a.id.localeCompare(b.id);

export class ReachEngine {
  readonly roads: RoadGraph;
  readonly surface: WalkSurface;
  private readonly crews: ReachData['crews'];
  private readonly crewNodes: { node: number; metres: number }[];
  private readonly waterSources: ReachData['waterSources'];
  private readonly firebreakCells: { id: string; name: string | null; cells: Int32Array }[];
  private readonly nodeCell: Int32Array;
  private readonly scratch: Float64Array;
  private readonly isRoadCell: Uint8Array;
  private readonly nodesAtCell = new Map<number, number[]>();

  constructor(data: ReachData) {
    this.roads = new RoadGraph(data.roads);
    this.surface = new WalkSurface(data.dem, {
      rivers: data.rivers,
      paths: [...data.firebreaks, ...(data.roads as unknown as LineFeature[])],
    });
    this.crews = data.crews;
    this.crewNodes = data.crews.map((c) => {
      const [lon, lat] = c.geometry.coordinates as [number, number];
      return this.roads.nearest(lon, lat);
    });
    this.waterSources = data.waterSources;
    this.nodeCell = new Int32Array(this.roads.size);
    for (let i = 0; i < this.roads.size; i++)
      this.nodeCell[i] = this.surface.cellOf(
        this.roads.lon[i] as number,
        this.roads.lat[i] as number,
      );
    this.firebreakCells = data.firebreaks.map((f) => {
      const cells = new Set<number>();
      const parts =
        f.geometry.type === 'LineString' ? [f.geometry.coordinates] : f.geometry.coordinates;
      for (const line of parts)
        for (let i = 1; i < line.length; i++) {
          const [x0, y0] = line[i - 1] as [number, number];
          const [x1, y1] = line[i] as [number, number];
          const steps = Math.max(1, Math.ceil(haversineM(x0, y0, x1, y1) / 20));
          for (let k = 0; k <= steps; k++)
            cells.add(
              this.surface.cellOf(x0 + ((x1 - x0) * k) / steps, y0 + ((y1 - y0) * k) / steps),
            );
        }
      cells.delete(-1);
      return {
        id: String(f.properties.id),
        name: (f.properties.name as string | undefined) ?? null,
        cells: Int32Array.from(cells),
      };
    });
    this.scratch = new Float64Array(this.surface.width * this.surface.height);
    this.isRoadCell = new Uint8Array(this.surface.width * this.surface.height);
    this.nodeCell.forEach((cell, node) => {
      if (cell < 0) return;
      this.isRoadCell[cell] = 1;
      const list = this.nodesAtCell.get(cell);
      if (list) list.push(node);
      else this.nodesAtCell.set(cell, [node]);
    });
  }

  /** True when the point lies on the DEM the engine walks on. */
  covers(lon: number, lat: number): boolean {
    return this.surface.cellOf(lon, lat) >= 0;
  }

  /**
   * Every crew's travel time to the point (ranked), isochrones of the area from which a crew
   * reaches it in 10/20/30 minutes, and the nearest water sources and firebreaks by travel
   * time. `positions` overrides a crew's standby base with its current position.
   */
  toPoint(lon: number, lat: number, positions?: Map<string, [number, number]>): ReachAnswer {
    const s = this.surface;
    const { walkTime, reached, drive } = this.backwards(lon, lat, WALK_HORIZON_S);
    const crews = this.crewTimes(walkTime, drive, positions);

    // Water and firebreaks: time from them to the fire (bringing water; a crew on a break).
    const timeAt = (lon2: number, lat2: number) => {
      const cell = s.cellOf(lon2, lat2);
      const foot = cell >= 0 ? (walkTime[cell] as number) : Number.POSITIVE_INFINITY;
      const near = this.roads.nearest(lon2, lat2);
      const road =
        near.node >= 0 && near.metres <= MAX_SNAP_M
          ? (drive[near.node] as number) + near.metres / SNAP_SPEED_MS
          : Number.POSITIVE_INFINITY;
      return Math.min(foot, road);
    };
    const waterSources = this.waterSources
      .map((w) => {
        const [wl, wa] = w.geometry.coordinates as [number, number];
        return {
          id: w.properties.id,
          name: w.properties.name ?? null,
          seconds: round1(timeAt(wl, wa)),
        };
      })
      .filter((w) => Number.isFinite(w.seconds))
      .sort((a, b) => a.seconds - b.seconds)
      .slice(0, 5);
    const firebreaks = this.firebreakCells
      .map((f) => {
        let best = Number.POSITIVE_INFINITY;
        for (const cell of f.cells) best = Math.min(best, walkTime[cell] as number);
        return { id: f.id, name: f.name, seconds: round1(best) };
      })
      .filter((f) => Number.isFinite(f.seconds))
      .sort((a, b) => a.seconds - b.seconds)
      .slice(0, 3);

    return {
      origin: [lon, lat],
      crews,
      isochrones: this.isochrones(walkTime, reached, drive, true),
      waterSources,
      firebreaks,
    };
  }

  /**
   * Every crew's travel time from its standby base to the point, ranked, for crews that get
   * there within `horizonS` seconds (exact: a crew's walking part never exceeds its total,
   * and the backwards walk looks at least that far), without isochrones, water or
   * firebreaks: the cheap question a fire's places ask (issue 15, item 4: who gets there
   * before the fire). One question costs a few milliseconds for an hour's horizon where
   * toPoint's 2-hour walk and isochrones cost ~55 ms.
   */
  crewsTo(lon: number, lat: number, horizonS: number): CrewReach[] {
    const { walkTime, drive } = this.backwards(lon, lat, horizonS);
    return this.crewTimes(walkTime, drive).filter(
      (c) => c.seconds !== null && c.seconds <= horizonS,
    );
  }

  /**
   * Times TO a point: the backwards walk from it (for `walkS` seconds, or 30 minutes past the
   * first road vertex found when that is later, never past 4 h), then driving outwards from
   * every road vertex the walk reached. A time within the walk's horizon is exact.
   */
  private backwards(
    lon: number,
    lat: number,
    walkS: number,
  ): { walkTime: Float64Array; reached: Int32Array; drive: Float64Array } {
    const s = this.surface;
    const origin = s.openCell(s.cellOf(lon, lat));
    if (origin < 0) throw new RangeError(`(${lon}, ${lat}) lies outside the terrain model`);
    let firstRoad = Number.POSITIVE_INFINITY;
    const { time: walkTime, reached } = s.walk(
      [[origin, 0]],
      'to',
      (t, cell) => {
        if (firstRoad === Number.POSITIVE_INFINITY && this.isRoadCell[cell] === 1) firstRoad = t;
        return t > Math.min(Math.max(walkS, firstRoad + 1800), 4 * 3600);
      },
      this.scratch,
    );
    const seeds: [number, number][] = [];
    for (let i = 0; i < this.roads.size; i++) {
      const cell = this.nodeCell[i] as number;
      if (cell >= 0 && Number.isFinite(walkTime[cell] as number))
        seeds.push([i, walkTime[cell] as number]);
    }
    return { walkTime, reached, drive: this.roads.travelTimes(seeds) };
  }

  /** Each crew's best of driving to a road vertex and walking on, or walking all the way. */
  private crewTimes(
    walkTime: Float64Array,
    drive: Float64Array,
    positions?: Map<string, [number, number]>,
  ): CrewReach[] {
    const s = this.surface;
    const crews = this.crews.map((c, k): CrewReach => {
      const pos = positions?.get(c.properties.id);
      const [clon, clat] = pos ?? (c.geometry.coordinates as [number, number]);
      const snap = pos
        ? this.roads.nearest(clon, clat)
        : (this.crewNodes[k] as { node: number; metres: number });
      const byRoad =
        snap.node >= 0 && snap.metres <= MAX_SNAP_M
          ? (drive[snap.node] as number) + snap.metres / SNAP_SPEED_MS
          : Number.POSITIVE_INFINITY;
      const cell = s.cellOf(clon, clat);
      const onFoot = cell >= 0 ? (walkTime[cell] as number) : Number.POSITIVE_INFINITY;
      return crewReach(c, Math.min(byRoad, onFoot), onFoot <= byRoad ? 'walk' : 'road');
    });
    return crews.sort(byTime);
  }

  /**
   * Forward: the least time from any crew at its standby base to each of `cells`, driving
   * from the bases and walking on from every road vertex (and from the bases on foot).
   */
  fromCrewBases(cells: number[], horizonS: number): Float64Array {
    const s = this.surface;
    const seeds: [number, number][] = [];
    this.crewNodes.forEach((snap) => {
      if (snap.node >= 0 && snap.metres <= MAX_SNAP_M)
        seeds.push([snap.node, snap.metres / SNAP_SPEED_MS]);
    });
    const drive = this.roads.travelTimes(seeds, horizonS);
    const walkSeeds: [number, number][] = [];
    for (let i = 0; i < this.roads.size; i++) {
      const cell = this.nodeCell[i] as number;
      if (cell >= 0 && (drive[i] as number) <= horizonS) walkSeeds.push([cell, drive[i] as number]);
    }
    for (const c of this.crews) {
      const [lon, lat] = c.geometry.coordinates as [number, number];
      walkSeeds.push([s.cellOf(lon, lat), 0]);
    }
    // Stop once every wanted cell is settled.
    const wanted = new Map<number, number>();
    for (const c of cells) if (c >= 0) wanted.set(c, (wanted.get(c) ?? 0) + 1);
    let left = wanted.size;
    const { time } = s.walk(
      walkSeeds,
      'from',
      (t, cell) => {
        if (wanted.has(cell)) left--;
        return t > horizonS || left < 0;
      },
      this.scratch,
    );
    return Float64Array.from(cells, (c) =>
      c >= 0 ? (time[c] as number) : Number.POSITIVE_INFINITY,
    );
  }

  /**
   * Road vertices from which a crew would reach the point within `seconds` (drive, then
   * walk): a backwards walk from the point, then a bounded drive outwards.
   */
  roadNodesWithin([lon, lat]: [number, number], seconds: number): number[] {
    const s = this.surface;
    const origin = s.openCell(s.cellOf(lon, lat));
    if (origin < 0) return [];
    const { time, reached } = s.walk([[origin, 0]], 'to', (t) => t > seconds, this.scratch);
    const seeds: [number, number][] = [];
    for (const cell of reached) {
      const nodes = this.nodesAtCell.get(cell);
      if (nodes) for (const n of nodes) seeds.push([n, time[cell] as number]);
    }
    const drive = this.roads.travelTimes(seeds, seconds);
    const out: number[] = [];
    for (let i = 0; i < this.roads.size; i++) if ((drive[i] as number) <= seconds) out.push(i);
    return out;
  }

  /**
   * Road network only (comparable with pgRouting): from the road vertex nearest each crew to
   * the road vertex nearest the origin, at each road's speed, no walking.
   */
  roadsOnly(
    lon: number,
    lat: number,
  ): Omit<ReachAnswer, 'waterSources' | 'firebreaks'> & { node: number; drive: Float64Array } {
    const { node } = this.roads.nearest(lon, lat);
    const drive = this.roads.travelTimes(node >= 0 ? [[node, 0]] : []);
    const crews = this.crews.map((c, k): CrewReach => {
      const n = (this.crewNodes[k] as { node: number }).node;
      return crewReach(c, n >= 0 ? (drive[n] as number) : Number.POSITIVE_INFINITY, 'road');
    });
    crews.sort(byTime);
    return {
      origin: [lon, lat],
      crews,
      isochrones: this.isochrones(null, null, drive, false),
      node,
      drive,
    };
  }

  /**
   * Isochrone polygons: a raster of ISO_CELLS×ISO_CELLS DEM cells holding the least time
   * from it to the fire — walked cells, and road vertices with the walk from the raster
   * cell's centre to the road when `walkToRoad` — traced at 10/20/30 min (marching squares)
   * into GeoJSON polygons, nested (the 30-minute area contains the 20 and the 10).
   */
  private isochrones(
    walkTime: Float64Array | null,
    reached: Int32Array | null,
    drive: Float64Array,
    walkToRoad: boolean,
  ): FeatureCollection<MultiPolygon, { minutes: number }> {
    const s = this.surface;
    const cw = Math.ceil(s.width / ISO_CELLS);
    const ch = Math.ceil(s.height / ISO_CELLS);
    const best = new Float64Array(cw * ch).fill(Number.POSITIVE_INFINITY);
    const maxS = Math.max(...ISOCHRONE_MINUTES) * 60;
    const coarse = (cell: number) => {
      const r = (cell / s.width) | 0;
      const c = cell - r * s.width;
      return ((r / ISO_CELLS) | 0) * cw + ((c / ISO_CELLS) | 0);
    };
    if (walkTime && reached)
      for (const cell of reached) {
        const t = walkTime[cell] as number;
        const k = coarse(cell);
        if (t < (best[k] as number)) best[k] = t;
      }
    const cellM = ISO_CELLS * s.dy;
    for (let i = 0; i < this.roads.size; i++) {
      const t = drive[i] as number;
      const cell = this.nodeCell[i] as number;
      if (!(t <= maxS) || cell < 0) continue;
      const k = coarse(cell);
      if (t < (best[k] as number)) best[k] = t;
      if (!walkToRoad) continue;
      // The neighbouring raster cells reach this road vertex on foot (off path, on the flat).
      const kr = (k / cw) | 0;
      const kc = k - kr * cw;
      for (let dr = -1; dr <= 1; dr++)
        for (let dc = -1; dc <= 1; dc++) {
          const rr = kr + dr;
          const cc = kc + dc;
          if (rr < 0 || cc < 0 || rr >= ch || cc >= cw || (dr === 0 && dc === 0)) continue;
          const tn = t + (Math.hypot(dr, dc) * cellM) / (SNAP_SPEED_MS * 0.6);
          if (tn < (best[rr * cw + cc] as number)) best[rr * cw + cc] = tn;
        }
    }
    // Contour −time at −threshold: the area at or above is the area within the time.
    const values = new Array<number>(cw * ch);
    for (let i = 0; i < best.length; i++)
      values[i] = Number.isFinite(best[i] as number) ? -(best[i] as number) : -1e9;
    const [w, , , n] = s.bbox;
    const dLon = s.dLon * ISO_CELLS;
    const dLat = s.dLat * ISO_CELLS;
    const toLonLat = ([x, y]: Position): Position => [
      Math.round((w + (x as number) * dLon) * 1e6) / 1e6,
      Math.round((n - (y as number) * dLat) * 1e6) / 1e6,
    ];
    const bands = contours()
      .size([cw, ch])
      .thresholds(ISOCHRONE_MINUTES.map((m) => -m * 60))(values);
    const features = bands.map((band) => ({
      type: 'Feature' as const,
      properties: { minutes: Math.round(-band.value / 60) },
      geometry: {
        type: 'MultiPolygon' as const,
        coordinates: band.coordinates.map((poly) => poly.map((ring) => ring.map(toLonLat))),
      },
    }));
    features.sort((a, b) => a.properties.minutes - b.properties.minutes);
    return { type: 'FeatureCollection', features };
  }
}
