/** Web Mercator tile arithmetic and small DEMs for the map's tests. */
import type { Dem } from '../tiles/terrain-tiles.ts';

/** Tile containing lon/lat at zoom z. */
export function tileAt(lon: number, lat: number, z: number): [number, number] {
  const n = 2 ** z;
  const rad = (lat * Math.PI) / 180;
  return [
    Math.floor(((lon + 180) / 360) * n),
    Math.floor(((1 - Math.asinh(Math.tan(rad)) / Math.PI) / 2) * n),
  ];
}

/** A 32 × 32 DEM over 0.1° × 0.1° near Mayang (cells of 0.003125°). */
export const TEST_DEM_BBOX: [number, number, number, number] = [109.75, 27.85, 109.85, 27.95];
export const TEST_DEM_CELL = 0.1 / 32;
export function testDem(value: (col: number, row: number) => number): Dem {
  return {
    width: 32,
    height: 32,
    bbox: TEST_DEM_BBOX,
    values: Float32Array.from({ length: 32 * 32 }, (_, i) => value(i % 32, Math.floor(i / 32))),
    hash: 'test',
  };
}
