/**
 * Hands events on in sequence order. Clients keep the last sequence they saw and drop
 * anything at or below it (client/src/live/live-client.ts), so an event pushed after a later
 * one is lost to them until they reconnect. Events do arrive out of order: two requests
 * commit N and N+1 and publish in the other order, and with several nodes a node's own
 * events reach its sockets before the other nodes' earlier ones come through Redis. A gap is
 * waited for briefly, then skipped: sequence numbers also go missing for good when a
 * transaction rolls back after taking one.
 */
export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realTimers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

export class InSeqOrder<T extends { seq: number }> {
  private readonly pending = new Map<number, T>();
  private timer: unknown = null;

  /**
   * @param last the sequence already handed on (e.g. the log's last at start)
   * @param emit receives events in order, several at once when a gap closes
   * @param waitMs how long a gap is waited for before it is skipped, milliseconds
   */
  constructor(
    private last: number,
    private readonly emit: (events: T[]) => void,
    private readonly waitMs = 500,
    private readonly timers: Timers = realTimers,
  ) {}

  push(events: T[]): void {
    const late: T[] = [];
    for (const e of events) {
      if (e.seq <= this.last) late.push(e);
      else this.pending.set(e.seq, e);
    }
    // Past a skipped gap: no order left to keep, and holding it back helps no one.
    if (late.length > 0) this.emit(late);
    this.drain();
  }

  private drain(): void {
    const ready: T[] = [];
    for (let e = this.pending.get(this.last + 1); e; e = this.pending.get(this.last + 1)) {
      this.pending.delete(e.seq);
      ready.push(e);
      this.last = e.seq;
    }
    if (ready.length > 0) this.emit(ready);
    if (this.pending.size === 0) {
      if (this.timer !== null) this.timers.clearTimeout(this.timer);
      this.timer = null;
    } else if (this.timer === null) {
      this.timer = this.timers.setTimeout(() => {
        this.timer = null;
        this.last = Math.min(...this.pending.keys()) - 1;
        this.drain();
      }, this.waitMs);
    }
  }

  /** Hands on whatever is held, in order (at close). */
  flush(): void {
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = null;
    const rest = [...this.pending.values()].sort((a, b) => a.seq - b.seq);
    this.pending.clear();
    if (rest.length > 0) {
      this.last = (rest[rest.length - 1] as T).seq;
      this.emit(rest);
    }
  }
}
