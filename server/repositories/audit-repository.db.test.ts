/**
 * The audit trail's group commit: appends that arrive together join the chain in fewer
 * transactions than rows, in order, and the chain still verifies; an entry the database
 * refuses costs only its own caller its row.
 */
import crypto from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../db/database.ts';
import { AuditChain, type AuditEntry } from '../services/audit-chain.ts';
import { openTestDatabase } from '../testing/test-database.ts';
import { createAuditRepository } from './audit-repository.ts';

let database: Database;
beforeAll(async () => {
  database = await openTestDatabase();
}, 60_000);
afterAll(async () => {
  await database?.close();
});

const entry = (i: number, detail: Record<string, unknown> = { i }): AuditEntry => ({
  userId: null,
  role: null,
  action: 'POST /api/reports',
  objectType: 'reports',
  objectId: String(i),
  address: `10.0.0.${i % 250}`,
  detail,
});

describe('audit repository', () => {
  it('writes 60 appends made at once in fewer transactions, each row sealed in order', async () => {
    const chain = new AuditChain(crypto.randomBytes(32));
    const audit = createAuditRepository(database, chain);
    const rows = await Promise.all(Array.from({ length: 60 }, (_, i) => audit.append(entry(i))));
    // Every caller got its own row back.
    expect(rows.map((r) => r.objectId)).toEqual(Array.from({ length: 60 }, (_, i) => String(i)));
    const seqs = rows.map((r) => r.seq);
    expect(new Set(seqs).size).toBe(60);
    // Stored as returned, and the chain walks from the first row to the last.
    const stored = await audit.rows(0, 1000);
    expect(stored.map((r) => r.seq)).toEqual([...seqs].sort((a, b) => a - b));
    for (const [i, r] of stored.entries())
      expect(r.prevHash).toBe(i === 0 ? '0'.repeat(64) : stored[i - 1]?.hash);
    const verdict = await chain.verify(audit.pages(), []);
    expect(verdict).toMatchObject({ ok: true, rows: 60 });
    // Rows written by one transaction share its id: fewer transactions than rows.
    const [tx] = await database.query<{ n: number }>(
      sql`SELECT count(DISTINCT xmin::text)::int AS n FROM audit_log`,
    );
    expect(tx?.n).toBeLessThan(60);
  });

  it('refuses only the entry the database refuses; the others made with it are kept', async () => {
    const chain = new AuditChain(crypto.randomBytes(32));
    const audit = createAuditRepository(database, chain);
    const before = (await audit.rows(0, 10_000)).length;
    // jsonb cannot hold a NUL character.
    const results = await Promise.allSettled(
      Array.from({ length: 9 }, (_, i) =>
        audit.append(entry(100 + i, i === 4 ? { note: 'a\u0000b' } : { i })),
      ),
    );
    expect(results.map((r) => r.status)).toEqual([
      ...Array(4).fill('fulfilled'),
      'rejected',
      ...Array(4).fill('fulfilled'),
    ]);
    const after = await audit.rows(0, 10_000);
    expect(after.length - before).toBe(8);
    expect(after.map((r) => r.objectId)).not.toContain('104');
  });
});
