import { describe, expect, it } from 'vitest';
import { runBenchmark, stats } from './harness.ts';

describe('bench statistics', () => {
  it('computes the median of odd and even samples and a nearest-rank p95', () => {
    expect(stats([5, 1, 3]).median).toBe(3);
    expect(stats([4, 1, 3, 2]).median).toBe(2.5);
    const hundred = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(stats(hundred).p95).toBe(95);
    expect(stats([7]).p95).toBe(7);
  });

  it('times subject and baseline the same number of times and reports skips', async () => {
    const calls = { s: 0, b: 0 };
    const r = await runBenchmark(
      {
        name: 'x',
        subject: 's',
        baseline: 'b',
        iterations: 6,
        runSubject: async () => calls.s++,
        runBaseline: async () => calls.b++,
      },
      () => {},
    );
    expect(calls).toEqual({ s: 7, b: 7 }); // one warm-up each
    expect(r.subjectStats?.n).toBe(6);
    const skipped = await runBenchmark(
      {
        name: 'y',
        subject: 's',
        baseline: 'b',
        iterations: 1,
        skip: () => 'no server',
        runSubject: async () => 0,
        runBaseline: async () => 0,
      },
      () => {},
    );
    expect(skipped.skipped).toBe('no server');
  });
});
