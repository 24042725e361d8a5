import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import { PlaceAt } from '../contract/areas.ts';
import { HttpError } from '../plugins/errors.ts';

const placesRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/places/at',
    {
      schema: {
        summary: 'Which grid, village, township and war zone contain a WGS84 point',
        tags: ['areas'],
        querystring: Type.Object(
          {
            lon: Type.Number({
              minimum: -180,
              maximum: 180,
              description: 'longitude, degrees (WGS84)',
            }),
            lat: Type.Number({
              minimum: -90,
              maximum: 90,
              description: 'latitude, degrees (WGS84)',
            }),
          },
          { additionalProperties: false },
        ),
        response: {
          200: PlaceAt,
        },
      },
    },
    async (request) => {
      const { lon, lat } = request.query;
      const { inCounty, ...place } = await app.areasRepository.placeAt(lon, lat);
      if (!inCounty) {
        const counts = await app.areasRepository.counts();
        if ((counts.counties ?? 0) === 0)
          throw new HttpError(503, '尚未加载县域数据 (no county loaded)');
        throw new HttpError(422, `point (${lon}, ${lat}) is outside the county`, 'lon,lat');
      }
      return place;
    },
  );
};

export default placesRoutes;
