/**
 * Pushes overdue 321 inspections live (issue 14 item 2): on each tick it asks where every
 * township under a special protection period stands and announces each inspection kind that
 * has fallen overdue, once per due time, to the county, war zone and township rooms. It
 * sleeps until the next due time (at most a minute, as inspections and periods change).
 * A restarted server announces what is overdue again: a reminder, not a duplicate record.
 */
import type { InspectionOverdue } from '../domain/live-events.ts';
import { nextDue } from '../domain/rhythm.ts';
import type { InspectionsRepository } from '../repositories/inspections-repository.ts';
import { type Clock, DeadlineTimer, systemClock } from './deadline-timer.ts';

const MAX_SLEEP_MS = 60_000;

export class RhythmWatch extends DeadlineTimer {
  private readonly announced = new Set<string>();

  constructor(
    private readonly repo: Pick<InspectionsRepository, 'rhythm'>,
    private readonly publish: (overdue: InspectionOverdue) => void,
    clock: Clock = systemClock,
    onError: (err: unknown) => void = () => {},
  ) {
    super(clock, onError, MAX_SLEEP_MS);
  }

  /** Announces what has fallen overdue since the last tick; returns the next due time. */
  async tick(): Promise<Date | null> {
    const now = this.clock.now();
    let next: Date | null = null;
    for (const t of await this.repo.rhythm(now)) {
      for (const k of t.kinds) {
        const key = `${t.periodId}:${t.townshipCode}:${k.kind}:${k.dueAt}`;
        if (!k.overdue || this.announced.has(key)) continue;
        this.announced.add(key);
        this.publish({
          townshipCode: t.townshipCode,
          townshipName: t.townshipName,
          warZoneId: t.warZoneId,
          kind: k.kind,
          everyDays: k.everyDays,
          lastAt: k.lastAt,
          dueAt: k.dueAt,
          periodTitle: t.periodTitle,
        });
      }
      // Overdue means strictly after the due time: look again just past it.
      const due = nextDue(t.kinds, now);
      const after = due ? new Date(due.getTime() + 1) : null;
      if (after && (!next || after < next)) next = after;
    }
    return next;
  }
}
