/**
 * Administrative areas that partition the county exactly and look like real ones: a jittered
 * point set (~250 m apart) is grown into regions by least-cost spreading from the seats, with
 * climbing and river crossings expensive, so boundaries settle on ridgelines and rivers as
 * real boundaries do. A region's shape is the union of its points' Voronoi cells (shared
 * edges cancel exactly), clipped to the county outline: neighbours share identical edges,
 * and the union of all regions is the outline.
 */
import { Delaunay } from 'd3-delaunay';
import FlatQueue from 'flatqueue';
import type { MultiPolygon, Polygon } from 'geojson';
import * as polyclip from 'polyclip-ts';
import type { Box, Raster } from './raster.ts';

export interface Sites {
  n: number;
  x: Float64Array;
  y: Float64Array;
  /** Elevation at each point (model DEM), metres. */
  z: Float64Array;
  /** Point lies inside the county outline. */
  inside: Uint8Array;
  voronoi: ReturnType<Delaunay<[number, number]>['voronoi']>;
  delaunay: Delaunay<[number, number]>;
  /** Approximate metres per degree (x, y) at the county's latitude. */
  mPerDeg: { x: number; y: number };
}

export function buildSites(
  box: Box,
  spacingDeg: number,
  rand: () => number,
  dem: Raster,
  isInside: (p: [number, number]) => boolean,
): Sites {
  const pad = spacingDeg * 3;
  const dx = spacingDeg;
  const dy = spacingDeg * 0.9;
  const xs: number[] = [];
  const ys: number[] = [];
  for (let y = box.south - pad; y <= box.north + pad; y += dy)
    for (let x = box.west - pad; x <= box.east + pad; x += dx) {
      xs.push(x + (rand() - 0.5) * dx * 0.8);
      ys.push(y + (rand() - 0.5) * dy * 0.8);
    }
  const n = xs.length;
  const x = Float64Array.from(xs);
  const y = Float64Array.from(ys);
  const delaunay = new Delaunay(Float64Array.from(xs.flatMap((v, i) => [v, ys[i] as number])));
  const voronoi = delaunay.voronoi([
    box.west - 2 * pad,
    box.south - 2 * pad,
    box.east + 2 * pad,
    box.north + 2 * pad,
  ]);
  const z = new Float64Array(n);
  const inside = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    z[i] = dem.sample(x[i] as number, y[i] as number);
    inside[i] = isInside([x[i] as number, y[i] as number]) ? 1 : 0;
  }
  const lat = (box.south + box.north) / 2;
  return {
    n,
    x,
    y,
    z,
    inside,
    voronoi,
    delaunay,
    mPerDeg: { x: 110_940 * Math.cos((lat * Math.PI) / 180), y: 110_940 },
  };
}

/** Metric distance between two sites. */
export function siteDistance(s: Sites, a: number, b: number): number {
  return Math.hypot(
    ((s.x[a] as number) - (s.x[b] as number)) * s.mPerDeg.x,
    ((s.y[a] as number) - (s.y[b] as number)) * s.mPerDeg.y,
  );
}

export interface GrowOptions {
  /** Extra cost per metre climbed or descended: ridges become boundaries. */
  climbCost: number;
  /** Extra cost for an edge touching a river point. */
  riverCost?: number;
  isRiver?: Uint8Array;
  /** Multiplier per seed (bigger → smaller region). */
  weights?: number[];
  /** Only points with allowed[i] take part. */
  allowed?: Uint8Array;
}

/**
 * Least-cost spreading from seed points over the Delaunay graph. Returns the seed index that
 * claimed each point (-1 for points not reached or not allowed).
 */
export function grow(s: Sites, seeds: number[], o: GrowOptions): Int32Array {
  const label = new Int32Array(s.n).fill(-1);
  const cost = new Float64Array(s.n).fill(Number.POSITIVE_INFINITY);
  const q = new FlatQueue<number>();
  seeds.forEach((p, k) => {
    if (o.allowed && !o.allowed[p]) return;
    cost[p] = 0;
    label[p] = k;
    q.push(p, 0);
  });
  while (q.length > 0) {
    const c0 = q.peekValue() as number;
    const i = q.pop() as number;
    if (c0 > (cost[i] as number)) continue;
    const w = o.weights?.[label[i] as number] ?? 1;
    for (const j of s.delaunay.neighbors(i)) {
      if (o.allowed && !o.allowed[j]) continue;
      let step =
        siteDistance(s, i, j) + o.climbCost * Math.abs((s.z[j] as number) - (s.z[i] as number));
      if (o.isRiver && (o.isRiver[i] || o.isRiver[j]) && o.isRiver[i] !== o.isRiver[j])
        step += o.riverCost ?? 0;
      const c = c0 + step * w;
      if (c < (cost[j] as number)) {
        cost[j] = c;
        label[j] = label[i] as number;
        q.push(j, c);
      }
    }
  }
  return label;
}

