/**
 * The spread CLI as outside checks call it: `npm run --silent spread -- --lon X --lat Y
 * --minutes 30 --wind-ms 4 --wind-from-deg 270` prints one GeoJSON FeatureCollection of
 * perimeters with properties { minutes, areaHa }.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ROOT } from './e2e/product.ts';

const run = promisify(execFile);

async function spread(...args: string[]) {
  return spreadWith({}, ...args);
}

async function spreadWith(env: Record<string, string>, ...args: string[]) {
  try {
    const { stdout, stderr } = await run('npm', ['run', '--silent', 'spread', '--', ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('npm run spread', () => {
  it('prints perimeters at +10/+20/+30 minutes in a forest grid, nested, with their areas', async () => {
    // A point inside a 阔叶林 (broadleaf) forest grid of the demo county.
    const { code, stdout } = await spread(
      '--lon',
      '109.62',
      '--lat',
      '27.70',
      '--minutes',
      '30',
      '--wind-ms',
      '4',
      '--wind-from-deg',
      '270',
    );
    expect(code).toBe(0);
    expect(stdout.trim().split('\n')).toHaveLength(1);
    const out = JSON.parse(stdout);
    expect(out.type).toBe('FeatureCollection');
    expect(
      out.features.map((f: { properties: { minutes: number } }) => f.properties.minutes),
    ).toEqual([10, 20, 30]);
    for (const f of out.features) {
      expect(Object.keys(f.properties).sort()).toEqual(['areaHa', 'minutes']);
      expect(f.geometry.type).toBe('MultiPolygon');
    }
    const areas = out.features.map((f: { properties: { areaHa: number } }) => f.properties.areaHa);
    expect(areas[0]).toBeGreaterThan(0);
    expect(areas[1]).toBeGreaterThan(areas[0]);
    expect(areas[2]).toBeGreaterThan(areas[1]);
    expect(out.spread.model).toBe('rothermel');
  });

  it('draws with the server’s settings when no flag says otherwise, as the map does', async () => {
    const at = ['--lon', '109.62', '--lat', '27.70', '--minutes', '30', '--wind-ms', '4'];
    const wang = await spreadWith({ SPREAD_MODEL: 'wang', SPREAD_WANG_R0: '0.7' }, ...at);
    expect(wang.code).toBe(0);
    expect(JSON.parse(wang.stdout).spread).toMatchObject({ model: 'wang', wangR0MMin: 0.7 });
    // A flag still wins over the setting.
    const flagged = await spreadWith({ SPREAD_MODEL: 'wang' }, ...at, '--model', 'rothermel');
    expect(JSON.parse(flagged.stdout).spread.model).toBe('rothermel');
    const bad = await spreadWith({ SPREAD_MOISTURE: 'wet' }, ...at);
    expect(bad.code).toBe(2);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toMatch(/SPREAD_MOISTURE/);
  });

  it('refuses bad arguments with a message naming the option', async () => {
    const { code, stdout, stderr } = await spread(
      '--lon',
      '109.62',
      '--lat',
      '27.70',
      '--minutes',
      '600',
    );
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/--minutes/);
    const outside = await spread('--lon', '100', '--lat', '27.70');
    expect(outside.code).toBe(2);
    expect(outside.stderr).toMatch(/outside the county/);
  });
});
