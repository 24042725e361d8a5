/**
 * `npm run audit:verify`: walks the audit trail's keyed hash chain in the configured database
 * (DATABASE_URL or DATA_DIR) with the audit key (AUDIT_KEY or `<DATA_DIR>/audit.key`) and
 * compares it with every anchor in AUDIT_ANCHOR_FILE: edited rows, rows removed from the
 * middle and rows removed from the end are found, naming the first bad row.
 * Exit code 0 intact, 1 broken, 2 cannot verify (no key, bad arguments).
 *
 *   --anchor-file PATH   anchors to compare with (default AUDIT_ANCHOR_FILE), e.g. an archived copy
 *   --no-anchors         the chain alone (cannot see rows removed from the end)
 *   --json               the result as one JSON object
 */
import { parseArgs } from 'node:util';
import { loadConfig, loadEnvFile } from '../server/config/config.ts';
import { openDatabase } from '../server/db/database.ts';
import { createAuditRepository } from '../server/repositories/audit-repository.ts';
import { verifyAuditTrail } from '../server/services/audit-anchors.ts';
import { AuditChain } from '../server/services/audit-chain.ts';
import { resolveAuditKey } from '../server/services/audit-key.ts';

let args: { 'anchor-file'?: string; 'no-anchors'?: boolean; json?: boolean };
try {
  args = parseArgs({
    options: {
      'anchor-file': { type: 'string' },
      'no-anchors': { type: 'boolean' },
      json: { type: 'boolean' },
    },
  }).values;
} catch (err) {
  console.error(
    `${(err as Error).message}\nusage: npm run audit:verify -- [--anchor-file PATH] [--no-anchors] [--json]`,
  );
  process.exit(2);
}

loadEnvFile('.env');
const config = loadConfig();
let chain: AuditChain;
try {
  chain = new AuditChain(resolveAuditKey(config.auditKey, config.dataDir, { create: false }));
} catch (err) {
  console.error(`无法校验 (cannot verify): ${(err as Error).message}`);
  process.exit(2);
}
const anchorFile = args['no-anchors'] ? null : (args['anchor-file'] ?? config.auditAnchorFile);
const database = await openDatabase(
  config.databaseUrl ? { databaseUrl: config.databaseUrl } : { dataDir: config.dataDir },
);
try {
  const result = await verifyAuditTrail(createAuditRepository(database, chain), chain, anchorFile);
  if (args.json) console.log(JSON.stringify(result));
  else {
    if (result.ok) console.log(`审计链完整 (audit chain intact): ${result.rows} rows`);
    else
      console.log(
        `审计链断裂 (audit chain BROKEN) at row ${result.brokenAt}: ${result.reason} (${result.rows} rows read)`,
      );
    console.log(
      result.firstKeyedSeq === null
        ? '  keyed (HMAC) rows: none yet'
        : `  keyed (HMAC) from row ${result.firstKeyedSeq}`,
    );
    console.log(
      !anchorFile
        ? '  anchors: not compared (--no-anchors)'
        : result.lastAnchor
          ? `  anchors: ${result.anchorsChecked} compared from ${anchorFile}; newest ${result.lastAnchor.at} (${result.lastAnchor.rows} rows, seq ${result.lastAnchor.lastSeq})`
          : `  anchors: none in ${anchorFile} (rows removed from the end cannot be seen)`,
    );
  }
  process.exitCode = result.ok ? 0 : 1;
} finally {
  await database.close();
}
