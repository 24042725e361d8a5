/**
 * Graceful shutdown at the HTTP level. Fastify's close stops accepting connections and waits
 * for open ones; a keep-alive socket whose request finishes during shutdown would otherwise
 * stay open until the client drops it. Once closing, every response says
 * `Connection: close`, so in-flight work finishes and its socket ends with it.
 */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

export default fp(
  async (app: FastifyInstance) => {
    let closing = false;
    app.addHook('preClose', async () => {
      closing = true;
    });
    app.addHook('onSend', async (_request, reply, payload) => {
      if (closing) reply.header('connection', 'close');
      return payload;
    });
  },
  { name: 'graceful-close' },
);
