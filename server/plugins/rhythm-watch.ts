/**
 * Runs the 321 rhythm's overdue pushes while the server is up (issue 14 item 2), on one node
 * at a time when several share one PostgreSQL (leader-lease.ts).
 */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Clock } from '../services/deadline-timer.ts';
import { RhythmWatch } from '../services/rhythm-watch.ts';
import { LEADER_LOCKS, leaderLease } from './leader-lease.ts';

declare module 'fastify' {
  interface FastifyInstance {
    rhythmWatch: RhythmWatch;
    /** Whether this node pushes the rhythm's overdue notices now. */
    rhythmWatchLeader(): boolean;
  }
}

export default fp(
  async (
    app: FastifyInstance,
    opts: { clock?: Clock; autoStart?: boolean; leaseCheckMs?: number },
  ) => {
    const watch = new RhythmWatch(
      app.inspectionsRepository,
      (overdue) => app.live.publishOverdue(overdue),
      opts.clock,
      (err) => app.log.error({ err }, 'rhythm watch tick failed'),
    );
    app.decorate('rhythmWatch', watch);
    // One node pushes: a push from each would reach every page once per node.
    const leads = leaderLease(app, {
      key: LEADER_LOCKS.rhythmWatch,
      name: 'rhythm watch',
      start: () => watch.start(),
      stop: () => watch.stop(),
      ...(opts.autoStart !== undefined ? { autoStart: opts.autoStart } : {}),
      ...(opts.leaseCheckMs !== undefined ? { leaseCheckMs: opts.leaseCheckMs } : {}),
    });
    app.decorate('rhythmWatchLeader', leads);
  },
  { name: 'rhythm-watch', dependencies: ['inspections-repository', 'live', 'db'] },
);
