/**
 * `npm run db:migrate`: apply pending migrations to the configured database (DATABASE_URL,
 * or the embedded one under DATA_DIR) and print the level. `npm start` does the same.
 */
import { loadConfig, loadEnvFile } from '../server/config/config.ts';
import { openDatabase } from '../server/db/database.ts';
import { migrate, migrationLevel } from '../server/db/migrate.ts';

loadEnvFile('.env');
const config = loadConfig();
const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
try {
  const applied = await migrate(database);
  const level = await migrationLevel(database);
  console.log(
    `${config.backend} database: applied ${applied} now; ${level.applied}/${level.available} in total (latest ${level.latest})`,
  );
} finally {
  await database.close();
}
