/**
 * GET /api/spread's `sources`: where the wind speed, the wind direction and the fine fuel
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
