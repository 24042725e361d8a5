/** Vitest global setup for database tests: one migrated template per run (see database-template.ts). */
import type { TestProject } from 'vitest/node';
import { loadConfig } from '../config/config.ts';
import {
  createServerTemplate,
  dropServerDatabase,
  ensureEmbeddedTemplate,
} from './database-template.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    dbBackend: 'embedded' | 'server';
    embeddedTemplateDir: string;
    serverBaseUrl: string;
    serverTemplate: string;
  }
}

export default async function setup(project: TestProject) {
  const baseUrl = loadConfig().databaseUrl;
  if (baseUrl) {
    const template = await createServerTemplate(baseUrl);
    project.provide('dbBackend', 'server');
    project.provide('serverBaseUrl', baseUrl);
    project.provide('serverTemplate', template);
    project.provide('embeddedTemplateDir', '');
    return async () => dropServerDatabase(baseUrl, template, true);
  }
  const started = Date.now();
  const dir = await ensureEmbeddedTemplate();
  project.provide('dbBackend', 'embedded');
  project.provide('embeddedTemplateDir', dir);
  project.provide('serverBaseUrl', '');
  project.provide('serverTemplate', '');
  const seconds = (Date.now() - started) / 1000;
  if (seconds > 1) console.log(`embedded test template ready in ${seconds.toFixed(1)} s`);
  return undefined;
}
