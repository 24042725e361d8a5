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

  it('reads the photo quota without sign-in and the free-disk floor, with defaults', () => {
    const d = loadConfig({});
    expect([d.publicPhotosPerDay, d.publicPhotoBytesPerDay, d.minFreeDiskMb]).toEqual([
      20,
      64 * 1_048_576,
      500,
    ]);
    const c = loadConfig({
      PUBLIC_PHOTOS_PER_DAY: '0',
      PUBLIC_PHOTO_BYTES_PER_DAY: '1000000',
      MIN_FREE_DISK_MB: '2048',
    });
    expect([c.publicPhotosPerDay, c.publicPhotoBytesPerDay, c.minFreeDiskMb]).toEqual([
      0, 1_000_000, 2048,
    ]);
    expect(() => loadConfig({ PUBLIC_PHOTOS_PER_DAY: '-1' })).toThrow(/PUBLIC_PHOTOS_PER_DAY/);
    expect(() => loadConfig({ MIN_FREE_DISK_MB: '500MB' })).toThrow(/MIN_FREE_DISK_MB/);
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
        REDIS_URL: '127.0.0.1:6379',
        MAGNETIC_DECLINATION_DEG: '3.4W',
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
        'MAGNETIC_DECLINATION_DEG',
        'PORT',
        'PUBLIC_URL',
        'REDIS_URL',
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

  it('reads REDIS_URL, unset by default (one process needs no Redis)', () => {
    expect(loadConfig({}).redisUrl).toBeUndefined();
    expect(loadConfig({ REDIS_URL: 'redis://10.1.2.4:6379/0' }).redisUrl).toBe(
      'redis://10.1.2.4:6379/0',
    );
  });

  it('reads the magnetic declination in degrees, east positive; Mayang by default', () => {
    expect(loadConfig({}).magneticDeclinationDeg).toBe(-3.4);
    expect(loadConfig({ MAGNETIC_DECLINATION_DEG: '2.25' }).magneticDeclinationDeg).toBe(2.25);
    expect(() => loadConfig({ MAGNETIC_DECLINATION_DEG: '45' })).toThrow(
      /MAGNETIC_DECLINATION_DEG/,
    );
  });

  it('reads the audit key and anchor settings: key file and anchors under DATA_DIR by default', () => {
    const c = loadConfig({ DATA_DIR: '/srv/fire' }, '/');
    expect(c.auditKey).toBeUndefined();
    expect(c.auditAnchorFile).toBe('/srv/fire/audit-anchors.jsonl');
    expect(c.auditAnchorMinutes).toBe(10);
    const set = loadConfig(
      { DATA_DIR: '/srv/fire', AUDIT_KEY: 'k'.repeat(32), AUDIT_ANCHOR_FILE: '/mnt/worm/a.jsonl' },
      '/',
    );
    expect(set.auditKey).toBe('k'.repeat(32));
    expect(set.auditAnchorFile).toBe('/mnt/worm/a.jsonl');
    expect(() => loadConfig({ AUDIT_KEY: 'short', AUDIT_ANCHOR_MINUTES: '0' })).toThrow(
      /AUDIT_KEY[\s\S]*AUDIT_ANCHOR_MINUTES/,
    );
  });

  it('reads DEMO=false', () => {
    expect(loadConfig({ DEMO: 'false' }).demo).toBe(false);
  });

  it('reads the spread settings and names each bad one', () => {
    const c = loadConfig({ SPREAD_MODEL: 'Wang', SPREAD_WANG_R0: '0.6', SPREAD_BARRIERS: 'false' });
    expect(c.spreadModel).toBe('wang');
    expect(c.spreadWangR0MMin).toBe(0.6);
    expect(c.spreadBarriers).toBe(false);
    const d = loadConfig({});
    expect(d.spreadModel).toBe('rothermel');
    expect(d.spreadBarriers).toBe(true);
    expect(() =>
      loadConfig({ SPREAD_MODEL: 'fast', SPREAD_WANG_R0: '-1', SPREAD_BARRIERS: 'x' }),
    ).toThrow(/SPREAD_MODEL[\s\S]*SPREAD_WANG_R0[\s\S]*SPREAD_BARRIERS/);
  });

  it('caps the spread’s effective wind by default; SPREAD_WIND_LIMIT=false lifts it; a bad value is named', () => {
    expect(loadConfig({}).spreadWindLimit).toBe(true);
    expect(loadConfig({ SPREAD_WIND_LIMIT: 'false' }).spreadWindLimit).toBe(false);
    expect(() => loadConfig({ SPREAD_WIND_LIMIT: 'sometimes' })).toThrow(/SPREAD_WIND_LIMIT/);
  });

  it("reads the 王正非 Ks per land cover and the fallback fuel moisture; defaults are Wang's table and BehavePlus D2L2", () => {
    const ksOf = (covers: readonly { key: string; wangKs: number }[]) =>
      Object.fromEntries(covers.map((c) => [c.key, c.wangKs]));
    // Defaults: 王正非 (1983) — 平铺针叶 0.8 (fir, pine; stubble the lowest class), 枯枝落叶 1.2
    // (broadleaf litter), 茅草杂草 1.6 (shrub-grass), 牧场草原 2.0 (grassland); nothing burns
    // on water or in settlements.
    const d = loadConfig({});
    expect(ksOf(d.spreadCovers)).toEqual({
      farmland: 0.8,
      'chinese-fir': 0.8,
      'masson-pine': 0.8,
      broadleaf: 1.2,
      shrub: 1.6,
      grass: 2.0,
      water: 0,
      settlement: 0,
    });
    // BehavePlus's D2L2 moisture scenario: 6, 7, 8 % dead; 60 % herbaceous, 90 % woody.
    expect(d.spreadMoisture).toEqual({
      d1h: 0.06,
      d10h: 0.07,
      d100h: 0.08,
      liveHerb: 0.6,
      liveWoody: 0.9,
    });
    // A county's own values, by key or by Chinese name; covers not named keep the default.
    const c = loadConfig({
      SPREAD_WANG_KS: 'chinese-fir=1.0, 马尾松林=1.1,grass=2.4',
      SPREAD_MOISTURE: '9,10,12,80,110',
    });
    expect(ksOf(c.spreadCovers)).toMatchObject({
      'chinese-fir': 1.0,
      'masson-pine': 1.1,
      grass: 2.4,
      broadleaf: 1.2,
    });
    expect(c.spreadMoisture.d1h).toBeCloseTo(0.09, 12);
    expect(c.spreadMoisture.d100h).toBeCloseTo(0.12, 12);
    expect(c.spreadMoisture.liveWoody).toBeCloseTo(1.1, 12);
  });

  it.each([
    ['SPREAD_WANG_KS', 'oak=1.2', /SPREAD_WANG_KS: "oak=1.2" is not cover=ks/],
    ['SPREAD_WANG_KS', 'grass=-1', /SPREAD_WANG_KS: Ks of grass must be/],
    ['SPREAD_WANG_KS', 'grass=', /SPREAD_WANG_KS: Ks of grass must be/],
    ['SPREAD_WANG_KS', 'water=1', /SPREAD_WANG_KS: water \(水体\) does not burn/],
    ['SPREAD_MOISTURE', '6,7,8,60', /SPREAD_MOISTURE: must be five percentages/],
    // Fractions where percentages belong: 0.06 % dead fuel does not exist.
    ['SPREAD_MOISTURE', '0.06,0.07,0.08,0.6,0.9', /SPREAD_MOISTURE: must be five percentages/],
    ['SPREAD_MOISTURE', '6,7,8,10,90', /SPREAD_MOISTURE: must be five percentages/],
    ['SPREAD_MOISTURE', '6,7,x,60,90', /SPREAD_MOISTURE: must be five percentages/],
  ])('refuses %s=%s at start, naming the setting', (key, value, message) => {
    expect(() => loadConfig({ [key]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [key]: value })).toThrow(message);
  });
});
