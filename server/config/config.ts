/**
 * The one place that reads process.env. Every setting is validated at start; a bad
 * configuration fails with every bad key listed at once, so the county's IT person fixes
 * them in one go instead of one restart per mistake.
 */
import fs from 'node:fs';
import path from 'node:path';
import { LAND_COVERS, type LandCover, parseWangKs } from '../domain/fire-spread/land-cover.ts';
import type { FuelMoisture } from '../domain/fire-spread/rothermel.ts';
import { DEFAULT_MOISTURE, parseMoisturePercent } from '../domain/fire-spread/spread-engine.ts';
import { WANG_R0_DEFAULT_M_MIN } from '../domain/fire-spread/wang-zhengfei.ts';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
export type DatabaseBackend = 'embedded' | 'server';

export interface Config {
  /** TCP port the API, tiles, Socket.IO and the client share. */
  port: number;
  /** Interface to bind; 0.0.0.0 serves the command centre's LAN. */
  host: string;
  /** PostgreSQL/PostGIS connection string; unset → embedded PGlite under dataDir. */
  databaseUrl: string | undefined;
  backend: DatabaseBackend;
  /** Directory for the embedded database and uploaded files (absolute). */
  dataDir: string;
  logLevel: LogLevel;
  /** The address users open (printed at start, allowed browser origin); unset → localhost. */
  publicUrl: string | undefined;
  /**
   * Which reverse proxies to believe for the client's address and protocol
   * (X-Forwarded-For / -Proto): false (none, the default), true (any: only when the port is
   * reachable from the proxy alone), a hop count, or addresses/CIDRs. Behind TLS at a proxy
   * it makes session cookies Secure and gives per-address limits the real caller.
   */
  trustProxy: boolean | number | string;
  /** Load the demo county (Mayang) into an empty database at start. */
  demo: boolean;
  /** Optional 天地图 Tianditu key: only when set may the map reach an online basemap. */
  tiandituKey: string | undefined;
  /** Largest accepted request body in bytes. */
  bodyLimitBytes: number;
  /** Seconds to let in-flight requests finish after SIGTERM/SIGINT before closing anyway. */
  shutdownGraceSeconds: number;
  /**
   * Reports of one fire merge into one incident when they lie within this distance (m) of
   * it and within the time window (min) of its latest report. See .env.example.
   */
  mergeDistanceM: number;
  mergeWindowMinutes: number;
  /** Unauthenticated smoke reports accepted per IP address per hour. */
  publicReportsPerHour: number;
  /**
   * Unauthenticated smoke reports accepted per hour from all addresses together: a flood
   * from many addresses still cannot bury the county's list (a 429 names `source`).
   */
  publicReportsTotalPerHour: number;
  /**
   * Reports from rangers, lookouts, cameras and satellites need a signed-in user or device
   * account (else 401); only `public` ones are taken anonymously. On by default: anyone on
   * the county network can reach the report endpoint, and a source other than `public` is a
   * claim only an account can make. The field page sends a ranger whose session lapsed as a
   * public report, so his fire still reaches the map.
   */
  reportsNeedSignIn: boolean;
  /**
   * How old (hours) a report's `observedAt` or a crew's GPS `recordedAt` may be: a phone
   * queues them without signal, but not for ever. Older → 422 naming the field.
   */
  maxObservationAgeHours: number;
  /** Hours a bearer token (a field phone) may go unused before it must sign in again. */
  bearerIdleHours: number;
  /**
   * Unverified anonymous reports of new fires within 5 minutes that count as a flood: the
   * map then shows them as one line and raises an alert instead of drawing each one.
   */
  floodThreshold: number;
  /** Photos per report and bytes per photo. */
  maxPhotos: number;
  maxPhotoBytes: number;
  /**
   * Photos and bytes of photos taken without sign-in from one address per calendar day in
   * China Standard Time (UTC+8, reset at 00:00): past either, the report is still taken and
   * its photo refused, saying so in the answer. Signed-in users and cameras are not counted.
   */
  publicPhotosPerDay: number;
  publicPhotoBytesPerDay: number;
  /**
   * Free space (MB) the photos directory's filesystem must keep: below it photos are refused
   * (never the report) so the database on the same disk still has room to write.
   */
  minFreeDiskMb: number;
  /** 红黄黑旗: confirmed fires in a month from which a township or village gets yellow / black. */
  flagYellowMin: number;
  flagBlackMin: number;
  /** Chromium that renders the printable combat maps (PDF); Debian's by default. */
  chromiumPath: string;
  /** Fire spread: the model the county draws perimeters with, unless a request picks one. */
  spreadModel: 'rothermel' | 'wang';
  /** 王正非 R0 (m/min): the day's no-wind, flat spread rate. */
  spreadWangR0MMin: number;
  /** Whether roads, wide rivers and firebreaks stop a spreading fire (false lifts them). */
  spreadBarriers: boolean;
  /**
   * Whether the spread on the map caps Rothermel's effective wind speed at its reliable limit
   * (0.9 × reaction intensity, ft/min; Rothermel 1972): on by default, so a gale over grass
   * does not draw a fire faster than the model was ever checked for.
   */
  spreadWindLimit: boolean;
  /** The land covers with the county's 王正非 Ks (default: Wang's 1983 table). */
  spreadCovers: readonly LandCover[];
  /** Fuel moisture (fractions) where no FFMC is known (default: BehavePlus's D2L2). */
  spreadMoisture: FuelMoisture;
  /** Which index drives the danger level shown: LY/T 1172 (default) or the FWI classes. */
  dangerSystem: 'lyt1172' | 'fwi';
  /** LY/T 1172's G, the county's phenology/season correction, by month (January first). */
  dangerSeasonCorrection: number[];
  /**
   * The warning sender's code of GB/T 35965.1 (ZZZZZZDDDUUUXX): the county's GB/T 2260 code,
   * the issuing body's GB/T 4657 code, its internal code and an extension.
   */
  warningSenderCode: string;
  /**
   * Redis for running several server nodes on one PostgreSQL: Socket.IO and incident events
   * cross nodes through it. Unset → one process, no Redis.
   */
  redisUrl: string | undefined;
  /**
   * Magnetic declination at the county, degrees east positive: lookouts and rangers who read
   * a bearing on a compass report magnetic north; true = magnetic + declination (issue 16).
   */
  magneticDeclinationDeg: number;
  /**
   * Key of the audit chain's HMAC-SHA256 (issue 18, item 8): kept outside the database so
   * that someone who can rewrite audit rows cannot recompute their hashes. Unset → a key
   * generated once in `<dataDir>/audit.key` (mode 0600). Several nodes must share one key.
   */
  auditKey: string | undefined;
  /**
   * The file the audit chain's head is appended to (one JSON line per anchor), outside the
   * database, so that rows deleted from the end are found. Default `<dataDir>/audit-anchors.jsonl`.
   */
  auditAnchorFile: string;
  /** Minutes between two anchors of the audit chain (also one at start and at close). */
  auditAnchorMinutes: number;
  /**
   * Worker threads computing reach answers and the coverage audit off the event loop;
   * 0 → all cores but one (1 on a 2-core machine).
   */
  reachWorkers: number;
  /** Anonymous reach questions that may wait for a worker; more get 503 with Retry-After. */
  reachQueue: number;
  /**
   * Most missed events one Socket.IO connection is replayed; a client further behind gets
   * the latest ones with `truncated` and reloads the incident list over HTTP.
   */
  replayMaxEvents: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: { key: string; message: string }[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  ${p.key}: ${p.message}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const LOG_LEVELS: readonly LogLevel[] = [
  'fatal',
  'error',
  'warn',
  'info',
  'debug',
  'trace',
  'silent',
];

/** Every key this module reads; .env.example documents each one. */
const KNOWN_KEYS = [
  'PORT',
  'HOST',
  'DATABASE_URL',
  'DATA_DIR',
  'LOG_LEVEL',
  'PUBLIC_URL',
  'DEMO',
  'MERGE_DISTANCE_M',
  'MERGE_WINDOW_MINUTES',
  'PUBLIC_REPORTS_PER_HOUR',
  'PUBLIC_REPORTS_TOTAL_PER_HOUR',
  'REPORTS_NEED_SIGN_IN',
  'MAX_OBSERVATION_AGE_HOURS',
  'FLOOD_THRESHOLD',
  'MAX_PHOTOS',
  'MAX_PHOTO_BYTES',
  'PUBLIC_PHOTOS_PER_DAY',
  'PUBLIC_PHOTO_BYTES_PER_DAY',
  'MIN_FREE_DISK_MB',
  'MAGNETIC_DECLINATION_DEG',
  'TIANDITU_KEY',
  'BODY_LIMIT_BYTES',
  'SHUTDOWN_GRACE_SECONDS',
  'FLAG_YELLOW_MIN',
  'FLAG_BLACK_MIN',
  'CHROMIUM_PATH',
  'SPREAD_MODEL',
  'SPREAD_WANG_R0',
  'SPREAD_BARRIERS',
  'SPREAD_WIND_LIMIT',
  'SPREAD_WANG_KS',
  'SPREAD_MOISTURE',
  'DANGER_SYSTEM',
  'DANGER_SEASON_CORRECTION',
  'WARNING_SENDER_CODE',
  'REDIS_URL',
  'TRUST_PROXY',
  'BEARER_IDLE_HOURS',
  'AUDIT_KEY',
  'AUDIT_ANCHOR_FILE',
  'AUDIT_ANCHOR_MINUTES',
  'REACH_WORKERS',
  'REACH_QUEUE',
  'REPLAY_MAX_EVENTS',
] as const;

type Env = Record<string, string | undefined>;

/**
 * Parse and validate the configuration.
 * @param env the environment (defaults to process.env)
 * @param cwd directory relative DATA_DIR values resolve against
 * @throws ConfigError listing every bad key
 */
export function loadConfig(env: Env = process.env, cwd: string = process.cwd()): Config {
  const problems: { key: string; message: string }[] = [];
  const read = (key: (typeof KNOWN_KEYS)[number]) => {
    const v = env[key];
    return v === undefined || v.trim() === '' ? undefined : v.trim();
  };

  const int = (key: (typeof KNOWN_KEYS)[number], fallback: number, min: number, max: number) => {
    const raw = read(key);
    if (raw === undefined) return fallback;
    if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
      problems.push({ key, message: `must be an integer from ${min} to ${max}, got "${raw}"` });
      return fallback;
    }
    return Number(raw);
  };

  const port = int('PORT', 3000, 0, 65535);
  const host = read('HOST') ?? '0.0.0.0';

  const databaseUrl = read('DATABASE_URL');
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    problems.push({
      key: 'DATABASE_URL',
      message:
        'must start with postgres:// or postgresql:// (leave unset for the embedded database)',
    });
  }

