/** OpenAPI at /api/openapi.json and its docs UI at /api/docs (assets served locally). */
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { needsSignIn, SESSION_COOKIE } from './auth.ts';

/** Either way of signing in: the web page's cookie, or a phone's (or program's) bearer token. */
const SIGNED_IN = [{ cookieAuth: [] }, { bearerAuth: [] }];

export default fp(
  async (app: FastifyInstance) => {
    await app.register(swagger, {
      openapi: {
        openapi: '3.1.0',
        info: {
          title: '森林防火挂图作战指挥平台 API',
          description: 'Forest-fire grid command: areas, assets, crews, incidents.',
          version: '0.1.0',
        },
        components: {
          securitySchemes: {
            cookieAuth: {
              type: 'apiKey',
              in: 'cookie',
              name: SESSION_COOKIE,
              description:
                'The command page: httpOnly, SameSite=Strict session cookie from POST /api/auth/login',
            },
            bearerAuth: {
              type: 'http',
              scheme: 'bearer',
              description:
                "The field page and other programs: the token from POST /api/auth/login with client 'field'",
            },
          },
        },
      },
    });
    // Which operations need sign-in, from the same rule the auth plugin enforces. Public
    // writes (smoke reports) take a sign-in when there is one: `{}` makes it optional.
    app.addHook('onRoute', (route) => {
      const methods = Array.isArray(route.method) ? route.method : [route.method];
      if (!route.url.startsWith('/api/') || route.schema?.hide) return;
      route.schema = route.schema ?? {};
      const schema = route.schema as { security?: unknown };
      if (schema.security) return;
      if (methods.some((m) => needsSignIn(m, route.url, route.config))) schema.security = SIGNED_IN;
      else if (methods.some((m) => m !== 'GET' && m !== 'HEAD'))
        schema.security = [{}, ...SIGNED_IN];
    });
    await app.register(swaggerUi, { routePrefix: '/api/docs' });
    app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  },
  { name: 'swagger' },
);
