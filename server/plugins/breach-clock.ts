/** Runs the 10/20/30-minute breach clock while the server is up. */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { BreachClock, type Clock, systemClock } from '../services/breach-clock.ts';

declare module 'fastify' {
  interface FastifyInstance {
    breachClock: BreachClock;
  }
}

export default fp(
  async (app: FastifyInstance, opts: { clock?: Clock; autoStart?: boolean }) => {
    const clock = new BreachClock(
      app.incidentsRepository,
      (events) => app.live.publish(events),
      opts.clock ?? systemClock,
      (err) => app.log.error({ err }, 'breach clock tick failed'),
    );
    app.decorate('breachClock', clock);
    if (opts.autoStart !== false) app.addHook('onReady', async () => clock.start());
    app.addHook('preClose', async () => clock.stop());
  },
  { name: 'breach-clock', dependencies: ['incidents-repository', 'live'] },
);
