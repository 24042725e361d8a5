/**
 * Append-only audit log of every write. Rows are hash-chained so tampering is detectable; a
 * trigger in migration 0002 refuses UPDATE and DELETE. Rows written before migration 0010
 * carry SHA-256(previous hash, content) (`keyed` false); from then on HMAC-SHA256 under a key
 * the database never sees (`keyed` true), see server/services/audit-chain.ts.
 */

import { sql } from 'drizzle-orm';
import {
  bigserial,
  boolean,
  index,
  jsonb,
  pgTable,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';

export const auditLog = pgTable(
  'audit_log',
  {
    seq: bigserial('seq', { mode: 'number' }).primaryKey(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    userId: uuid('user_id'),
    role: text('role'),
    action: text('action').notNull(),
    objectType: text('object_type'),
    objectId: text('object_id'),
    /** Client address as seen by the server. */
    address: text('address'),
    detail: jsonb('detail').notNull().default(sql`'{}'::jsonb`),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull().unique(),
    /** HMAC-SHA256 under the audit key (true) or the unkeyed SHA-256 of old rows (false). */
    keyed: boolean('keyed').notNull().default(false),
  },
  (t) => [index('audit_log_at_idx').on(t.at), index('audit_log_user_idx').on(t.userId)],
);
