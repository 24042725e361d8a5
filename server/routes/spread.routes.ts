/**
 * Fire spread (蔓延推演): perimeters of a fire from a point at +10/+20/+30/+60 minutes and up
 * to 3 h over the county's terrain and fuels, under the wind the commander types in (else the
 * day's maximum wind on record, blowing from the direction on record) with the fine fuel
 * moisture of the grid's FFMC; which
 * villages, key areas and roads it reaches first and when; and for every one of those places
 * the crews (reach engine) that get there first or soon after, each with its arrival time and
 * whether it beats the fire.
 */
import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import { SpreadAnswer, type SpreadSources } from '../contract/spread.ts';
import { beijingDate } from '../domain/fire-danger/weather-input.ts';
import type { LandCover } from '../domain/fire-spread/land-cover.ts';
import { placesReached } from '../domain/fire-spread/places.ts';
import type { FuelMoisture } from '../domain/fire-spread/rothermel.ts';
import {
  MAX_SPREAD_MINUTES,
  moistureFromFfmc,
  type SpreadModel,
} from '../domain/fire-spread/spread-engine.ts';
import { HttpError } from '../plugins/errors.ts';
import { ReachBusyError } from '../services/reach-pool.ts';

export interface SpreadRouteOptions {
  model: SpreadModel;
  wangR0MMin: number;
  barriers: boolean;
  /** Cap Rothermel's effective wind speed at its limit (SPREAD_WIND_LIMIT). */
  windLimit: boolean;
  /** Land covers with the county's 王正非 Ks (SPREAD_WANG_KS). */
  covers: readonly LandCover[];
  /** Fuel moisture where no FFMC is known (SPREAD_MOISTURE). */
  moisture: FuelMoisture;
}

/**
 * The wind direction assumed when none is typed and none is on record for the day: from the
 * north, the prevailing wind of the fire season (winter and spring) in western Hunan. The
 * answer says it was assumed.
 */
const ASSUMED_WIND_FROM_DEG = 0;

/**
 * Crews arriving up to this long after the fire are still listed, marked late: a crew a few
 * minutes behind the front can still hold the place's far side.
 */
const LATE_LISTED_S = 30 * 60;

