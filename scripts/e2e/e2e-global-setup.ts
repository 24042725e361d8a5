/**
 * End-to-end setup: build the client if stale and prepare the migrated database template of
 * this run's backend. Each test file starts its own product on its own copy (see
 * product.ts), so no product outlives the e2e files or depends on the other tiers.
 */
import fs from 'node:fs';
import type { TestProject } from 'vitest/node';
import { ensureClientBuild } from '../../server/client-build.ts';
import { loadConfig } from '../../server/config/config.ts';
import {
  createServerTemplate,
  dropServerDatabase,
  ensureEmbeddedTemplate,
} from '../../server/testing/database-template.ts';
import { CHROMIUM_PATH } from './browser.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    e2eBackend: 'embedded' | 'server';
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
  if (baseUrl) {
    const template = await createServerTemplate(baseUrl);
    project.provide('e2eBackend', 'server');
    project.provide('e2eServerBaseUrl', baseUrl);
    project.provide('e2eServerTemplate', template);
    project.provide('e2eEmbeddedTemplateDir', '');
    return () => dropServerDatabase(baseUrl, template, true);
  }
  project.provide('e2eBackend', 'embedded');
  project.provide('e2eServerBaseUrl', '');
  project.provide('e2eServerTemplate', '');
  project.provide('e2eEmbeddedTemplateDir', await ensureEmbeddedTemplate());
  return undefined;
}
