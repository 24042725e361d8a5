import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { CountyOutline } from '../contract/areas.ts';

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
          'From the database when a county is loaded; otherwise the demo outline file, with properties.loaded = false.',
        tags: ['areas'],
        response: {
          200: CountyOutline,
        },
      },
    },
    async () => {
      const loaded = await app.areasRepository.countyOutline();
      if (loaded) return { ...loaded, properties: { ...loaded.properties, loaded: true } };
      const fc = JSON.parse(await fs.promises.readFile(DEMO_OUTLINE_FILE, 'utf8'));
      const f = fc.features[0];
      return {
        type: 'Feature' as const,
        properties: { ...f.properties, loaded: false },
        geometry: f.geometry,
      };
    },
  );
};

export default countyRoutes;
