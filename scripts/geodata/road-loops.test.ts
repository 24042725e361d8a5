import fs from 'node:fs';
import path from 'node:path';
import type { Feature, LineString } from 'geojson';
import { describe, expect, it } from 'vitest';
import { haversineM } from '../../server/domain/reach/geo.ts';
import { RoadGraph, type RoadProperties } from '../../server/domain/reach/road-graph.ts';
import { DEFAULT_OUT } from './generate.ts';
import { cyclomaticNumber, loopClosingRoads } from './road-loops.ts';

type Road = Feature<LineString, RoadProperties>;
const roads = (
  JSON.parse(fs.readFileSync(path.join(DEFAULT_OUT, 'roads.geojson'), 'utf8')) as {
    features: Road[];
  }
).features;

/** Distinct vertices and segments counted here, apart from the graph code under test. */
function census(rs: Road[]) {
  const key = (p: number[]) => `${(p[0] as number).toFixed(6)},${(p[1] as number).toFixed(6)}`;
  const vertices = new Set<string>();
  const segments = new Set<string>();
  for (const r of rs) {
    const c = r.geometry.coordinates;
    for (let i = 0; i < c.length; i++) {
      vertices.add(key(c[i] as number[]));
      if (i === 0) continue;
      const a = key(c[i - 1] as number[]);
      const b = key(c[i] as number[]);
      if (a !== b) segments.add(a < b ? `${a}|${b}` : `${b}|${a}`);
    }
  }
  return { vertices: vertices.size, segments: segments.size };
}

describe('loop-closing roads', () => {
  const added = loopClosingRoads(roads);
  const looped = [...roads, ...added];

  it("Mayang's generated roads are one tree: 16,239 vertices, 16,238 segments", () => {
    expect(census(roads)).toEqual({ vertices: 16_239, segments: 16_238 });
    expect(cyclomaticNumber(roads)).toBe(0);
  });

  it('each connector closes one loop between vertices the network already has', () => {
    expect(added.length).toBeGreaterThan(50);
    const before = census(roads);
    const after = census(looped);
    expect(after.vertices).toBe(before.vertices);
    expect(after.segments).toBe(before.segments + added.length);
    // Segments − vertices + 1 (one component): the independent loops.
    expect(cyclomaticNumber(looped)).toBe(after.segments - after.vertices + 1);
    expect(cyclomaticNumber(looped)).toBe(added.length);
  });

  it('a connector is laid only where the road network took at least 4× as long', () => {
    const g = new RoadGraph(roads);
    const at = new Map<string, number>();
    for (let i = 0; i < g.size; i++) at.set(`${g.lon[i]},${g.lat[i]}`, i);
    for (const c of added) {
      const [a, b] = c.geometry.coordinates as [number[], number[]];
      const m = haversineM(a[0] as number, a[1] as number, b[0] as number, b[1] as number);
      expect(m).toBeGreaterThanOrEqual(150);
      expect(m).toBeLessThanOrEqual(1500);
      const from = at.get(`${a[0]},${a[1]}`);
      const to = at.get(`${b[0]},${b[1]}`);
      expect(from, 'connector starts on a road vertex').toBeDefined();
      expect(to, 'connector ends on a road vertex').toBeDefined();
      const around = g.travelTimes([[from as number, 0]])[to as number] as number;
      expect(around).toBeGreaterThanOrEqual((4 * m) / (25 / 3.6));
    }
  });

  it('reach takes the alternative routes: never slower anywhere, faster at many vertices', () => {
    const tree = new RoadGraph(roads);
    const loops = new RoadGraph(looped);
    expect(loops.size).toBe(tree.size);
    // The same vertex has the same index in both (connectors add no vertex, ids follow roads' order).
    const origin = tree.nearest(109.8, 27.87).node;
    const t0 = tree.travelTimes([[origin, 0]]);
    const t1 = loops.travelTimes([[origin, 0]]);
    let faster = 0;
    for (let i = 0; i < tree.size; i++) {
      expect(tree.lon[i]).toBe(loops.lon[i]);
      expect(t1[i] as number).toBeLessThanOrEqual((t0[i] as number) + 1e-6);
      if ((t1[i] as number) < (t0[i] as number) - 60) faster++;
    }
    // A minute or more saved somewhere in the county, at hundreds of vertices.
    expect(faster).toBeGreaterThan(500);
  });
});
