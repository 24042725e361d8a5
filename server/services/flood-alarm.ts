/**
 * The server's side of a flood of unverified anonymous reports (server/domain/flood.ts): a
 * warning in the log and a row in the audit trail the first time the threshold is crossed in
 * a window, so the duty officer and the supervision office see that it happened, and when.
 * The command page folds the flood into one line and sounds its own alarm.
 */
import type { FastifyInstance } from 'fastify';
import { FLOOD_WINDOW_MS } from '../domain/flood.ts';

export function floodAlarm(app: FastifyInstance, threshold: number): () => Promise<void> {
  let lastAlarmAt = 0;
  return async () => {
    const now = Date.now();
    if (now - lastAlarmAt < FLOOD_WINDOW_MS) return;
    try {
      const n = await app.incidentsRepository.unverifiedAnonymousSince(
        new Date(now - FLOOD_WINDOW_MS),
      );
      if (n < threshold) return;
      lastAlarmAt = now;
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
    } catch (err) {
      app.log.error({ err }, 'flood check failed');
    }
  };
}
