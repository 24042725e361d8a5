/**
 * The audit chain's HMAC key (issue 18, item 8): AUDIT_KEY when set, else a random key
 * generated once into `<dir>/audit.key` with mode 0600. It lives outside the database so
 * that whoever can rewrite audit rows cannot recompute their hashes. Nodes sharing one
 * database must share one key (set AUDIT_KEY, or copy the file).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export const AUDIT_KEY_FILE = 'audit.key';

export class AuditKeyMissingError extends Error {
  constructor(file: string) {
    super(`no audit key: AUDIT_KEY is unset and ${file} does not exist`);
    this.name = 'AuditKeyMissingError';
  }
}

/**
 * @param auditKey the AUDIT_KEY setting (wins when set)
 * @param dir the directory of the key file (DATA_DIR)
 * @param create make the file when it is missing (the server); false for verifying (the CLI)
 */
export function resolveAuditKey(
  auditKey: string | undefined,
  dir: string,
  { create }: { create: boolean },
): Buffer {
  if (auditKey) return Buffer.from(auditKey, 'utf8');
  const file = path.join(dir, AUDIT_KEY_FILE);
  const read = () => Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'hex');
  if (fs.existsSync(file)) return read();
  if (!create) throw new AuditKeyMissingError(file);
  fs.mkdirSync(dir, { recursive: true });
  // Written aside, then linked into place: the link fails if another process won the race,
  // and then its (complete) key is the one used.
  const tmp = `${file}.${process.pid}.${crypto.randomUUID()}`;
  fs.writeFileSync(tmp, `${crypto.randomBytes(32).toString('hex')}\n`, { mode: 0o600 });
  try {
    fs.linkSync(tmp, file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  } finally {
    fs.rmSync(tmp, { force: true });
  }
  return read();
}
