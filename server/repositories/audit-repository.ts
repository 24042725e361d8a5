/**
 * The audit trail: every write (who, role, what, when in UTC, from which address) appended
 * to audit_log, each row carrying SHA-256(previous hash + its own content), so changing,
 * removing or inserting a row anywhere breaks the chain from there on. The database refuses
 * UPDATE and DELETE on the table (migration 0002); verify() finds what it cannot prevent
 * (a superuser editing rows with the trigger disabled).
 */
import crypto from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Database } from '../db/database.ts';

const AUDIT_LOCK = 7_381_002;
export const GENESIS_HASH = '0'.repeat(64);

export interface AuditEntry {
  userId: string | null;
  role: string | null;
  action: string;
  objectType: string | null;
  objectId: string | null;
  address: string | null;
  detail: Record<string, unknown>;
}

export interface AuditRow extends AuditEntry {
  seq: number;
  at: string;
  prevHash: string;
  hash: string;
}

/** JSON with keys sorted at every level: the same content always hashes the same. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object')
    return `{${Object.keys(v as object)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(v ?? null);
}

export function rowHash(prevHash: string, at: string, e: AuditEntry): string {
  const content = canonical({ at, ...e });
  return crypto.createHash('sha256').update(`${prevHash}\n${content}`).digest('hex');
}

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
    detail: (typeof r.detail === 'string' ? JSON.parse(r.detail) : r.detail) as Record<
      string,
      unknown
    >,
    prevHash: r.prev_hash as string,
    hash: r.hash as string,
  };
}

const csvCell = (v: unknown) => {
  const s = v === null || v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v);
  // Quote every cell; a leading =,+,-,@ is defused so a spreadsheet shows, not runs, it.
  return `"${(/^[=+\-@]/.test(s) ? `'${s}` : s).replace(/"/g, '""')}"`;
};

export function createAuditRepository(database: Database) {
  return {
    async append(e: AuditEntry): Promise<AuditRow> {
      return database.transaction(async (q) => {
        await q(sql`SELECT pg_advisory_xact_lock(${AUDIT_LOCK})`);
        const [last] = await q<{ hash: string }>(
          sql`SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1`,
        );
        const prevHash = last?.hash ?? GENESIS_HASH;
        const at = new Date().toISOString();
        const hash = rowHash(prevHash, at, e);
        const [row] = await q<Record<string, unknown>>(sql`
          INSERT INTO audit_log (at, user_id, role, action, object_type, object_id, address, detail, prev_hash, hash)
          VALUES (${at}::timestamptz, ${e.userId}::uuid, ${e.role}, ${e.action}, ${e.objectType}, ${e.objectId},
                  ${e.address}, ${JSON.stringify(e.detail)}::jsonb, ${prevHash}, ${hash})
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

    /** Walks the whole chain; the first row that does not match is reported. */
    async verify(): Promise<{
      ok: boolean;
      rows: number;
      brokenAt: number | null;
      reason: string | null;
    }> {
      let prev = GENESIS_HASH;
      let n = 0;
      let after = 0;
      for (;;) {
        const batch = await this.rows(after, 5000);
        for (const r of batch) {
          n++;
          if (r.prevHash !== prev)
            return { ok: false, rows: n, brokenAt: r.seq, reason: 'previous hash does not match' };
          const { seq: _s, at, prevHash, hash, ...entry } = r;
          if (rowHash(prevHash, at, entry) !== hash)
            return {
              ok: false,
              rows: n,
              brokenAt: r.seq,
              reason: 'row content does not match its hash',
            };
          prev = hash;
        }
        if (batch.length < 5000) break;
        after = (batch[batch.length - 1] as AuditRow).seq;
      }
      return { ok: true, rows: n, brokenAt: null, reason: null };
    },

    async csv(): Promise<string> {
      const head = [
        'seq',
        'at_utc',
        'user_id',
        'role',
        'action',
        'object_type',
        'object_id',
        'address',
        'detail',
        'prev_hash',
        'hash',
      ];
      const lines = [head.join(',')];
      for (const r of await this.rows(0, 1_000_000))
        lines.push(
          [
            r.seq,
            r.at,
            r.userId,
            r.role,
            r.action,
            r.objectType,
            r.objectId,
            r.address,
            r.detail,
            r.prevHash,
            r.hash,
          ]
            .map(csvCell)
            .join(','),
        );
      return `${lines.join('\r\n')}\r\n`;
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
  async (app: FastifyInstance) => {
    app.decorate('auditRepository', createAuditRepository(app.database));
  },
  { name: 'audit-repository', dependencies: ['db'] },
);
