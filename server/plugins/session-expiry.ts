/**
 * Sessions end on time: once a minute, sessions past their expiry and bearer tokens idle past
 * BEARER_IDLE_HOURS are deleted and their live sockets disconnected (through the Redis
 * adapter, on whichever node holds them), so a lapsed session stops hearing events at once,
 * not at its next reconnect. Every node may sweep: the DELETE hands each session to one.
 */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

declare module 'fastify' {
  interface FastifyInstance {
    sessionExpiry: {
      /** Ends what has lapsed now; answers how many sessions ended. */
      sweep(): Promise<number>;
    };
  }
}

export default fp(
  async (app: FastifyInstance, opts: { everyMs?: number; start?: boolean }) => {
    const sweep = async () => {
      const ended = await app.usersRepository.endExpiredSessions();
      app.live.endSessionHashes(ended);
      if (ended.length > 0) app.log.info({ sessions: ended.length }, 'sessions expired');
      return ended.length;
    };
    app.decorate('sessionExpiry', { sweep });
    if (opts.start === false) return;
    let timer: NodeJS.Timeout | undefined;
    app.addHook('onReady', async () => {
      timer = setInterval(() => {
        sweep().catch((err) => app.log.warn({ err }, 'session expiry sweep failed'));
      }, opts.everyMs ?? 60_000);
      timer.unref();
    });
    app.addHook('onClose', async () => clearInterval(timer));
  },
  { name: 'session-expiry', dependencies: ['live'] },
);
