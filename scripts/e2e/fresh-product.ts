/** Start the product for one e2e file on a database of this run's backend that only it uses. */
import fs from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, inject } from 'vitest';
import {
  copyEmbeddedTemplate,
  createServerCopy,
  dropServerDatabase,
} from '../../server/testing/database-template.ts';
import { launchChromium } from './browser.ts';
import { type RunningProduct, startProduct } from './product.ts';

export async function freshDatabaseEnv(): Promise<{
  env: Record<string, string>;
  cleanup: () => Promise<void>;
}> {
  if (inject('e2eBackend') === 'server') {
    const base = inject('e2eServerBaseUrl');
    const copy = await createServerCopy(base, inject('e2eServerTemplate'));
    return { env: { DATABASE_URL: copy.url }, cleanup: () => dropServerDatabase(base, copy.name) };
  }
  const dir = copyEmbeddedTemplate(inject('e2eEmbeddedTemplateDir'), 'fire-e2e-');
  return {
    env: { DATA_DIR: dir },
    cleanup: async () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

export async function startFreshProduct(): Promise<
  RunningProduct & { shutdown: () => Promise<void> }
> {
  const { env, cleanup } = await freshDatabaseEnv();
  const product = await startProduct(env);
  return {
    ...product,
    shutdown: async () => {
      await product.stop();
      await cleanup();
    },
  };
}

/**
 * For an e2e file: its own product (on a fresh database) and a Chromium, started before the
 * file's tests and stopped after them.
 */
export function useFreshProductAndBrowser(): {
  readonly product: RunningProduct & { shutdown: () => Promise<void> };
  readonly browser: Browser;
} {
  let product: (RunningProduct & { shutdown: () => Promise<void> }) | undefined;
  let chromium: Awaited<ReturnType<typeof launchChromium>> | undefined;
  beforeAll(async () => {
    product = await startFreshProduct();
    chromium = await launchChromium();
  });
  afterAll(async () => {
    await chromium?.close();
    await product?.shutdown();
  });
  return {
    get product() {
      if (!product) throw new Error('the product is not started yet');
      return product;
    },
    get browser() {
      if (!chromium) throw new Error('the browser is not started yet');
      return chromium.browser;
    },
  };
}
