/** Runs the 321 rhythm's overdue pushes while the server is up (issue 14 item 2). */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Clock } from '../services/deadline-timer.ts';
import { RhythmWatch } from '../services/rhythm-watch.ts';

declare module 'fastify' {
  interface FastifyInstance {
    rhythmWatch: RhythmWatch;
  }
}

export default fp(
  async (app: FastifyInstance, opts: { clock?: Clock; autoStart?: boolean }) => {
    const watch = new RhythmWatch(
      app.inspectionsRepository,
      (overdue) => app.live.publishOverdue(overdue),
      opts.clock,
      (err) => app.log.error({ err }, 'rhythm watch tick failed'),
    );
    app.decorate('rhythmWatch', watch);
    if (opts.autoStart !== false) app.addHook('onReady', async () => watch.start());
    app.addHook('preClose', async () => watch.stop());
  },
  { name: 'rhythm-watch', dependencies: ['inspections-repository', 'live'] },
);
