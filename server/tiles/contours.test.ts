import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO_COUNTY_DIR } from '../geodata/county-loader.ts';
import { CONTOUR_INTERVAL_M, contourLines } from './contours.ts';
import { type Dem, readDem, sampleDem } from './terrain-tiles.ts';

let dem: Dem;
beforeAll(async () => {
  dem = await readDem(path.join(DEMO_COUNTY_DIR, 'dem.tif'));
});

describe('contour lines from the DEM', () => {
  it('puts every vertex where the DEM (sampled independently) has the contour elevation', () => {
    const fc = contourLines(dem);
    let vertices = 0;
    let worst = 0;
    for (const f of fc.features) {
      expect(f.properties.elevation_m % CONTOUR_INTERVAL_M).toBe(0);
      expect(f.properties.index).toBe(f.properties.elevation_m % (5 * CONTOUR_INTERVAL_M) === 0);
      for (const line of f.geometry.coordinates)
        for (const [lon, lat] of line) {
          vertices++;
          worst = Math.max(
            worst,
            Math.abs(sampleDem(dem, lon as number, lat as number) - f.properties.elevation_m),
          );
        }
    }
    expect(vertices).toBeGreaterThan(10_000);
    // Coordinates are rounded to 1e-6° (≈ 0.1 m); on a 45° slope that is 0.1 m of height.
    expect(worst).toBeLessThan(0.5);
  });

  it('covers the relief from the valley floor to the ridges, one feature per level', () => {
    const levels = contourLines(dem).features.map((f) => f.properties.elevation_m);
    let lo = Number.POSITIVE_INFINITY;
    let hi = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < dem.values.length; i++) {
      lo = Math.min(lo, dem.values[i] as number);
      hi = Math.max(hi, dem.values[i] as number);
    }
    expect(new Set(levels).size).toBe(levels.length);
    expect(Math.min(...levels)).toBe(Math.ceil(lo / CONTOUR_INTERVAL_M) * CONTOUR_INTERVAL_M);
    expect(Math.max(...levels)).toBe(Math.floor(hi / CONTOUR_INTERVAL_M) * CONTOUR_INTERVAL_M);
  });

  it('draws no line along the edge of the raster', () => {
    const [w, s, e, n] = dem.bbox;
    const halfX = (e - w) / dem.width / 2;
    const halfY = (n - s) / dem.height / 2;
    for (const f of contourLines(dem, 250).features)
      for (const line of f.geometry.coordinates)
        for (let i = 1; i < line.length; i++) {
          const [x0, y0] = line[i - 1] as [number, number];
          const [x1, y1] = line[i] as [number, number];
          const alongWest = x0 <= w + halfX * 1.01 && x1 <= w + halfX * 1.01;
          const alongNorth = y0 >= n - halfY * 1.01 && y1 >= n - halfY * 1.01;
          expect(alongWest || alongNorth).toBe(false);
        }
  });
});
