import { describe, expect, it } from 'vitest';
import { LoginThrottle } from './login-throttle.ts';

const settings = { maxFailures: 5, maxAttemptsPerAddress: 30, windowMs: 15 * 60_000 };

describe('LoginThrottle', () => {
  it('refuses an address after five wrong passwords for one account, and no one else', () => {
    const t = new LoginThrottle(settings, () => 0);
    for (let i = 0; i < 5; i++) {
      const a = t.begin('10.0.0.9', 'county');
      expect(a.allowed).toBe(true);
      if (a.allowed) a.done(false);
    }
    const refused = t.begin('10.0.0.9', 'county');
    expect(refused.allowed).toBe(false);
    if (!refused.allowed) expect(refused.retryAfterS).toBe(900);
    // The commander at his own desk, and the attacker's other accounts, are unaffected.
    expect(t.begin('10.0.0.1', 'county').allowed).toBe(true);
    expect(t.begin('10.0.0.9', 'viewer').allowed).toBe(true);
  });

  it('counts an attempt before it is checked: 40 parallel guesses get five', () => {
    const t = new LoginThrottle(settings, () => 0);
    const attempts = Array.from({ length: 40 }, () => t.begin('10.0.0.9', 'county'));
    expect(attempts.filter((a) => a.allowed)).toHaveLength(5);
  });

  it('forgets failures after a success and after the window, and on an administrator unlock', () => {
    let now = 0;
    const t = new LoginThrottle(settings, () => now);
    const fail = (addr: string) => {
      const a = t.begin(addr, 'county');
      if (a.allowed) a.done(false);
      return a.allowed;
    };
    for (let i = 0; i < 4; i++) fail('a');
    const ok = t.begin('a', 'county');
    if (ok.allowed) ok.done(true);
    for (let i = 0; i < 5; i++) expect(fail('a')).toBe(true);
    expect(fail('a')).toBe(false);
    now = 15 * 60_000;
    expect(fail('a')).toBe(true);
    for (let i = 0; i < 5; i++) fail('b');
    expect(t.begin('b', 'county').allowed).toBe(false);
    expect(t.unlock('county')).toBe(2);
    expect(t.begin('b', 'county').allowed).toBe(true);
  });

  it('caps wrong passwords per address over all accounts; sign-ins that succeed cost nothing', () => {
    const t = new LoginThrottle(settings, () => 0);
    for (let i = 0; i < 100; i++) {
      const a = t.begin('10.0.0.1', `screen${i % 20}`);
      expect(a.allowed).toBe(true);
      if (a.allowed) a.done(true);
    }
    for (let i = 0; i < 30; i++) {
      const a = t.begin('10.0.0.9', `user${i}`);
      expect(a.allowed).toBe(true);
      if (a.allowed) a.done(false);
    }
    expect(t.begin('10.0.0.9', 'user99').allowed).toBe(false);
  });
});
