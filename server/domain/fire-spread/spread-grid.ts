/**
 * The county as a spread grid: the DEM cells, each given the land cover of the forest grid
 * it lies in (farmland outside the forest grids) and the barriers that cross it — roads of
 * class county, township and village (forest tracks are too narrow to stop a surface fire),
 * rivers of stream order ≥ 3 (the ones the reach engine cannot walk across either) and every
 * firebreak.
 */
import type { Feature, MultiPolygon, Polygon, Position } from 'geojson';
import type { DemGrid, LineFeature } from '../reach/walk-surface.ts';
import { IMPASSABLE_STREAM_ORDER, traceLine } from '../reach/walk-surface.ts';
import { FARMLAND, landCoverOf } from './land-cover.ts';
import {
  BARRIER_FIREBREAK,
  BARRIER_RIVER,
  BARRIER_ROAD,
  type SpreadGrid,
} from './spread-engine.ts';

/** Road classes that hold a surface fire. */
export const BARRIER_ROAD_CLASSES = new Set(['county', 'township', 'village']);

export interface SpreadLayers {
  grids: Feature<Polygon | MultiPolygon, Record<string, unknown>>[];
  roads: LineFeature[];
  rivers: LineFeature[];
  firebreaks: LineFeature[];
}

/**
 * Calls `visit(cell)` for every cell whose centre lies inside the polygon (even-odd over its
 * rings, so holes stay out), row by row.
 */
export function fillPolygon(
  geometry: Polygon | MultiPolygon,
  g: { width: number; height: number; bbox: [number, number, number, number] },
  visit: (cell: number) => void,
) {
  const [w, s, e, n] = g.bbox;
  const dLon = (e - w) / g.width;
  const dLat = (n - s) / g.height;
  const polys = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  for (const rings of polys) {
    let south = Number.POSITIVE_INFINITY;
    let north = Number.NEGATIVE_INFINITY;
    for (const p of rings[0] ?? []) {
      south = Math.min(south, p[1] as number);
      north = Math.max(north, p[1] as number);
    }
    const rFirst = Math.max(0, Math.floor((n - north) / dLat));
    const rLast = Math.min(g.height - 1, Math.floor((n - south) / dLat));
    for (let r = rFirst; r <= rLast; r++) {
      const y = n - (r + 0.5) * dLat;
      const xs: number[] = [];
      for (const ring of rings)
        for (let i = 1; i < ring.length; i++) {
          const [x0, y0] = ring[i - 1] as Position as [number, number];
          const [x1, y1] = ring[i] as Position as [number, number];
          if (y0 <= y !== y1 <= y) xs.push(x0 + ((y - y0) / (y1 - y0)) * (x1 - x0));
        }
      xs.sort((a, b) => a - b);
      for (let k = 0; k + 1 < xs.length; k += 2) {
        const cFirst = Math.max(0, Math.ceil(((xs[k] as number) - w) / dLon - 0.5));
        const cLast = Math.min(g.width - 1, Math.floor(((xs[k + 1] as number) - w) / dLon - 0.5));
        for (let c = cFirst; c <= cLast; c++) visit(r * g.width + c);
      }
    }
  }
}

/** Marks the cells of lines with a barrier bit. */
export function markLines(grid: SpreadGrid, lines: LineFeature[], bit: number) {
  const [w, s, e, n] = grid.bbox;
  const dLon = (e - w) / grid.width;
  const dLat = (n - s) / grid.height;
  for (const f of lines)
    traceLine(f, grid.bbox, dLon, dLat, (c, r) => {
      if (c < 0 || r < 0 || c >= grid.width || r >= grid.height) return;
      grid.barrier[r * grid.width + c] = (grid.barrier[r * grid.width + c] as number) | bit;
    });
}

export function buildSpreadGrid(dem: DemGrid, layers: SpreadLayers): SpreadGrid {
  const size = dem.width * dem.height;
  const grid: SpreadGrid = {
    width: dem.width,
    height: dem.height,
    bbox: dem.bbox,
    elevation: dem.values,
    cover: new Uint8Array(size).fill(FARMLAND),
    barrier: new Uint8Array(size),
  };
  for (const f of layers.grids) {
    const code = landCoverOf(f.properties.fuel_type as string | undefined).code;
    fillPolygon(f.geometry, grid, (cell) => {
      grid.cover[cell] = code;
    });
  }
  markLines(
    grid,
    layers.roads.filter((f) => BARRIER_ROAD_CLASSES.has(String(f.properties.class))),
    BARRIER_ROAD,
  );
  markLines(
    grid,
    layers.rivers.filter(
      (f) =>
        Number(f.properties.stream_order ?? IMPASSABLE_STREAM_ORDER) >= IMPASSABLE_STREAM_ORDER,
    ),
    BARRIER_RIVER,
  );
  markLines(grid, layers.firebreaks, BARRIER_FIREBREAK);
  return grid;
}
