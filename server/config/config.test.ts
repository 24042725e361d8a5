import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

describe('loadConfig', () => {
  it('gives working defaults on an empty environment: embedded backend under ./data', () => {
    const c = loadConfig({}, '/srv/fire');
    expect(c.port).toBe(3000);
    expect(c.backend).toBe('embedded');
    expect(c.databaseUrl).toBeUndefined();
    expect(c.dataDir).toBe('/srv/fire/data');
    expect(c.logLevel).toBe('info');
    expect(c.demo).toBe(true);
  });

  it('selects the server backend when DATABASE_URL is set', () => {
    const c = loadConfig({ DATABASE_URL: 'postgres://u@db:5432/fire' });
    expect(c.backend).toBe('server');
    expect(c.databaseUrl).toBe('postgres://u@db:5432/fire');
  });

  it('treats blank values as unset', () => {
    expect(loadConfig({ DATABASE_URL: '  ', PORT: '' }).backend).toBe('embedded');
  });

  it('reads the flag thresholds: 1 and 3 by default, black above yellow', () => {
    const d = loadConfig({});
    expect([d.flagYellowMin, d.flagBlackMin]).toEqual([1, 3]);
    const c = loadConfig({ FLAG_YELLOW_MIN: '2', FLAG_BLACK_MIN: '5' });
    expect([c.flagYellowMin, c.flagBlackMin]).toEqual([2, 5]);
    expect(() => loadConfig({ FLAG_YELLOW_MIN: '3', FLAG_BLACK_MIN: '3' })).toThrow(
      /FLAG_BLACK_MIN/,
    );
    expect(() => loadConfig({ FLAG_YELLOW_MIN: '0' })).toThrow(/FLAG_YELLOW_MIN/);
  });

  it('lists every bad key at once', () => {
    let error: unknown;
    try {
      loadConfig({
        PORT: '70000',
        DATABASE_URL: 'mysql://x',
        LOG_LEVEL: 'loud',
        PUBLIC_URL: 'ftp://x',
        DEMO: 'maybe',
        TIANDITU_KEY: 'short',
        BODY_LIMIT_BYTES: '-1',
        SHUTDOWN_GRACE_SECONDS: 'soon',
        REPORTS_NEED_SIGN_IN: 'sometimes',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const keys = (error as ConfigError).problems.map((p) => p.key).sort();
    expect(keys).toEqual(
      [
        'BODY_LIMIT_BYTES',
        'DATABASE_URL',
        'DEMO',
        'LOG_LEVEL',
        'PORT',
        'PUBLIC_URL',
        'REPORTS_NEED_SIGN_IN',
        'SHUTDOWN_GRACE_SECONDS',
        'TIANDITU_KEY',
      ].sort(),
    );
    for (const key of keys) expect((error as Error).message).toContain(key);
  });

  it('normalises PUBLIC_URL to its origin and resolves DATA_DIR against the working directory', () => {
    const c = loadConfig(
      { PUBLIC_URL: 'http://10.1.2.3:8080/some/path', DATA_DIR: 'var/db' },
      '/opt/app',
    );
    expect(c.publicUrl).toBe('http://10.1.2.3:8080');
    expect(c.dataDir).toBe('/opt/app/var/db');
  });

  it('reads DEMO=false', () => {
    expect(loadConfig({ DEMO: 'false' }).demo).toBe(false);
  });
});
