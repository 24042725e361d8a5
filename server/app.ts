/**
 * Builds the Fastify app. The registration order is the architecture (conventions.md):
 * external plugins (errors, db, OpenAPI) → the app's own repositories → the services that hold
 * the rules over them → routes → the client.
 */
import os from 'node:os';
import path from 'node:path';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyBaseLogger } from 'fastify';
import type { Config } from './config/config.ts';
import type { Database } from './db/database.ts';
import { LAND_COVERS } from './domain/fire-spread/land-cover.ts';
import { DEFAULT_MOISTURE } from './domain/fire-spread/spread-engine.ts';
import { WANG_R0_DEFAULT_M_MIN } from './domain/fire-spread/wang-zhengfei.ts';
import { DEFAULT_FLAG_THRESHOLDS } from './domain/flags.ts';
import anonymousLimits from './plugins/anonymous-limits.ts';
import auditAnchorsPlugin from './plugins/audit-anchors.ts';
import authPlugin from './plugins/auth.ts';
import breachClockPlugin from './plugins/breach-clock.ts';
import cameraAlarmFusion from './plugins/camera-alarm-fusion.ts';
import clientPlugin from './plugins/client.ts';
import dbPlugin from './plugins/db.ts';
import errorsPlugin from './plugins/errors.ts';
import fireDangerPlugin from './plugins/fire-danger.ts';
import flagHistory from './plugins/flag-history.ts';
import gracefulClose from './plugins/graceful-close.ts';
import inputBounds from './plugins/input-bounds.ts';
import livePlugin from './plugins/live.ts';
import lookoutsPlugin from './plugins/lookouts.ts';
import rateCountersPlugin from './plugins/rate-counters.ts';
import reachPlugin from './plugins/reach.ts';
import rhythmWatchPlugin from './plugins/rhythm-watch.ts';
import securityHeaders from './plugins/security-headers.ts';
import sessionExpiry from './plugins/session-expiry.ts';
import spreadPlugin from './plugins/spread.ts';
import swaggerPlugin from './plugins/swagger.ts';
import tilesPlugin from './plugins/tiles.ts';
import viewerPlugin from './plugins/viewer.ts';
import alertsRepository from './repositories/alerts-repository.ts';
import areasRepository from './repositories/areas-repository.ts';
import auditRepository from './repositories/audit-repository.ts';
import camerasRepository from './repositories/cameras-repository.ts';
import cardsRepository from './repositories/cards-repository.ts';
import commandRepository from './repositories/command-repository.ts';
import dispatchRepository from './repositories/dispatch-repository.ts';
import drillsRepository from './repositories/drills-repository.ts';
import fireDangerRepository from './repositories/fire-danger-repository.ts';
import incidentLog from './repositories/incident-log.ts';
import incidentsRepository from './repositories/incidents-repository.ts';
import inspectionsRepository from './repositories/inspections-repository.ts';
import layersRepository from './repositories/layers-repository.ts';
import lookoutsRepository from './repositories/lookouts-repository.ts';
import ogcRepository from './repositories/ogc-repository.ts';
import supervisionRepository from './repositories/supervision-repository.ts';
import systemRepository from './repositories/system-repository.ts';
import terrainRepository from './repositories/terrain-repository.ts';
import usersRepository, { BEARER_IDLE_HOURS } from './repositories/users-repository.ts';
import warningsRepository from './repositories/warnings-repository.ts';
import alertsRoutes from './routes/alerts.routes.ts';
import auditRoutes from './routes/audit.routes.ts';
import authRoutes from './routes/auth.routes.ts';
import camerasRoutes from './routes/cameras.routes.ts';
import cardsRoutes from './routes/cards.routes.ts';
import combatMapRoutes from './routes/combat-map.routes.ts';
import commandRoutes from './routes/command.routes.ts';
import countyRoutes from './routes/county.routes.ts';
import dispatchRoutes from './routes/dispatch.routes.ts';
import drillsRoutes from './routes/drills.routes.ts';
import fireDangerRoutes from './routes/fire-danger.routes.ts';
import fixRoutes from './routes/fix.routes.ts';
import healthRoutes from './routes/health.routes.ts';
import incidentsRoutes from './routes/incidents.routes.ts';
import inspectionsRoutes from './routes/inspections.routes.ts';
import lookoutsRoutes from './routes/lookouts.routes.ts';
import mapRoutes from './routes/map.routes.ts';
import ogcRoutes from './routes/ogc.routes.ts';
import placesRoutes from './routes/places.routes.ts';
import publicityRoutes from './routes/publicity.routes.ts';
import reachRoutes from './routes/reach.routes.ts';
import receiptsRoutes from './routes/receipts.routes.ts';
import situationRoutes from './routes/situation.routes.ts';
import spreadRoutes from './routes/spread.routes.ts';
import supervisionRoutes from './routes/supervision.routes.ts';
import warningsRoutes from './routes/warnings.routes.ts';
import alertService from './services/alert-service.ts';
import { AuditChain } from './services/audit-chain.ts';
import { resolveAuditKey } from './services/audit-key.ts';
import type { Clock } from './services/breach-clock.ts';
import { PagePrinter } from './services/combat-map-pdf.ts';
import commandService from './services/command-service.ts';
import dispatchService from './services/dispatch-service.ts';
import drillService from './services/drill-service.ts';
import incidentService from './services/incident-service.ts';
import { photoIntake } from './services/photo-intake.ts';
import { photoQuota } from './services/photo-quota.ts';
import searchService from './services/search-service.ts';
import warningService from './services/warning-service.ts';

