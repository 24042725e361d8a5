/** The fire-danger service of this server (`app.fireDanger`), with the county's settings. */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import {
  createFireDangerService,
  type FireDangerService,
  type FireDangerSettings,
} from '../services/fire-danger.ts';

declare module 'fastify' {
  interface FastifyInstance {
    fireDanger: FireDangerService;
  }
}

export default fp(
  async (app: FastifyInstance, opts: { settings: FireDangerSettings; now?: () => Date }) => {
    app.decorate(
      'fireDanger',
      createFireDangerService(app.fireDangerRepository, opts.settings, opts.now),
    );
  },
  { name: 'fire-danger', dependencies: ['fire-danger-repository'] },
);
