/**
 * The audit trail you can prove (issue 18, items 8 and 9) on the backend this run targets:
 * rows sealed with a key kept outside the database; a row edited and re-hashed without that
 * key, a row removed from the middle and the newest rows removed (against the anchor) are all
 * found, naming the row; 1,000 anonymous 404s become a few counted rows; the CSV streams
 * every row with formula-looking cells defused.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, buildApp } from '../app.ts';
import type { Database } from '../db/database.ts';
import { parseCsv } from '../domain/csv.ts';
import { DEMO_PASSWORD } from '../geodata/demo-users.ts';
import { createAuditRepository } from '../repositories/audit-repository.ts';
import { createUsersRepository } from '../repositories/users-repository.ts';
import { readAnchors, verifyAuditTrail } from '../services/audit-anchors.ts';
import {
  AuditChain,
  type AuditRow,
  entryOf,
  GENESIS_HASH,
  legacyRowHash,
} from '../services/audit-chain.ts';
import { signIn } from '../testing/demo-sessions.ts';
import { openTestDatabase, testBackend } from '../testing/test-database.ts';

const KEY = crypto.randomBytes(32).toString('hex');
let database: Database & { url?: string };
let app: App;
let dir: string;
let anchorFile: string;
let county = '';

async function newApp(): Promise<App> {
  const a = await buildApp({
    config: {
      logLevel: 'silent',
      bodyLimitBytes: 65536,
      dataDir: dir,
      auditKey: KEY,
      auditAnchorFile: anchorFile,
    },
    // The test closes the database itself.
    database: { ...database, close: async () => {} },
    startBreachClock: false,
  });
  await a.ready();
  return a;
}

beforeAll(async () => {
  database = await openTestDatabase();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fire-audit-'));
  anchorFile = path.join(dir, 'audit-anchors.jsonl');
  await createUsersRepository(database).create({
    username: 'county',
    displayName: '县指挥中心',
    password: DEMO_PASSWORD,
    role: 'county_command',
  });
  app = await newApp();
  county = await signIn(app, 'county');
  // A few writes on record: sign-ins and sign-outs by a signed-in user.
  for (let i = 0; i < 3; i++) {
    const t = await signIn(app, 'county');
    await app.inject({
      method: 'POST',
      url: '/api/auth/logout',
      headers: { authorization: `Bearer ${t}` },
    });
  }
}, 120_000);
afterAll(async () => {
  await app?.close();
  await database?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const verify = async () =>
  (
    await app.inject({
      method: 'GET',
      url: '/api/audit/verify',
      headers: { authorization: `Bearer ${county}` },
    })
  ).json();

/** What an attacker with database access does: switch the append-only trigger off. */
async function asAttacker(fn: () => Promise<void>) {
  await database.query(sql`ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only`);
  try {
    await fn();
  } finally {
    await database.query(sql`ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only`);
  }
}

async function writeRow(r: AuditRow) {
  await database.query(sql`
    UPDATE audit_log SET detail = ${JSON.stringify(r.detail)}::jsonb, prev_hash = ${r.prevHash},
      hash = ${r.hash}, keyed = ${r.keyed} WHERE seq = ${r.seq}`);
}

async function insertRow(r: AuditRow) {
  await database.query(sql`
    INSERT INTO audit_log (seq, at, user_id, role, action, object_type, object_id, address, detail, prev_hash, hash, keyed)
    VALUES (${r.seq}, ${r.at}::timestamptz, ${r.userId}::uuid, ${r.role}, ${r.action}, ${r.objectType},
            ${r.objectId}, ${r.address}, ${JSON.stringify(r.detail)}::jsonb, ${r.prevHash}, ${r.hash}, ${r.keyed})`);
}

/**
 * Rewrite rows from index `from` on: the first one's detail changed, then every hash
 * recomputed with `rehash` so the chain links up again, as a forger would.
 */
async function forge(
  rows: AuditRow[],
  from: number,
  keyed: boolean,
  rehash: (prev: string, r: AuditRow) => string,
) {
  let prev = from === 0 ? GENESIS_HASH : (rows[from - 1] as AuditRow).hash;
  await asAttacker(async () => {
    for (const [i, r] of rows.entries()) {
      if (i < from) continue;
      const detail = i === from ? { ...r.detail, username: 'someone-else' } : r.detail;
      const hash = rehash(prev, { ...r, detail });
      await writeRow({ ...r, detail, prevHash: prev, hash, keyed });
      prev = hash;
    }
  });
}

async function restore(rows: AuditRow[]) {
  await asAttacker(async () => {
    const now = new Set(
      (await database.query<{ seq: number }>(sql`SELECT seq FROM audit_log`)).map((r) =>
        Number(r.seq),
      ),
    );
    for (const r of rows) await (now.has(r.seq) ? writeRow(r) : insertRow(r));
  });
  expect((await verify()).ok).toBe(true);
}

