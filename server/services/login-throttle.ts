/**
 * Sign-in throttling that an attacker cannot turn against the county. A lock on the account
 * itself let anyone on the network lock `county` out every 15 minutes with five requests; so
 * failures are counted per address and account together, and an address that guessed wrong
 * five times is refused for that account only, while the commander at his own desk signs in
 * as usual. Each address also has a budget of failures over all accounts (no spraying of one
 * password over every username; a command centre's screens signing in behind one address at
 * shift change cost nothing). The answer is the same whether the account exists or not.
 *
 * Each attempt is reserved with one atomic increment before the password is checked (and
 * given back when it is refused), so 40 parallel guesses from one address get five checked,
 * not 26. The counts live in the shared rate counters (Redis with REDIS_URL), so several nodes
 * count together; an administrator's unlock moves the account to a new generation of keys,
 * which every node sees at once.
 */
import type { RateCounters } from '../plugins/rate-counters.ts';

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

export type Attempt =
  | { allowed: true; done(succeeded: boolean): Promise<void> }
  | { allowed: false; retryAfterS: number };

export class LoginThrottle {
  constructor(
    private readonly counters: RateCounters,
    private readonly settings: LoginThrottleSettings = LOGIN_THROTTLE,
    /** The time of the windows; by default the counters' own (fixed in tests that count). */
    private readonly now: () => number = () => counters.now(),
  ) {}

  private keys(address: string, username: string, generation: number) {
    const a = encodeURIComponent(address);
    const u = encodeURIComponent(username);
    return { byAddress: `login:addr:${a}`, pair: `login:fail:${u}:${generation}:${a}` };
  }

  /**
   * Reserve one attempt for `username` from `address`; call done() with the outcome. A pending
   * attempt counts as a failure until it is known, so parallel guesses cannot slip through.
   */
  async begin(address: string, username: string): Promise<Attempt> {
    const t = this.now();
    const w = this.settings.windowMs;
    const retryAfterS = Math.max(1, Math.ceil((w - (t % w)) / 1000));
    const generation = await this.counters.count(`login:gen:${encodeURIComponent(username)}`, w, t);
    const { byAddress, pair } = this.keys(address, username, generation);
    if ((await this.counters.add(byAddress, 1, w, t)) > this.settings.maxAttemptsPerAddress) {
      await this.counters.add(byAddress, -1, w, t);
      return { allowed: false, retryAfterS };
    }
    if ((await this.counters.add(pair, 1, w, t)) > this.settings.maxFailures) {
      await this.counters.add(pair, -1, w, t);
      await this.counters.add(byAddress, -1, w, t);
      return { allowed: false, retryAfterS };
    }
    return {
      allowed: true,
      done: async (succeeded) => {
        if (!succeeded) return;
        // A success forgets this pair's failures and costs the address nothing.
        const failed = await this.counters.count(pair, w, t);
        if (failed > 0) await this.counters.add(pair, -failed, w, t);
        await this.counters.add(byAddress, -1, w, t);
      },
    };
  }

  /** An administrator lets every address try `username` again (on every node). */
  async unlock(username: string): Promise<void> {
    await this.counters.add(
      `login:gen:${encodeURIComponent(username)}`,
      1,
      this.settings.windowMs,
      this.now(),
    );
  }
}
