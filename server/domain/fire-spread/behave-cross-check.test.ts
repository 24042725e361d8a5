/**
 * Cross-check against an independent engine: firelab `behave` itself (the BehavePlus 6
 * engine, github.com/firelab/behave at d963287f60a69fa260fd22b885f5a6fbf4e0faa3), compiled
 * with fixtures/behave-driver.cpp and run on 318 cases — six for each of the 13 Anderson and
 * 40 Scott & Burgan models, random moisture (cured and green herbaceous), midflame wind,
 * wind direction and slope. Its answers are in fixtures/behave-cross-check.jsonl; ours must
 * match within 1e-6 relative (they agree to about 1e-14).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { type BehaveAnswer, type BehaveCase, runBehaveCase } from './behave-case.ts';

const FILE = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  'fixtures',
  'behave-cross-check.jsonl',
);
const rows = fs
  .readFileSync(FILE, 'utf8')
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l) as { in: BehaveCase; behave: BehaveAnswer });

describe('Rothermel against firelab behave compiled from source', () => {
  it('covers every standard fuel model', () => {
    expect(new Set(rows.map((r) => r.in.fuelModel)).size).toBe(53);
    // Some cases spread, some do not (moisture above extinction), some run across the slope.
    expect(rows.filter((r) => r.behave.rosMmin === 0).length).toBeGreaterThan(0);
    expect(rows.filter((r) => r.behave.headingFromUpslopeDeg > 10).length).toBeGreaterThan(50);
  });

  for (const model of [...new Set(rows.map((r) => r.in.fuelModel))])
    it(`fuel model ${model}: rate, direction, length-to-width, flame length, intensity`, () => {
      for (const r of rows.filter((x) => x.in.fuelModel === model)) {
        const ours = runBehaveCase(r.in);
        for (const k of Object.keys(r.behave) as (keyof BehaveAnswer)[]) {
          const e = r.behave[k];
          const tol = Math.max(1e-6 * Math.abs(e), 1e-9);
          expect(
            Math.abs(ours[k] - e),
            `${k} of ${JSON.stringify(r.in)}: ${ours[k]} vs ${e}`,
          ).toBeLessThanOrEqual(tol);
        }
      }
    });
});
