/**
 * The behave CLI as outside checks call it: `npm run --silent behave < cases.jsonl`.
 * Expected values: firelab `behave` testSimpleSurface (src/testBehave/testBehave.cpp at
 * d963287f60a69fa260fd22b885f5a6fbf4e0faa3): gs4, moisture 6/7/8/60/90 %, 5 mi/h wind with
 * adjustment factor 1 (so 5 mi/h midflame), upslope, 30 % slope → 34.011429 ch/h, flame
 * 15.811421 ft, 2292.684759 Btu/ft/s; and testLengthToWidthRatio, 5 mi/h midflame on flat
 * ground → 1.590064. Converted with behave's constants (1 ch/h = 1.1 ft/min, 0.3048 m/ft,
 * 3.464140419 kW/m per Btu/ft/s, 196.8503937 ft/min per m/s).
 */
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ROOT } from './e2e/product.ts';

function behave(input: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn('npm', ['run', '--silent', 'behave'], { cwd: ROOT });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

const gs4 = { fuelModel: 'gs4', d1h: 0.06, d10h: 0.07, d100h: 0.08, liveHerb: 0.6, liveWoody: 0.9 };
const fiveMph = 440 / 196.8503937;
const rel = (o: number, e: number) => expect(Math.abs(o - e) / e).toBeLessThan(1e-6);

describe('npm run behave', () => {
  it('answers one JSON line per case, in order, matching behave', async () => {
    const lines = [
      { ...gs4, midflameWindMs: fiveMph, windHeadingFromUpslopeDeg: 0, slopeRatio: 0.3 },
      '',
      { ...gs4, midflameWindMs: fiveMph, windHeadingFromUpslopeDeg: 0, slopeRatio: 0 },
    ].map((l) => (typeof l === 'string' ? l : JSON.stringify(l)));
    const { code, stdout } = await behave(`${lines.join('\n')}\n`);
    expect(code).toBe(0);
    const out = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(out).toHaveLength(2);
    expect(Object.keys(out[0]).sort()).toEqual([
      'firelineIntensityKwM',
      'flameLengthM',
      'headingFromUpslopeDeg',
      'lengthToWidth',
      'rosMmin',
    ]);
    rel(out[0].rosMmin, 34.011429 * 1.1 * 0.3048);
    rel(out[0].flameLengthM, 15.811421 * 0.3048);
    rel(out[0].firelineIntensityKwM, 2292.684759 * 3.464140419);
    expect(out[0].headingFromUpslopeDeg).toBe(0);
    rel(out[1].lengthToWidth, 1.590064);
  });

  it('names the line and field of a bad case on stderr, prints nothing, exits non-zero', async () => {
    const good = JSON.stringify({
      ...gs4,
      midflameWindMs: 1,
      windHeadingFromUpslopeDeg: 0,
      slopeRatio: 0,
    });
    const bad = JSON.stringify({
      ...gs4,
      d10h: 'dry',
      midflameWindMs: 1,
      windHeadingFromUpslopeDeg: 0,
      slopeRatio: 0,
    });
    const { code, stdout, stderr } = await behave(`${good}\n${bad}\n{oops\n`);
    expect(code).not.toBe(0);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/line 2: field d10h/);
    expect(stderr).toMatch(/line 3: .*not valid JSON/);
  });

  it('refuses an unknown fuel model', async () => {
    const { code, stderr } = await behave(
      `${JSON.stringify({ ...gs4, fuelModel: 'xx9', midflameWindMs: 1, windHeadingFromUpslopeDeg: 0, slopeRatio: 0 })}\n`,
    );
    expect(code).not.toBe(0);
    expect(stderr).toMatch(/line 1: field fuelModel/);
  });
});
