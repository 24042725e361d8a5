/**
 * The server's side of a flood of unverified anonymous reports (server/domain/flood.ts): a
 * warning in the log and a row in the audit trail the first time the threshold is crossed in
 * a window, so the duty officer and the supervision office see that it happened, and when.
 * The command page folds the flood into one line and sounds its own alarm.
 *
 * The count is asked of the database when this node's own reports since the last count could
 * have crossed the threshold, or once a second (other nodes' reports count too), not after
 * every report: at hundreds of anonymous reports a second, one count each would cost more
 * than the reports.
 */
import type { FastifyInstance } from 'fastify';
import { FLOOD_WINDOW_MS } from '../domain/flood.ts';

/** How long a count may be trusted before other nodes' reports are counted again. */
export const FLOOD_RECOUNT_MS = 1000;

export interface FloodAlarmDeps {
  /** Unverified anonymous reports since a time (all nodes). */
  countSince(since: Date): Promise<number>;
  /** Records the flood: the log's warning and the audit row. */
  raise(unverified: number): Promise<void>;
  fail(err: unknown): void;
  now?: () => number;
}

export function createFloodAlarm(threshold: number, deps: FloodAlarmDeps): () => Promise<void> {
  const now = deps.now ?? Date.now;
  let lastAlarmAt = Number.NEGATIVE_INFINITY;
  let countedAt = Number.NEGATIVE_INFINITY;
  /** The last count plus this node's reports since: what the database would say at most. */
  let estimate = 0;
  return async () => {
    const t = now();
    estimate++;
    if (t - lastAlarmAt < FLOOD_WINDOW_MS) return;
    if (estimate < threshold && t - countedAt < FLOOD_RECOUNT_MS) return;
    countedAt = t;
    try {
      const n = await deps.countSince(new Date(t - FLOOD_WINDOW_MS));
      estimate = n;
      if (n < threshold) return;
      lastAlarmAt = t;
      await deps.raise(n);
    } catch (err) {
      deps.fail(err);
    }
  };
}

export function floodAlarm(app: FastifyInstance, threshold: number): () => Promise<void> {
  return createFloodAlarm(threshold, {
    countSince: (since) => app.incidentsRepository.unverifiedAnonymousSince(since),
    async raise(n) {
      app.log.warn({ unverified: n, windowMinutes: FLOOD_WINDOW_MS / 60_000 }, 'report flood');
      await app.auditRepository.append({
        userId: null,
        role: null,
        action: 'flood_detected',
        objectType: 'incidents',
        objectId: null,
        address: null,
        detail: { unverified: n, windowMinutes: FLOOD_WINDOW_MS / 60_000 },
      });
    },
    fail: (err) => app.log.error({ err }, 'flood check failed'),
  });
}
