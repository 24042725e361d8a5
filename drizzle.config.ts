import { defineConfig } from 'drizzle-kit';

// Generation only (`npm run db:generate`); migrations are applied by server/db/migrate.ts on
// both backends, so no connection is configured here.
export default defineConfig({
  dialect: 'postgresql',
  schema: './server/db/schema/index.ts',
  out: './migrations',
});