describe(`keyed audit chain on the ${testBackend()} backend`, () => {
  it('seals new rows with HMAC under the key kept outside the database', async () => {
    const rows = await app.auditRepository.rows();
    expect(rows.length).toBeGreaterThanOrEqual(7);
    expect(rows.every((r) => r.keyed)).toBe(true);
    const chain = new AuditChain(Buffer.from(KEY));
    const last = rows[rows.length - 1] as AuditRow;
    expect(chain.seal(last.prevHash, last.seq, last.at, entryOf(last))).toBe(last.hash);
    expect(await verify()).toMatchObject({ ok: true, rows: rows.length, brokenAt: null });
  });

  it('finds a row edited with the hashes recomputed unkeyed or with a wrong key', async () => {
    const rows = await app.auditRepository.rows();
    const target = rows[2] as AuditRow;

    await forge(rows, 2, false, (prev, r) => legacyRowHash(prev, r.at, entryOf(r)));
    const unkeyed = await verify();
    expect(unkeyed.ok).toBe(false);
    expect(unkeyed.brokenAt).toBe(target.seq);
    expect(unkeyed.reason).toMatch(/unkeyed row/);
    await restore(rows);

    const wrong = new AuditChain(crypto.randomBytes(32));
    await forge(rows, 2, true, (prev, r) => wrong.seal(prev, r.seq, r.at, entryOf(r)));
    const wrongKey = await verify();
    expect(wrongKey).toMatchObject({ ok: false, brokenAt: target.seq });
    expect(wrongKey.reason).toMatch(/keyed hash/);
    await restore(rows);
  });

  it('finds every row downgraded to plain hashes once an anchor has recorded the keyed start', async () => {
    const anchor = await app.auditAnchors.anchorNow();
    expect(anchor?.firstKeyedSeq).toBeGreaterThan(0);
    const rows = await app.auditRepository.rows();
    await forge(rows, 0, false, (prev, r) => legacyRowHash(prev, r.at, entryOf(r)));
    const result = await verify();
    expect(result).toMatchObject({ ok: false, brokenAt: rows[0]?.seq });
    await restore(rows);
  });

  it('finds a row deleted from the middle, naming the row after the gap', async () => {
    const rows = await app.auditRepository.rows();
    await asAttacker(async () => {
      await database.query(sql`DELETE FROM audit_log WHERE seq = ${rows[3]?.seq}`);
    });
    const result = await verify();
    expect(result).toMatchObject({ ok: false, brokenAt: rows[4]?.seq });
    expect(result.reason).toMatch(/previous hash/);
    await restore(rows);
  });

  it('finds the newest rows deleted, against the anchor outside the database', async () => {
    const anchor = await app.auditAnchors.anchorNow();
    expect(anchor).not.toBeNull();
    const lines = fs.readFileSync(anchorFile, 'utf8').trim().split('\n');
    expect(JSON.parse(lines[lines.length - 1] as string)).toMatchObject({
      rows: anchor?.rows,
      lastSeq: anchor?.lastSeq,
      lastHash: anchor?.lastHash,
    });
    const rows = await app.auditRepository.rows();
    await asAttacker(async () => {
      await database.query(
        sql`DELETE FROM audit_log WHERE seq > ${(rows[rows.length - 3] as AuditRow).seq}`,
      );
    });
    // The chain alone still links up: only the anchor shows the cut.
    const chain = new AuditChain(Buffer.from(KEY));
    expect((await verifyAuditTrail(app.auditRepository, chain, null)).ok).toBe(true);
    const result = await verify();
    expect(result).toMatchObject({ ok: false, brokenAt: anchor?.lastSeq });
    expect(result.reason).toMatch(/deleted from the end.*ends at seq/);
    await restore(rows);
  });

  it('finds an anchor line changed without the key', async () => {
    const before = fs.readFileSync(anchorFile, 'utf8');
    const lines = before.trim().split('\n');
    const last = JSON.parse(lines.pop() as string);
    fs.writeFileSync(
      anchorFile,
      `${[...lines, JSON.stringify({ ...last, rows: last.rows - 2 })].join('\n')}\n`,
    );
    const result = await verify();
    expect(result.ok).toBe(false);
    expect(result.reason).toMatch(new RegExp(`line ${lines.length + 1}: not signed`));
    fs.writeFileSync(anchorFile, before);
    expect(readAnchors(anchorFile, new AuditChain(Buffer.from(KEY))).problems).toEqual([]);
  });
});

