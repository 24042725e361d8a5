import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FeatureCollection, MultiPolygon } from 'geojson';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_OUT } from './generate.ts';
import { validateCounty } from './validate.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

/** A copy of the demo county with one layer changed. */
function broken(layer: string, change: (fc: FeatureCollection) => void): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'county-'));
  dirs.push(dir);
  for (const f of fs.readdirSync(DEFAULT_OUT))
    if (f !== 'dem.tif') fs.copyFileSync(path.join(DEFAULT_OUT, f), path.join(dir, f));
  const file = path.join(dir, `${layer}.geojson`);
  const fc = JSON.parse(fs.readFileSync(file, 'utf8')) as FeatureCollection;
  change(fc);
  fs.writeFileSync(file, JSON.stringify(fc));
  return dir;
}

describe('geodata:validate', () => {
  it('accepts the demo county', () => {
    const report = validateCounty(DEFAULT_OUT);
    expect(report.problems).toEqual([]);
    expect(report.summary.find((s) => s.file === 'grids.geojson')?.features).toBe(815);
  });

  it('names the count that is wrong when a grid is missing', () => {
    const report = validateCounty(broken('grids', (fc) => fc.features.pop()));
    expect(report.problems).toContainEqual(
      expect.objectContaining({ file: 'grids.geojson', message: expect.stringContaining('815') }),
    );
  });

  it('names the feature and field of a broken reference', () => {
    const dir = broken('grids', (fc) => {
      (fc.features[3]?.properties as Record<string, unknown>).village_code = '431226999999';
    });
    const p = validateCounty(dir).problems.find((x) => x.field === 'village_code');
    expect(p).toMatchObject({ file: 'grids.geojson', field: 'village_code' });
    expect(p?.feature).toMatch(/^431226\d+/);
  });

  it('finds an overlap and a gap when a township is moved', () => {
    const dir = broken('townships', (fc) => {
      const g = fc.features[0]?.geometry as MultiPolygon;
      g.coordinates = g.coordinates.map((poly) =>
        poly.map((ring) => ring.map(([x, y]) => [(x as number) + 0.01, y as number])),
      );
    });
    const problems = validateCounty(dir).problems.filter((p) => p.file === 'townships.geojson');
    expect(problems.some((p) => p.message.startsWith('overlap'))).toBe(true);
    expect(problems.some((p) => p.message.startsWith('gap'))).toBe(true);
  });

  it('reports a road network that falls apart', () => {
    const dir = broken('roads', (fc) => {
      // Drop the bridges: the network splits at the rivers.
      fc.features = fc.features.filter((f) => !f.properties?.bridge);
    });
    expect(validateCounty(dir).problems).toContainEqual(
      expect.objectContaining({
        file: 'roads.geojson',
        message: expect.stringContaining('disconnected'),
      }),
    );
  });

  it('reports an invalid geometry with its feature', () => {
    const dir = broken('lookouts', (fc) => {
      (fc.features[0] as { geometry: unknown }).geometry = {
        type: 'LineString',
        coordinates: [[109.8, 27.8]],
      };
    });
    expect(validateCounty(dir).problems).toContainEqual(
      expect.objectContaining({ file: 'lookouts.geojson', feature: 'LO-001', field: 'geometry' }),
    );
  });
});
