/**
 * Plain GeoJSON shapes for test data, with no other dependency, so that both the factories
 * (server/testing/factories.ts) and the fixture county's writer
 * (scripts/geodata/fixtures/make-terrain-county.ts) draw their areas with the same code.
 */
import type { MultiPolygon } from 'geojson';

/** An axis-aligned box [west, south, east, north] as a MultiPolygon. */
export function box(w: number, s: number, e: number, n: number): MultiPolygon {
  return {
    type: 'MultiPolygon',
    coordinates: [
      [
        [
          [w, s],
          [e, s],
          [e, n],
          [w, n],
          [w, s],
        ],
      ],
    ],
  };
}
