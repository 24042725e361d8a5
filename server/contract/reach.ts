/**
 * Reach (10-minute arrival) on the wire: every crew's time to a point with isochrones, the
 * coverage audit of every grid, and the network the in-browser engine walks on.
 */
import { type Static, Type } from 'typebox';
import { LonLat } from './incidents.ts';
import { Nullable, OpenObject } from './wire.ts';

/** A GeoJSON FeatureCollection; its features' properties are free. */
export const FeatureCollection = (description: string) =>
  Type.Object(
    {
      type: Type.Literal('FeatureCollection'),
      features: Type.Array(OpenObject('a GeoJSON Feature')),
    },
    { additionalProperties: true, description },
  );

export const CrewReach = Type.Object({
  id: Type.String(),
  name: Nullable(Type.String()),
  level: Nullable(Type.String()),
  seconds: Nullable(Type.Number({ description: 'travel time; null when no way was found' })),
  meetsTarget: Type.Boolean(),
  mode: Nullable(Type.Union([Type.Literal('road'), Type.Literal('walk')])),
});
export type CrewReach = Static<typeof CrewReach>;

const Reached = Type.Object({
  id: Type.String(),
  name: Nullable(Type.String()),
  seconds: Type.Number(),
});

export const ReachAnswer = Type.Object({
  origin: LonLat,
  crews: Type.Array(CrewReach, { description: 'fastest first, unreached last' }),
  isochrones: FeatureCollection('10/20/30-minute isochrones, MultiPolygons with { minutes }'),
  waterSources: Type.Array(Reached),
  firebreaks: Type.Array(Reached),
});
export type ReachAnswer = Static<typeof ReachAnswer>;

export const ReachCoverage = Type.Object({
  grids: Type.Array(
    Type.Object({
      code: Type.String(),
      seconds: Nullable(Type.Number()),
      meetsTarget: Type.Boolean(),
      point: LonLat,
    }),
  ),
  uncovered: Type.Array(Type.String(), { description: 'grids no crew reaches in 10 minutes' }),
  suggestions: Type.Array(
    Type.Object({ lon: Type.Number(), lat: Type.Number(), gridCodes: Type.Array(Type.String()) }),
  ),
  coveredShare: Type.Number(),
  coveredShareWithSuggestions: Type.Number(),
  computedMs: Type.Number(),
  version: Type.String(),
});
export type ReachCoverage = Static<typeof ReachCoverage>;

const Features = Type.Array(OpenObject('a GeoJSON Feature'));
export const ReachNetwork = Type.Object({
  roads: Features,
  rivers: Features,
  firebreaks: Features,
  crews: Features,
  waterSources: Features,
});
