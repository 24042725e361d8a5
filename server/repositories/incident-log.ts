/**
 * The incident log's one unit of work. `log.run(async (q) => …)` opens a transaction, lets the
 * work read and write rows with `q` and append typed events with `q.append`, and, once the
 * transaction has committed, publishes what it appended (to the live channel and whoever else
 * listens). A transaction that throws appends nothing and publishes nothing. Repositories that
 * change incidents write through here; none takes the lock itself.
 *
 * Ordering (issue 17: writes that scale). Event sequences commit in order: a client that saw
 * event N has seen every event before N, so replay "after N" never skips one committed late.
 * The work runs without any global lock, many at once; the events it appends are held in
 * memory and written at its end, under the log's lock, in one INSERT, with each incident's
 * summary read after it, and the lock is released by the COMMIT. All of that, after the
 * writes the work deferred (`q.defer`), leaves in one pipeline (commitEvents): the deferred
 * writes take their row locks before the log's lock is asked for, and the lock is held while
 * the database runs two statements and the commit, never while the work's own reads and
 * writes run or an answer waits for the event loop. A sequence is taken only while the lock
 * is held and the lock is held until that sequence is committed, hence sequence order is
 * commit order. The events `append` returns get their `seq`, `at` and
 * `incident` when the run commits them: read those after `run` returns.
 *
 * Without the global lock around the work, rules that check and then write serialise on what
 * they touch: the incident row (`FOR NO KEY UPDATE`, which a foreign key's KEY SHARE does not
 * wait for, so the final INSERT under the log's lock never waits for a row) or, where there is
 * no row yet, `q.exclusive(topic…)` (an advisory lock per topic: a report's UUID, the ground
 * around a new report, an alert). Locks are always taken in that order: topics (sorted), rows,
 * the log's lock last; nothing waits while holding the log's lock, so no cycle can form.
 */
import { type SQL, sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Database, Step, TxQuery } from '../db/database.ts';
import { jsonParam } from '../db/json-param.ts';
import type {
  IncidentEvent,
  IncidentEventOf,
  IncidentEventPayloads,
  IncidentEventType,
} from '../domain/live-events.ts';
import { iso, summariesStep } from './incident-summary.ts';

/** One lock orders the writes to the incident log (pg_advisory_xact_lock key). */
export const LOG_LOCK = 7_381_001;
/** The first key of the two-key advisory locks `exclusive` takes (the second: the topic's hash). */
export const TOPIC_LOCKS = 7_381_018;

/** A transaction of the log: queries, `append` for events, `exclusive` for check-then-write. */
export type LogTx = TxQuery & {
  /**
   * Holds an event to be written when the work ends. The returned event's `seq`, `at` and
   * `incident` are filled in when the run commits it.
   */
  append<K extends IncidentEventType>(
    incidentId: string,
    type: K,
    actor: string,
    payload: IncidentEventPayloads[K],
  ): Promise<IncidentEventOf<K>>;
  /**
   * Waits until no other unit of work holds any of these topics, and holds them to the end of
   * this one (sorted, so two runs asking for overlapping topics never wait for each other in a
   * cycle). Call it before reading what the rule checks.
   */
  exclusive(...topics: string[]): Promise<void>;
  /**
   * Writes sent when the work ends, in the order given, in the same round trip as the log's
   * lock and the events (nothing waits for their answers in between): for writes whose
   * results the work does not need (ids chosen beforehand). A failure fails the run.
   */
  defer(...statements: SQL[]): void;
};

export type Publisher = (events: IncidentEvent[]) => void;

/** Holds `topics` (advisory locks, sorted) to the end of the transaction: `LogTx.exclusive`. */
export function exclusiveStep(topics: readonly string[]): Step<void> {
  const sorted = [...new Set(topics)].sort();
  // One statement for all of them, in the array's order: unnest scans the array element by
  // element and the aggregate takes each lock as its row arrives.
  return {
    statement: sql`
      SELECT count(pg_advisory_xact_lock(${TOPIC_LOCKS}, hashtext(t)))::int AS held
      FROM unnest(ARRAY[${sql.join(
        sorted.map((t) => sql`${t}`),
        sql`, `,
      )}]::text[]) AS t`,
    read: () => undefined,
  };
}

