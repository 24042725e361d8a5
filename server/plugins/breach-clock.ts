/**
 * Runs the 10/20/30-minute breach clock while the server is up — on one node at a time when
 * several share one PostgreSQL (issue 17, item 1). The node holding a session-level advisory
 * lock runs the clock; the others try again every few seconds, so when the holder stops or
 * dies (its connection drops and the lock with it) another takes over within that time. The
 * clock reads its state from the database (services/breach-clock.ts) and re-reads it at
 * least every 30 s, so fires reported on any node are timed; the unique index on breach
 * events would stop a double record even if two clocks ever overlapped.
 */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { HeldLock } from '../db/database.ts';
import { BreachClock, type Clock, systemClock } from '../services/breach-clock.ts';

/** pg_advisory_lock key of the breach clock's leader (LOG_LOCK 7_381_001, AUDIT_LOCK 7_381_002). */
export const CLOCK_LEADER_LOCK = 7_381_003;

declare module 'fastify' {
  interface FastifyInstance {
    breachClock: BreachClock;
    /** Whether this node runs the breach clock now. */
    breachClockLeader(): boolean;
  }
}

export default fp(
  async (
    app: FastifyInstance,
    opts: { clock?: Clock; autoStart?: boolean; leaseCheckMs?: number },
  ) => {
    const clock = new BreachClock(
      app.incidentsRepository,
      (events) => app.live.publish(events),
      opts.clock ?? systemClock,
      (err) => app.log.error({ err }, 'breach clock tick failed'),
    );
    app.decorate('breachClock', clock);

    let held: HeldLock | null = null;
    let timer: NodeJS.Timeout | null = null;
    let closing = false;
    let checking: Promise<void> = Promise.resolve();
    app.decorate('breachClockLeader', () => held !== null);

    /** Take the lead when free; give it up when its connection is gone. */
    async function check() {
      if (closing) return;
      try {
        if (held && !(await held.alive())) {
          app.log.warn('breach clock: lost the leader lock; standing by');
          await clock.stop();
          await held.release();
          held = null;
        }
        if (!held) {
          const lock = app.database.leaderLock
            ? await app.database.leaderLock(CLOCK_LEADER_LOCK)
            : { alive: async () => true, release: async () => {} };
          if (lock && closing) await lock.release();
          else if (lock) {
            held = lock;
            app.log.info('breach clock: this node runs it');
            clock.start();
          }
        }
      } catch (err) {
        app.log.error({ err }, 'breach clock: leader check failed');
      }
      if (!closing)
        timer = setTimeout(() => {
          checking = check();
        }, opts.leaseCheckMs ?? 5000);
    }

    if (opts.autoStart !== false)
      app.addHook('onReady', async () => {
        checking = check();
        await checking;
      });
    app.addHook('preClose', async () => {
      closing = true;
      if (timer) clearTimeout(timer);
      await checking;
      await clock.stop();
      await held?.release();
      held = null;
    });
  },
  { name: 'breach-clock', dependencies: ['incidents-repository', 'live', 'db'] },
);
