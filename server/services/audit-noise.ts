/**
 * Refused attempts by callers without sign-in, counted instead of written one row each
 * (issue 18, item 8): a flood of 404s or 401s from the county network cannot fill the audit
 * table, yet every refused attempt is still on record, as one row per address, minute and
 * kind with its count (and the first 20 actions with theirs). Buckets are written when their
 * minute is over and at close; a node that dies loses at most that minute's counts. The
 * number of buckets a minute is bounded too: past it, addresses share one bucket "*".
 * Refused writes by signed-in users are not counted here: each keeps its own row.
 */
import type { AuditEntry } from './audit-chain.ts';

const MAX_ACTIONS = 20;

interface Bucket {
  minute: string;
  kind: string;
  address: string;
  count: number;
  statuses: Record<string, number>;
  actions: Record<string, number>;
  otherActions: number;
  firstAt: string;
  lastAt: string;
}

export class AnonymousNoise {
  readonly #buckets = new Map<string, Bucket>();
  readonly #write: (entry: AuditEntry) => Promise<unknown>;
  readonly #maxBuckets: number;
  readonly #now: () => number;

  /**
   * @param write appends one audit row
   * @param opts maxBuckets: distinct (address, kind) per minute before addresses are pooled
   */
  constructor(
    write: (entry: AuditEntry) => Promise<unknown>,
    opts: { maxBuckets?: number; now?: () => number } = {},
  ) {
    this.#write = write;
    this.#maxBuckets = opts.maxBuckets ?? 1000;
    this.#now = opts.now ?? Date.now;
  }

  /** Count one refused attempt. */
  count(kind: string, address: string, action: string, status: number): void {
    const at = new Date(this.#now()).toISOString();
    const minute = `${at.slice(0, 16)}Z`;
    let key = `${minute}|${kind}|${address}`;
    let bucket = this.#buckets.get(key);
    if (!bucket && this.#buckets.size >= this.#maxBuckets) {
      key = `${minute}|${kind}|*`;
      bucket = this.#buckets.get(key);
      address = '*';
    }
    if (!bucket) {
      bucket = {
        minute,
        kind,
        address,
        count: 0,
        statuses: {},
        actions: {},
        otherActions: 0,
        firstAt: at,
        lastAt: at,
      };
      this.#buckets.set(key, bucket);
    }
    bucket.count++;
    bucket.lastAt = at;
    bucket.statuses[status] = (bucket.statuses[status] ?? 0) + 1;
    const a = action.slice(0, 200);
    if (a in bucket.actions || Object.keys(bucket.actions).length < MAX_ACTIONS)
      bucket.actions[a] = (bucket.actions[a] ?? 0) + 1;
    else bucket.otherActions++;
  }

  /** Attempts counted and not yet written. */
  pending(): number {
    let n = 0;
    for (const b of this.#buckets.values()) n += b.count;
    return n;
  }

  /**
   * Write the buckets whose minute is over (all of them with `all`); returns rows written.
   * Buckets leave the map before the writes, so two flushes never write one twice.
   */
  async flush(all = false): Promise<number> {
    const current = `${new Date(this.#now()).toISOString().slice(0, 16)}Z`;
    const due = [...this.#buckets].filter(([, b]) => all || b.minute < current);
    for (const [key] of due) this.#buckets.delete(key);
    for (const [, b] of due)
      await this.#write({
        userId: null,
        role: null,
        action: 'refused_anonymous',
        objectType: b.kind,
        objectId: null,
        address: b.address === '*' ? null : b.address,
        detail: {
          count: b.count,
          minute: b.minute,
          firstAt: b.firstAt,
          lastAt: b.lastAt,
          statuses: b.statuses,
          actions: b.actions,
          ...(b.otherActions ? { otherActions: b.otherActions } : {}),
          ...(b.address === '*' ? { pooledAddresses: true } : {}),
        },
      });
    return due.length;
  }
}