/**
 * The run's tail, in one pipeline (one round trip on the server backend): the writes the work
 * deferred, then the log's lock, the held events in one INSERT, and each incident's summary
 * read after it, and the COMMIT that releases the lock (TxQuery.pipeline): on the server
 * backend the lock is held while the database runs these statements, never while their
 * answers wait for a busy event loop. Then fills in the events' sequence, time and summary.
 */
async function commitEvents(q: TxQuery, deferred: SQL[], held: IncidentEvent[]): Promise<void> {
  if (held.length === 0) {
    if (deferred.length > 0) await q.pipeline(deferred, { commit: true });
    return;
  }
  const incidentIds = [...new Set(held.map((e) => e.incidentId))];
  const results = await q.pipeline(
    [
      ...deferred,
      sql`SELECT pg_advisory_xact_lock(${LOG_LOCK})`,
      // One parameter whatever the count (the statement stays prepared); sequences are taken
      // in the events' order.
      sql`
    INSERT INTO incident_events (incident_id, type, actor_label, payload)
    SELECT e.incident, e.type, e.actor, e.payload
    FROM ROWS FROM (jsonb_to_recordset(${jsonParam(
      held.map((e) => ({
        incident: e.incidentId,
        type: e.type,
        actor: e.actor,
        payload: e.payload,
      })),
    )})
                    AS (incident uuid, type text, actor text, payload jsonb))
         WITH ORDINALITY AS e(incident, type, actor, payload, n)
    ORDER BY e.n
    RETURNING seq, at`,
      summariesStep(incidentIds).statement,
    ],
    { commit: true },
  );
  const [rows = [], summaryRows = []] = results.slice(deferred.length + 1);
  // Sequences are taken in the order of the events.
  const sorted = rows
    .map((r) => ({ seq: Number(r.seq), at: iso(r.at) }))
    .sort((a, b) => a.seq - b.seq);
  // Each incident as the run leaves it, its own events counted.
  const summaries = summariesStep(incidentIds).read(summaryRows);
  held.forEach((e, i) => {
    const stored = sorted[i];
    const incident = summaries.get(e.incidentId);
    if (!stored || !incident)
      throw new Error(`incident_events: event ${i} of ${e.incidentId} was not stored`);
    e.seq = stored.seq;
    e.at = stored.at;
    e.incident = incident;
  });
}

export function createIncidentLog(database: Database) {
  const subscribers: Publisher[] = [];
  const publish: Publisher = (events) => {
    for (const fn of subscribers) fn(events);
  };
  return {
    async run<T>(work: (q: LogTx) => Promise<T>): Promise<T> {
      const held: IncidentEvent[] = [];
      const deferred: SQL[] = [];
      const result = await database.transaction(async (q) => {
        const append = async <K extends IncidentEventType>(
          incidentId: string,
          type: K,
          actor: string,
          payload: IncidentEventPayloads[K],
        ): Promise<IncidentEventOf<K>> => {
          // seq, at and incident are set by commitEvents before the run returns.
          const event = { seq: 0, incidentId, type, at: '', actor, payload } as IncidentEventOf<K>;
          // Every IncidentEventOf<K> is one member of the IncidentEvent union.
          held.push(event as IncidentEvent);
          return event;
        };
        const exclusive = async (...topics: string[]) => {
          if (topics.length > 0) await q(exclusiveStep(topics).statement);
        };
        const defer = (...statements: SQL[]) => {
          deferred.push(...statements);
        };
        const value = await work(Object.assign(q, { append, exclusive, defer }));
        await commitEvents(q, deferred, held);
        return value;
      });
      if (held.length > 0) publish(held);
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
