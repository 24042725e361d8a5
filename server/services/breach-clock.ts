/**
 * The 10/20/30-minute clock. It keeps one timer for the earliest open deadline of any
 * incident; when it fires, every target due is recorded as a `target_breached` event and
 * pushed. Its state is the database: at start (and after a restart) it reads the open
 * incidents and catches up on anything that fell due while the server was down; the unique
 * index on breach events means a target is never recorded twice.
 */
import { nextDeadline, type Target } from '../domain/incident-lifecycle.ts';
import type { IncidentEvent } from '../domain/live-events.ts';
import { type Clock, DeadlineTimer, systemClock } from './deadline-timer.ts';
import type { IncidentService } from './incident-service.ts';

export type { Clock } from './deadline-timer.ts';
export { systemClock };

/** Re-read the database at least this often: other processes may open incidents too. */
const MAX_SLEEP_MS = 30_000;

export class BreachClock extends DeadlineTimer {
  constructor(
    private readonly repo: Pick<IncidentService, 'clockCandidates' | 'recordBreaches'>,
    /** Hears the breaches recorded (the incident log has already published them). */
    private readonly recorded: (events: IncidentEvent[]) => void,
    clock: Clock = systemClock,
    onError: (err: unknown) => void = () => {},
  ) {
    super(clock, onError, MAX_SLEEP_MS);
  }

  /**
   * Records every breach due now and returns when the next deadline falls (null: none).
   * Safe to call at any time and from any process.
   */
  async tick(): Promise<Date | null> {
    const now = this.clock.now();
    let next: Date | null = null;
    for (const inc of await this.repo.clockCandidates()) {
      const breached = new Set<Target>(inc.breached);
      const due = nextDeadline(inc, breached);
      if (due && due.getTime() <= now.getTime()) {
        const events = await this.repo.recordBreaches(inc.id, now);
        if (events.length > 0) this.recorded(events);
        for (const e of events) if (e.type === 'target_breached') breached.add(e.payload.target);
      }
      const upcoming = nextDeadline(inc, breached);
      if (upcoming && upcoming.getTime() > now.getTime() && (!next || upcoming < next))
        next = upcoming;
    }
    return next;
  }
}
