/**
 * Reach (10分钟能到): travel times of every crew to a point with 10/20/30-minute isochrones,
 * the county's coverage audit, and what the command page's Web Worker needs to compute the
 * same answers itself (the road network and the DEM).
 */
import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { ReachAnswer, ReachCoverage, ReachNetwork } from '../contract/reach.ts';
import { Binary, NoBody } from '../contract/wire.ts';
import { HttpError } from '../plugins/errors.ts';
import { ReachBusyError } from '../services/reach-pool.ts';
import { ifNoneMatchHits } from './http-cache.ts';

/**
 * What one address without a session may ask of the engine: a reach answer costs tens of
 * milliseconds of CPU, a coverage audit seconds, and 50 such callers would stall the reports
 * of everyone else. A ranger or commander signed in is not counted.
 */
export const ANONYMOUS_REACH_PER_MINUTE = 30;
/**
 * Downloads of the walking network and the DEM (megabytes each; a page takes each once per
 * load, then revalidates by ETag) without sign-in, per address and hour.
 */
export const ANONYMOUS_REACH_DATA_PER_HOUR = 60;
export const ANONYMOUS_COVERAGE_PER_MINUTE = 3;

/** A full reach queue → 503 with Retry-After, naming the field of the question refused. */
function busy(reply: FastifyReply, err: ReachBusyError, field: string): never {
  reply.header('retry-after', err.retryAfterSeconds);
  throw new HttpError(503, err.message, field);
}

const reachRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/reach',
    {
      onRequest: app.anonymousLimit({
        max: ANONYMOUS_REACH_PER_MINUTE,
        windowMs: 60_000,
        message: `at most ${ANONYMOUS_REACH_PER_MINUTE} reach questions a minute without sign-in from one address`,
        field: 'lon,lat',
      }),
      schema: {
        summary: "Every crew's travel time to a point, ranked, with 10/20/30-minute isochrones",
        tags: ['reach'],
        // The worker answers JSON already serialised (ReachAnswer): sent as it is.
        response: { 200: Type.Unsafe<string>(ReachAnswer) },
        querystring: Type.Object(
          {
            lon: Type.Number({ minimum: -180, maximum: 180, description: 'longitude (WGS84)' }),
            lat: Type.Number({ minimum: -90, maximum: 90, description: 'latitude (WGS84)' }),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (request, reply) => {
      const { lon, lat } = request.query;
      const priority = request.actor !== null;
      try {
        // Everything, the county outline included, is checked in the worker: an anonymous
        // question costs the event loop no query, and a full queue refuses it at once.
        const answer = await app.reach.toPointJson(lon, lat, priority);
        if ('outside' in answer)
          throw new HttpError(
            422,
            `point (${lon}, ${lat}) is outside the ${answer.outside === 'county' ? 'county' : 'terrain model'}`,
            'lon,lat',
          );
        return reply.type('application/json; charset=utf-8').send(answer.json);
      } catch (err) {
        if (err instanceof ReachBusyError) busy(reply, err, 'lon,lat');
        throw err;
      }
    },
  );

  app.get(
    '/api/reach/coverage',
    {
      onRequest: app.anonymousLimit({
        max: ANONYMOUS_COVERAGE_PER_MINUTE,
        windowMs: 60_000,
        message: `at most ${ANONYMOUS_COVERAGE_PER_MINUTE} coverage audits a minute without sign-in from one address`,
        field: 'coverage',
      }),
      schema: {
        summary:
          'Coverage audit: each grid’s fastest crew time, grids beyond 10 minutes, standby suggestions',
        tags: ['reach'],
        response: { 200: ReachCoverage },
      },
    },
    async (_request, reply) => {
      try {
        return await app.reach.coverage();
      } catch (err) {
        if (err instanceof ReachBusyError) busy(reply, err, 'coverage');
        throw err;
      }
    },
  );

  app.get(
    '/api/reach/network',
    {
      onRequest: app.anonymousLimit({
        max: ANONYMOUS_REACH_DATA_PER_HOUR,
        windowMs: 3_600_000,
        message: `at most ${ANONYMOUS_REACH_DATA_PER_HOUR} network downloads an hour without sign-in from one address`,
        field: 'network',
      }),
      schema: {
        summary:
          'Roads, rivers, firebreaks, crews and water sources for the in-browser reach engine',
        tags: ['reach'],
        response: { 200: ReachNetwork, 304: NoBody('not modified (ETag)') },
      },
    },
    async (request, reply) => {
      const { version, data } = await app.reach.network();
      const etag = `"reach-${version}"`;
      reply.header('etag', etag).header('cache-control', 'no-cache');
      if (ifNoneMatchHits(request.headers['if-none-match'], etag)) return reply.status(304).send();
      return data;
    },
  );

  app.get(
    '/api/reach/dem.tif',
    {
      onRequest: app.anonymousLimit({
        max: ANONYMOUS_REACH_DATA_PER_HOUR,
        windowMs: 3_600_000,
        message: `at most ${ANONYMOUS_REACH_DATA_PER_HOUR} DEM downloads an hour without sign-in from one address`,
        field: 'dem.tif',
      }),
      schema: {
        summary:
          "The loaded county's DEM (GeoTIFF, as loaded) the reach engine walks on; ETag its SHA-256",
        tags: ['reach'],
        response: {
          200: Binary('the DEM as a GeoTIFF', 'image/tiff'),
          304: NoBody('not modified (ETag)'),
        },
      },
    },
    async (request, reply) => {
      const terrain = await app.tiles.countyTerrain();
      const etag = `"${terrain.sha256}"`;
      reply.header('etag', etag).header('cache-control', 'no-cache');
      if (ifNoneMatchHits(request.headers['if-none-match'], etag)) return reply.status(304).send();
      return reply
        .type('image/tiff')
        .send(
          Buffer.from(terrain.bytes.buffer, terrain.bytes.byteOffset, terrain.bytes.byteLength),
        );
    },
  );
};

export default reachRoutes;
