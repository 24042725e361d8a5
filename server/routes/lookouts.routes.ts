/**
 * What the county's lookout towers see (issue 16): the coverage of its forest by 0 / 1 / 2+
 * towers per grid with the blind spots, suggested sites for new towers, and the coverage as
 * an image for the map. Static planning data, read without sign-in like the reach audit.
 */
import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import { HttpError } from '../plugins/errors.ts';
import { ifNoneMatchHits } from './http-cache.ts';

const Share = (what: string) => Type.Number({ minimum: 0, maximum: 1, description: what });

const CoverageSchema = Type.Object({
  version: Type.String({ description: 'geodata and DEM version the coverage was computed on' }),
  computedMs: Type.Integer(),
  towers: Type.Integer(),
  forestHa: Type.Number(),
  seen0: Share('share of the forest no tower sees'),
  seen1: Share('share seen by exactly one tower (a bearing, no cross fix)'),
  seen2: Share('share seen by two or more towers'),
  bounds: Type.Array(Type.Number(), {
    minItems: 4,
    maxItems: 4,
    description: 'west, south, east, north of /api/lookouts/coverage.png, degrees',
  }),
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

const lookoutsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/lookouts/coverage',
    {
      schema: {
        summary:
          'Forest seen by 0 / 1 / 2+ lookout towers, per grid with blind spots, and where new towers would help most',
        tags: ['lookouts'],
        response: { 200: CoverageSchema },
      },
    },
    async () => app.lookouts.coverage(),
  );

  app.get(
    '/api/lookouts/:id/viewshed',
    {
      schema: {
        summary:
          'One tower’s viewshed within its range at its height: bounds, share seen, and the image (seen green, hidden grey)',
        tags: ['lookouts'],
        params: Type.Object({ id: Type.String({ maxLength: 64 }) }),
      },
    },
    async (request) => {
      const v = await app.lookouts.viewshed(request.params.id);
      if (!v) throw new HttpError(404, `no lookout ${request.params.id} on the DEM`, 'id');
      return v;
    },
  );

  app.get(
    '/api/lookouts/coverage.png',
    {
      schema: {
        summary:
          'The tower coverage as an image on the DEM’s cells: red unseen forest, amber one tower, green two or more',
        tags: ['lookouts'],
      },
    },
    async (request, reply) => {
      const { version, png } = await app.lookouts.coveragePng();
      const etag = `"lookout-coverage-${version}"`;
      reply.header('etag', etag).header('cache-control', 'no-cache');
      if (ifNoneMatchHits(request.headers['if-none-match'], etag)) return reply.status(304).send();
      return reply.type('image/png').send(Buffer.from(png));
    },
  );
};

export default lookoutsRoutes;