describe(`anonymous noise on the ${testBackend()} backend`, () => {
  it('turns 1,000 anonymous 404s into a handful of counted rows; a signed-in refusal keeps its own', async () => {
    const before = (await app.auditRepository.rows()).length;
    for (let i = 0; i < 1000; i++) {
      const res = await app.inject({ method: 'POST', url: `/api/no-such-thing/${i}` });
      expect(res.statusCode).toBe(404);
    }
    const anon401 = await app.inject({
      method: 'POST',
      url: '/api/incidents/00000000-0000-0000-0000-000000000000/dispatches',
      payload: {},
    });
    expect(anon401.statusCode).toBe(401);
    const signed = await app.inject({
      method: 'POST',
      url: '/api/no-such-thing/x',
      headers: { authorization: `Bearer ${county}` },
    });
    expect(signed.statusCode).toBe(404);
    expect(app.auditNoise.pending()).toBe(1001);
    await app.auditNoise.flush(true);

    const added = (await app.auditRepository.rows()).slice(before);
    const counted = added.filter((r) => r.action === 'refused_anonymous');
    const notFound = counted.filter((r) => r.objectType === 'unknown_route');
    // One row per address, minute and kind: two if the burst crossed a minute.
    expect(notFound.length).toBeGreaterThanOrEqual(1);
    expect(notFound.length).toBeLessThanOrEqual(2);
    expect(notFound.reduce((n, r) => n + Number(r.detail.count), 0)).toBe(1000);
    expect(counted.filter((r) => r.objectType === 'http_401').map((r) => r.detail.count)).toEqual([
      1,
    ]);
    expect(added.filter((r) => r.action === 'POST /api/no-such-thing/x')).toHaveLength(1);
    expect(added.length).toBeLessThanOrEqual(5);
    expect((await verify()).ok).toBe(true);
  });
});

describe(`anchors on the ${testBackend()} backend`, () => {
  it('anchors at close, after the last requests', async () => {
    const before = fs.readFileSync(anchorFile, 'utf8').trim().split('\n').length;
    await app.inject({ method: 'POST', url: '/api/no-such-thing/at-close' });
    await app.close();
    const lines = fs.readFileSync(anchorFile, 'utf8').trim().split('\n');
    expect(lines.length).toBe(before + 1);
    const repo = createAuditRepository(database, new AuditChain(Buffer.from(KEY)));
    const head = await repo.head();
    const last = (await repo.rows(0, 100_000)).pop();
    expect(last).toMatchObject({ action: 'refused_anonymous', objectType: 'unknown_route' });
    expect(JSON.parse(lines[lines.length - 1] as string)).toMatchObject({
      lastSeq: head?.lastSeq,
      rows: head?.rows,
    });
  });

  it.runIf(testBackend() === 'server')(
    'are written by one node only when two share the database',
    async () => {
      const file = path.join(dir, 'two-nodes.jsonl');
      const node = () =>
        buildApp({
          config: {
            logLevel: 'silent',
            bodyLimitBytes: 65536,
            dataDir: dir,
            auditKey: KEY,
            auditAnchorFile: file,
          },
          database: { ...database, close: async () => {} },
          startBreachClock: false,
        });
      const a = await node();
      const b = await node();
      await Promise.all([a.ready(), b.ready()]);
      expect([a.auditAnchors.leader(), b.auditAnchors.leader()].filter(Boolean)).toHaveLength(1);
      expect(fs.readFileSync(file, 'utf8').trim().split('\n')).toHaveLength(1);
      const [leader, other] = a.auditAnchors.leader() ? [a, b] : [b, a];
      expect(await other.auditAnchors.anchorNow()).toBeNull();
      await leader.close(); // anchors once more at close, then lets go
      expect(fs.readFileSync(file, 'utf8').trim().split('\n')).toHaveLength(2);
      expect(await other.auditAnchors.anchorNow()).not.toBeNull();
      expect(other.auditAnchors.leader()).toBe(true);
      await other.close();
      expect(fs.readFileSync(file, 'utf8').trim().split('\n')).toHaveLength(4);
    },
    60_000,
  );
});

describe(`CSV export on the ${testBackend()} backend`, () => {
  beforeAll(async () => {
    app = await newApp();
  });

  it('streams every row, past the old page cap, with formula-looking cells defused', async () => {
    await app.auditRepository.append({
      userId: null,
      role: null,
      action: '=cmd()',
      objectType: '\tx',
      objectId: '-1+1',
      address: '@evil',
      detail: { note: 'a, "quoted"\r\nline' },
    });
    // Bulk rows (the CSV does not judge the chain): more than the 10,000 rows one read gave.
    await database.query(sql`
      INSERT INTO audit_log (action, detail, prev_hash, hash, keyed)
      SELECT 'bulk', '{}'::jsonb, 'x', 'bulk-' || g, true FROM generate_series(1, 10500) g`);
    const [{ n } = { n: 0 }] = await database.query<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM audit_log`,
    );
    const res = await app.inject({
      method: 'GET',
      url: '/api/audit.csv',
      headers: { authorization: `Bearer ${county}` },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/csv/);
    const table = parseCsv(res.body);
    expect(table.header.slice(0, 5)).toEqual(['seq', 'at_utc', 'user_id', 'role', 'action']);
    expect(table.rows).toHaveLength(Number(n));
    const seqs = table.rows.map((r) => Number(r.cells[0]));
    expect(new Set(seqs).size).toBe(Number(n));
    const evil = table.rows.find((r) => r.cells[4] === "'=cmd()");
    expect(evil?.cells.slice(4, 8)).toEqual(["'=cmd()", "'\tx", "'-1+1", "'@evil"]);
    expect(JSON.parse(evil?.cells[8] as string)).toEqual({ note: 'a, "quoted"\r\nline' });
  }, 60_000);
});
