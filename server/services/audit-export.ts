/**
 * The audit trail as CSV (UTF-8 with a byte-order mark so spreadsheets read the Chinese,
 * CRLF, times in UTC), produced page by page: every row, however many, in bounded memory.
 * Cells go through domain/csv.ts, which defuses formula-looking text (an attacker controls
 * e.g. the URL of a refused request).
 */
import { csvRow } from '../domain/csv.ts';
import type { AuditRow } from './audit-chain.ts';

export const AUDIT_CSV_HEADER = [
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
  'keyed',
] as const;

/** One string per page of rows, the header (after the BOM) first. */
export async function* auditCsvChunks(pages: AsyncIterable<AuditRow[]>): AsyncGenerator<string> {
  yield `\uFEFF${csvRow(AUDIT_CSV_HEADER)}\r\n`;
  for await (const page of pages) {
    let chunk = '';
    for (const r of page)
      chunk += `${csvRow([
        r.seq,
        r.at,
        r.userId,
        r.role,
        r.action,
        r.objectType,
        r.objectId,
        r.address,
        JSON.stringify(r.detail),
        r.prevHash,
        r.hash,
        r.keyed ? 'true' : 'false',
      ])}\r\n`;
    yield chunk;
  }
}
