/** The daily photo quota without sign-in: counts, bytes, atomic under concurrency, the CST day. */
import { describe, expect, it } from 'vitest';
import { memoryCounters } from '../plugins/rate-counters.ts';
import { type PhotoQuota, photoQuota, type QuotaHold } from './photo-quota.ts';

const MB = 1_048_576;
const hold = async (q: PhotoQuota, address: string, now?: number): Promise<QuotaHold | null> => {
  const t = await q.take(address, now);
  return 'hold' in t ? t.hold : null;
};

describe('photoQuota', () => {
  it('takes so many photos per address, then refuses; a released one is given back', async () => {
    const q = photoQuota(memoryCounters(), { photosPerDay: 2, bytesPerDay: 100 * MB });
    const a = await hold(q, '10.0.0.1');
    expect(await hold(q, '10.0.0.1')).not.toBeNull();
    expect(await hold(q, '10.0.0.1')).toBeNull();
    expect(await hold(q, '10.0.0.2')).not.toBeNull();
    await a?.release();
    expect(await hold(q, '10.0.0.1')).not.toBeNull();
  });

  it('reserves bytes as they arrive and stops at the day’s bytes; fit gives back the rest of a block', async () => {
    const q = photoQuota(memoryCounters(), { photosPerDay: 100, bytesPerDay: 3 * MB });
    const a = await hold(q, 'x');
    expect(await a?.grow(1000)).toBe(MB); // a block ahead
    await a?.fit(1000);
    const b = await hold(q, 'x');
    expect(await b?.grow(2 * MB)).toBe(2 * MB);
    expect(await b?.grow(3 * MB - 1000)).toBe(3 * MB - 1000); // exactly what is left
    expect(await b?.grow(3 * MB)).toBe(false);
    await b?.release();
    const c = await hold(q, 'x');
    expect(await c?.grow(3 * MB - 1000)).toBe(3 * MB - 1000);
  });

  it('lets no more through when many photos reserve at once', async () => {
    const q = photoQuota(memoryCounters(), { photosPerDay: 5, bytesPerDay: 10 * MB });
    const holds = await Promise.all(Array.from({ length: 20 }, () => hold(q, 'y')));
    expect(holds.filter(Boolean)).toHaveLength(5);
    const grown = await Promise.all(holds.filter(Boolean).map((h) => h?.grow(3 * MB)));
    expect(grown.filter((g) => g !== false)).toHaveLength(3);
  });

  it('starts a new day at midnight China Standard Time (16:00 UTC)', async () => {
    const q = photoQuota(memoryCounters(), { photosPerDay: 1, bytesPerDay: MB });
    const evening = Date.UTC(2026, 4, 1, 15, 59, 59); // 23:59:59 in Beijing
    expect(await hold(q, 'z', evening)).not.toBeNull();
    expect(await hold(q, 'z', evening + 500)).toBeNull();
    expect(await hold(q, 'z', Date.UTC(2026, 4, 1, 16, 0, 0))).not.toBeNull();
    expect(await hold(q, 'z', Date.UTC(2026, 4, 2, 15, 0, 0))).toBeNull();
  });
});