  const dataDir = path.resolve(cwd, read('DATA_DIR') ?? './data');

  const logLevelRaw = read('LOG_LEVEL') ?? 'info';
  if (!LOG_LEVELS.includes(logLevelRaw as LogLevel)) {
    problems.push({ key: 'LOG_LEVEL', message: `must be one of ${LOG_LEVELS.join(', ')}` });
  }

  const publicUrlRaw = read('PUBLIC_URL');
  let publicUrl: string | undefined;
  if (publicUrlRaw !== undefined) {
    try {
      const u = new URL(publicUrlRaw);
      if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('protocol');
      publicUrl = u.origin;
    } catch {
      problems.push({
        key: 'PUBLIC_URL',
        message: 'must be an http(s) URL such as http://10.1.2.3:3000',
      });
    }
  }

  const trustProxyRaw = (read('TRUST_PROXY') ?? 'false').trim();
  let trustProxy: boolean | number | string = false;
  if (/^(true|false)$/i.test(trustProxyRaw)) trustProxy = trustProxyRaw.toLowerCase() === 'true';
  else if (/^[0-9]{1,2}$/.test(trustProxyRaw)) trustProxy = Number(trustProxyRaw);
  else if (/^[0-9a-f.:/]+(\s*,\s*[0-9a-f.:/]+)*$/i.test(trustProxyRaw)) trustProxy = trustProxyRaw;
  else
    problems.push({
      key: 'TRUST_PROXY',
      message: 'must be true, false, a hop count, or proxy addresses such as 10.0.0.5,10.0.1.0/24',
    });

