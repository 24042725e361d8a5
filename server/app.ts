/**
 * Builds the Fastify app. The registration order is the architecture (conventions.md):
 * external plugins (errors, db, OpenAPI) → the app's own repositories → routes → the client.
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyBaseLogger } from 'fastify';
import type { Config } from './config/config.ts';
import type { Database } from './db/database.ts';
import clientPlugin from './plugins/client.ts';
import dbPlugin from './plugins/db.ts';
import errorsPlugin from './plugins/errors.ts';
import gracefulClose from './plugins/graceful-close.ts';
import reachPlugin from './plugins/reach.ts';
import swaggerPlugin from './plugins/swagger.ts';
import tilesPlugin from './plugins/tiles.ts';
import viewerPlugin from './plugins/viewer.ts';
import areasRepository from './repositories/areas-repository.ts';
import cardsRepository from './repositories/cards-repository.ts';
import layersRepository from './repositories/layers-repository.ts';
import systemRepository from './repositories/system-repository.ts';
import cardsRoutes from './routes/cards.routes.ts';
import countyRoutes from './routes/county.routes.ts';
import healthRoutes from './routes/health.routes.ts';
import mapRoutes from './routes/map.routes.ts';
import placesRoutes from './routes/places.routes.ts';
import reachRoutes from './routes/reach.routes.ts';

export interface BuildAppOptions {
  config: Pick<Config, 'logLevel' | 'bodyLimitBytes'> & Partial<Pick<Config, 'tiandituKey'>>;
  database: Database;
  /** Directory of the built client; omitted → API only (tests). */
  clientDir?: string;
  /** A pino logger to share with start-up code; omitted → one at config.logLevel. */
  loggerInstance?: FastifyBaseLogger;
}

export async function buildApp({ config, database, clientDir, loggerInstance }: BuildAppOptions) {
  const app = Fastify({
    ...(loggerInstance ? { loggerInstance } : { logger: { level: config.logLevel } }),
    bodyLimit: config.bodyLimitBytes,
    // On close: stop accepting, let in-flight requests finish, drop idle keep-alives.
    forceCloseConnections: 'idle',
    return503OnClosing: true,
  }).withTypeProvider<TypeBoxTypeProvider>();

  // External plugins
  await app.register(errorsPlugin);
  await app.register(gracefulClose);
  await app.register(dbPlugin, { database });
  await app.register(swaggerPlugin);
  await app.register(viewerPlugin);

  // The app's own plugins
  await app.register(systemRepository);
  await app.register(areasRepository);
  await app.register(layersRepository);
  await app.register(cardsRepository);
  await app.register(tilesPlugin);
  await app.register(reachPlugin);

  // Routes
  await app.register(healthRoutes);
  await app.register(countyRoutes);
  await app.register(placesRoutes);
  await app.register(mapRoutes, { tiandituKey: config.tiandituKey });
  await app.register(cardsRoutes);
  await app.register(reachRoutes);

  if (clientDir) await app.register(clientPlugin, { root: clientDir });

  return app;
}

export type App = Awaited<ReturnType<typeof buildApp>>;
