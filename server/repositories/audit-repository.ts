/**
 * The audit trail's SQL: every write (who, role, what, when in UTC, from which address)
 * appended to audit_log under one advisory lock, so rows join the hash chain in seq order.
 * The chain's hash is computed here in the application under a key the database never holds
 * (services/audit-chain.ts); the database refuses UPDATE and DELETE on the table (migration
 * 0002), and verification finds what it cannot prevent (someone who switches that off).
 */
import { gt, sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Database } from '../db/database.ts';
import { jsonParam } from '../db/json-param.ts';
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

/** At most this many rows join the chain in one transaction. */
const BATCH_MAX = 256;

interface Waiting {
  entry: AuditEntry;
  resolve: (row: AuditRow) => void;
  reject: (err: unknown) => void;
}

export function createAuditRepository(database: Database, chain: AuditChain) {
  /**
   * Rows appended at the chain's end in one transaction, under the lock, in order: two round
   * trips (the lock with the chain's head and the new seqs; the rows with the COMMIT).
   */
  async function writeBatch(entries: AuditEntry[]): Promise<AuditRow[]> {
    return database.transaction(async (q) => {
      // The reads run once the lock is held: the seqs are taken under it, so seq order is
      // chain order, and each is sealed in.
      const [, head = [], seqs = []] = await q.pipeline([
        sql`SELECT pg_advisory_xact_lock(${AUDIT_LOCK})`,
        sql`SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1`,
        sql`SELECT nextval(pg_get_serial_sequence('audit_log', 'seq')) AS seq
            FROM generate_series(1, ${entries.length}::int)`,
      ]);
      const ordered = seqs.map((r) => Number(r.seq)).sort((a, b) => a - b);
      let prevHash = head[0] ? String(head[0].hash) : GENESIS_HASH;
      const rows: AuditRow[] = entries.map((e, i) => {
        const seq = ordered[i] as number;
        const at = new Date().toISOString();
        const hash = chain.seal(prevHash, seq, at, e);
        const row = { ...entryOf(e), seq, at, prevHash, hash, keyed: true };
        prevHash = hash;
        return row;
      });
      await q.pipeline(
        [
          sql`
          INSERT INTO audit_log (seq, at, user_id, role, action, object_type, object_id, address, detail,
                                 prev_hash, hash, keyed)
          SELECT r.seq, r.at, r."userId", r.role, r.action, r."objectType", r."objectId", r.address,
                 r.detail, r."prevHash", r.hash, r.keyed
          FROM jsonb_to_recordset(${jsonParam(rows)})
                 AS r(seq bigint, at timestamptz, "userId" uuid, role text, action text, "objectType" text,
                      "objectId" text, address text, detail jsonb, "prevHash" text, hash text, keyed boolean)
          ORDER BY r.seq`,
        ],
        { commit: true },
      );
      return rows;
    });
  }

  // Group commit: appends that arrive while a batch is being written wait for the next one,
  // written in one transaction (one lock, one commit) instead of one each. Every caller still
  // gets its row only once it has committed.
  const waiting: Waiting[] = [];
  let writing = false;
  async function drain(): Promise<void> {
    while (waiting.length > 0) {
      const batch = waiting.splice(0, BATCH_MAX);
      try {
        const rows = await writeBatch(batch.map((w) => w.entry));
        for (const [i, w] of batch.entries()) w.resolve(rows[i] as AuditRow);
      } catch (err) {
        if (batch.length === 1) {
          batch[0]?.reject(err);
          continue;
        }
        // One bad entry must not cost the others theirs: each alone, in order.
        for (const w of batch)
          await writeBatch([w.entry]).then(([row]) => w.resolve(row as AuditRow), w.reject);
      }
    }
    writing = false;
  }

  return {
    /**
     * Appends one row at the chain's end, sealed with the audit key; resolves once it has
     * committed (with the rows that arrived meanwhile, in arrival order).
     */
    append(e: AuditEntry): Promise<AuditRow> {
      return new Promise<AuditRow>((resolve, reject) => {
        waiting.push({ entry: e, resolve, reject });
        if (!writing) {
          writing = true;
          void drain();
        }
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