  const demoRaw = (read('DEMO') ?? 'true').toLowerCase();
  if (!['true', 'false', '1', '0', 'yes', 'no'].includes(demoRaw)) {
    problems.push({ key: 'DEMO', message: 'must be true or false' });
  }

  const signInRaw = (read('REPORTS_NEED_SIGN_IN') ?? 'true').toLowerCase();
  if (!['true', 'false', '1', '0', 'yes', 'no'].includes(signInRaw)) {
    problems.push({ key: 'REPORTS_NEED_SIGN_IN', message: 'must be true or false' });
  }

  const tiandituKey = read('TIANDITU_KEY');
  if (tiandituKey !== undefined && !/^[0-9a-f]{32}$/i.test(tiandituKey)) {
    problems.push({ key: 'TIANDITU_KEY', message: 'must be a 32-character hexadecimal key' });
  }

  const redisUrl = read('REDIS_URL');
  if (redisUrl !== undefined && !/^rediss?:\/\/[^/]/.test(redisUrl)) {
    problems.push({ key: 'REDIS_URL', message: 'must be a URL such as redis://127.0.0.1:6379' });
  }

  const bodyLimitBytes = int('BODY_LIMIT_BYTES', 1_048_576, 1024, 100 * 1_048_576);
  const shutdownGraceSeconds = int('SHUTDOWN_GRACE_SECONDS', 10, 0, 300);
  const mergeDistanceM = int('MERGE_DISTANCE_M', 1000, 50, 20_000);
  const mergeWindowMinutes = int('MERGE_WINDOW_MINUTES', 90, 1, 24 * 60);
  const publicReportsPerHour = int('PUBLIC_REPORTS_PER_HOUR', 10, 1, 10_000);
  const publicReportsTotalPerHour = int('PUBLIC_REPORTS_TOTAL_PER_HOUR', 200, 1, 100_000);
  const maxObservationAgeHours = int('MAX_OBSERVATION_AGE_HOURS', 72, 1, 24 * 30);
  const bearerIdleHours = int('BEARER_IDLE_HOURS', 168, 1, 24 * 365);
  const floodThreshold = int('FLOOD_THRESHOLD', 20, 2, 10_000);
  const reachWorkers = int('REACH_WORKERS', 0, 0, 64);
  const reachQueue = int('REACH_QUEUE', 32, 1, 10_000);
  const replayMaxEvents = int('REPLAY_MAX_EVENTS', 2000, 10, 1_000_000);
  const maxPhotos = int('MAX_PHOTOS', 4, 0, 20);
  const maxPhotoBytes = int('MAX_PHOTO_BYTES', 8 * 1_048_576, 1024, 50 * 1_048_576);
  const publicPhotosPerDay = int('PUBLIC_PHOTOS_PER_DAY', 20, 0, 100_000);
  const publicPhotoBytesPerDay = int(
    'PUBLIC_PHOTO_BYTES_PER_DAY',
    64 * 1_048_576,
    0,
    100 * 1024 * 1_048_576,
  );
  const minFreeDiskMb = int('MIN_FREE_DISK_MB', 500, 0, 10_000_000);
  // A month without fires is always red, so yellow starts at 1 fire or more.
  const flagYellowMin = int('FLAG_YELLOW_MIN', 1, 1, 1000);
  const flagBlackMin = int('FLAG_BLACK_MIN', 3, 2, 1000);
  if (flagBlackMin <= flagYellowMin)
    problems.push({
      key: 'FLAG_BLACK_MIN',
      message: `must be greater than FLAG_YELLOW_MIN (${flagYellowMin}), got ${flagBlackMin}`,
    });

