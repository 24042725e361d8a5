/**
 * A timer that works off deadlines kept in the database (the breach clock, the 321 watch):
 * each tick does what is due and says when the next thing falls due; the timer sleeps until
 * then, but never longer than `maxSleepMs`, because other processes change the data too.
 * Ticks run one after another, never two at once.
 */
export interface Clock {
  now(): Date;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = {
  now: () => new Date(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

export abstract class DeadlineTimer {
  private timer: unknown = null;
  private running: Promise<unknown> = Promise.resolve();
  private stopped = true;

  constructor(
    protected readonly clock: Clock,
    private readonly onError: (err: unknown) => void,
    private readonly maxSleepMs: number,
  ) {}

  /** Does what is due now; returns when the next deadline falls (null: none known). */
  abstract tick(): Promise<Date | null>;

  start(): void {
    this.stopped = false;
    this.poke();
  }

  /** Something changed: re-read and re-arm now. */
  poke(): void {
    if (this.stopped) return;
    this.running = this.running.then(async () => {
      if (this.stopped) return;
      try {
        const next = await this.tick();
        this.arm(next);
      } catch (err) {
        this.onError(err);
        this.arm(null);
      }
    });
  }

  private arm(next: Date | null) {
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    if (this.stopped) return;
    const wait = next ? Math.max(0, next.getTime() - this.clock.now().getTime()) : this.maxSleepMs;
    this.timer = this.clock.setTimeout(() => this.poke(), Math.min(wait, this.maxSleepMs));
  }

  /** Stops the timer and waits for a tick in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }
}
