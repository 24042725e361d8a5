/**
 * Fixed-window counters for rate limits (design.md: "limit every unauthenticated path per
 * address and in total"). With REDIS_URL the counts live in Redis, so N server nodes admit
 * what one would (issue 17, item 1); without it, in this process's memory. Windows are
 * aligned to multiples of their length, so every node agrees on which window a moment is in.
 */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { createClient } from 'redis';

export interface RateCounters {
  /** Hits recorded for `key` in the window holding `now` (ms since epoch). */
  count(key: string, windowMs: number, now?: number): Promise<number>;
  /** Records one hit for `key` in the window holding `now`. */
  hit(key: string, windowMs: number, now?: number): Promise<void>;
  /**
   * Adds `n` (negative gives back) to `key` in the window holding `now` and answers the new
   * total, atomically: of two nodes reserving the last of a quota at once, one sees it over.
   */
  add(key: string, n: number, windowMs: number, now?: number): Promise<number>;
  /**
   * The counters' time (ms since epoch), used where `now` is omitted: the wall clock, or a
   * fixed one in tests that count up to a limit (a count straddling a window's end would
   * start again at 0 and the limit would never be reached).
   */
  now(): number;
  close(): Promise<void>;
}

const windowOf = (windowMs: number, now: number) => Math.floor(now / windowMs);

export function memoryCounters(
  clock: () => number = Date.now,
): RateCounters & { readonly size: number } {
  const counts = new Map<string, { window: number; n: number; endsAt: number }>();
  // Keys are per caller address: without a sweep, a caller rotating addresses would grow the
  // map for ever. Ended windows are dropped whenever the map has doubled since the last sweep.
  let sweepAt = 10_000;
  const sweep = (now: number) => {
    if (counts.size < sweepAt) return;
    for (const [key, c] of counts) if (c.endsAt <= now) counts.delete(key);
    sweepAt = Math.max(10_000, 2 * counts.size);
  };
  const current = (key: string, windowMs: number, now: number) => {
    const c = counts.get(key);
    return c && c.window === windowOf(windowMs, now) ? c.n : 0;
  };
  const add = (key: string, n: number, windowMs: number, now: number) => {
    const w = windowOf(windowMs, now);
    const total = current(key, windowMs, now) + n;
    counts.set(key, { window: w, n: total, endsAt: (w + 1) * windowMs });
    sweep(now);
    return total;
  };
  return {
    async count(key, windowMs, now = clock()) {
      return current(key, windowMs, now);
    },
    async hit(key, windowMs, now = clock()) {
      add(key, 1, windowMs, now);
    },
    async add(key, n, windowMs, now = clock()) {
      return add(key, n, windowMs, now);
    },
    now: clock,
    async close() {},
    /** How many keys are held (tests). */
    get size() {
      return counts.size;
    },
  };
}

type RedisClient = ReturnType<typeof createClient>;

/** Counters every node sharing `client` sees; keys expire one window after theirs ends. */
export function redisCounters(
  client: RedisClient,
  prefix: string,
  clock: () => number = Date.now,
): RateCounters {
  const keyOf = (key: string, windowMs: number, now: number) =>
    `${prefix}:rate:${windowMs}:${windowOf(windowMs, now)}:${key}`;
  return {
    async count(key, windowMs, now = clock()) {
      return Number((await client.get(keyOf(key, windowMs, now))) ?? 0);
    },
    async hit(key, windowMs, now = clock()) {
      const k = keyOf(key, windowMs, now);
      await client
        .multi()
        .incr(k)
        .pExpire(k, 2 * windowMs)
        .exec();
    },
    async add(key, n, windowMs, now = clock()) {
      const k = keyOf(key, windowMs, now);
      const [total] = await client
        .multi()
        .incrBy(k, n)
        .pExpire(k, 2 * windowMs)
        .exec();
      return Number(total);
    },
    now: clock,
    async close() {
      await client.quit();
    },
  };
}

declare module 'fastify' {
  interface FastifyInstance {
    rateCounters: RateCounters;
  }
}

export default fp(
  async (
    app: FastifyInstance,
    opts: { redisUrl?: string; redisPrefix?: string; clock?: () => number },
  ) => {
    let counters: RateCounters = memoryCounters(opts.clock);
    if (opts.redisUrl) {
      const client = createClient({ url: opts.redisUrl, name: 'fire-rate-counters' });
      client.on('error', (err) => app.log.warn({ err }, 'redis connection error (rate counters)'));
      await client.connect();
      counters = redisCounters(client, opts.redisPrefix ?? 'fire', opts.clock);
    }
    app.decorate('rateCounters', counters);
    app.addHook('onClose', async () => counters.close());
  },
  { name: 'rate-counters' },
);
