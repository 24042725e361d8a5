/**
 * The month's flags follow the fires (督战体系): once the incident log commits an event that
 * changes them — a fire confirmed, one dismissed as a false alarm or taken back from one, a
 * fire marked as a drill's — the flag history of that fire's month (Asia/Shanghai) is settled
 * for townships and villages at once, not only at the next read of the flags
 * (repositories/supervision-repository.ts explains the history and its thresholds).
 */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { eventChangesFlags, shanghaiMonthOf } from '../domain/flags.ts';
import type { IncidentEvent } from '../domain/live-events.ts';

/** The months whose flags these events change. */
export function monthsChanged(events: readonly IncidentEvent[]): string[] {
  const months = new Set<string>();
  for (const e of events)
    if (eventChangesFlags(e)) months.add(shanghaiMonthOf(new Date(e.incident.firstReportedAt)));
  return [...months];
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Settles of the flag history still running (awaited on close; tests wait on it). */
    flagHistorySettling(): Promise<void>;
  }
}

export default fp(
  async (app: FastifyInstance) => {
    let running: Promise<void> = Promise.resolve();
    app.incidentLog.onCommit((events) => {
      const months = monthsChanged(events);
      if (months.length === 0) return;
      running = running
        .then(async () => {
          for (const month of months)
            for (const level of ['township', 'village'] as const)
              await app.supervisionRepository.flags(month, level);
        })
        .catch((err) => app.log.error({ err, months }, 'flag history not settled'));
    });
    app.decorate('flagHistorySettling', () => running);
    app.addHook('preClose', async () => {
      await running;
    });
  },
  { name: 'flag-history', dependencies: ['incident-log', 'supervision-repository'] },
);
