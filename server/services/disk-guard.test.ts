/** The free-disk guard: refuses below the threshold, and logs at most once a minute. */
import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { diskGuard } from './disk-guard.ts';

function guard(freeBytes: () => number, minFreeBytes: number) {
  const logged: string[] = [];
  let t = 0;
  const check = diskGuard({
    dir: os.tmpdir(),
    minFreeBytes,
    log: { error: (_obj, msg) => logged.push(msg) },
    statfs: async () => ({ bavail: freeBytes() / 4096, bsize: 4096 }),
    now: () => t,
  });
  return { check, logged, at: (ms: number) => (t = ms) };
}

describe('diskGuard', () => {
  it('lets photos in while free space is at or above the threshold, refuses below it', async () => {
    let free = 600 * 1_048_576;
    const g = guard(() => free, 500 * 1_048_576);
    expect(await g.check()).toBeNull();
    free = 500 * 1_048_576;
    expect(await g.check()).toBeNull();
    free = 499 * 1_048_576;
    expect(await g.check()).toMatch(/short of disk space/);
  });

  it('logs the refusal at most once a minute', async () => {
    const g = guard(() => 0, 1);
    for (const t of [0, 1000, 59_999, 60_000, 90_000, 120_001]) {
      g.at(t);
      expect(await g.check()).not.toBeNull();
    }
    expect(g.logged).toHaveLength(3); // at 0, 60 000 and 120 001
  });

  it('measures the real filesystem by default', async () => {
    const roomy = diskGuard({ dir: os.tmpdir(), minFreeBytes: 0, log: { error() {} } });
    expect(await roomy()).toBeNull();
    const never = diskGuard({ dir: os.tmpdir(), minFreeBytes: 2 ** 60, log: { error() {} } });
    expect(await never()).not.toBeNull();
  });
});