  const chromiumPath = read('CHROMIUM_PATH') ?? '/usr/bin/chromium';
  if (!path.isAbsolute(chromiumPath))
    problems.push({
      key: 'CHROMIUM_PATH',
      message: `must be an absolute path, got "${chromiumPath}"`,
    });
  const declinationRaw = read('MAGNETIC_DECLINATION_DEG');
  const magneticDeclinationDeg = declinationRaw === undefined ? -3.4 : Number(declinationRaw);
  if (!/^[-+]?\d+(\.\d+)?$/.test(declinationRaw ?? '0') || Math.abs(magneticDeclinationDeg) > 30)
    problems.push({
      key: 'MAGNETIC_DECLINATION_DEG',
      message: `must be degrees from -30 to 30 (east positive), got "${declinationRaw}"`,
    });

  const spreadModel = (read('SPREAD_MODEL') ?? 'rothermel').toLowerCase();
  if (spreadModel !== 'rothermel' && spreadModel !== 'wang')
    problems.push({ key: 'SPREAD_MODEL', message: 'must be rothermel or wang' });
  const r0Raw = read('SPREAD_WANG_R0');
  const spreadWangR0MMin = r0Raw === undefined ? WANG_R0_DEFAULT_M_MIN : Number(r0Raw);
  if (!(spreadWangR0MMin > 0 && spreadWangR0MMin <= 100))
    problems.push({
      key: 'SPREAD_WANG_R0',
      message: `must be a rate in m/min above 0 and at most 100, got "${r0Raw}"`,
    });
  const barriersRaw = (read('SPREAD_BARRIERS') ?? 'true').toLowerCase();
  if (!['true', 'false', '1', '0', 'yes', 'no'].includes(barriersRaw))
    problems.push({ key: 'SPREAD_BARRIERS', message: 'must be true or false' });
  const windLimitRaw = (read('SPREAD_WIND_LIMIT') ?? 'true').toLowerCase();
  if (!['true', 'false', '1', '0', 'yes', 'no'].includes(windLimitRaw))
    problems.push({ key: 'SPREAD_WIND_LIMIT', message: 'must be true or false' });
  const ksRaw = read('SPREAD_WANG_KS');
  const ks = ksRaw === undefined ? { covers: LAND_COVERS } : parseWangKs(ksRaw);
  if ('error' in ks) problems.push({ key: 'SPREAD_WANG_KS', message: ks.error });
  const moistureRaw = read('SPREAD_MOISTURE');
  const moisture =
    moistureRaw === undefined ? { moisture: DEFAULT_MOISTURE } : parseMoisturePercent(moistureRaw);
  if ('error' in moisture) problems.push({ key: 'SPREAD_MOISTURE', message: moisture.error });
  const dangerSystem = (read('DANGER_SYSTEM') ?? 'lyt1172').toLowerCase();
  if (dangerSystem !== 'lyt1172' && dangerSystem !== 'fwi')
    problems.push({ key: 'DANGER_SYSTEM', message: 'must be lyt1172 or fwi' });
  const seasonRaw = read('DANGER_SEASON_CORRECTION');
  let dangerSeasonCorrection = Array.from({ length: 12 }, () => 0);
  if (seasonRaw !== undefined) {
    const parts = seasonRaw.split(',').map((p) => p.trim());
    if (
      parts.length !== 12 ||
      parts.some((p) => !/^-?\d{1,3}$/.test(p) || Math.abs(Number(p)) > 100)
    )
      problems.push({
        key: 'DANGER_SEASON_CORRECTION',
        message: 'must be 12 whole numbers from -100 to 100, January to December, comma-separated',
      });
    else dangerSeasonCorrection = parts.map(Number);
  }
  const warningSenderCode = read('WARNING_SENDER_CODE') ?? '43122600000000';
  if (!/^\d{14}$/.test(warningSenderCode))
    problems.push({
      key: 'WARNING_SENDER_CODE',
      message:
        'must be 14 digits: GB/T 2260 area code (6), GB/T 4657 body (3), unit (3), extension (2)',
    });

