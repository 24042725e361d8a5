/**
 * The incident log's one unit of work. `log.run(async (q) => …)` opens a transaction, takes
 * the log's ordering lock (so event sequences commit in order: a client that saw event N has
 * seen every event before N, and two copies of one report can never both be stored), lets the
 * work read and write rows with `q` and append typed events with `q.append`, and, once the
 * transaction has committed, publishes what it appended (to the live channel and whoever
 * else listens). A transaction
 * that throws appends nothing and publishes nothing. Repositories that change incidents write
 * through here; none takes the lock itself.
 */
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Database, TxQuery } from '../db/database.ts';
import type {
  IncidentEvent,
  IncidentEventOf,
  IncidentEventPayloads,
  IncidentEventType,
} from '../domain/live-events.ts';
import { iso, summaryOf } from './incident-summary.ts';

/** One lock for every write to the incident log (pg_advisory_xact_lock key). */
export const LOG_LOCK = 7_381_001;

/** A transaction of the log: queries, and `append` for events. */
export type LogTx = TxQuery & {
  append<K extends IncidentEventType>(
    incidentId: string,
    type: K,
    actor: string,
    payload: IncidentEventPayloads[K],
  ): Promise<IncidentEventOf<K>>;
};

export type Publisher = (events: IncidentEvent[]) => void;

export function createIncidentLog(database: Database) {
  const subscribers: Publisher[] = [];
  const publish: Publisher = (events) => {
    for (const fn of subscribers) fn(events);
  };
  return {
    async run<T>(work: (q: LogTx) => Promise<T>): Promise<T> {
      const appended: IncidentEvent[] = [];
      const result = await database.transaction(async (q) => {
        await q(sql`SELECT pg_advisory_xact_lock(${LOG_LOCK})`);
        const append = async <K extends IncidentEventType>(
          incidentId: string,
          type: K,
          actor: string,
          payload: IncidentEventPayloads[K],
        ): Promise<IncidentEventOf<K>> => {
          const [e] = await q<{ seq: number; at: string }>(sql`
            INSERT INTO incident_events (incident_id, type, actor_label, payload)
            VALUES (${incidentId}::uuid, ${type}, ${actor}, ${JSON.stringify(payload)}::jsonb)
            RETURNING seq, at`);
          const event: IncidentEventOf<K> = {
            seq: Number(e?.seq),
            incidentId,
            type,
            at: iso(e?.at),
            actor,
            payload,
            incident: await summaryOf(q, incidentId),
          };
          // Every IncidentEventOf<K> is one member of the IncidentEvent union.
          appended.push(event as IncidentEvent);
          return event;
        };
        return work(Object.assign(q, { append }));
      });
      if (appended.length > 0) publish(appended);
      return result;
    },

    /**
     * Hears every run's events once it has committed: the live channel, and what follows from
     * them (the month's flag history). Each is called in turn; none may throw.
     */
    onCommit(fn: Publisher): void {
      subscribers.push(fn);
    },
  };
}

export type IncidentLog = ReturnType<typeof createIncidentLog>;

declare module 'fastify' {
  interface FastifyInstance {
    incidentLog: IncidentLog;
  }
}

export default fp(
  async (app: FastifyInstance) => {
    app.decorate('incidentLog', createIncidentLog(app.database));
  },
  { name: 'incident-log', dependencies: ['db'] },
);
