/**
 * Loop-closing roads for a generated road network. The least-cost paths of mayang.ts join
 * every seat to the one before it, so the network is a tree (Mayang: 16,239 vertices, 16,238
 * segments) and a fire behind a washed-out bridge has no other way in. Real county roads
 * close on themselves: a village road runs on over the saddle to the next valley. Here every
 * dead end looks for a vertex of the network within `maxM` that the network reaches only by
 * a long detour, and a village road is laid to it; the network then has loops, and reach
 * has alternative routes to choose between.
 */
import type { Feature, LineString } from 'geojson';
import { haversineM } from '../../server/domain/reach/geo.ts';
import { RoadGraph, type RoadProperties } from '../../server/domain/reach/road-graph.ts';

export interface LoopOptions {
  /** Longest connector laid, metres. */
  maxM?: number;
  /** Shortest connector laid, metres (shorter ones save no time worth a road). */
  minM?: number;
  /** A connector is laid only where the network takes this many times longer. */
  detour?: number;
  /** Speed of the connectors (a village road). */
  speedKmh?: number;
  /** Prefix of the connectors' ids. */
  idPrefix?: string;
}

type Road = Feature<LineString, RoadProperties>;

/** Segments − vertices + components: 0 for a forest of trees, the number of independent loops otherwise. */
export function cyclomaticNumber(roads: Road[]): number {
  const g = new RoadGraph(roads);
  const parent = Int32Array.from({ length: g.size }, (_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i] as number] as number;
      i = parent[i] as number;
    }
    return i;
  };
  for (let a = 0; a < g.size; a++)
    for (let e = g.offsets[a] as number; e < (g.offsets[a + 1] as number); e++) {
      const ra = find(a);
      const rb = find(g.targets[e] as number);
      if (ra !== rb) parent[ra] = rb;
    }
  let components = 0;
  for (let i = 0; i < g.size; i++) if (find(i) === i) components++;
  // Every segment is stored both ways.
  return g.targets.length / 2 - g.size + components;
}

/** The connectors to add to `roads` (not the roads themselves), in a deterministic order. */
export function loopClosingRoads(roads: Road[], options: LoopOptions = {}): Road[] {
  const maxM = options.maxM ?? 1500;
  const minM = options.minM ?? 150;
  const detour = options.detour ?? 4;
  const speed = options.speedKmh ?? 25;
  const prefix = options.idPrefix ?? 'RD-L';
  const g = new RoadGraph(roads);
  const degree = (i: number) => (g.offsets[i + 1] as number) - (g.offsets[i] as number);

  // Vertices bucketed in cells at least maxM wide and tall (a degree of longitude is
  // shorter by cos(latitude)), so every vertex within maxM is in the 3 × 3 cells around.
  let maxLat = 0;
  for (let i = 0; i < g.size; i++) maxLat = Math.max(maxLat, Math.abs(g.lat[i] as number));
  const cellY = maxM / 111_320;
  const cellX = cellY / Math.cos((Math.min(maxLat, 80) * Math.PI) / 180);
  const key = (x: number, y: number) => `${Math.floor(x / cellX)},${Math.floor(y / cellY)}`;
  const buckets = new Map<string, number[]>();
  for (let i = 0; i < g.size; i++) {
    const k = key(g.lon[i] as number, g.lat[i] as number);
    const list = buckets.get(k);
    if (list) list.push(i);
    else buckets.set(k, [i]);
  }

  const used = new Uint8Array(g.size);
  const added: Road[] = [];
  const secondsAt = (m: number) => m / (speed / 3.6);
  for (let d = 0; d < g.size; d++) {
    if (degree(d) !== 1 || used[d]) continue;
    const x = g.lon[d] as number;
    const y = g.lat[d] as number;
    // The network's time from the dead end, as far as a detour could matter: beyond it
    // (Infinity), every neighbour within maxM qualifies and the nearest is taken.
    const time = g.travelTimes([[d, 0]], detour * secondsAt(maxM));
    let best = -1;
    let bestSaving = 0;
    let bestM = 0;
    const cx = Math.floor(x / cellX);
    const cy = Math.floor(y / cellY);
    for (let i = cx - 1; i <= cx + 1; i++)
      for (let j = cy - 1; j <= cy + 1; j++)
        for (const v of buckets.get(`${i},${j}`) ?? []) {
          if (v === d || used[v]) continue;
          const m = haversineM(x, y, g.lon[v] as number, g.lat[v] as number);
          if (m < minM || m > maxM) continue;
          const direct = secondsAt(m);
          const around = time[v] as number;
          if (around < detour * direct) continue;
          const saving = Number.isFinite(around) ? around - direct : Number.MAX_VALUE / 2 - m;
          if (saving > bestSaving) {
            best = v;
            bestSaving = saving;
            bestM = m;
          }
        }
    if (best < 0) continue;
    used[d] = 1;
    used[best] = 1;
    added.push({
      type: 'Feature',
      properties: {
        id: `${prefix}${String(added.length + 1).padStart(3, '0')}`,
        class: 'village',
        speed_kmh: speed,
        bridge: false,
        loop: true,
        length_m: Math.round(bestM),
      } as RoadProperties,
      geometry: {
        type: 'LineString',
        coordinates: [
          [x, y],
          [g.lon[best] as number, g.lat[best] as number],
        ],
      },
    });
  }
  return added;
}