const spreadRoutes: FastifyPluginAsyncTypebox<SpreadRouteOptions> = async (app, opts) => {
  app.get(
    '/api/spread',
    {
      schema: {
        summary:
          'Fire spread from a point: perimeters at +10/+20/+30/+60… min, places reached, and at each the crews arriving and whether before the fire',
        tags: ['spread'],
        querystring: Type.Object(
          {
            lon: Type.Number({ minimum: -180, maximum: 180, description: 'longitude (WGS84)' }),
            lat: Type.Number({ minimum: -90, maximum: 90, description: 'latitude (WGS84)' }),
            minutes: Type.Integer({ minimum: 1, maximum: MAX_SPREAD_MINUTES, default: 60 }),
            windMs: Type.Optional(
              Type.Number({
                minimum: 0,
                maximum: 40,
                description: "open 10-m wind, m/s; omitted → the day's maximum wind on record",
              }),
            ),
            windFromDeg: Type.Optional(
              Type.Number({
                minimum: 0,
                maximum: 360,
                description:
                  "wind from, degrees from north; omitted → the day's observed direction, else assumed from the north (sources.windDirection)",
              }),
            ),
            model: Type.Optional(Type.Union([Type.Literal('rothermel'), Type.Literal('wang')])),
            barriers: Type.Optional(
              Type.Boolean({ description: 'roads, rivers, firebreaks stop the fire' }),
            ),
            ffmc: Type.Optional(
              Type.Number({ minimum: 0, maximum: 101, description: "the day's FFMC" }),
            ),
            r0: Type.Optional(
              Type.Number({ exclusiveMinimum: 0, maximum: 100, description: '王正非 R0, m/min' }),
            ),
          },
          { additionalProperties: false },
        ),
        response: { 200: SpreadAnswer },
      },
    },
    async (request): Promise<SpreadAnswer> => {
      app.requireActor(request);
      const q = request.query;
      const place = await app.areasRepository.placeAt(q.lon, q.lat);
      if (!place.inCounty)
        throw new HttpError(422, `point (${q.lon}, ${q.lat}) is outside the county`, 'lon,lat');
      const { engine, places } = await app.spread.engine();
      if (!engine.covers(q.lon, q.lat))
        throw new HttpError(
          422,
          `point (${q.lon}, ${q.lat}) is outside the terrain model`,
          'lon,lat',
        );
      const model = q.model ?? opts.model;
      // The day's weather where the commander typed nothing: the grid's FFMC, the wind's
      // speed and direction.
      const day =
        q.ffmc === undefined || q.windMs === undefined || q.windFromDeg === undefined
          ? await app.fireDangerRepository.spreadWeather(
              place.gridCode,
              place.townshipCode,
              beijingDate(new Date()),
              [q.lon, q.lat],
            )
          : { ffmc: null, windMs: null, windFrom: null };
      const ffmc = q.ffmc ?? day.ffmc;
      const windMs = q.windMs ?? day.windMs ?? 0;
      const recorded = q.windFromDeg === undefined ? day.windFrom : null;
      const windFromDeg = q.windFromDeg ?? recorded?.deg ?? ASSUMED_WIND_FROM_DEG;
      const sources: SpreadSources = {
        wind: q.windMs !== undefined ? 'typed' : day.windMs !== null ? 'weather' : 'none',
        windDirection:
          q.windFromDeg !== undefined
            ? 'typed'
            : recorded === null
              ? 'assumed'
              : recorded.kind === 'observation'
                ? 'observed'
                : 'forecast',
        windDirectionFrom: recorded && {
          stationId: recorded.stationId,
          townshipCode: recorded.townshipCode,
          name: recorded.name,
          date: recorded.date,
          issuedAt: recorded.issuedAt,
        },
        moisture: q.ffmc !== undefined ? 'ffmc' : day.ffmc !== null ? 'fire-danger' : 'default',
      };
      const moisture =
        ffmc === null ? opts.moisture : { ...opts.moisture, d1h: moistureFromFfmc(ffmc) };
      const wangR0MMin = q.r0 ?? opts.wangR0MMin;
      const barriers = q.barriers ?? opts.barriers;
      const result = engine.spread(q.lon, q.lat, q.minutes, {
        model,
        windMs,
        windFromDeg,
        moisture,
        wangR0MMin,
        barriers,
        windLimit: opts.windLimit,
        covers: opts.covers,
      });
      const reached = placesReached(engine, result, places);
      // One reach job for all places (a few ms each); a full queue leaves the crews out, not
      // the spread.
      const crewTimes = await app.reach
        .crewsTo(
          reached.map((p) => ({
            lon: p.at[0],
            lat: p.at[1],
            horizonS: p.minutes * 60 + LATE_LISTED_S,
          })),
          true,
        )
        .catch((err: unknown) => {
          if (err instanceof ReachBusyError) return null;
          throw err;
        });
      const withCrews = reached.map((p, i) => {
        const times = crewTimes?.[i];
        if (!times) return { ...p, crews: null, crewsBeforeCount: null };
        const fireSeconds = p.minutes * 60;
        const crews = times.map((c) => ({
          id: c.id,
          name: c.name,
          seconds: c.seconds as number,
          beforeFire: (c.seconds as number) < fireSeconds,
        }));
        return {
          ...p,
          // Every crew that arrives before the fire or within LATE_LISTED_S after it, fastest first.
          crews,
          crewsBeforeCount: crews.filter((c) => c.beforeFire).length,
        };
      });
      return {
        model,
        origin: result.origin,
        ignition: result.ignition,
        minutes: q.minutes,
        windMs,
        windFromDeg,
        barriers,
        windLimit: opts.windLimit,
        moisture,
        ffmc,
        sources,
        ...(model === 'wang' ? { wangR0MMin } : {}),
        head: result.head,
        perimeters: result.perimeters,
        places: withCrews,
      };
    },
  );
};

export default spreadRoutes;
