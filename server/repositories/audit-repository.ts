/**
 * The audit trail's SQL: every write (who, role, what, when in UTC, from which address)
 * appended to audit_log under one advisory lock, so rows join the hash chain in seq order.
 * The chain's hash is computed here in the application under a key the database never holds
 * (services/audit-chain.ts); the database refuses UPDATE and DELETE on the table (migration
 * 0002), and verification finds what it cannot prevent (someone who switches that off).
 */
import { desc, gt, sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Database } from '../db/database.ts';
import { auditLog } from '../db/schema/audit.ts';
import {
  type AuditAnchor,
  type AuditChain,
  type AuditEntry,
  type AuditRow,
  entryOf,
  GENESIS_HASH,
} from '../services/audit-chain.ts';

export type { AuditEntry, AuditRow } from '../services/audit-chain.ts';

const AUDIT_LOCK = 7_381_002;

function toRow(r: typeof auditLog.$inferSelect): AuditRow {
  return {
    ...entryOf({ ...r, detail: r.detail as Record<string, unknown> }),
    seq: r.seq,
    at: r.at.toISOString(),
    prevHash: r.prevHash,
    hash: r.hash,
    keyed: r.keyed,
  };
}

export function createAuditRepository(database: Database, chain: AuditChain) {
  return {
    /** Appends one row at the chain's end, sealed with the audit key. */
    async append(e: AuditEntry): Promise<AuditRow> {
      return database.transaction(async (q) => {
        await q(sql`SELECT pg_advisory_xact_lock(${AUDIT_LOCK})`);
        const [last] = await q.db
          .select({ hash: auditLog.hash })
          .from(auditLog)
          .orderBy(desc(auditLog.seq))
          .limit(1);
        // The seq is taken under the lock, so seq order is chain order, and it is sealed in.
        const [next] = await q<{ seq: string | number }>(
          sql`SELECT nextval(pg_get_serial_sequence('audit_log', 'seq')) AS seq`,
        );
        const seq = Number(next?.seq);
        const prevHash = last?.hash ?? GENESIS_HASH;
        const at = new Date().toISOString();
        const hash = chain.seal(prevHash, seq, at, e);
        const [row] = await q.db
          .insert(auditLog)
          .values({
            seq,
            at: new Date(at),
            ...entryOf(e),
            prevHash,
            hash,
            keyed: true,
          })
          .returning();
        return toRow(row as typeof auditLog.$inferSelect);
      });
    },

    async rows(afterSeq = 0, limit = 10_000): Promise<AuditRow[]> {
      const rows = await database.db
        .select()
        .from(auditLog)
        .where(gt(auditLog.seq, afterSeq))
        .orderBy(auditLog.seq)
        .limit(limit);
      return rows.map(toRow);
    },

    /** Every row in seq order, a page at a time (keyset paging: no row cap, bounded memory). */
    async *pages(pageSize = 2000): AsyncGenerator<AuditRow[]> {
      let after = 0;
      for (;;) {
        const page = await this.rows(after, pageSize);
        if (page.length > 0) yield page;
        if (page.length < pageSize) return;
        after = (page[page.length - 1] as AuditRow).seq;
      }
    },

    /** The chain's head in one snapshot (null: no rows yet), to be anchored outside. */
    async head(): Promise<Omit<AuditAnchor, 'at'> | null> {
      const [h] = await database.query<Record<string, unknown>>(sql`
        SELECT (SELECT count(*) FROM audit_log) AS rows, l.seq, l.hash,
               (SELECT min(seq) FROM audit_log WHERE keyed) AS first_keyed
        FROM (SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1) l`);
      if (!h) return null;
      return {
        rows: Number(h.rows),
        lastSeq: Number(h.seq),
        lastHash: h.hash as string,
        firstKeyedSeq: h.first_keyed === null ? null : Number(h.first_keyed),
      };
    },
  };
}

export type AuditRepository = ReturnType<typeof createAuditRepository>;

declare module 'fastify' {
  interface FastifyInstance {
    auditRepository: AuditRepository;
  }
}

export default fp(
  async (app: FastifyInstance, opts: { chain: AuditChain }) => {
    app.decorate('auditRepository', createAuditRepository(app.database, opts.chain));
  },
  { name: 'audit-repository', dependencies: ['db'] },
);
