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
import { BreachClock, type Clock, systemClock } from '../services/breach-clock.ts';
import { LEADER_LOCKS, leaderLease } from './leader-lease.ts';

/** pg_advisory_lock key of the breach clock's leader. */
export const CLOCK_LEADER_LOCK = LEADER_LOCKS.breachClock;

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
      app.incidentService,
      // The incident log publishes what the clock records; the server's log notes it too.
      (events) => app.log.info({ breaches: events.map((e) => e.seq) }, 'targets missed'),
      opts.clock ?? systemClock,
      (err) => app.log.error({ err }, 'breach clock tick failed'),
    );
    app.decorate('breachClock', clock);
    app.decorate(
      'breachClockLeader',
      leaderLease(app, {
        key: CLOCK_LEADER_LOCK,
        name: 'breach clock',
        start: () => clock.start(),
        stop: () => clock.stop(),
        ...(opts.leaseCheckMs !== undefined ? { leaseCheckMs: opts.leaseCheckMs } : {}),
        ...(opts.autoStart !== undefined ? { autoStart: opts.autoStart } : {}),
      }),
    );
  },
  { name: 'breach-clock', dependencies: ['incident-service', 'live', 'db'] },
);