/** Settings with defaults for tests that build the app with little configuration. */
type LiveSettings = Pick<
  Config,
  | 'mergeDistanceM'
  | 'mergeWindowMinutes'
  | 'publicReportsPerHour'
  | 'publicReportsTotalPerHour'
  | 'reportsNeedSignIn'
  | 'maxObservationAgeHours'
  | 'bearerIdleHours'
  | 'floodThreshold'
  | 'maxPhotos'
  | 'maxPhotoBytes'
  | 'publicPhotosPerDay'
  | 'publicPhotoBytesPerDay'
  | 'minFreeDiskMb'
  | 'magneticDeclinationDeg'
  | 'dataDir'
  | 'flagYellowMin'
  | 'flagBlackMin'
  | 'dangerSystem'
  | 'dangerSeasonCorrection'
  | 'warningSenderCode'
>;
const LIVE_DEFAULTS: Omit<LiveSettings, 'dataDir'> = {
  mergeDistanceM: 1000,
  mergeWindowMinutes: 90,
  publicReportsPerHour: 10,
  publicReportsTotalPerHour: 200,
  reportsNeedSignIn: true,
  maxObservationAgeHours: 72,
  bearerIdleHours: BEARER_IDLE_HOURS,
  floodThreshold: 20,
  maxPhotos: 4,
  maxPhotoBytes: 8 * 1_048_576,
  publicPhotosPerDay: 20,
  publicPhotoBytesPerDay: 64 * 1_048_576,
  minFreeDiskMb: 500,
  flagYellowMin: DEFAULT_FLAG_THRESHOLDS.yellowMin,
  flagBlackMin: DEFAULT_FLAG_THRESHOLDS.blackMin,
  dangerSystem: 'lyt1172',
  dangerSeasonCorrection: Array.from({ length: 12 }, () => 0),
  warningSenderCode: '43122600000000',
  magneticDeclinationDeg: -3.4,
};

