import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@fastify/type-provider-typebox';
import { CountyList, CountyOutline } from '../contract/areas.ts';
import { HttpError } from '../plugins/errors.ts';

/** The demo county's outline file, used until a county is loaded into the database. */
export const DEMO_OUTLINE_FILE = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../geodata/mayang/county.geojson',
);

const countyRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/county',
    {
      schema: {
        summary: 'The county outline as a GeoJSON Feature',
        description:
          'From the database when a county is loaded (`code` picks one of a province; without it the first by code); otherwise the demo outline file, with properties.loaded = false.',
        tags: ['areas'],
        querystring: Type.Object(
          {
            code: Type.Optional(Type.String({ pattern: '^[0-9]{6}$', description: 'county code' })),
          },
          { additionalProperties: false },
        ),
        response: {
          200: CountyOutline,
        },
      },
    },
    async (request) => {
      const { code } = request.query;
      const loaded = await app.areasRepository.countyOutline(code);
      if (loaded) return { ...loaded, properties: { ...loaded.properties, loaded: true } };
      // A code that no loaded county has; with none loaded yet, the demo outline as ever.
      if (code !== undefined && ((await app.areasRepository.counts()).counties ?? 0) > 0)
        throw new HttpError(404, `county ${code} is not loaded`, 'code');
      const fc = JSON.parse(await fs.promises.readFile(DEMO_OUTLINE_FILE, 'utf8'));
      const f = fc.features[0];
      return {
        type: 'Feature' as const,
        properties: { ...f.properties, loaded: false },
        geometry: f.geometry,
      };
    },
  );

  app.get(
    '/api/counties',
    {
      schema: {
        summary: 'The counties loaded, with their extents and sizes (one county, or a province)',
        tags: ['areas'],
        response: { 200: CountyList },
      },
    },
    async () => ({ counties: await app.areasRepository.counties() }),
  );
};

export default countyRoutes;
