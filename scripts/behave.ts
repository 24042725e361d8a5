/**
 * `npm run --silent behave < cases.jsonl`
 *
 * Rothermel surface fire as BehavePlus 6 / firelab `behave` computes it, one case a line.
 * In: `{ fuelModel, d1h, d10h, d100h, liveHerb, liveWoody, midflameWindMs,
 * windHeadingFromUpslopeDeg, slopeRatio }` (moistures as fractions; optional
 * `applyWindLimit`, default false as in BehavePlus 6). Out, one line per case in order:
 * `{ rosMmin, headingFromUpslopeDeg, lengthToWidth, flameLengthM, firelineIntensityKwM }`.
 * Blank lines are skipped. If any line is bad, nothing is printed on stdout, every bad line
 * is named on stderr with its field, and the exit code is 2.
 */
import {
  type BehaveCase,
  CaseError,
  parseBehaveCase,
  runBehaveCase,
} from '../server/domain/fire-spread/behave-case.ts';

const chunks: Buffer[] = [];
for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
const lines = Buffer.concat(chunks).toString('utf8').split(/\r?\n/);

const cases: BehaveCase[] = [];
const errors: string[] = [];
lines.forEach((text, i) => {
  if (text.trim() === '') return;
  try {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw new CaseError('(line)', 'not valid JSON');
    }
    cases.push(parseBehaveCase(value));
  } catch (err) {
    const e = err as CaseError;
    errors.push(`behave: line ${i + 1}: field ${e.field}: ${e.message}`);
  }
});
if (errors.length > 0) {
  process.stderr.write(`${errors.join('\n')}\n`);
  process.exit(2);
}
process.stdout.write(cases.map((c) => `${JSON.stringify(runBehaveCase(c))}\n`).join(''));
