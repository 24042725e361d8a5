/**
 * One node at a time runs a timer when several share one PostgreSQL (issue 17, item 1): the
 * node holding a session-level advisory lock runs it; the others try again every few
 * seconds, so when the holder stops or dies (its connection drops and the lock with it)
 * another takes over within that time. The breach clock and the 321 rhythm's overdue pushes
 * run this way (a push from every node would reach each page once per node).
 */
import type { FastifyInstance } from 'fastify';
import type { HeldLock } from '../db/database.ts';

/** pg_advisory_lock keys of the leaders (LOG_LOCK 7_381_001, AUDIT_LOCK 7_381_002). */
export const LEADER_LOCKS = {
  breachClock: 7_381_003,
  // 7_381_004 is the audit anchor's writer (plugins/audit-anchors.ts).
  rhythmWatch: 7_381_005,
} as const;

export interface LeaderLeaseOptions {
  key: number;
  /** For the log: "breach clock", "rhythm watch". */
  name: string;
  /** Called when this node takes the lead, and when it loses it or the server closes. */
  start: () => void;
  stop: () => Promise<void>;
  leaseCheckMs?: number;
  /** Take part from onReady (false: never, as in tests that drive the timer by hand). */
  autoStart?: boolean;
}

/** Runs `start`/`stop` as this node gains and loses the lead; answers whether it leads now. */
export function leaderLease(app: FastifyInstance, o: LeaderLeaseOptions): () => boolean {
  let held: HeldLock | null = null;
  let timer: NodeJS.Timeout | null = null;
  let closing = false;
  let checking: Promise<void> = Promise.resolve();

  /** Take the lead when free; give it up when its connection is gone. */
  async function check() {
    if (closing) return;
    try {
      if (held && !(await held.alive())) {
        app.log.warn(`${o.name}: lost the leader lock; standing by`);
        await o.stop();
        await held.release();
        held = null;
      }
      if (!held) {
        const lock = app.database.leaderLock
          ? await app.database.leaderLock(o.key)
          : { alive: async () => true, release: async () => {} };
        if (lock && closing) await lock.release();
        else if (lock) {
          held = lock;
          app.log.info(`${o.name}: this node runs it`);
          o.start();
        }
      }
    } catch (err) {
      app.log.error({ err }, `${o.name}: leader check failed`);
    }
    if (!closing)
      timer = setTimeout(() => {
        checking = check();
      }, o.leaseCheckMs ?? 5000);
  }

  if (o.autoStart !== false)
    app.addHook('onReady', async () => {
      checking = check();
      await checking;
    });
  app.addHook('preClose', async () => {
    closing = true;
    if (timer) clearTimeout(timer);
    await checking;
    await o.stop();
    await held?.release();
    held = null;
  });
  return () => held !== null;
}