export interface BuildAppOptions {
  config: Pick<Config, 'logLevel' | 'bodyLimitBytes'> &
    Partial<
      Pick<Config, 'tiandituKey' | 'publicUrl' | 'redisUrl' | 'chromiumPath' | 'trustProxy'>
    > &
    Partial<
      Pick<
        Config,
        | 'spreadModel'
        | 'spreadWangR0MMin'
        | 'spreadBarriers'
        | 'spreadWindLimit'
        | 'spreadCovers'
        | 'spreadMoisture'
      >
    > &
    Partial<Pick<Config, 'auditKey' | 'auditAnchorFile' | 'auditAnchorMinutes'>> &
    Partial<Pick<Config, 'reachWorkers' | 'reachQueue' | 'replayMaxEvents'>> &
    Partial<LiveSettings>;
  /** The breach clock's time source (tests use a fake one); and whether it starts on ready. */
  clock?: Clock;
  startBreachClock?: boolean;
  /**
   * Whether stored camera alarms are made into reports (on ready, then behind each answer);
   * default true. Off, alarms are stored and acknowledged and wait for a node that runs it.
   */
  startCameraAlarmFusion?: boolean;
  /** Prefix of this deployment's Redis keys and channels (default `fire`). */
  redisPrefix?: string;
  /**
   * The rate limits' time source (default the wall clock): tests that count up to a limit
   * fix it, so the count never straddles the end of a window.
   */
  rateClock?: () => number;
  /** How often a node not running the breach clock asks to take it over (ms; default 5000). */
  breachClockLeaseCheckMs?: number;
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
  startCameraAlarmFusion,
  breachClockLeaseCheckMs,
  redisPrefix,
  rateClock,
}: BuildAppOptions) {
  const live = { ...LIVE_DEFAULTS, ...config };
  const filesDir = config.dataDir ?? path.join(os.tmpdir(), 'fire-command');
  const photosDir = path.join(filesDir, 'photos');
  // The audit key never enters the database (issue 18, item 8).
  const auditChain = new AuditChain(resolveAuditKey(config.auditKey, filesDir, { create: true }));
  // Anchors need a place of their own: none for a test app without a data directory.
  const auditAnchorFile =
    config.auditAnchorFile ??
    (config.dataDir ? path.join(config.dataDir, 'audit-anchors.jsonl') : null);
  const app = Fastify({
    ...(loggerInstance ? { loggerInstance } : { logger: { level: config.logLevel } }),
    bodyLimit: config.bodyLimitBytes,
    // Behind the county's reverse proxy: the caller's address for per-address limits and
    // audit, and https for Secure session cookies (`secure: 'auto'`).
    trustProxy:
      typeof config.trustProxy === 'number'
        ? (_address: string, hop: number) => hop < (config.trustProxy as number)
        : (config.trustProxy ?? false),
    // On close: stop accepting, let in-flight requests finish, drop idle keep-alives.
    forceCloseConnections: 'idle',
    return503OnClosing: true,
  }).withTypeProvider<TypeBoxTypeProvider>();

  // External plugins
  await app.register(errorsPlugin);
  await app.register(securityHeaders, { tiandituKey: config.tiandituKey });
  await app.register(gracefulClose);
  await app.register(dbPlugin, { database });
  await app.register(swaggerPlugin);
  // Rate limits every node sees (Redis when REDIS_URL is set; else this process).
  await app.register(rateCountersPlugin, {
    ...(config.redisUrl ? { redisUrl: config.redisUrl } : {}),
    ...(redisPrefix ? { redisPrefix } : {}),
    ...(rateClock ? { clock: rateClock } : {}),
  });
  await app.register(viewerPlugin);
  await app.register(usersRepository, { bearerIdleHours: live.bearerIdleHours });
  await app.register(auditRepository, { chain: auditChain });
  await app.register(authPlugin);
  await app.register(auditAnchorsPlugin, {
    chain: auditChain,
    file: auditAnchorFile,
    minutes: config.auditAnchorMinutes ?? 10,
  });
  await app.register(anonymousLimits);
  await app.register(inputBounds);

  // The app's own plugins
  await app.register(systemRepository);
  await app.register(areasRepository);
  await app.register(layersRepository);
  await app.register(lookoutsRepository);
  await app.register(terrainRepository);
  await app.register(camerasRepository);
  await app.register(cardsRepository);
  await app.register(ogcRepository);
  await app.register(incidentLog);
  await app.register(incidentsRepository);
  await app.register(dispatchRepository);
  await app.register(alertsRepository);
  await app.register(commandRepository);
  await app.register(inspectionsRepository);
  await app.register(drillsRepository);
  await app.register(supervisionRepository, {
    thresholds: { yellowMin: live.flagYellowMin, blackMin: live.flagBlackMin },
  });
  await app.register(fireDangerRepository);
  await app.register(warningsRepository);
  // Services: the rules of incidents, dispatch, command, upward alerts, drills and warnings,
  // over the repositories above
  await app.register(incidentService, {
    mergeDistanceM: live.mergeDistanceM,
    mergeWindowMinutes: live.mergeWindowMinutes,
  });
  await app.register(dispatchService);
  await app.register(commandService);
  await app.register(alertService);
  await app.register(searchService);
  await app.register(drillService);
  await app.register(warningService);
  await app.register(fireDangerPlugin, {
    settings: { system: live.dangerSystem, gByMonth: live.dangerSeasonCorrection },
  });
  await app.register(flagHistory);
  await app.register(livePlugin, {
    allowedOrigins: config.publicUrl ? [config.publicUrl] : [],
    ...(config.redisUrl ? { redisUrl: config.redisUrl } : {}),
    ...(redisPrefix ? { redisPrefix } : {}),
    ...(config.replayMaxEvents ? { replayMaxEvents: config.replayMaxEvents } : {}),
  });
  await app.register(sessionExpiry, { start: startBreachClock ?? true });
  await app.register(breachClockPlugin, {
    ...(clock ? { clock } : {}),
    autoStart: startBreachClock ?? true,
    ...(breachClockLeaseCheckMs ? { leaseCheckMs: breachClockLeaseCheckMs } : {}),
  });
  await app.register(rhythmWatchPlugin, {
    ...(clock ? { clock } : {}),
    autoStart: startBreachClock ?? true,
    ...(breachClockLeaseCheckMs ? { leaseCheckMs: breachClockLeaseCheckMs } : {}),
  });
  await app.register(tilesPlugin);
  await app.register(reachPlugin, {
    ...(config.reachWorkers ? { workers: config.reachWorkers } : {}),
    ...(config.reachQueue ? { maxQueue: config.reachQueue } : {}),
  });
  await app.register(spreadPlugin);
  await app.register(lookoutsPlugin);

  // Photos of reports and camera alarms: streamed to disk under the free-disk guard; those sent
  // without sign-in also under the daily quota per address (kept in the rate counters).
  const photos = photoIntake({
    dir: photosDir,
    maxBytes: live.maxPhotoBytes,
    minFreeBytes: live.minFreeDiskMb * 1_048_576,
    quota: photoQuota(app.rateCounters, {
      photosPerDay: live.publicPhotosPerDay,
      bytesPerDay: live.publicPhotoBytesPerDay,
    }),
    log: app.log,
  });

  // Routes
  await app.register(healthRoutes);
  await app.register(authRoutes);
  await app.register(auditRoutes, { chain: auditChain });
  await app.register(dispatchRoutes, { maxObservationAgeHours: live.maxObservationAgeHours });
  await app.register(commandRoutes);
  await app.register(alertsRoutes);
  await app.register(countyRoutes);
  await app.register(placesRoutes);
  await app.register(mapRoutes, { tiandituKey: config.tiandituKey });
  await app.register(cardsRoutes);
  await app.register(reachRoutes);
  await app.register(supervisionRoutes);
  await app.register(inspectionsRoutes, {
    photos,
    photosDir,
    maxPhotos: live.maxPhotos,
    maxPhotoBytes: live.maxPhotoBytes,
  });
  // One printer for every PDF route: one Chromium render at a time, its queue bounded.
  const printer = new PagePrinter(config.chromiumPath ?? '/usr/bin/chromium');
  await app.register(drillsRoutes, {
    maxObservationAgeHours: live.maxObservationAgeHours,
    printer,
  });
  await app.register(publicityRoutes);
  await app.register(combatMapRoutes, { printer });
  await app.register(spreadRoutes, {
    model: config.spreadModel ?? 'rothermel',
    wangR0MMin: config.spreadWangR0MMin ?? WANG_R0_DEFAULT_M_MIN,
    barriers: config.spreadBarriers ?? true,
    windLimit: config.spreadWindLimit ?? true,
    covers: config.spreadCovers ?? LAND_COVERS,
    moisture: config.spreadMoisture ?? DEFAULT_MOISTURE,
  });
  await app.register(fireDangerRoutes);
  await app.register(warningsRoutes, { senderCode: live.warningSenderCode });
  await app.register(ogcRoutes, config.publicUrl ? { publicUrl: config.publicUrl } : {});
  await app.register(lookoutsRoutes);
  await app.register(cameraAlarmFusion, { autoStart: startCameraAlarmFusion ?? true });
  await app.register(camerasRoutes, { photos, maxPhotoBytes: live.maxPhotoBytes });
  await app.register(fixRoutes, { magneticDeclinationDeg: live.magneticDeclinationDeg });
  await app.register(incidentsRoutes, {
    photosDir,
    photos,
    publicReportsPerHour: live.publicReportsPerHour,
    publicReportsTotalPerHour: live.publicReportsTotalPerHour,
    reportsNeedSignIn: live.reportsNeedSignIn,
    maxObservationAgeHours: live.maxObservationAgeHours,
    floodThreshold: live.floodThreshold,
    maxPhotos: live.maxPhotos,
    maxPhotoBytes: live.maxPhotoBytes,
    magneticDeclinationDeg: live.magneticDeclinationDeg,
  });
  await app.register(situationRoutes);

  await app.register(receiptsRoutes);

  if (clientDir) await app.register(clientPlugin, { root: clientDir });

  return app;
}

export type App = Awaited<ReturnType<typeof buildApp>>;
