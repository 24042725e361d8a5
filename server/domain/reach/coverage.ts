/**
 * Coverage audit (planning): for every grid, the shortest travel time from any crew waiting
 * at its standby base to a point inside the grid (its label point, turf pointOnFeature);
 * the grids no crew reaches in 10 minutes; and a greedy choice of extra standby points on
 * the road network, each the one that adds the most grids reached in 10 minutes.
 */
import pointOnFeature from '@turf/point-on-feature';
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import type { ReachEngine } from './reach-engine.ts';
import { TARGET_SECONDS } from './reach-engine.ts';

export interface GridReach {
  code: string;
  /** Seconds for the fastest crew to the grid's label point; null beyond the search horizon. */
  seconds: number | null;
  meetsTarget: boolean;
  point: [number, number];
}

export interface StandbySuggestion {
  lon: number;
  lat: number;
  /** Grids this point adds to 10-minute coverage, in the order chosen. */
  gridCodes: string[];
}

export interface CoverageAudit {
  grids: GridReach[];
  uncovered: string[];
  suggestions: StandbySuggestion[];
  coveredShare: number;
  coveredShareWithSuggestions: number;
}

/** Search horizon: a grid beyond 2 h is reported as unreached. */
const HORIZON_S = 2 * 3600;

export function coverageAudit(
  engine: ReachEngine,
  grids: Feature<Polygon | MultiPolygon, { code: string }>[],
  suggestions = 5,
): CoverageAudit {
  const s = engine.surface;
  const points = grids.map((g) => pointOnFeature(g).geometry.coordinates as [number, number]);
  const cells = points.map(([lon, lat]) => s.openCell(s.cellOf(lon, lat)));
  const times = engine.fromCrewBases(cells, HORIZON_S);
  const result: GridReach[] = grids.map((g, i) => {
    const t = times[i] as number;
    return {
      code: g.properties.code,
      seconds: Number.isFinite(t) ? Math.round(t * 10) / 10 : null,
      meetsTarget: t <= TARGET_SECONDS,
      point: points[i] as [number, number],
    };
  });
  const uncovered = new Set(result.filter((g) => !g.meetsTarget).map((g) => g.code));

  // Which road vertices reach each uncovered grid within 10 minutes (one small backwards
  // search per grid), then greedy set cover over those vertices.
  const coversByNode = new Map<number, string[]>();
  result.forEach((g, i) => {
    if (g.meetsTarget || (cells[i] as number) < 0) return;
    for (const node of engine.roadNodesWithin(points[i] as [number, number], TARGET_SECONDS)) {
      let list = coversByNode.get(node);
      if (!list) {
        list = [];
        coversByNode.set(node, list);
      }
      list.push(g.code);
    }
  });
  const open = new Set(uncovered);
  const chosen: StandbySuggestion[] = [];
  for (let k = 0; k < suggestions; k++) {
    let best = -1;
    let gain = 0;
    for (const [node, codes] of coversByNode) {
      let n = 0;
      for (const c of codes) if (open.has(c)) n++;
      if (n > gain || (n === gain && n > 0 && node < best)) {
        gain = n;
        best = node;
      }
    }
    if (best < 0 || gain === 0) break;
    const gridCodes = (coversByNode.get(best) as string[]).filter((c) => open.has(c));
    for (const c of gridCodes) open.delete(c);
    chosen.push({
      lon: engine.roads.lon[best] as number,
      lat: engine.roads.lat[best] as number,
      gridCodes,
    });
  }
  const total = Math.max(1, result.length);
  return {
    grids: result,
    uncovered: [...uncovered].sort(),
    suggestions: chosen,
    coveredShare: (result.length - uncovered.size) / total,
    coveredShareWithSuggestions: (result.length - open.size) / total,
  };
}
