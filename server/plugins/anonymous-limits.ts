/**
 * Limits on what the anonymous may cost (design.md: anonymous input is hostile). A route asks
 * for `app.anonymousLimit({...})` as an onRequest hook: callers without a session are counted
 * per address (or for everyone together) in a fixed window and get 429 naming `field`, with
 * Retry-After, before anything is parsed or computed; signed-in users are not counted here.
 * @fastify/rate-limit decides; its store is the shared rate counters (rate-counters.ts): in
 * Redis with REDIS_URL, so every node sees one count; else in this process.
 */
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { HttpError } from './errors.ts';
import type { RateCounters } from './rate-counters.ts';

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

/**
 * A @fastify/rate-limit store over the shared rate counters: fixed windows aligned to their
 * length (every node agrees which window a moment is in), one atomic increment per request.
 */
function countersStore(counters: RateCounters) {
  return class SharedCountersStore {
    incr(
      key: string,
      done: (err: Error | null, res?: { current: number; ttl: number }) => void,
      // Passed by the plugin at run time (its type declaration omits it); every limit here
      // names its window, so the default is never used.
      timeWindow = 60_000,
    ): void {
      const now = counters.now();
      counters.add(key, 1, timeWindow, now).then(
        (current) => done(null, { current, ttl: timeWindow - (now % timeWindow) }),
        (err: Error) => done(err),
      );
    }
    child() {
      return new SharedCountersStore();
    }
  };
}

export default fp(
  async (app: FastifyInstance) => {
    await app.register(rateLimit, { global: false, store: countersStore(app.rateCounters) });
    let n = 0;
    app.decorate('anonymousLimit', (...limits: AnonymousLimit[]): Hook => {
      const checks = limits.map((l) => {
        const id = `anon:limit${n++}`;
        return {
          l,
          check: app.createRateLimit({
            max: l.max,
            timeWindow: l.windowMs,
            keyGenerator: l.total ? () => id : (request) => `${id}:${request.ip}`,
            allowList: (request) => request.actor !== null,
          }),
        };
      });
      return async (request, reply) => {
        for (const { l, check } of checks) {
          const r = await check(request);
          if (!r.isAllowed && r.isExceeded) {
            reply.header('retry-after', r.ttlInSeconds);
            throw new HttpError(429, l.message, l.field);
          }
        }
      };
    });
  },
  { name: 'anonymous-limits', dependencies: ['auth', 'rate-counters'] },
);
