import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Health } from '../contract/system.ts';

const healthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/health',
    {
      schema: {
        summary: 'Backend kind, PostgreSQL and PostGIS versions, migration level',
        tags: ['system'],
        response: { 200: Health },
      },
    },
    async () => {
      const info = await app.systemRepository.info();
      const counts = await app.areasRepository.counts();
      return { status: 'ok' as const, ...info, countyLoaded: (counts.counties ?? 0) > 0 };
    },
  );
};

export default healthRoutes;
