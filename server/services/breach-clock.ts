/**
 * The 10/20/30-minute clock. It keeps one timer for the earliest open deadline of any
 * incident; when it fires, every target due is recorded as a `target_breached` event and
 * pushed. Its state is the database: at start (and after a restart) it reads the open
 * incidents and catches up on anything that fell due while the server was down; the unique
 * index on breach events means a target is never recorded twice.
 */
import { nextDeadline, type Target } from '../domain/incident-lifecycle.ts';
import type { IncidentEvent } from '../domain/live-events.ts';
import type { IncidentsRepository } from '../repositories/incidents-repository.ts';

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

/** Re-read the database at least this often: other processes may open incidents too. */
const MAX_SLEEP_MS = 30_000;

export class BreachClock {
  private timer: unknown = null;
  private running: Promise<unknown> = Promise.resolve();
  private stopped = true;

  constructor(
    private readonly repo: IncidentsRepository,
    private readonly publish: (events: IncidentEvent[]) => void,
    private readonly clock: Clock = systemClock,
    private readonly onError: (err: unknown) => void = () => {},
  ) {}

  /**
   * Records every breach due now and returns when the next deadline falls (null: none).
   * Safe to call at any time and from any process.
   */
  async tick(): Promise<Date | null> {
    const now = this.clock.now();
    let next: Date | null = null;
    for (const inc of await this.repo.clockCandidates()) {
      let breached = new Set<Target>(inc.breached);
      const due = nextDeadline(inc, breached);
      if (due && due.getTime() <= now.getTime()) {
        const events = await this.repo.recordBreaches(inc.id, now);
        if (events.length > 0) this.publish(events);
        breached = new Set([...breached, ...events.map((e) => e.payload.target as Target)]);
      }
      const upcoming = nextDeadline(inc, breached);
      if (upcoming && upcoming.getTime() > now.getTime() && (!next || upcoming < next))
        next = upcoming;
    }
    return next;
  }

  start(): void {
    this.stopped = false;
    this.poke();
  }

  /** Something changed (a report, a state): re-read and re-arm now. */
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
    const wait = next ? Math.max(0, next.getTime() - this.clock.now().getTime()) : MAX_SLEEP_MS;
    this.timer = this.clock.setTimeout(() => this.poke(), Math.min(wait, MAX_SLEEP_MS));
  }

  /** Stops the timer and waits for a tick in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }
}
