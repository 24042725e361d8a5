import { describe, expect, it } from 'vitest';
import { formatResults, runBenchmark, stats } from './harness.ts';

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

describe('further figures of a run', () => {
  it('are kept per name and printed against the baseline', async () => {
    const r = await runBenchmark(
      {
        name: 'page',
        subject: 'to idle',
        baseline: 'bare',
        also: { shown: 'to shown' },
        iterations: 3,
        runSubject: async (_, i) => ({ measuredMs: 100, also: { shown: i === 1 ? 90 : 30 } }),
        runBaseline: async () => ({ measuredMs: 20 }),
      },
      () => {},
    );
    // Three timed runs (the warm-up's figure is dropped): 30, 90, 30 → median 30.
    expect(r.alsoStats).toEqual([
      { name: 'shown', subject: 'to shown', stats: { median: 30, p95: 90, n: 3 } },
    ]);
    expect(formatResults([r])).toContain('ratio (median shown / median baseline): 1.50×');
  });
});
