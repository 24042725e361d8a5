/**
 * The crew phone's GPS fixes that have not reached the server yet. In a valley without signal
 * the phone keeps every fix (with the time it was taken) and sends them, oldest first, when the
 * network returns, so the track replayed on the command map has no hole where the signal did.
 */

export interface Fix {
  lon: number;
  lat: number;
  accuracyM: number;
  /** When the GPS took it (ISO 8601). */
  recordedAt: string;
}

/** What sending one fix came to: stored, refused for good (4xx), or not sent (no network). */
export type SendResult = 'stored' | 'refused' | 'offline';

type Store = Pick<Storage, 'getItem' | 'setItem'>;

/** About eight hours of fixes at one each 15 s; beyond that the oldest go first. */
export const MAX_QUEUED_FIXES = 2000;

export class PositionQueue {
  private sending = false;

  constructor(
    private readonly store: Store,
    private readonly key: string,
    private readonly max = MAX_QUEUED_FIXES,
  ) {}

  /** Fixes waiting, oldest first. */
  pending(): Fix[] {
    try {
      const raw = this.store.getItem(this.key);
      const list = raw ? (JSON.parse(raw) as unknown) : [];
      return Array.isArray(list) ? (list as Fix[]) : [];
    } catch {
      return [];
    }
  }

  add(fix: Fix): void {
    const list = [...this.pending(), fix];
    this.save(list.slice(Math.max(0, list.length - this.max)));
  }

  /**
   * Sends the waiting fixes oldest first; stops at the first one the network did not take (it
   * stays, with everything after it). A fix the server refuses for good is dropped.
   * Returns how many reached the server.
   */
  async flush(send: (fix: Fix) => Promise<SendResult>): Promise<number> {
    if (this.sending) return 0;
    this.sending = true;
    let stored = 0;
    try {
      for (;;) {
        const [next] = this.pending();
        if (!next) break;
        const result = await send(next);
        if (result === 'offline') break;
        if (result === 'stored') stored++;
        // Drop it by identity: fixes may have been added while it was in flight.
        const rest = this.pending();
        const i = rest.findIndex((f) => f.recordedAt === next.recordedAt && f.lon === next.lon);
        if (i >= 0) rest.splice(i, 1);
        this.save(rest);
      }
    } finally {
      this.sending = false;
    }
    return stored;
  }

  private save(list: Fix[]) {
    this.store.setItem(this.key, JSON.stringify(list));
  }
}
