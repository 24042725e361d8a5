/**
 * `npm run audit:verify` as the county's IT person runs it, on the backend this run targets:
 * exit 0 and the old first line on an intact trail; exit 1 naming the row when the newest
 * rows were deleted (found against the anchor file); `--no-anchors`, `--json`; exit 2
 * without a key. The CLI opens the database itself, so the test's app has closed it first
 * (PGlite is one process's database).
 */
import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { buildApp } from '../server/app.ts';
import { type Database, openDatabase } from '../server/db/database.ts';
import {
  copyEmbeddedTemplate,
  createServerCopy,
  dropServerDatabase,
} from '../server/testing/database-template.ts';
import { testBackend } from '../server/testing/test-database.ts';
import { ROOT } from './e2e/product.ts';

const KEY = crypto.randomBytes(32).toString('hex');
let dir: string;
let anchorFile: string;
let env: Record<string, string>;
let open: () => Promise<Database>;
let cleanup: () => Promise<void>;

async function cli(...args: string[]) {
  const childEnv: Record<string, string | undefined> = { ...process.env, ...env };
  if (!env.DATABASE_URL) delete childEnv.DATABASE_URL;
  try {
    const { stdout } = await promisify(execFile)(
      'npm',
      ['run', '--silent', 'audit:verify', '--', ...args],
      { cwd: ROOT, env: childEnv },
    );
    return { code: 0, stdout };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout + e.stderr };
  }
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fire-audit-cli-'));
  anchorFile = path.join(dir, 'anchors.jsonl');
  if (testBackend() === 'server') {
    const base = inject('serverBaseUrl');
    const { url, name } = await createServerCopy(base, inject('serverTemplate'));
    open = () => openDatabase({ databaseUrl: url, maxConnections: 2 });
    env = { DATABASE_URL: url, DATA_DIR: dir };
    cleanup = () => dropServerDatabase(base, name);
  } else {
    const dataDir = copyEmbeddedTemplate(inject('embeddedTemplateDir'));
    open = () => openDatabase({ dataDir });
    env = { DATA_DIR: dataDir };
    cleanup = async () => fs.rmSync(dataDir, { recursive: true, force: true });
  }
  env = { ...env, AUDIT_KEY: KEY, AUDIT_ANCHOR_FILE: anchorFile };
  const app = await buildApp({
    config: {
      logLevel: 'silent',
      bodyLimitBytes: 65536,
      dataDir: dir,
      auditKey: KEY,
      auditAnchorFile: anchorFile,
    },
    database: await open(),
    startBreachClock: false,
  });
  await app.ready();
  for (let i = 0; i < 5; i++) await app.inject({ method: 'POST', url: `/api/nothing/${i}` });
  for (let i = 0; i < 4; i++)
    await app.auditRepository.append({
      userId: null,
      role: null,
      action: `test write ${i}`,
      objectType: null,
      objectId: null,
      address: '10.0.0.1',
      detail: {},
    });
  await app.close(); // anchors the head and closes the database
}, 120_000);
afterAll(async () => {
  await cleanup?.();
  fs.rmSync(dir, { recursive: true, force: true });
});

// Each test runs the CLI (a fresh Node process opening the database) up to three times: on a
// loaded 2-core machine that passed 60 s once, so the limit is generous.
describe(`npm run audit:verify on the ${testBackend()} backend`, () => {
  it('says the chain is intact, keyed, and compared with the anchors; exit 0', async () => {
    const { code, stdout } = await cli();
    expect(code, stdout).toBe(0);
    const lines = stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^审计链完整 \(audit chain intact\): \d+ rows$/);
    expect(stdout).toMatch(/keyed \(HMAC\) from row \d+/);
    expect(stdout).toMatch(/anchors: 1 compared from .*anchors\.jsonl/);
  }, 180_000);

  it('finds the newest rows deleted against the anchor, naming the row; exit 1', async () => {
    const db = await open();
    try {
      await db.query(sql`ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only`);
      const [last] = await db.query<{ seq: number }>(sql`SELECT max(seq) AS seq FROM audit_log`);
      await db.query(sql`DELETE FROM audit_log WHERE seq >= ${Number(last?.seq) - 1}`);
    } finally {
      await db.close();
    }
    const { code, stdout } = await cli();
    expect(code, stdout).toBe(1);
    expect(stdout).toMatch(
      /^审计链断裂 \(audit chain BROKEN\) at row \d+: rows deleted from the end: the anchor of .* recorded (\d+) rows ending at seq \d+; the database ends at seq \d+ with (\d+) rows \(\2 rows read\)/,
    );
    // The chain alone cannot see it, which is why the anchors exist.
    expect((await cli('--no-anchors')).code).toBe(0);
    const json = await cli('--json');
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, rows: 3 });
  }, 180_000);

  it('refuses to guess without the key; exit 2', async () => {
    const saved = env;
    env = { ...env, AUDIT_KEY: '', DATA_DIR: path.join(dir, 'elsewhere') };
    try {
      const { code, stdout } = await cli();
      expect(code).toBe(2);
      expect(stdout).toMatch(/no audit key/);
    } finally {
      env = saved;
    }
  }, 180_000);
});
