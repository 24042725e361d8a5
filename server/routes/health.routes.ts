import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';

const HealthSchema = Type.Object({
  status: Type.Literal('ok'),
  backend: Type.Union([Type.Literal('embedded'), Type.Literal('server')]),
  postgresVersion: Type.String(),
  postgisVersion: Type.Union([Type.String(), Type.Null()]),
  migrations: Type.Object({
    applied: Type.Integer(),
    available: Type.Integer(),
    latest: Type.Union([Type.String(), Type.Null()]),
  }),
  countyLoaded: Type.Boolean(),
});

const healthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/health',
    {
      schema: {
        summary: 'Backend kind, PostgreSQL and PostGIS versions, migration level',
        tags: ['system'],
        response: { 200: HealthSchema },
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