  const auditKey = read('AUDIT_KEY');
  if (auditKey !== undefined && auditKey.length < 32)
    problems.push({
      key: 'AUDIT_KEY',
      message: `must be at least 32 characters (e.g. openssl rand -hex 32), got ${auditKey.length}`,
    });
  const auditAnchorFile = path.resolve(dataDir, read('AUDIT_ANCHOR_FILE') ?? 'audit-anchors.jsonl');
  const auditAnchorMinutes = int('AUDIT_ANCHOR_MINUTES', 10, 1, 24 * 60);

  if (problems.length > 0) throw new ConfigError(problems);

  return {
    port,
    host,
    databaseUrl,
    backend: databaseUrl === undefined ? 'embedded' : 'server',
    dataDir,
    logLevel: logLevelRaw as LogLevel,
    publicUrl,
    trustProxy,
    demo: ['true', '1', 'yes'].includes(demoRaw),
    tiandituKey,
    bodyLimitBytes,
    shutdownGraceSeconds,
    mergeDistanceM,
    mergeWindowMinutes,
    publicReportsPerHour,
    publicReportsTotalPerHour,
    maxObservationAgeHours,
    bearerIdleHours,
    floodThreshold,
    reportsNeedSignIn: ['true', '1', 'yes'].includes(signInRaw),
    maxPhotos,
    maxPhotoBytes,
    publicPhotosPerDay,
    publicPhotoBytesPerDay,
    minFreeDiskMb,
    flagYellowMin,
    flagBlackMin,
    chromiumPath,
    spreadModel: spreadModel as Config['spreadModel'],
    spreadWangR0MMin,
    spreadBarriers: ['true', '1', 'yes'].includes(barriersRaw),
    spreadWindLimit: ['true', '1', 'yes'].includes(windLimitRaw),
    spreadCovers: 'covers' in ks ? ks.covers : LAND_COVERS,
    spreadMoisture: 'moisture' in moisture ? moisture.moisture : DEFAULT_MOISTURE,
    dangerSystem: dangerSystem as 'lyt1172' | 'fwi',
    dangerSeasonCorrection,
    warningSenderCode,
    redisUrl,
    magneticDeclinationDeg,
    auditKey,
    auditAnchorFile,
    auditAnchorMinutes,
    reachWorkers,
    reachQueue,
    replayMaxEvents,
  };
}

/**
 * Read KEY=value lines from a .env file into process.env without overriding variables
 * already set in the environment. A missing file is fine.
 */
export function loadEnvFile(file: string): void {
  if (!fs.existsSync(file)) return;
  process.loadEnvFile(file);
}
