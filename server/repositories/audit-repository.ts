/**
 * The audit trail's SQL: every write (who, role, what, when in UTC, from which address)
 * appended to audit_log under one advisory lock, so rows join the hash chain in seq order.
 * The chain's hash is computed here in the application under a key the database never holds
 * (services/audit-chain.ts); the database refuses UPDATE and DELETE on the table (migration
 * 0002), and verification finds what it cannot prevent (someone who switches that off).
 */
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Database } from '../db/database.ts';
import {
  type AuditAnchor,
  type AuditChain,
  type AuditEntry,
  type AuditRow,
  GENESIS_HASH,
} from '../services/audit-chain.ts';

export type { AuditEntry, AuditRow } from '../services/audit-chain.ts';

const AUDIT_LOCK = 7_381_002;

function toRow(r: Record<string, unknown>): AuditRow {
  return {
    seq: Number(r.seq),
    at: new Date(r.at as string).toISOString(),
    userId: (r.user_id as string | null) ?? null,
    role: (r.role as string | null) ?? null,
    action: r.action as string,
    objectType: (r.object_type as string | null) ?? null,
    objectId: (r.object_id as string | null) ?? null,
    address: (r.address as string | null) ?? null,
    detail: r.detail as Record<string, unknown>,
    prevHash: r.prev_hash as string,
    hash: r.hash as string,
    keyed: r.keyed === true,
  };
}

export function createAuditRepository(database: Database, chain: AuditChain) {
  return {
    /** Appends one row at the chain's end, sealed with the audit key. */
    async append(e: AuditEntry): Promise<AuditRow> {
      return database.transaction(async (q) => {
        await q(sql`SELECT pg_advisory_xact_lock(${AUDIT_LOCK})`);
        const [last] = await q<{ hash: string }>(
          sql`SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1`,
        );
        // The seq is taken under the lock, so seq order is chain order, and it is sealed in.
        const [next] = await q<{ seq: string | number }>(
          sql`SELECT nextval(pg_get_serial_sequence('audit_log', 'seq')) AS seq`,
        );
        const seq = Number(next?.seq);
        const prevHash = last?.hash ?? GENESIS_HASH;
        const at = new Date().toISOString();
        const hash = chain.seal(prevHash, seq, at, e);
        const [row] = await q<Record<string, unknown>>(sql`
          INSERT INTO audit_log (seq, at, user_id, role, action, object_type, object_id, address, detail, prev_hash, hash, keyed)
          VALUES (${seq}, ${at}::timestamptz, ${e.userId}::uuid, ${e.role}, ${e.action}, ${e.objectType}, ${e.objectId},
                  ${e.address}, ${JSON.stringify(e.detail)}::jsonb, ${prevHash}, ${hash}, true)
          RETURNING *`);
        return toRow(row as Record<string, unknown>);
      });
    },

    async rows(afterSeq = 0, limit = 10_000): Promise<AuditRow[]> {
      const rows = await database.query<Record<string, unknown>>(
        sql`SELECT * FROM audit_log WHERE seq > ${afterSeq} ORDER BY seq LIMIT ${limit}`,
      );
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
