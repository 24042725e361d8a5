/**
 * `npm run audit:verify`: walks the audit trail's hash chain in the configured database
 * (DATABASE_URL or DATA_DIR) and says whether it is intact. Exit code 0 intact, 1 broken.
 */
import { loadConfig, loadEnvFile } from '../server/config/config.ts';
import { openDatabase } from '../server/db/database.ts';
import { createAuditRepository } from '../server/repositories/audit-repository.ts';

loadEnvFile('.env');
const config = loadConfig();
const database = await openDatabase(
  config.databaseUrl ? { databaseUrl: config.databaseUrl } : { dataDir: config.dataDir },
);
try {
  const result = await createAuditRepository(database).verify();
  if (result.ok) console.log(`审计链完整 (audit chain intact): ${result.rows} rows`);
  else
    console.log(
      `审计链断裂 (audit chain BROKEN) at row ${result.brokenAt}: ${result.reason} (${result.rows} rows read)`,
    );
  process.exitCode = result.ok ? 0 : 1;
} finally {
  await database.close();
}
