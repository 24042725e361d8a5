/**
 * The road network as a graph: one node per distinct road vertex (coordinates to 1e-6°, so
 * roads meet where they share a vertex, as in the county's road layer), one edge per segment
 * in both directions, costing its length at the road's speed_kmh.
 */
import FlatQueue from 'flatqueue';
import type { Feature, FeatureCollection, LineString } from 'geojson';
import { haversineM } from './geo.ts';

export interface RoadProperties {
  id: string;
  speed_kmh: number;
  bridge?: boolean;
}

export class RoadGraph {
  readonly lon: Float64Array;
  readonly lat: Float64Array;
  /** CSR adjacency: edges of node i are offsets[i] … offsets[i+1]-1. */
  readonly offsets: Int32Array;
  readonly targets: Int32Array;
  readonly seconds: Float64Array;
  readonly size: number;

  constructor(
    roads: FeatureCollection<LineString, RoadProperties> | Feature<LineString, RoadProperties>[],
  ) {
    const features = Array.isArray(roads) ? roads : roads.features;
    const index = new Map<string, number>();
    const lon: number[] = [];
    const lat: number[] = [];
    const node = (p: number[]) => {
      const x = Math.round((p[0] as number) * 1e6) / 1e6;
      const y = Math.round((p[1] as number) * 1e6) / 1e6;
      const key = `${x},${y}`;
      let id = index.get(key);
      if (id === undefined) {
        id = lon.length;
        index.set(key, id);
        lon.push(x);
        lat.push(y);
      }
      return id;
    };
    const edges: [number, number, number][] = [];
    for (const f of features) {
      const speed = f.properties.speed_kmh / 3.6;
      const coords = f.geometry.coordinates;
      for (let i = 1; i < coords.length; i++) {
        const a = node(coords[i - 1] as number[]);
        const b = node(coords[i] as number[]);
        if (a === b) continue;
        const s =
          haversineM(lon[a] as number, lat[a] as number, lon[b] as number, lat[b] as number) /
          speed;
        edges.push([a, b, s], [b, a, s]);
      }
    }
    this.size = lon.length;
    this.lon = Float64Array.from(lon);
    this.lat = Float64Array.from(lat);
    this.offsets = new Int32Array(this.size + 1);
    for (const [a] of edges) (this.offsets[a + 1] as number)++;
    for (let i = 0; i < this.size; i++)
      this.offsets[i + 1] = (this.offsets[i + 1] as number) + (this.offsets[i] as number);
    const fill = this.offsets.slice(0, this.size);
    this.targets = new Int32Array(edges.length);
    this.seconds = new Float64Array(edges.length);
    for (const [a, b, s] of edges) {
      const at = fill[a] as number;
      this.targets[at] = b;
      this.seconds[at] = s;
      fill[a] = at + 1;
    }
  }

  /** The node nearest a point (great-circle metres) and its distance. */
  nearest(lon: number, lat: number): { node: number; metres: number } {
    let best = -1;
    let bestD = Number.POSITIVE_INFINITY;
    const k = Math.cos((lat * Math.PI) / 180);
    for (let i = 0; i < this.size; i++) {
      const dx = ((this.lon[i] as number) - lon) * k;
      const dy = (this.lat[i] as number) - lat;
      const d = dx * dx + dy * dy;
      if (d < bestD) {
        bestD = d;
        best = i;
      }
    }
    return {
      node: best,
      metres: haversineM(lon, lat, this.lon[best] as number, this.lat[best] as number),
    };
  }

  /**
   * Dijkstra from several sources with their starting times; returns seconds per node
   * (Infinity where unreached). Roads run both ways, so this is also the time TO the sources.
   */
  travelTimes(
    sources: Iterable<[node: number, seconds: number]>,
    limit = Number.POSITIVE_INFINITY,
  ): Float64Array {
    const time = new Float64Array(this.size).fill(Number.POSITIVE_INFINITY);
    const queue = new FlatQueue<number>();
    for (const [n, s] of sources) {
      if (s < (time[n] as number)) {
        time[n] = s;
        queue.push(n, s);
      }
    }
    while (queue.length > 0) {
      const t = queue.peekValue() as number;
      const n = queue.pop() as number;
      if (t > limit) break;
      if (t > (time[n] as number)) continue;
      for (let e = this.offsets[n] as number; e < (this.offsets[n + 1] as number); e++) {
        const m = this.targets[e] as number;
        const tm = t + (this.seconds[e] as number);
        if (tm < (time[m] as number)) {
          time[m] = tm;
          queue.push(m, tm);
        }
      }
    }
    return time;
  }
}
