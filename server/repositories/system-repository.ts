/** What the database is: backend kind, versions, migration level (for /api/health). */
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Database } from '../db/database.ts';
import { type MigrationLevel, migrationLevel } from '../db/migrate.ts';

export interface SystemInfo {
  backend: Database['kind'];
  postgresVersion: string;
  postgisVersion: string | null;
  migrations: MigrationLevel;
}

export function createSystemRepository(database: Database) {
  return {
    async info(): Promise<SystemInfo> {
      const [row] = await database.query<{ pg: string; postgis: string | null }>(sql`
        SELECT current_setting('server_version') AS pg,
               (SELECT extversion FROM pg_extension WHERE extname = 'postgis') AS postgis`);
      return {
        backend: database.kind,
        postgresVersion: row?.pg ?? 'unknown',
        postgisVersion: row?.postgis ?? null,
        migrations: await migrationLevel(database),
      };
    },
  };
}

export type SystemRepository = ReturnType<typeof createSystemRepository>;

declare module 'fastify' {
  interface FastifyInstance {
    systemRepository: SystemRepository;
  }
}

export default fp(
  async (app: FastifyInstance) => {
    app.decorate('systemRepository', createSystemRepository(app.database));
  },
  { name: 'system-repository', dependencies: ['db'] },
);
