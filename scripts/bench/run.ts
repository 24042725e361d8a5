/**
 * `npm run bench [-- name …]`: runs the named benchmarks (all when none is named) and prints
 * each figure beside its baseline from the same run.
 */
import { loadEnvFile } from '../../server/config/config.ts';
import { cameraBenchmarks } from './cameras.bench.ts';
import { databaseBenchmarks } from './database.bench.ts';
import { formatResults, type Result, runBenchmark } from './harness.ts';
import { liveBenchmarks } from './live.bench.ts';
import { mapBenchmarks } from './map.bench.ts';
import { offloadBenchmarks } from './offload.bench.ts';
import { closeProvinceBench, provinceBenchmarks } from './province.bench.ts';
import { reachBenchmarks } from './reach.bench.ts';
import { spreadBenchmarks } from './spread.bench.ts';

loadEnvFile('.env');
const all = [
  ...databaseBenchmarks,
  ...mapBenchmarks,
  ...reachBenchmarks,
  ...spreadBenchmarks,
  ...liveBenchmarks,
  ...cameraBenchmarks,
  ...offloadBenchmarks,
  ...provinceBenchmarks,
];
const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const unknown = wanted.filter((w) => !all.some((b) => b.name === w));
if (unknown.length > 0) {
  console.error(
    `unknown benchmark(s): ${unknown.join(', ')}\navailable: ${all.map((b) => b.name).join(', ')}`,
  );
  process.exit(2);
}
const selected = wanted.length > 0 ? all.filter((b) => wanted.includes(b.name)) : all;

const results: Result[] = [];
for (const b of selected) {
  console.log(`▶ ${b.name} (${b.iterations} iterations)`);
  const r = await runBenchmark(b, (m) => console.log(`  ${m}`));
  results.push(r);
  console.log(formatResults([r]));
}
await closeProvinceBench();
console.log(`\n${'='.repeat(30)} summary ${'='.repeat(30)}${formatResults(results)}`);
