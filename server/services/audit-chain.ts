/**
 * The audit trail's hash chain and its proof (issue 18, item 8). Each row carries a hash of
 * the previous row's hash and its own content. Rows written before migration 0010 used plain
 * SHA-256, which anyone who can edit the table can recompute; rows from then on (`keyed`)
 * use HMAC-SHA256 under a key kept outside the database (AUDIT_KEY or `<DATA_DIR>/audit.key`),
 * and their content includes their seq. The first keyed row's MAC covers the last unkeyed
 * hash, so the old rows are protected by the new ones too.
 *
 * A chain alone cannot show that rows were cut off its end: the head (rows, last seq, last
 * hash) is anchored outside the database every few minutes (services/audit-anchors.ts), and
 * verification checks every anchor it is given.
 */
import crypto from 'node:crypto';

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
  keyed: boolean;
}

/** The chain's head as anchored outside the database. */
export interface AuditAnchor {
  /** When the anchor was taken (UTC ISO). */
  at: string;
  /** Rows in the chain up to and including lastSeq. */
  rows: number;
  lastSeq: number;
  lastHash: string;
  /** The first keyed row (null: none yet); rows from here on must all be keyed. */
  firstKeyedSeq: number | null;
}

export interface VerifyResult {
  ok: boolean;
  /** Rows read. */
  rows: number;
  /** The first bad row's seq (for rows missing at the end: the last seq an anchor recorded). */
  brokenAt: number | null;
  reason: string | null;
  /** The first keyed row (null: none). */
  firstKeyedSeq: number | null;
  /** Anchors compared with the chain, and the newest of them. */
  anchorsChecked: number;
  lastAnchor: AuditAnchor | null;
}

/** JSON with keys sorted at every level: the same content always hashes the same. */
export function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object')
    return `{${Object.keys(v as object)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(v ?? null);
}

/** The unkeyed SHA-256 of rows written before migration 0010 (kept to verify them). */
export function legacyRowHash(prevHash: string, at: string, e: AuditEntry): string {
  const content = canonical({ at, ...entryOf(e) });
  return crypto.createHash('sha256').update(`${prevHash}\n${content}`).digest('hex');
}

/** Only the entry's own fields (a row object carries seq, hashes and more). */
export function entryOf(r: AuditEntry): AuditEntry {
  return {
    userId: r.userId,
    role: r.role,
    action: r.action,
    objectType: r.objectType,
    objectId: r.objectId,
    address: r.address,
    detail: r.detail,
  };
}

export class AuditChain {
  readonly #key: Buffer;

  /** @param key the HMAC key (at least 32 bytes; never stored in the database) */
  constructor(key: Buffer) {
    if (key.length < 32) throw new Error('audit key must be at least 32 bytes');
    this.#key = Buffer.from(key);
  }

  /** HMAC-SHA256 of a keyed row: previous hash, seq, time and content. */
  seal(prevHash: string, seq: number, at: string, e: AuditEntry): string {
    const content = canonical({ v: 2, seq, at, ...entryOf(e) });
    return crypto.createHmac('sha256', this.#key).update(`${prevHash}\n${content}`).digest('hex');
  }

  /** MAC of an anchor line, so that an anchor file edited without the key is noticed. */
  anchorMac(a: AuditAnchor): string {
    return crypto
      .createHmac('sha256', this.#key)
      .update(`anchor\n${canonical({ ...a })}`)
      .digest('hex');
  }

  /**
   * Walk the chain in seq order and compare it with the anchors; the first problem is
   * reported with the row it was found at.
   * @param pages the rows in seq order, in pages (the table may hold millions)
   * @param anchors heads recorded outside the database, any order
   */
  async verify(pages: AsyncIterable<AuditRow[]>, anchors: AuditAnchor[]): Promise<VerifyResult> {
    const sorted = [...anchors].sort((a, b) => a.lastSeq - b.lastSeq || a.rows - b.rows);
    const lastAnchor = sorted.reduce<AuditAnchor | null>(
      (m, a) => (!m || a.at > m.at ? a : m),
      null,
    );
    const keyedFloor = sorted.find((a) => a.firstKeyedSeq !== null)?.firstKeyedSeq ?? null;
    let prev = GENESIS_HASH;
    let n = 0;
    let lastSeq = 0;
    let firstKeyedSeq: number | null = null;
    let next = 0; // index of the next anchor not yet passed
    const done = (brokenAt: number | null, reason: string | null): VerifyResult => ({
      ok: reason === null,
      rows: n,
      brokenAt,
      reason,
      firstKeyedSeq,
      anchorsChecked: next,
      lastAnchor,
    });
    const anchorText = (a: AuditAnchor) =>
      `the anchor of ${a.at} recorded ${a.rows} rows ending at seq ${a.lastSeq}`;

    for await (const page of pages)
      for (const r of page) {
        // An anchored row that the walk stepped over was removed.
        const skipped = sorted[next];
        if (skipped && skipped.lastSeq < r.seq)
          return done(
            skipped.lastSeq,
            `row ${skipped.lastSeq} is missing: ${anchorText(skipped)}; the chain goes from seq ${lastSeq} to ${r.seq}`,
          );
        n++;
        if (r.prevHash !== prev)
          return done(
            r.seq,
            `previous hash does not match (the row before it was removed, inserted or changed)`,
          );
        if (r.keyed) {
          firstKeyedSeq ??= r.seq;
          if (this.seal(r.prevHash, r.seq, r.at, entryOf(r)) !== r.hash)
            return done(
              r.seq,
              'row content does not match its keyed hash (changed without the audit key)',
            );
        } else {
          if (firstKeyedSeq !== null || (keyedFloor !== null && r.seq >= keyedFloor))
            return done(
              r.seq,
              'an unkeyed row where the chain is keyed (a row rewritten with a plain hash)',
            );
          if (legacyRowHash(r.prevHash, r.at, entryOf(r)) !== r.hash)
            return done(r.seq, 'row content does not match its hash');
        }
        for (let a = sorted[next]; a && a.lastSeq === r.seq; a = sorted[++next])
          if (a.lastHash !== r.hash || a.rows !== n)
            return done(
              r.seq,
              a.lastHash !== r.hash
                ? `row hash differs from ${anchorText(a)}`
                : `${anchorText(a)} but the chain has ${n} rows up to it (rows removed before it)`,
            );
        prev = r.hash;
        lastSeq = r.seq;
      }
    const cut = sorted[next];
    if (cut)
      return done(
        cut.lastSeq,
        `rows deleted from the end: ${anchorText(cut)}; the database ends at seq ${lastSeq} with ${n} rows`,
      );
    return done(null, null);
  }
}
