/**
 * Builds the Fastify app. The registration order is the architecture (conventions.md):
 * external plugins (errors, db, OpenAPI) → the app's own repositories → routes → the client.
 */
import os from 'node:os';
import path from 'node:path';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyBaseLogger } from 'fastify';
import type { Config } from './config/config.ts';
import type { Database } from './db/database.ts';
import { DEFAULT_FLAG_THRESHOLDS } from './domain/flags.ts';
import authPlugin from './plugins/auth.ts';
import breachClockPlugin from './plugins/breach-clock.ts';
import clientPlugin from './plugins/client.ts';
import dbPlugin from './plugins/db.ts';
import errorsPlugin from './plugins/errors.ts';
import gracefulClose from './plugins/graceful-close.ts';
import livePlugin from './plugins/live.ts';
import reachPlugin from './plugins/reach.ts';
import rhythmWatchPlugin from './plugins/rhythm-watch.ts';
import swaggerPlugin from './plugins/swagger.ts';
import tilesPlugin from './plugins/tiles.ts';
import viewerPlugin from './plugins/viewer.ts';
import areasRepository from './repositories/areas-repository.ts';
import auditRepository from './repositories/audit-repository.ts';
import cardsRepository from './repositories/cards-repository.ts';
import commandRepository from './repositories/command-repository.ts';
import dispatchRepository from './repositories/dispatch-repository.ts';
import drillsRepository from './repositories/drills-repository.ts';
import incidentsRepository from './repositories/incidents-repository.ts';
import inspectionsRepository from './repositories/inspections-repository.ts';
import layersRepository from './repositories/layers-repository.ts';
import supervisionRepository from './repositories/supervision-repository.ts';
import systemRepository from './repositories/system-repository.ts';
import usersRepository from './repositories/users-repository.ts';
import auditRoutes from './routes/audit.routes.ts';
import authRoutes from './routes/auth.routes.ts';
import cardsRoutes from './routes/cards.routes.ts';
import combatMapRoutes from './routes/combat-map.routes.ts';
import commandRoutes from './routes/command.routes.ts';
import countyRoutes from './routes/county.routes.ts';
import dispatchRoutes from './routes/dispatch.routes.ts';
import drillsRoutes from './routes/drills.routes.ts';
import healthRoutes from './routes/health.routes.ts';
import incidentsRoutes from './routes/incidents.routes.ts';
import inspectionsRoutes from './routes/inspections.routes.ts';
import mapRoutes from './routes/map.routes.ts';
import placesRoutes from './routes/places.routes.ts';
import publicityRoutes from './routes/publicity.routes.ts';
import reachRoutes from './routes/reach.routes.ts';
import supervisionRoutes from './routes/supervision.routes.ts';
import type { Clock } from './services/breach-clock.ts';

/** Settings with defaults for tests that build the app with little configuration. */
type LiveSettings = Pick<
  Config,
  | 'mergeDistanceM'
  | 'mergeWindowMinutes'
  | 'publicReportsPerHour'
  | 'reportsNeedSignIn'
  | 'maxPhotos'
  | 'maxPhotoBytes'
  | 'dataDir'
  | 'flagYellowMin'
  | 'flagBlackMin'
>;
const LIVE_DEFAULTS: Omit<LiveSettings, 'dataDir'> = {
  mergeDistanceM: 1000,
  mergeWindowMinutes: 90,
  publicReportsPerHour: 10,
  reportsNeedSignIn: false,
  maxPhotos: 4,
  maxPhotoBytes: 8 * 1_048_576,
  flagYellowMin: DEFAULT_FLAG_THRESHOLDS.yellowMin,
  flagBlackMin: DEFAULT_FLAG_THRESHOLDS.blackMin,
};

export interface BuildAppOptions {
  config: Pick<Config, 'logLevel' | 'bodyLimitBytes'> &
    Partial<Pick<Config, 'tiandituKey' | 'publicUrl' | 'chromiumPath'>> &
    Partial<LiveSettings>;
  /** The timers' time source (tests use a fake one); and whether the breach clock and the 321 watch start on ready. */
  clock?: Clock;
  startBreachClock?: boolean;
  database: Database;
  /** Directory of the built client; omitted → API only (tests). */
  clientDir?: string;
  /** A pino logger to share with start-up code; omitted → one at config.logLevel. */
  loggerInstance?: FastifyBaseLogger;
}

export async function buildApp({
  config,
  database,
  clientDir,
  loggerInstance,
  clock,
  startBreachClock,
}: BuildAppOptions) {
  const live = { ...LIVE_DEFAULTS, ...config };
  const photosDir = path.join(config.dataDir ?? path.join(os.tmpdir(), 'fire-command'), 'photos');
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
  await app.register(usersRepository);
  await app.register(auditRepository);
  await app.register(authPlugin);

  // The app's own plugins
  await app.register(systemRepository);
  await app.register(areasRepository);
  await app.register(layersRepository);
  await app.register(cardsRepository);
  await app.register(incidentsRepository, {
    mergeDistanceM: live.mergeDistanceM,
    mergeWindowMinutes: live.mergeWindowMinutes,
  });
  await app.register(dispatchRepository);
  await app.register(commandRepository);
  await app.register(inspectionsRepository);
  await app.register(drillsRepository);
  await app.register(supervisionRepository, {
    thresholds: { yellowMin: live.flagYellowMin, blackMin: live.flagBlackMin },
  });
  await app.register(livePlugin, { allowedOrigins: config.publicUrl ? [config.publicUrl] : [] });
  await app.register(breachClockPlugin, {
    ...(clock ? { clock } : {}),
    autoStart: startBreachClock ?? true,
  });
  await app.register(rhythmWatchPlugin, {
    ...(clock ? { clock } : {}),
    autoStart: startBreachClock ?? true,
  });
  await app.register(tilesPlugin);
  await app.register(reachPlugin);

  // Routes
  await app.register(healthRoutes);
  await app.register(authRoutes);
  await app.register(auditRoutes);
  await app.register(dispatchRoutes);
  await app.register(commandRoutes);
  await app.register(countyRoutes);
  await app.register(placesRoutes);
  await app.register(mapRoutes, { tiandituKey: config.tiandituKey });
  await app.register(cardsRoutes);
  await app.register(reachRoutes);
  await app.register(supervisionRoutes);
  await app.register(inspectionsRoutes);
  await app.register(drillsRoutes);
  await app.register(publicityRoutes);
  await app.register(combatMapRoutes, {
    chromiumPath: config.chromiumPath ?? '/usr/bin/chromium',
  });
  await app.register(incidentsRoutes, {
    photosDir,
    publicReportsPerHour: live.publicReportsPerHour,
    reportsNeedSignIn: live.reportsNeedSignIn,
    maxPhotos: live.maxPhotos,
    maxPhotoBytes: live.maxPhotoBytes,
  });

  if (clientDir) await app.register(clientPlugin, { root: clientDir });

  return app;
}

export type App = Awaited<ReturnType<typeof buildApp>>;
