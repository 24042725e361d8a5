/**
 * End-to-end setup: build the client if stale, prepare a migrated database (a copy of the
 * embedded template, or a fresh PostGIS database when DATABASE_URL is set), start the
 * product once for the whole e2e run, and stop it cleanly at the end.
 */
import fs from 'node:fs';
import type { TestProject } from 'vitest/node';
import { ensureClientBuild } from '../../server/client-build.ts';
import { loadConfig } from '../../server/config/config.ts';
import {
  copyEmbeddedTemplate,
  createServerCopy,
  createServerTemplate,
  dropServerDatabase,
  ensureEmbeddedTemplate,
} from '../../server/testing/database-template.ts';
import { CHROMIUM_PATH } from './browser.ts';
import { startProduct } from './product.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
    e2eBackend: 'embedded' | 'server';
    /** How to start another instance on a fresh database of the same backend. */
    e2eServerBaseUrl: string;
    e2eServerTemplate: string;
    e2eEmbeddedTemplateDir: string;
  }
}

export default async function setup(project: TestProject) {
  if (!fs.existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `${CHROMIUM_PATH} not found: install Debian's chromium (apt-get install chromium fonts-noto-cjk)`,
    );
  }
  await ensureClientBuild((m) => console.log(m));

  const baseUrl = loadConfig().databaseUrl;
  const cleanups: (() => Promise<void> | void)[] = [];
  let env: Record<string, string>;
  if (baseUrl) {
    const template = await createServerTemplate(baseUrl);
    cleanups.push(() => dropServerDatabase(baseUrl, template, true));
    const copy = await createServerCopy(baseUrl, template);
    cleanups.push(() => dropServerDatabase(baseUrl, copy.name));
    env = { DATABASE_URL: copy.url };
    project.provide('e2eServerBaseUrl', baseUrl);
    project.provide('e2eServerTemplate', template);
    project.provide('e2eEmbeddedTemplateDir', '');
  } else {
    const templateDir = await ensureEmbeddedTemplate();
    const dataDir = copyEmbeddedTemplate(templateDir, 'fire-e2e-');
    cleanups.push(() => fs.rmSync(dataDir, { recursive: true, force: true }));
    env = { DATA_DIR: dataDir };
    project.provide('e2eServerBaseUrl', '');
    project.provide('e2eServerTemplate', '');
    project.provide('e2eEmbeddedTemplateDir', templateDir);
  }

  const product = await startProduct(env);
  project.provide('baseUrl', product.url);
  project.provide('e2eBackend', baseUrl ? 'server' : 'embedded');

  return async () => {
    await product.stop();
    for (const fn of cleanups.reverse()) await fn();
  };
}