type Ring = [number, number][];

function signedArea(ring: Ring): number {
  let a = 0;
  for (let k = 0; k < ring.length - 1; k++) {
    const [x0, y0] = ring[k] as [number, number];
    const [x1, y1] = ring[k + 1] as [number, number];
    a += x0 * y1 - x1 * y0;
  }
  return a / 2;
}

function pointInRing([px, py]: [number, number], ring: Ring): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i] as [number, number];
    const [xj, yj] = ring[j] as [number, number];
    if (yi > py !== yj > py && px < ((xj - xi) * (py - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** Union of the Voronoi cells of `members` by cancelling shared edges. */
export function unionOfCells(s: Sites, members: number[]): Ring[][] {
  const key = (p: [number, number]) => `${p[0]},${p[1]}`;
  const edges = new Map<string, { a: [number, number]; b: [number, number] }>();
  for (const i of members) {
    const cell = s.voronoi.cellPolygon(i) as Ring | null;
    if (!cell) continue;
    const ring = signedArea(cell) < 0 ? [...cell].reverse() : cell;
    for (let k = 0; k < ring.length - 1; k++) {
      const a = ring[k] as [number, number];
      const b = ring[k + 1] as [number, number];
      const reverse = `${key(b)}>${key(a)}`;
      if (edges.has(reverse)) edges.delete(reverse);
      else edges.set(`${key(a)}>${key(b)}`, { a, b });
    }
  }
  const byStart = new Map<string, { a: [number, number]; b: [number, number] }[]>();
  for (const e of edges.values()) {
    const k = key(e.a);
    const list = byStart.get(k);
    if (list) list.push(e);
    else byStart.set(k, [e]);
  }
  const rings: Ring[] = [];
  const used = new Set<{ a: [number, number]; b: [number, number] }>();
  for (const e0 of edges.values()) {
    if (used.has(e0)) continue;
    const ring: Ring = [e0.a];
    let e = e0;
    used.add(e);
    for (let guard = 0; guard < 1_000_000; guard++) {
      ring.push(e.b);
      if (key(e.b) === key(e0.a)) break;
      const next = (byStart.get(key(e.b)) ?? []).find((c) => !used.has(c));
      if (!next) break;
      used.add(next);
      e = next;
    }
    if (ring.length >= 4) rings.push(ring);
  }
  const outers = rings.filter((r) => signedArea(r) > 0);
  const holes = rings.filter((r) => signedArea(r) < 0);
  const polygons: Ring[][] = outers.map((r) => [r]);
  for (const h of holes) {
    const owner = polygons.find((p) => pointInRing(h[0] as [number, number], p[0] as Ring));
    owner?.push(h);
  }
  return polygons;
}

const round6 = (v: number) => Math.round(v * 1e6) / 1e6;

/** Round to 1e-6° (~0.1 m), drop repeated points and rings that collapse. */
export function tidy(polys: number[][][][]): MultiPolygon {
  const coordinates: [number, number][][][] = [];
  for (const poly of polys) {
    const rings: [number, number][][] = [];
    for (const ring of poly) {
      const out: [number, number][] = [];
      for (const p of ring) {
        const q: [number, number] = [round6(p[0] as number), round6(p[1] as number)];
        const last = out.at(-1);
        if (!last || last[0] !== q[0] || last[1] !== q[1]) out.push(q);
      }
      if (out.length >= 4) rings.push(out);
    }
    if (rings.length > 0 && (rings[0]?.length ?? 0) >= 4) coordinates.push(rings);
  }
  return { type: 'MultiPolygon', coordinates };
}

/** The region's shape: union of its cells clipped to `clip`. */
export function regionShape(
  s: Sites,
  members: number[],
  clip: Polygon | MultiPolygon,
): MultiPolygon {
  const union = unionOfCells(s, members);
  const clipCoords = clip.type === 'Polygon' ? [clip.coordinates] : clip.coordinates;
  const result = polyclip.intersection(union as polyclip.Geom, clipCoords as polyclip.Geom);
  return tidy(result as number[][][][]);
}
