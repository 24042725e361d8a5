import { describe, expect, it } from 'vitest';
import { memoryCounters } from '../plugins/rate-counters.ts';
import { LoginThrottle } from './login-throttle.ts';

const settings = { maxFailures: 5, maxAttemptsPerAddress: 30, windowMs: 15 * 60_000 };
const T0 = Date.UTC(2026, 3, 1, 8, 0, 0);

describe('LoginThrottle', () => {
  it('refuses an address after five wrong passwords for one account, and no one else', async () => {
    const t = new LoginThrottle(memoryCounters(), settings, () => T0);
    for (let i = 0; i < 5; i++) {
      const a = await t.begin('10.0.0.9', 'county');
      expect(a.allowed).toBe(true);
      if (a.allowed) await a.done(false);
    }
    const refused = await t.begin('10.0.0.9', 'county');
    expect(refused.allowed).toBe(false);
    // Windows are aligned to 15 minutes: at 08:00:00 the next starts in 900 s.
    if (!refused.allowed) expect(refused.retryAfterS).toBe(900);
    // The commander at his own desk, and the attacker's other accounts, are unaffected.
    expect((await t.begin('10.0.0.1', 'county')).allowed).toBe(true);
    expect((await t.begin('10.0.0.9', 'viewer')).allowed).toBe(true);
  });

  it('counts an attempt before it is checked: 40 parallel guesses get five', async () => {
    const t = new LoginThrottle(memoryCounters(), settings, () => T0);
    const attempts = await Promise.all(
      Array.from({ length: 40 }, () => t.begin('10.0.0.9', 'county')),
    );
    expect(attempts.filter((a) => a.allowed)).toHaveLength(5);
  });

  it('forgets failures after a success and after the window, and on an administrator unlock', async () => {
    let now = T0;
    const t = new LoginThrottle(memoryCounters(), settings, () => now);
    const fail = async (addr: string) => {
      const a = await t.begin(addr, 'county');
      if (a.allowed) await a.done(false);
      return a.allowed;
    };
    for (let i = 0; i < 4; i++) await fail('a');
    const ok = await t.begin('a', 'county');
    if (ok.allowed) await ok.done(true);
    for (let i = 0; i < 5; i++) expect(await fail('a')).toBe(true);
    expect(await fail('a')).toBe(false);
    now = T0 + 15 * 60_000;
    expect(await fail('a')).toBe(true);
    for (let i = 0; i < 5; i++) await fail('b');
    expect((await t.begin('b', 'county')).allowed).toBe(false);
    await t.unlock('county');
    expect((await t.begin('b', 'county')).allowed).toBe(true);
  });

  it('caps wrong passwords per address over all accounts; sign-ins that succeed cost nothing', async () => {
    const t = new LoginThrottle(memoryCounters(), settings, () => T0);
    for (let i = 0; i < 100; i++) {
      const a = await t.begin('10.0.0.1', `screen${i % 20}`);
      expect(a.allowed).toBe(true);
      if (a.allowed) await a.done(true);
    }
    for (let i = 0; i < 30; i++) {
      const a = await t.begin('10.0.0.9', `user${i}`);
      expect(a.allowed).toBe(true);
      if (a.allowed) await a.done(false);
    }
    expect((await t.begin('10.0.0.9', 'user99')).allowed).toBe(false);
  });

  it("two nodes sharing counters count together, and one node's unlock frees the account on both", async () => {
    const shared = memoryCounters();
    const a = new LoginThrottle(shared, settings, () => T0);
    const b = new LoginThrottle(shared, settings, () => T0);
    for (let i = 0; i < 5; i++) {
      const node = i % 2 === 0 ? a : b;
      const attempt = await node.begin('10.0.0.9', 'county');
      expect(attempt.allowed).toBe(true);
      if (attempt.allowed) await attempt.done(false);
    }
    expect((await a.begin('10.0.0.9', 'county')).allowed).toBe(false);
    expect((await b.begin('10.0.0.9', 'county')).allowed).toBe(false);
    await a.unlock('county');
    expect((await b.begin('10.0.0.9', 'county')).allowed).toBe(true);
  });
});
