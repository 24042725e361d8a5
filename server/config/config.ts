/**
 * The one place that reads process.env. Every setting is validated at start; a bad
 * configuration fails with every bad key listed at once, so the county's IT person fixes
 * them in one go instead of one restart per mistake.
 */
import fs from 'node:fs';
import path from 'node:path';

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
  /** Public (unauthenticated) smoke reports accepted per IP address per hour. */
  publicReportsPerHour: number;
  /**
   * Reports from rangers, lookouts, cameras and satellites need a signed-in user or device
   * account (else 401); only `public` ones are taken anonymously. Off by default: a ranger
   * whose session lapsed on the hillside must still get his fire onto the map.
   */
  reportsNeedSignIn: boolean;
  /** Photos per report and bytes per photo. */
  maxPhotos: number;
  maxPhotoBytes: number;
  /** 红黄黑旗: confirmed fires in a month from which a township or village gets yellow / black. */
  flagYellowMin: number;
  flagBlackMin: number;
  /** Chromium that renders the printable combat maps (PDF); Debian's by default. */
  chromiumPath: string;
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
  'REPORTS_NEED_SIGN_IN',
  'MAX_PHOTOS',
  'MAX_PHOTO_BYTES',
  'TIANDITU_KEY',
  'BODY_LIMIT_BYTES',
  'SHUTDOWN_GRACE_SECONDS',
  'FLAG_YELLOW_MIN',
  'FLAG_BLACK_MIN',
  'CHROMIUM_PATH',
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

  const demoRaw = (read('DEMO') ?? 'true').toLowerCase();
  if (!['true', 'false', '1', '0', 'yes', 'no'].includes(demoRaw)) {
    problems.push({ key: 'DEMO', message: 'must be true or false' });
  }

  const signInRaw = (read('REPORTS_NEED_SIGN_IN') ?? 'false').toLowerCase();
  if (!['true', 'false', '1', '0', 'yes', 'no'].includes(signInRaw)) {
    problems.push({ key: 'REPORTS_NEED_SIGN_IN', message: 'must be true or false' });
  }

  const tiandituKey = read('TIANDITU_KEY');
  if (tiandituKey !== undefined && !/^[0-9a-f]{32}$/i.test(tiandituKey)) {
    problems.push({ key: 'TIANDITU_KEY', message: 'must be a 32-character hexadecimal key' });
  }

  const bodyLimitBytes = int('BODY_LIMIT_BYTES', 1_048_576, 1024, 100 * 1_048_576);
  const shutdownGraceSeconds = int('SHUTDOWN_GRACE_SECONDS', 10, 0, 300);
  const mergeDistanceM = int('MERGE_DISTANCE_M', 1000, 50, 20_000);
  const mergeWindowMinutes = int('MERGE_WINDOW_MINUTES', 90, 1, 24 * 60);
  const publicReportsPerHour = int('PUBLIC_REPORTS_PER_HOUR', 10, 1, 10_000);
  const maxPhotos = int('MAX_PHOTOS', 4, 0, 20);
  const maxPhotoBytes = int('MAX_PHOTO_BYTES', 8 * 1_048_576, 1024, 50 * 1_048_576);
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

  if (problems.length > 0) throw new ConfigError(problems);

  return {
    port,
    host,
    databaseUrl,
    backend: databaseUrl === undefined ? 'embedded' : 'server',
    dataDir,
    logLevel: logLevelRaw as LogLevel,
    publicUrl,
    demo: ['true', '1', 'yes'].includes(demoRaw),
    tiandituKey,
    bodyLimitBytes,
    shutdownGraceSeconds,
    mergeDistanceM,
    mergeWindowMinutes,
    publicReportsPerHour,
    reportsNeedSignIn: ['true', '1', 'yes'].includes(signInRaw),
    maxPhotos,
    maxPhotoBytes,
    flagYellowMin,
    flagBlackMin,
    chromiumPath,
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
