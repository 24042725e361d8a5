/**
 * GET /api/spread on the wire: a fire's perimeters, the places it reaches and the crews that
 * get there, and its `sources` — where the wind speed, the wind direction and the fine fuel
 * moisture of a projection came from, so the map can say so.
 */
import { type Static, Type } from 'typebox';

export const SpreadSources = Type.Object({
  /** Typed by the commander, the day's weather on record, or none (0 m/s). */
  wind: Type.Union([Type.Literal('typed'), Type.Literal('weather'), Type.Literal('none')]),
  /**
   * Typed by the commander; observed (the day's observation of the place's township or a
   * station in it); forecast (no observation of the day reports one, the day's forecast does);
   * assumed from the north when nothing on record gives one.
   */
  windDirection: Type.Union([
    Type.Literal('typed'),
    Type.Literal('observed'),
    Type.Literal('forecast'),
    Type.Literal('assumed'),
  ]),
  /** The record the direction came from when observed or forecast; else null. */
  windDirectionFrom: Type.Union([
    Type.Object({
      /** The station that reported it, or null for the township's own row. */
      stationId: Type.Union([Type.String(), Type.Null()]),
      townshipCode: Type.Union([Type.String(), Type.Null()]),
      /** The station's name, or the township's. */
      name: Type.Union([Type.String(), Type.Null()]),
      /** The day it describes and when it was reported (observed) or issued (forecast). */
      date: Type.String(),
      issuedAt: Type.String({ format: 'date-time' }),
    }),
    Type.Null(),
  ]),
  moisture: Type.Union([
    Type.Literal('ffmc'),
    Type.Literal('fire-danger'),
    Type.Literal('default'),
  ]),
});
export type SpreadSources = Static<typeof SpreadSources>;

const LonLat = Type.Tuple([Type.Number(), Type.Number()], { description: '[lon, lat]' });

/** A place the fire reaches, when and where first, and the crews that get there. */
export const SpreadPlace = Type.Object({
  kind: Type.Union([Type.Literal('village'), Type.Literal('key_area'), Type.Literal('road')]),
  id: Type.String(),
  name: Type.String(),
  minutes: Type.Number({ description: 'from ignition until the fire reaches it' }),
  at: LonLat,
  /**
   * Every crew arriving before the fire or within 30 minutes after it, fastest first, each
   * with whether it beats the fire; null: the reach engine was busy.
   */
  crews: Type.Union([
    Type.Array(
      Type.Object({
        id: Type.String(),
        name: Type.Union([Type.String(), Type.Null()]),
        seconds: Type.Number({ description: 'travel time, s' }),
        beforeFire: Type.Boolean(),
      }),
    ),
    Type.Null(),
  ]),
  /** How many crews get there before the fire; null: the reach engine was busy. */
  crewsBeforeCount: Type.Union([Type.Integer(), Type.Null()]),
});
export type SpreadPlace = Static<typeof SpreadPlace>;

/** One perimeter: where the fire is after `minutes`, and the area burned by then. */
const Perimeter = Type.Object({
  type: Type.Literal('Feature'),
  properties: Type.Object({ minutes: Type.Integer(), areaHa: Type.Number() }),
  geometry: Type.Object({
    type: Type.Literal('MultiPolygon'),
    coordinates: Type.Array(Type.Array(Type.Array(Type.Array(Type.Number())))),
  }),
});

/** GET /api/spread: the fire's perimeters, what it reaches and when, and who gets there first. */
export const SpreadAnswer = Type.Object({
  model: Type.Union([Type.Literal('rothermel'), Type.Literal('wang')]),
  /** The point asked for, and the cell centre the fire was lit at (the nearest burnable). */
  origin: LonLat,
  ignition: LonLat,
  minutes: Type.Integer(),
  windMs: Type.Number({ description: 'open 10-m wind used, m/s' }),
  windFromDeg: Type.Number({ description: 'wind from, degrees from north' }),
  barriers: Type.Boolean({ description: 'roads, rivers and firebreaks stop the fire' }),
  windLimit: Type.Boolean({ description: "Rothermel's effective wind capped at its limit" }),
  /** Fuel moisture used, fractions: dead 1/10/100 h, live herbaceous and woody. */
  moisture: Type.Object({
    d1h: Type.Number(),
    d10h: Type.Number(),
    d100h: Type.Number(),
    liveHerb: Type.Number(),
    liveWoody: Type.Number(),
  }),
  ffmc: Type.Union([Type.Number(), Type.Null()], { description: 'the FFMC used, if any' }),
  sources: SpreadSources,
  wangR0MMin: Type.Optional(Type.Number({ description: 'model wang: 王正非 R0 used, m/min' })),
  /** Head of the fire at the ignition: rate m/min and direction, degrees from north. */
  head: Type.Object({ rosMMin: Type.Number(), azimuthDeg: Type.Number() }),
  perimeters: Type.Object({
    type: Type.Literal('FeatureCollection'),
    features: Type.Array(Perimeter, { description: 'by minutes, earliest first' }),
  }),
  places: Type.Array(SpreadPlace, { description: 'reached first, first' }),
});
export type SpreadAnswer = Static<typeof SpreadAnswer>;
