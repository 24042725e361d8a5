/**
 * Coverage audit on the demo county. The audit searches forwards from every crew base at
 * once; the per-incident answer searches backwards from one point. Two different searches
 * must give the same fastest crew time; and a suggested standby point, once a crew waits
 * there, must really bring the grids it promised within 10 minutes.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Feature, MultiPolygon, Point } from 'geojson';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO_COUNTY_DIR } from '../../geodata/county-loader.ts';
import { readReachData } from '../../geodata/reach-data.ts';
import { type CoverageAudit, coverageAudit } from './coverage.ts';
import { type ReachData, ReachEngine } from './reach-engine.ts';

let data: ReachData;
let engine: ReachEngine;
let audit: CoverageAudit;
const grids = JSON.parse(fs.readFileSync(path.join(DEMO_COUNTY_DIR, 'grids.geojson'), 'utf8'))
  .features as Feature<MultiPolygon, { code: string }>[];

beforeAll(async () => {
  data = await readReachData(DEMO_COUNTY_DIR);
  engine = new ReachEngine(data);
  audit = coverageAudit(engine, grids);
  // A whole-county audit: seconds alone, longer beside the other unit files on two cores.
}, 60_000);

describe('coverage audit', () => {
  it('gives every one of the 815 grids a time, and lists those beyond 10 minutes', () => {
    expect(audit.grids).toHaveLength(815);
    expect(audit.grids.every((g) => g.seconds !== null)).toBe(true);
    const late = audit.grids.filter((g) => (g.seconds as number) > 600).map((g) => g.code);
    expect(audit.uncovered).toEqual(late.sort());
    expect(audit.coveredShare).toBeCloseTo(1 - late.length / 815, 9);
  });

  it('agrees with the backwards search from each grid (fastest crew within 1 s)', () => {
    const sample = audit.grids.filter((_, i) => i % 83 === 0);
    for (const g of sample) {
      const answer = engine.toPoint(...g.point);
      expect(Math.abs((answer.crews[0]?.seconds as number) - (g.seconds as number))).toBeLessThan(
        1,
      );
    }
  });

  it('suggests standby points that, once manned, bring the promised grids within 10 minutes', () => {
    expect(audit.suggestions.length).toBeGreaterThan(0);
    expect(audit.coveredShareWithSuggestions).toBeGreaterThan(audit.coveredShare);
    const extra: Feature<Point, { id: string }>[] = audit.suggestions.map((s, i) => ({
      type: 'Feature',
      properties: { id: `NEW-${i}` },
      geometry: { type: 'Point', coordinates: [s.lon, s.lat] },
    }));
    const after = coverageAudit(
      new ReachEngine({ ...data, crews: [...data.crews, ...extra] }),
      grids,
      0,
    );
    const promised = audit.suggestions.flatMap((s) => s.gridCodes);
    for (const code of promised)
      expect(after.grids.find((g) => g.code === code)?.meetsTarget).toBe(true);
    expect(after.coveredShare).toBeCloseTo(audit.coveredShareWithSuggestions, 9);
    // Greedy: each point adds at least as much as the next.
    const gains = audit.suggestions.map((s) => s.gridCodes.length);
    expect([...gains].sort((a, b) => b - a)).toEqual(gains);
  });
});
