/**
 * A small benchmark harness: each benchmark times a subject and a baseline, interleaved in
 * the same run (these machines are shared and noisy), and reports median and p95 of both and
 * the ratio of medians. Benchmarks are not tests: nothing here passes or fails on time.
 */

export interface Benchmark<S = unknown> {
  name: string;
  /** What the figure is, e.g. "grid lookup at a point (embedded)". */
  subject: string;
  baseline: string;
  /**
   * Further figures each subject run reports beside its own (`Measured.also`), by name →
   * what it is; each is printed against the same baseline.
   */
  also?: Record<string, string>;
  iterations: number;
  /** Runs before timing; its result is handed to the timed functions. */
  setup?: () => Promise<S>;
  teardown?: (state: S) => Promise<void>;
  /** Timed by the harness, unless it returns a `Measured` figure of its own. */
  runSubject: (state: S, i: number) => Promise<unknown>;
  runBaseline: (state: S, i: number) => Promise<unknown>;
  /** Skip with a reason (e.g. no server database configured). */
  skip?: () => string | undefined;
}

export interface Stats {
  median: number;
  p95: number;
  n: number;
}

export function stats(samples: number[]): Stats {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number) =>
    s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))] as number;
  const mid =
    s.length % 2
      ? (s[(s.length - 1) / 2] as number)
      : ((s[s.length / 2 - 1] as number) + (s[s.length / 2] as number)) / 2;
  return { median: mid, p95: at(0.95), n: s.length };
}

export interface Result {
  name: string;
  subject: string;
  baseline: string;
  subjectStats?: Stats;
  baselineStats?: Stats;
  /** The further figures (Benchmark.also), by name. */
  alsoStats?: { name: string; subject: string; stats: Stats }[];
  skipped?: string;
}

/** What a run may return when it measured itself (e.g. a page's own clock). */
export interface Measured {
  measuredMs: number;
  /** Further figures of the same run, by the names in Benchmark.also. */
  also?: Record<string, number>;
}

async function time(fn: () => Promise<unknown>, also?: Map<string, number[]>): Promise<number> {
  const t0 = performance.now();
  const result = await fn();
  const elapsed = performance.now() - t0;
  const measured = result as Partial<Measured> | undefined;
  for (const [name, v] of Object.entries(measured?.also ?? {})) also?.get(name)?.push(v);
  return typeof measured?.measuredMs === 'number' ? measured.measuredMs : elapsed;
}

export async function runBenchmark<S>(
  b: Benchmark<S>,
  progress: (msg: string) => void,
): Promise<Result> {
  const reason = b.skip?.();
  if (reason) return { name: b.name, subject: b.subject, baseline: b.baseline, skipped: reason };
  const state = (b.setup ? await b.setup() : undefined) as S;
  const subject: number[] = [];
  const baseline: number[] = [];
  const also = new Map(Object.keys(b.also ?? {}).map((name) => [name, [] as number[]]));
  try {
    // One untimed warm-up of each, then alternate so drift hits both alike.
    await b.runSubject(state, -1);
    await b.runBaseline(state, -1);
    for (let i = 0; i < b.iterations; i++) {
      if (i % 2 === 0) {
        subject.push(await time(() => b.runSubject(state, i), also));
        baseline.push(await time(() => b.runBaseline(state, i)));
      } else {
        baseline.push(await time(() => b.runBaseline(state, i)));
        subject.push(await time(() => b.runSubject(state, i), also));
      }
      if (b.iterations >= 10 && (i + 1) % Math.ceil(b.iterations / 5) === 0) {
        progress(`${b.name}: ${i + 1}/${b.iterations}`);
      }
    }
  } finally {
    await b.teardown?.(state);
  }
  return {
    name: b.name,
    subject: b.subject,
    baseline: b.baseline,
    subjectStats: stats(subject),
    baselineStats: stats(baseline),
    ...(also.size > 0
      ? {
          alsoStats: [...also].map(([name, samples]) => ({
            name,
            subject: b.also?.[name] ?? name,
            stats: stats(samples),
          })),
        }
      : {}),
  };
}

const ms = (v: number) =>
  v >= 1000 ? `${(v / 1000).toFixed(2)} s` : `${v.toFixed(v < 10 ? 3 : 1)} ms`;

export function formatResults(results: Result[]): string {
  const lines: string[] = [];
  for (const r of results) {
    lines.push(`\n${r.name}`);
    if (r.skipped) {
      lines.push(`  skipped: ${r.skipped}`);
      continue;
    }
    const s = r.subjectStats as Stats;
    const b = r.baselineStats as Stats;
    const line = (what: string, x: Stats) =>
      `  ${what.padEnd(52)} median ${ms(x.median).padStart(10)}  p95 ${ms(x.p95).padStart(10)}  (n=${x.n})`;
    lines.push(line(r.subject, s));
    lines.push(line(`baseline: ${r.baseline}`, b));
    lines.push(`  ratio (median subject / median baseline): ${(s.median / b.median).toFixed(2)}×`);
    for (const a of r.alsoStats ?? []) {
      lines.push(line(a.subject, a.stats));
      lines.push(
        `  ratio (median ${a.name} / median baseline): ${(a.stats.median / b.median).toFixed(2)}×`,
      );
    }
  }
  return lines.join('\n');
}
