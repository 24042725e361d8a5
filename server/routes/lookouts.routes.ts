/**
 * What the county's lookout towers see (issue 16): the coverage of its forest by 0 / 1 / 2+
 * towers per grid with the blind spots, suggested sites for new towers, and the coverage as
 * an image for the map. Static planning data, read without sign-in like the reach audit.
 */
import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import { LookoutViewshed, TowerCoverage } from '../contract/lookouts.ts';
import { Binary, NoBody } from '../contract/wire.ts';
import { HttpError } from '../plugins/errors.ts';
import { ifNoneMatchHits } from './http-cache.ts';

const lookoutsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/lookouts/coverage',
    {
      schema: {
        summary:
          'Forest seen by 0 / 1 / 2+ lookout towers, per grid with blind spots, and where new towers would help most',
        tags: ['lookouts'],
        response: { 200: TowerCoverage },
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
        response: { 200: LookoutViewshed },
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
        response: {
          200: Binary('coverage raster', 'image/png'),
          304: NoBody('not modified (ETag)'),
        },
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
