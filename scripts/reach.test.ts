/**
 * The reach CLI as outside checks call it: `npm run --silent reach -- --lon X --lat Y
 * [--roads-only]` prints exactly one JSON object of the documented shape.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import { describe, expect, it } from 'vitest';
import { ROOT } from './e2e/product.ts';

const run = promisify(execFile);
const crewIds = new Set<string>(
  JSON.parse(fs.readFileSync(path.join(ROOT, 'geodata/mayang/crews.geojson'), 'utf8')).features.map(
    (f: { properties: { id: string } }) => f.properties.id,
  ),
);

async function reach(...args: string[]) {
  try {
    const { stdout, stderr } = await run('npm', ['run', '--silent', 'reach', '--', ...args], {
      cwd: ROOT,
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('npm run reach', () => {
  it('prints one JSON object: origin, every crew ranked, isochrones 10/20/30', async () => {
    const { code, stdout } = await reach('--lon', '109.80', '--lat', '27.87');
    expect(code).toBe(0);
    expect(stdout.trim().split('\n')).toHaveLength(1);
    const out = JSON.parse(stdout);
    expect(Object.keys(out).sort()).toEqual(['crews', 'isochrones', 'origin']);
    expect(out.origin).toEqual([109.8, 27.87]);
    expect(out.crews).toHaveLength(crewIds.size);
    expect(new Set(out.crews.map((c: { id: string }) => c.id))).toEqual(crewIds);
    let last = 0;
    for (const c of out.crews) {
      expect(Object.keys(c).sort()).toEqual(['id', 'meetsTarget', 'seconds']);
      expect(typeof c.seconds).toBe('number');
      expect(c.seconds).toBeGreaterThanOrEqual(last);
      expect(c.meetsTarget).toBe(c.seconds <= 600);
      last = c.seconds;
    }
    // The county seat has its county units: some crew is there within 10 minutes.
    expect(out.crews[0].meetsTarget).toBe(true);
    expect(out.isochrones.type).toBe('FeatureCollection');
    expect(
      out.isochrones.features.map((f: { properties: { minutes: number } }) => f.properties.minutes),
    ).toEqual([10, 20, 30]);
    for (const f of out.isochrones.features)
      expect(booleanPointInPolygon(out.origin, f)).toBe(true);
  }, 60_000);

  it('--roads-only: the road network alone; 52 m from a road it differs from the two-mode trip only by the walking at the ends', async () => {
    const [both, roads] = await Promise.all([
      reach('--lon', '109.70', '--lat', '27.75'),
      reach('--lon', '109.70', '--lat', '27.75', '--roads-only'),
    ]);
    expect(roads.code).toBe(0);
    const a = new Map(
      JSON.parse(both.stdout).crews.map((c: { id: string; seconds: number }) => [c.id, c.seconds]),
    );
    const r = JSON.parse(roads.stdout);
    expect(r.crews).toHaveLength(crewIds.size);
    let slower = 0;
    for (const c of r.crews) {
      // Walking the last stretch can only shorten a trip; the two differ only by that.
      expect(c.seconds).toBeGreaterThanOrEqual((a.get(c.id) as number) - 120);
      if (c.seconds > (a.get(c.id) as number)) slower++;
    }
    expect(slower).toBeGreaterThan(0);
  }, 60_000);

  it('refuses bad arguments and points outside the county with exit code 2', async () => {
    for (const args of [
      ['--lat', '27.8'],
      ['--lon', 'abc', '--lat', '27.8'],
      ['--lon', '120', '--lat', '30'],
      ['--lon', '109.42', '--lat', '27.57'],
      ['--bogus'],
    ]) {
      const { code, stdout, stderr } = await reach(...args);
      expect(code).toBe(2);
      expect(stdout).toBe('');
      expect(stderr).toMatch(/^reach: /);
    }
  }, 60_000);
});
