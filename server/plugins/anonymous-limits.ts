/**
 * Limits on what the anonymous may cost (design.md: anonymous input is hostile). A route asks
 * for `app.anonymousLimit({...})` as an onRequest hook: callers without a session are counted
 * per address (or for everyone together) in a fixed window and get 429 naming `field`, with
 * Retry-After, before anything is parsed or computed; signed-in users are not counted here.
 * Built on @fastify/rate-limit's counters, which are atomic within this process.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { HttpError } from './errors.ts';

export interface AnonymousLimit {
  /** Requests allowed in the window. */
  max: number;
  windowMs: number;
  /** Count everyone without a session together instead of per address. */
  total?: boolean;
  /** The message of the 429 and the field it names. */
  message: string;
  field: string;
}

type Hook = (request: FastifyRequest, reply: FastifyReply) => Promise<void>;

declare module 'fastify' {
  interface FastifyInstance {
    /** An onRequest hook applying these limits, in order, to callers without a session. */
    anonymousLimit(...limits: AnonymousLimit[]): Hook;
  }
}

export default fp(
  async (app: FastifyInstance) => {
    let n = 0;
    app.decorate('anonymousLimit', (...limits: AnonymousLimit[]): Hook => {
      const checks = limits.map((l) => ({ l, id: `anon:limit${n++}` }));
      return async (request, reply) => {
        if (request.actor !== null) return;
        for (const { l, id } of checks) {
          const key = l.total ? id : `${id}:${request.ip}`;
          // Counted in the shared rate counters (Redis with REDIS_URL), so two nodes admit
          // what one would; the increment and the answer are one atomic step.
          const used = await app.rateCounters.add(key, 1, l.windowMs);
          if (used > l.max) {
            const now = Date.now();
            const retryAfterS = Math.ceil((l.windowMs - (now % l.windowMs)) / 1000);
            reply.header('retry-after', retryAfterS);
            throw new HttpError(429, l.message, l.field);
          }
        }
      };
    });
  },
  { name: 'anonymous-limits', dependencies: ['auth', 'rate-counters'] },
);
