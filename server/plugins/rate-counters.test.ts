/**
 * Rate counters: in memory for one process; in Redis, two counter sets (two server nodes)
 * count the same hits. The Redis half needs Redis at 127.0.0.1:6379 (.ci/run starts it).
 */
import crypto from 'node:crypto';
import { createClient } from 'redis';
import { afterAll, describe, expect, it } from 'vitest';
import { redisUp } from '../testing/redis.ts';
import { memoryCounters, type RateCounters, redisCounters } from './rate-counters.ts';

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 2, 1, 8, 0, 0);

const redisAvailable = await redisUp();

async function countsAcrossWindows(a: RateCounters, b: RateCounters) {
  const key = `203.0.113.${crypto.randomInt(1, 250)}`;
  await a.hit(key, HOUR, T0);
  await b.hit(key, HOUR, T0 + 10 * 60_000);
  await a.hit(key, HOUR, T0 + 59 * 60_000);
  return {
    sameWindowA: await a.count(key, HOUR, T0 + 30 * 60_000),
    sameWindowB: await b.count(key, HOUR, T0 + 30 * 60_000),
    nextWindow: await b.count(key, HOUR, T0 + HOUR),
    otherKey: await a.count(`${key}.other`, HOUR, T0),
  };
}

/** Bytes reserved and given back, as the photo quota does, seen from two nodes. */
async function addsAcrossWindows(a: RateCounters, b: RateCounters) {
  const key = `bytes:203.0.113.${crypto.randomInt(1, 250)}`;
  const first = await a.add(key, 5000, HOUR, T0);
  const second = await b.add(key, 3000, HOUR, T0 + 60_000);
  const back = await a.add(key, -1000, HOUR, T0 + 120_000);
  return {
    totals: [first, second, back],
    seenByB: await b.count(key, HOUR, T0 + 30 * 60_000),
    nextWindow: await b.add(key, 10, HOUR, T0 + HOUR),
  };
}
const ADDS = { totals: [5000, 8000, 7000], seenByB: 7000, nextWindow: 10 };

describe('rate counters', () => {
  it('count hits per key in aligned fixed windows in memory', async () => {
    const m = memoryCounters();
    expect(await countsAcrossWindows(m, m)).toEqual({
      sameWindowA: 3,
      sameWindowB: 3,
      nextWindow: 0,
      otherKey: 0,
    });
    expect(await addsAcrossWindows(m, m)).toEqual(ADDS);
  });

  it('forget the callers of ended windows in memory, so rotating addresses cannot grow it for ever', async () => {
    const m = memoryCounters();
    const T0 = Date.UTC(2026, 3, 1, 8);
    for (let i = 0; i < 9_999; i++) await m.hit(`ip:${i}`, 60_000, T0);
    expect(m.size).toBe(9_999);
    // An hour later a fresh caller arrives: every ended window goes, the live ones stay.
    await m.hit('ip:late', 60_000, T0 + 3_600_000);
    expect(m.size).toBe(1);
    expect(await m.count('ip:late', 60_000, T0 + 3_600_000)).toBe(1);
    // Windows still running are kept.
    for (let i = 0; i < 10_000; i++) await m.hit(`live:${i}`, 3_600_000, T0 + 3_600_000);
    expect(m.size).toBe(10_001);
    expect(await m.count('live:7', 3_600_000, T0 + 3_600_000)).toBe(1);
  });

  const clients: ReturnType<typeof createClient>[] = [];
  let prefix = '';
  afterAll(async () => {
    for (const c of clients) {
      if (c === clients[0])
        for await (const keys of c.scanIterator({ MATCH: `${prefix}:*` }))
          if (keys.length > 0) await c.del(keys);
      await c.quit();
    }
  });

  it.skipIf(!redisAvailable)('share the counts between two nodes through Redis', async () => {
    prefix = `fire-test-${crypto.randomUUID()}`;
    const node = async () => {
      const c = createClient({ url: 'redis://127.0.0.1:6379' });
      await c.connect();
      clients.push(c);
      return redisCounters(c, prefix);
    };
    const [a, b] = [await node(), await node()];
    expect(await countsAcrossWindows(a, b)).toEqual({
      sameWindowA: 3,
      sameWindowB: 3,
      nextWindow: 0,
      otherKey: 0,
    });
    expect(await addsAcrossWindows(a, b)).toEqual(ADDS);
  });
});
