/**
 * Lookout towers and bearings on the wire: the county's tower coverage, one tower's viewshed,
 * and where bearings of one smoke meet (a typed-in set, or the cameras that alarmed on a fire).
 */
import { type Static, Type } from 'typebox';
import { DateTime, Nullable } from './wire.ts';

const Bounds = (description: string) =>
  Type.Tuple([Type.Number(), Type.Number(), Type.Number(), Type.Number()], { description });

const Share = (what: string) => Type.Number({ minimum: 0, maximum: 1, description: what });

export const TowerCoverage = Type.Object({
  version: Type.String({ description: 'geodata and DEM version the coverage was computed on' }),
  computedMs: Type.Integer(),
  towers: Type.Integer(),
  forestHa: Type.Number(),
  seen0: Share('share of the forest no tower sees'),
  seen1: Share('share seen by exactly one tower (a bearing, no cross fix)'),
  seen2: Share('share seen by two or more towers'),
  bounds: Bounds('west, south, east, north of /api/lookouts/coverage.png, degrees'),
  grids: Type.Array(
    Type.Object({
      code: Type.String(),
      forestHa: Type.Number(),
      seen0: Share('unseen share of the grid’s forest'),
      seen1: Share('share seen by one tower'),
      seen2: Share('share seen by two or more'),
      blindSpots: Type.Array(
        Type.Object({ lon: Type.Number(), lat: Type.Number(), areaHa: Type.Number() }),
        { description: 'patches of unseen forest of 1 ha or more, largest first (at most 5)' },
      ),
    }),
  ),
  suggestions: Type.Array(
    Type.Object({
      lon: Type.Number(),
      lat: Type.Number(),
      elevationM: Type.Number(),
      newlySeenHa: Type.Number({ description: 'forest unseen before that a 25 m tower here sees' }),
    }),
    { description: 'new tower sites, greedy: each sees the most forest still unseen' },
  ),
});
export type TowerCoverage = Static<typeof TowerCoverage>;

export const LookoutViewshed = Type.Object({
  id: Type.String(),
  version: Type.String(),
  bounds: Bounds('west, south, east, north of the image, degrees'),
  seenShare: Type.Number({
    minimum: 0,
    maximum: 1,
    description: 'share of the ground within range the tower sees',
  }),
  image: Type.String({
    description: 'PNG as a data: URL: seen green, hidden grey, beyond range clear',
  }),
});
export type LookoutViewshed = Static<typeof LookoutViewshed>;

const ErrorEllipse = Type.Object({
  semiMajorM: Type.Number(),
  semiMinorM: Type.Number(),
  azimuthDeg: Type.Number({ description: 'of the major axis, clockwise from true north' }),
});

/** The 95 % ellipse as a GeoJSON polygon feature to draw. */
export const EllipseOutline = Type.Object({
  type: Type.Literal('Feature'),
  properties: Type.Object({ confidence: Type.Number() }),
  geometry: Type.Object({
    type: Type.Literal('Polygon'),
    coordinates: Type.Array(Type.Array(Type.Tuple([Type.Number(), Type.Number()]))),
  }),
});

export const BearingFix = Type.Object({
  lon: Type.Number(),
  lat: Type.Number(),
  ellipse: ErrorEllipse,
  residualsDeg: Type.Array(Type.Number(), { description: 'per bearing: reported minus fitted' }),
  declinationDeg: Type.Number({
    description: 'the magnetic declination applied to magnetic bearings',
  }),
  outline: EllipseOutline,
});
export type BearingFix = Static<typeof BearingFix>;

export const IncidentFixBearing = Type.Object({
  kind: Type.String({ description: 'camera, or the source of a report with a bearing' }),
  stationId: Type.String(),
  stationName: Type.String(),
  lon: Type.Number(),
  lat: Type.Number(),
  bearingDeg: Type.Number(),
  at: DateTime,
});

export const IncidentFix = Type.Object({
  incidentId: Type.String({ format: 'uuid' }),
  bearings: Type.Array(IncidentFixBearing),
  fix: Nullable(
    Type.Object({
      lon: Type.Number(),
      lat: Type.Number(),
      ellipse: ErrorEllipse,
      sigmaDeg: Type.Number(),
    }),
  ),
  reason: Nullable(Type.String({ description: 'why there is no fix' })),
  outline: Nullable(EllipseOutline),
});
export type IncidentFix = Static<typeof IncidentFix>;
