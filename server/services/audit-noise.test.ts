import { describe, expect, it } from 'vitest';
import type { AuditEntry } from './audit-chain.ts';
import { AnonymousNoise } from './audit-noise.ts';

describe('AnonymousNoise', () => {
  it('writes one row per address, minute and kind with its count, once the minute is over', async () => {
    let now = Date.parse('2026-11-30T10:00:05Z');
    const rows: AuditEntry[] = [];
    const noise = new AnonymousNoise(async (e) => rows.push(e), { now: () => now });
    for (let i = 0; i < 600; i++) noise.count('unknown_route', '10.0.0.9', `POST /api/x/${i}`, 404);
    noise.count('http_401', '10.0.0.9', 'POST /api/incidents/:id/dispatches', 401);
    noise.count('unknown_route', '10.0.0.8', 'POST /api/y', 404);
    expect(await noise.flush()).toBe(0); // the minute is not over
    now += 60_000;
    noise.count('unknown_route', '10.0.0.9', 'POST /api/z', 404);
    expect(await noise.flush()).toBe(3);
    const flood = rows.find((r) => r.address === '10.0.0.9' && r.objectType === 'unknown_route');
    expect(flood).toMatchObject({
      action: 'refused_anonymous',
      userId: null,
      detail: {
        count: 600,
        minute: '2026-11-30T10:00Z',
        statuses: { 404: 600 },
        otherActions: 580,
      },
    });
    expect(Object.keys(flood?.detail.actions as object)).toHaveLength(20);
    expect(noise.pending()).toBe(1);
    expect(await noise.flush(true)).toBe(1);
    expect(noise.pending()).toBe(0);
  });

  it('pools addresses past the bucket limit, so many addresses cannot grow it either', async () => {
    const rows: AuditEntry[] = [];
    const noise = new AnonymousNoise(async (e) => rows.push(e), { maxBuckets: 10 });
    for (let i = 0; i < 1000; i++)
      noise.count('unknown_route', `10.0.${i >> 8}.${i & 255}`, 'POST /api/x', 404);
    await noise.flush(true);
    expect(rows.length).toBeLessThanOrEqual(22); // 10 addresses and the pool, per minute
    expect(rows.reduce((n, r) => n + Number(r.detail.count), 0)).toBe(1000);
    expect(rows.some((r) => r.address === null && r.detail.pooledAddresses === true)).toBe(true);
  });
});
