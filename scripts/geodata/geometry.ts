/** Small geometry helpers for generation: smoothing, lengths, point-in-polygon. */
import type { MultiPolygon, Polygon, Position } from 'geojson';

/** Chaikin corner cutting; endpoints stay fixed so lines still meet at junctions. */
export function chaikin(line: Position[], iterations = 2): Position[] {
  let pts = line;
  for (let it = 0; it < iterations; it++) {
    if (pts.length < 3) return pts;
    const out: Position[] = [pts[0] as Position];
    for (let k = 0; k < pts.length - 1; k++) {
      const [x0, y0] = pts[k] as [number, number];
      const [x1, y1] = pts[k + 1] as [number, number];
      if (k > 0) out.push([0.75 * x0 + 0.25 * x1, 0.75 * y0 + 0.25 * y1]);
      if (k < pts.length - 2) out.push([0.25 * x0 + 0.75 * x1, 0.25 * y0 + 0.75 * y1]);
    }
    out.push(pts.at(-1) as Position);
    pts = out;
  }
  return pts;
}

export const round6 = (v: number) => Math.round(v * 1e6) / 1e6;

export function roundLine(line: Position[]): [number, number][] {
  const out: [number, number][] = [];
  for (const p of line) {
    const q: [number, number] = [round6(p[0] as number), round6(p[1] as number)];
    const last = out.at(-1);
    if (!last || last[0] !== q[0] || last[1] !== q[1]) out.push(q);
  }
  return out;
}

const M_PER_DEG = 110_940;

/** Approximate metric length of a lon/lat line near 28° N, metres. */
export function lineLengthM(line: Position[]): number {
  let m = 0;
  for (let k = 1; k < line.length; k++) {
    const [x0, y0] = line[k - 1] as [number, number];
    const [x1, y1] = line[k] as [number, number];
    const cos = Math.cos((((y0 + y1) / 2) * Math.PI) / 180);
    m += Math.hypot((x1 - x0) * M_PER_DEG * cos, (y1 - y0) * M_PER_DEG);
  }
  return m;
}

export function distanceM(a: Position, b: Position): number {
  return lineLengthM([a, b]);
}

function inRing(x: number, y: number, ring: Position[]): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const xi = ring[i]?.[0] as number;
    const yi = ring[i]?.[1] as number;
    const xj = ring[j]?.[0] as number;
    const yj = ring[j]?.[1] as number;
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

export function pointInPolygon([x, y]: Position, g: Polygon | MultiPolygon): boolean {
  const polys = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
  for (const poly of polys) {
    if (!inRing(x as number, y as number, poly[0] as Position[])) continue;
    let hole = false;
    for (let h = 1; h < poly.length; h++)
      if (inRing(x as number, y as number, poly[h] as Position[])) hole = true;
    if (!hole) return true;
  }
  return false;
}

export function bbox(g: Polygon | MultiPolygon): [number, number, number, number] {
  const polys = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
  let [w, s, e, n] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const poly of polys)
    for (const p of poly[0] as Position[]) {
      w = Math.min(w, p[0] as number);
      e = Math.max(e, p[0] as number);
      s = Math.min(s, p[1] as number);
      n = Math.max(n, p[1] as number);
    }
  return [w, s, e, n];
}
