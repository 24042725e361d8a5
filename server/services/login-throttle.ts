/**
 * Sign-in throttling that an attacker cannot turn against the county. A lock on the account
 * itself let anyone on the network lock `county` out every 15 minutes with five requests; so
 * failures are counted per address and account together, and an address that guessed wrong
 * five times is refused for that account only, while the commander at his own desk signs in
 * as usual. Each address also has a budget of failures over all accounts (no spraying of one
 * password over every username; a command centre's screens signing in behind one address at
 * shift change cost nothing). The answer is the same whether the account exists or not.
 *
 * Counting is synchronous (check and reserve in one step, before any await), so 40 parallel
 * guesses from one address get five checked, not 26. Counters live in this process; with
 * several nodes each node counts its own (a client is pinned to one node by the proxy).
 */

export interface LoginThrottleSettings {
  /** Wrong passwords per address and account before that pair is refused. */
  maxFailures: number;
  /** Wrong passwords per address over all accounts (no spraying one password everywhere). */
  maxAttemptsPerAddress: number;
  /** The window both counts run over, ms. */
  windowMs: number;
}

export const LOGIN_THROTTLE: LoginThrottleSettings = {
  maxFailures: 5,
  maxAttemptsPerAddress: 30,
  windowMs: 15 * 60_000,
};

interface Count {
  n: number;
  since: number;
}

export type Attempt =
  | { allowed: true; done(succeeded: boolean): void }
  | { allowed: false; retryAfterS: number };

export class LoginThrottle {
  private readonly failures = new Map<string, Count>();
  private readonly perAddress = new Map<string, Count>();

  constructor(
    private readonly settings: LoginThrottleSettings = LOGIN_THROTTLE,
    private readonly now: () => number = Date.now,
  ) {}

  private current(map: Map<string, Count>, key: string): Count {
    const t = this.now();
    let c = map.get(key);
    if (!c || t - c.since >= this.settings.windowMs) {
      c = { n: 0, since: t };
      map.set(key, c);
    }
    return c;
  }

  private retryAfter(c: Count): number {
    return Math.max(1, Math.ceil((c.since + this.settings.windowMs - this.now()) / 1000));
  }

  /**
   * Reserve one attempt for `username` from `address`; call done() with the outcome. A pending
   * attempt counts as a failure until it is known, so parallel guesses cannot slip through.
   */
  begin(address: string, username: string): Attempt {
    const key = `${address}\u0000${username}`;
    const byAddress = this.current(this.perAddress, address);
    if (byAddress.n >= this.settings.maxAttemptsPerAddress)
      return { allowed: false, retryAfterS: this.retryAfter(byAddress) };
    const failed = this.current(this.failures, key);
    if (failed.n >= this.settings.maxFailures)
      return { allowed: false, retryAfterS: this.retryAfter(failed) };
    byAddress.n++;
    failed.n++;
    return {
      allowed: true,
      done: (succeeded) => {
        if (!succeeded) return;
        this.failures.delete(key);
        byAddress.n = Math.max(0, byAddress.n - 1);
      },
    };
  }

  /** An administrator lets every address try `username` again. */
  unlock(username: string): number {
    let n = 0;
    for (const key of [...this.failures.keys()])
      if (key.endsWith(`\u0000${username}`)) {
        this.failures.delete(key);
        n++;
      }
    return n;
  }
}
