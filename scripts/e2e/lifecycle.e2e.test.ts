import fs from 'node:fs';
import { describe, expect, inject, it } from 'vitest';
import {
  copyEmbeddedTemplate,
  createServerCopy,
  dropServerDatabase,
} from '../../server/testing/database-template.ts';
import { startProduct } from './product.ts';

/** A database of this run's backend that only this file uses. */
async function ownDatabase(): Promise<{
  env: Record<string, string>;
  cleanup: () => Promise<void>;
}> {
  if (inject('e2eBackend') === 'server') {
    const base = inject('e2eServerBaseUrl');
    const copy = await createServerCopy(base, inject('e2eServerTemplate'));
    return { env: { DATABASE_URL: copy.url }, cleanup: () => dropServerDatabase(base, copy.name) };
  }
  const dir = copyEmbeddedTemplate(inject('e2eEmbeddedTemplateDir'), 'fire-life-');
  return {
    env: { DATA_DIR: dir },
    cleanup: async () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

describe(`product lifecycle (${inject('e2eBackend')} backend)`, () => {
  it('loads the demo county once, stops cleanly on SIGTERM, restarts without re-running anything', async () => {
    const { env, cleanup } = await ownDatabase();
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
