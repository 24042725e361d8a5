import fs from 'node:fs';
import { describe, expect, inject, it } from 'vitest';
import { freshDatabaseEnv } from './fresh-product.ts';
import { startProduct } from './product.ts';

describe(`product lifecycle (${inject('e2eBackend')} backend)`, () => {
  it('loads the demo county once, stops cleanly on SIGTERM, restarts without re-running anything', async () => {
    const { env, cleanup } = await freshDatabaseEnv();
    try {
      const first = await startProduct(env);
      const health = await (await fetch(`${first.url}/api/health`)).json();
      expect(health.migrations.applied).toBe(health.migrations.available);
      // An empty database gets the demo county on first start.
      expect(first.output()).toContain('demo county loaded');
      expect(health.countyLoaded).toBe(true);
      expect(await first.stop()).toBe(0);
      expect(first.output()).toContain('database closed');

      const second = await startProduct(env);
      expect(second.output()).toContain('database schema is up to date');
      expect(second.output()).not.toContain('loading the demo county');
      const page = await fetch(second.url);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<html lang="zh-CN">');
      expect(await second.stop()).toBe(0);
      if (env.DATA_DIR) expect(fs.existsSync(`${env.DATA_DIR}/pglite.lock`)).toBe(false);
    } finally {
      await cleanup();
    }
  });

  it('refuses to start with a bad configuration and names every bad key', async () => {
    await expect(startProduct({ PORT: 'abc', LOG_LEVEL: 'loud' }, 30_000)).rejects.toThrow(
      /PORT[\s\S]*LOG_LEVEL|LOG_LEVEL[\s\S]*PORT/,
    );
  });
});
