/**
 * `openTestDatabase()` gives a test file its own migrated database on the backend this run
 * targets (DATABASE_URL set → PostGIS server, else embedded PGlite), and removes it on close.
 */
import fs from 'node:fs';
import { inject } from 'vitest';
import { type Database, openDatabase } from '../db/database.ts';
import { copyEmbeddedTemplate, createServerCopy, dropServerDatabase } from './database-template.ts';

export function testBackend(): 'embedded' | 'server' {
  return inject('dbBackend');
}

export async function openTestDatabase(): Promise<Database & { dataDir?: string; url?: string }> {
  if (inject('dbBackend') === 'server') {
    const base = inject('serverBaseUrl');
    const { url, name } = await createServerCopy(base, inject('serverTemplate'));
    const db = await openDatabase({ databaseUrl: url, maxConnections: 5 });
    return {
      ...db,
      url,
      async close() {
        await db.close();
        await dropServerDatabase(base, name);
      },
    };
  }
  const dataDir = copyEmbeddedTemplate(inject('embeddedTemplateDir'));
  const db = await openDatabase({ dataDir });
  return {
    ...db,
    dataDir,
    async close() {
      await db.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
