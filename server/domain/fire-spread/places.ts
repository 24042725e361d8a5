/**
 * Which villages, key areas and roads a spreading fire reaches, and when: each place as the
 * cells of the spread grid it occupies (a village by its seat 村部, a key area by its
 * polygon, a road by its line), reached when the first of its cells burns.
 */
import type { Feature, Geometry, Point, Position } from 'geojson';
import { traceLine } from '../reach/walk-surface.ts';
import type { SpreadEngine, SpreadResult } from './spread-engine.ts';
import { fillPolygon } from './spread-grid.ts';

export type PlaceKind = 'village' | 'key_area' | 'road';

export interface SpreadPlace {
  kind: PlaceKind;
  id: string;
  name: string;
  cells: Int32Array;
  /** The rows and columns its cells span. */
  rowMin: number;
  rowMax: number;
  colMin: number;
  colMax: number;
}

export interface PlaceReached {
  kind: PlaceKind;
  id: string;
  name: string;
  /** Minutes from ignition until the fire reaches the place. */
  minutes: number;
  /** Where it reaches it first, [lon, lat]. */
  at: [number, number];
}

type Props = Record<string, unknown>;

/** Road classes as the map names them. */
const ROAD_NAMES: Record<string, string> = {
  county: '县道',
  township: '乡道',
  village: '村道',
  forest_track: '林区便道',
};

/** The grid cells a point, line or polygon occupies. */
function cellsOf(engine: SpreadEngine, geometry: Geometry): Int32Array {
  const g = engine.grid;
  const cells = new Set<number>();
  const add = (c: number, r: number) => {
    if (c >= 0 && r >= 0 && c < g.width && r < g.height) cells.add(r * g.width + c);
  };
  const point = (p: Position) => {
    const cell = engine.cellOf(p[0] as number, p[1] as number);
    if (cell >= 0) cells.add(cell);
  };
  switch (geometry.type) {
    case 'Point':
      point(geometry.coordinates);
      break;
    case 'MultiPoint':
      geometry.coordinates.forEach(point);
      break;
    case 'LineString':
    case 'MultiLineString':
      traceLine(
        { type: 'Feature', properties: {}, geometry },
        g.bbox,
        engine.dLon,
        engine.dLat,
        add,
      );
      break;
    case 'Polygon':
    case 'MultiPolygon': {
      fillPolygon(geometry, g, (c) => cells.add(c));
      // A polygon smaller than a cell: the cell of its first vertex.
      const first =
        geometry.type === 'Polygon'
          ? geometry.coordinates[0]?.[0]
          : geometry.coordinates[0]?.[0]?.[0];
      if (cells.size === 0 && first) point(first);
      break;
    }
    default:
      break;
  }
  return Int32Array.from(cells);
}

export function spreadPlaces(
  engine: SpreadEngine,
  layers: {
    villages: Feature<Point, Props>[];
    keyAreas: Feature<Geometry, Props>[];
    roads: Feature<Geometry, Props>[];
  },
): SpreadPlace[] {
  const places = [
    ...layers.villages.map((v) => ({
      kind: 'village' as const,
      id: String(v.properties.code),
      name: String(v.properties.name),
      cells: cellsOf(engine, v.geometry),
    })),
    ...layers.keyAreas.map((k) => ({
      kind: 'key_area' as const,
      id: String(k.properties.id),
      name: String(k.properties.name),
      cells: cellsOf(engine, k.geometry),
    })),
    ...layers.roads.map((r) => ({
      kind: 'road' as const,
      id: String(r.properties.id),
      name: `${ROAD_NAMES[String(r.properties.class ?? '')] ?? '道路'} ${r.properties.id}`,
      cells: cellsOf(engine, r.geometry),
    })),
  ];
  const W = engine.grid.width;
  return places
    .filter((p) => p.cells.length > 0)
    .map((p) => {
      const rows = Array.from(p.cells, (c) => (c / W) | 0);
      const cols = Array.from(p.cells, (c) => c % W);
      return {
        ...p,
        rowMin: Math.min(...rows),
        rowMax: Math.max(...rows),
        colMin: Math.min(...cols),
        colMax: Math.max(...cols),
      };
    });
}

/**
 * The places the fire reaches within its horizon, earliest first. A place is reached when
 * the fire reaches one of its cells or a cell next to it (a road is a barrier: the fire
 * reaches its edge, it does not burn it).
 */
export function placesReached(
  engine: SpreadEngine,
  result: SpreadResult,
  places: SpreadPlace[],
): PlaceReached[] {
  const W = engine.grid.width;
  const H = engine.grid.height;
  const out: PlaceReached[] = [];
  const win = result.window;
  for (const p of places) {
    if (
      p.rowMax < win.row - 1 ||
      p.rowMin > win.row + win.rows ||
      p.colMax < win.col - 1 ||
      p.colMin > win.col + win.cols
    )
      continue;
    let best = Number.POSITIVE_INFINITY;
    let bestCell = -1;
    for (const cell of p.cells) {
      const r = (cell / W) | 0;
      const c = cell - r * W;
      for (let dr = -1; dr <= 1; dr++)
        for (let dc = -1; dc <= 1; dc++) {
          if (r + dr < 0 || r + dr >= H || c + dc < 0 || c + dc >= W) continue;
          const t = result.minutesAtCell(cell + dr * W + dc);
          if (t < best) {
            best = t;
            bestCell = cell;
          }
        }
    }
    if (bestCell >= 0)
      out.push({
        kind: p.kind,
        id: p.id,
        name: p.name,
        minutes: Math.round(best * 10) / 10,
        at: engine.centre(bestCell),
      });
  }
  return out.sort((a, b) => a.minutes - b.minutes || a.id.localeCompare(b.id));
}
