import fs from 'node:fs';
import path from 'node:path';
import type { Feature, Geometry } from 'geojson';
import { describe, expect, it } from 'vitest';
import { DEFAULT_OUT } from './generate.ts';
import { buildProvince, LAYERS, provinceCounties } from './province.ts';

type F = Feature<Geometry, Record<string, unknown>>;
const base = Object.fromEntries(
  LAYERS.map((l) => [
    l,
    JSON.parse(fs.readFileSync(path.join(DEFAULT_OUT, `${l}.geojson`), 'utf8')).features as F[],
  ]),
) as Record<(typeof LAYERS)[number], F[]>;

const firstXY = (g: Geometry): [number, number] => {
  let c: unknown = (g as { coordinates: unknown }).coordinates;
  while (Array.isArray((c as unknown[])[0])) c = (c as unknown[])[0];
  return c as [number, number];
};

describe('province:generate', () => {
  const p = buildProvince(3);
  const byCounty = (l: (typeof LAYERS)[number], k: number) =>
    (p.layers[l].features as F[]).slice(k * base[l].length, (k + 1) * base[l].length);

  it('N counties: every layer N times the base, the base county first and where it lies', () => {
    expect(p.counties.map((c) => c.code)).toEqual(['431226', '439001', '439002']);
    for (const l of LAYERS) {
      const extra = l === 'roads' ? p.loopsPerCounty : 0;
      expect(p.layers[l].features.length, l).toBe(3 * (base[l].length + extra));
    }
    expect(byCounty('grids', 0).map((g) => g.geometry)).toEqual(base.grids.map((g) => g.geometry));
    expect(p.counties[0]).toMatchObject({ dx: 0, dy: 0 });
  });

  it('codes and ids are unique across the province and nest under their county', () => {
    for (const l of ['county', 'townships', 'villages', 'grids'] as const) {
      const codes = p.layers[l].features.map((f) => String(f.properties?.code));
      expect(new Set(codes).size, l).toBe(codes.length);
    }
    for (const l of [
      'roads',
      'rivers',
      'lookouts',
      'water-sources',
      'key-areas',
      'crews',
    ] as const) {
      const ids = p.layers[l].features.map((f) => String(f.properties?.id));
      expect(new Set(ids).size, l).toBe(ids.length);
    }
    const zones = p.layers['war-zones'].features.map((f) => String(f.properties?.name));
    expect(new Set(zones).size).toBe(zones.length);
    for (const [k, c] of p.counties.entries()) {
      for (const g of byCounty('grids', k)) {
        expect(String(g.properties.code).startsWith(String(g.properties.village_code))).toBe(true);
        expect(String(g.properties.village_code).startsWith(c.code)).toBe(true);
        expect(String(g.properties.township_code).startsWith(c.code)).toBe(true);
      }
      for (const z of byCounty('war-zones', k)) expect(z.properties.county_code).toBe(c.code);
      const zoneNames = new Set(byCounty('war-zones', k).map((z) => z.properties.name));
      for (const t of byCounty('townships', k))
        expect(zoneNames.has(t.properties.war_zone)).toBe(true);
    }
    const people = p.peopleCsv.trim().split('\n').slice(1);
    const baseIds = new Set(
      fs
        .readFileSync(path.join(DEFAULT_OUT, 'people.csv'), 'utf8')
        .trim()
        .split('\n')
        .slice(1)
        .map((r) => r.split(',')[0]),
    );
    expect(new Set(people.map((r) => r.split(',')[0])).size).toBe(3 * baseIds.size);
  });

  it('each copy is the base moved by its offset, apart from its neighbours', () => {
    for (const [k, c] of p.counties.entries()) {
      const [x0, y0] = firstXY(base.grids[0]?.geometry as Geometry);
      const [x, y] = firstXY(byCounty('grids', k)[0]?.geometry as Geometry);
      expect(x).toBeCloseTo(x0 + c.dx, 6);
      expect(y).toBeCloseTo(y0 + c.dy, 6);
      const seat = byCounty('townships', k)[0]?.properties;
      expect(seat?.seat_lon).toBeCloseTo(
        (base.townships[0]?.properties.seat_lon as number) + c.dx,
        6,
      );
    }
    const [b, a] = [p.counties[1], p.counties[0]];
    // The lattice step is wider than the county: copies do not overlap.
    expect(b?.dx).toBeGreaterThan(0.6);
    expect(a?.dx).toBe(0);
  });

  it('100 counties: distinct six-digit codes and names; out-of-range counts are refused', () => {
    const cs = provinceCounties(100, '431226', '麻阳苗族自治县', [109.4, 27.5, 110.1, 28.1]);
    expect(new Set(cs.map((c) => c.code)).size).toBe(100);
    expect(new Set(cs.map((c) => c.name)).size).toBe(100);
    for (const c of cs) expect(c.code).toMatch(/^[0-9]{6}$/);
    // Ten by ten, none on top of another.
    expect(new Set(cs.map((c) => `${c.dx},${c.dy}`)).size).toBe(100);
    expect(() => provinceCounties(0, '431226', '麻阳', [0, 0, 1, 1])).toThrow(RangeError);
    expect(() => provinceCounties(1000, '431226', '麻阳', [0, 0, 1, 1])).toThrow(RangeError);
  });
});
