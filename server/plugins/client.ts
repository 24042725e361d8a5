/** Serves the built client (client/dist) on the same port as the API. */
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

export default fp(
  async (app: FastifyInstance, opts: { root: string }) => {
    await app.register(fastifyStatic, {
      root: path.resolve(opts.root),
      // Hashed assets may be cached for good; HTML must be revalidated so a new build shows.
      setHeaders(reply, file) {
        if (file.includes(`${path.sep}assets${path.sep}`)) {
          reply.header('cache-control', 'public, max-age=31536000, immutable');
        } else {
          reply.header('cache-control', 'no-cache');
        }
      },
    });
    // The ranger field page (an installable PWA with its own service worker).
    app.get('/field', { schema: { hide: true } }, (_request, reply) =>
      reply.sendFile('field.html'),
    );
    // 督战工作台: the supervision system's records (inspections, training, drills, publicity).
    app.get('/supervision', { schema: { hide: true } }, (_request, reply) =>
      reply.sendFile('supervision.html'),
    );
  },
  { name: 'client' },
);
