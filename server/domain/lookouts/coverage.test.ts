import geodesic from 'geographiclib-geodesic';
import type { Feature, Polygon, Position } from 'geojson';
import { describe, expect, it } from 'vitest';
import { box as boxShape } from '../../testing/shapes.ts';
import { type DemGrid, rasterizeGrids, towerCoverage } from './coverage.ts';

const WGS84 = geodesic.Geodesic.WGS84;
const CELL = 0.0005; // degrees, as the county DEM (≈ 49 m × 55 m here)

/** A DEM of `w` × `h` cells from (109.7, 27.8) north-west corner, elevation from z(col, row). */
function dem(w: number, h: number, z: (c: number, r: number) => number): DemGrid {
  const values = new Float64Array(w * h);
  for (let r = 0; r < h; r++) for (let c = 0; c < w; c++) values[r * w + c] = z(c, r);
  return { width: w, height: h, bbox: [109.7, 27.8 - h * CELL, 109.7 + w * CELL, 27.8], values };
}
const centre = (d: DemGrid, c: number, r: number): [number, number] => [
  d.bbox[0] + (c + 0.5) * CELL,
  d.bbox[3] - (r + 0.5) * CELL,
];
function box(
  code: string,
  w: number,
  s: number,
  e: number,
  n: number,
): Feature<Polygon, { code: string }> {
  return {
    type: 'Feature',
    properties: { code },
    geometry: { type: 'Polygon', coordinates: boxShape(w, s, e, n).coordinates[0] as Position[][] },
  };
}

describe('rasterizeGrids', () => {
  it('labels the cells whose centres lie inside, leaving a hole empty', () => {
    const d = dem(10, 10, () => 0);
    // Outer square over cell columns/rows 2..7 (edges between cell centres), hole over 4..5.
    const x = (c: number) => 109.7 + c * CELL;
    const y = (r: number) => 27.8 - r * CELL;
    const ring = (a: number, b: number) => [
      [x(a), y(b)],
      [x(b), y(b)],
      [x(b), y(a)],
      [x(a), y(a)],
      [x(a), y(b)],
    ];
    const g: Feature<Polygon, { code: string }> = {
      type: 'Feature',
      properties: { code: 'G' },
      geometry: { type: 'Polygon', coordinates: [ring(2, 8), ring(4, 6)] },
    };
    const labels = rasterizeGrids(d, [g]);
    for (let r = 0; r < 10; r++)
      for (let c = 0; c < 10; c++) {
        const inOuter = c >= 2 && c < 8 && r >= 2 && r < 8;
        const inHole = c >= 4 && c < 6 && r >= 4 && r < 6;
        expect(labels[r * 10 + c], `${c},${r}`).toBe(inOuter && !inHole ? 0 : -1);
      }
  });
});

describe('towerCoverage', () => {
  it('on flat ground counts, per forest cell, the towers within range (geodesic distance)', () => {
    const d = dem(80, 60, () => 200);
    const towers = [
      { id: 'A', lon: 109.7 + 25.5 * CELL, lat: 27.8 - 30.5 * CELL, heightM: 30, rangeM: 900 },
      { id: 'B', lon: 109.7 + 50.5 * CELL, lat: 27.8 - 30.5 * CELL, heightM: 30, rangeM: 1100 },
    ];
    const grids = [box('G', d.bbox[0], d.bbox[1], d.bbox[2], d.bbox[3])];
    const cov = towerCoverage(d, towers, grids, { suggestions: 0 });
    let checked = 0;
    for (let r = 0; r < 60; r++)
      for (let c = 0; c < 80; c++) {
        const [lon, lat] = centre(d, c, r);
        let expected = 0;
        let nearEdge = false;
        for (const t of towers) {
          const s = WGS84.Inverse(t.lat, t.lon, lat, lon).s12 as number;
          if (s <= t.rangeM) expected++;
          if (Math.abs(s - t.rangeM) < 5) nearEdge = true;
        }
        if (nearEdge) continue;
        expect(cov.seenBy[r * 80 + c], `${c},${r}`).toBe(expected);
        checked++;
      }
    expect(checked).toBeGreaterThan(4700);
    expect(cov.seen0 + cov.seen1 + cov.seen2).toBeCloseTo(1, 9);
    expect(cov.grids[0]?.seen2).toBeGreaterThan(0);
  });

  it('finds the blind spot behind a ridge as one patch of the right size and place', () => {
    // Flat ground at 100 m; a 60 m ridge along column 30; one 20 m tower at column 20.
    // Everything east of the ridge is hidden. The grid is the box of columns 10..49, rows
    // 10..29, so its blind patch is columns 31..49 × rows 10..29 = 19 × 20 cells.
    const d = dem(60, 40, (c) => (c === 30 ? 160 : 100));
    const tower = {
      id: 'T',
      lon: 109.7 + 20.5 * CELL,
      lat: 27.8 - 20.5 * CELL,
      heightM: 20,
      rangeM: 5000,
    };
    const grid = box('G', 109.7 + 10 * CELL, 27.8 - 30 * CELL, 109.7 + 50 * CELL, 27.8 - 10 * CELL);
    const cov = towerCoverage(d, [tower], [grid], { suggestions: 0 });
    const spots = cov.grids[0]?.blindSpots ?? [];
    expect(spots).toHaveLength(1);
    const patch = spots[0] as { lon: number; lat: number; areaHa: number };
    // Area of the patch by the geodesic polygon area of its outline (GeographicLib).
    const p = WGS84.Polygon(false);
    const [w, e, n, s] = [109.7 + 31 * CELL, 109.7 + 50 * CELL, 27.8 - 10 * CELL, 27.8 - 30 * CELL];
    for (const [lat, lon] of [
      [s, w],
      [s, e],
      [n, e],
      [n, w],
    ] as const)
      p.AddPoint(lat, lon);
    const ha = Math.abs(p.Compute(false, true).area as number) / 10_000;
    expect(patch.areaHa).toBeCloseTo(ha, 0);
    expect(patch.lon).toBeCloseTo((w + e) / 2, 5);
    expect(patch.lat).toBeCloseTo((n + s) / 2, 5);
    expect(cov.grids[0]?.seen0).toBeCloseTo((19 * 20) / (40 * 20), 2);
  });

  it('suggests the hilltop that sees the unseen forest', () => {
    // No towers; a cone 80 m high in the middle of an otherwise flat forest, a lower cone
    // in a corner: the new tower goes on the high cone, and the two suggestions differ.
    const d = dem(90, 90, (c, r) =>
      Math.max(100, 180 - 4 * Math.hypot(c - 45, r - 45), 130 - 4 * Math.hypot(c - 10, r - 10)),
    );
    const grid = box('G', d.bbox[0], d.bbox[1], d.bbox[2], d.bbox[3]);
    const cov = towerCoverage(d, [], [grid], { suggestions: 2 });
    expect(cov.seen0).toBe(1);
    const [first, second] = cov.suggestions;
    expect(first?.lon).toBeCloseTo(109.7 + 45.5 * CELL, 6);
    expect(first?.lat).toBeCloseTo(27.8 - 45.5 * CELL, 6);
    expect(first?.elevationM).toBe(180);
    expect(first?.newlySeenHa).toBeGreaterThan(0);
    expect(second?.newlySeenHa ?? 0).toBeLessThan(first?.newlySeenHa as number);
  });
});
