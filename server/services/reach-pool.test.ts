/**
 * The reach pool answers exactly as the in-process engine does (same ReachData, computed in
 * a worker thread), and refuses rather than queues without bound.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Feature, MultiPolygon } from 'geojson';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { coverageAudit } from '../domain/reach/coverage.ts';
import { type ReachData, ReachEngine } from '../domain/reach/reach-engine.ts';
import { DEMO_COUNTY_DIR } from '../geodata/county-loader.ts';
import { readReachData } from '../geodata/reach-data.ts';
import { ReachBusyError, ReachPool } from './reach-pool.ts';

let data: ReachData;
let engine: ReachEngine;
let pool: ReachPool;
const grids = () =>
  JSON.parse(fs.readFileSync(path.join(DEMO_COUNTY_DIR, 'grids.geojson'), 'utf8'))
    .features as Feature<MultiPolygon, { code: string }>[];

beforeAll(async () => {
  data = await readReachData(DEMO_COUNTY_DIR);
  engine = new ReachEngine(data);
  pool = new ReachPool(data, { size: 1, maxQueue: 2 });
}, 60_000);
afterAll(async () => {
  await pool?.close();
});

describe('reach pool (worker threads)', () => {
  it('gives the same crews, times and isochrones as the engine in this thread', async () => {
    for (const [lon, lat] of [
      [109.74, 27.83],
      [109.8, 27.87],
      [109.62, 27.95],
    ] as [number, number][]) {
      const fromWorker = await pool.toPoint(lon, lat, true);
      expect(fromWorker).toEqual(engine.toPoint(lon, lat));
      const asJson = await pool.toPointJson(lon, lat, true);
      expect('json' in asJson && JSON.parse(asJson.json)).toEqual(
        JSON.parse(JSON.stringify(engine.toPoint(lon, lat))),
      );
    }
  }, 60_000);

  it('answers null outside the terrain model', async () => {
    expect(await pool.toPoint(112, 20, true)).toBeNull();
    expect(await pool.toPointJson(112, 20, true)).toEqual({ outside: 'terrain' });
  });

  it('gives the same coverage audit', async () => {
    const all = grids();
    const { computedMs, ...fromWorker } = await pool.coverage(all);
    expect(computedMs).toBeGreaterThan(0);
    expect(fromWorker).toEqual(coverageAudit(engine, all));
  }, 60_000);

  it('refuses anonymous questions beyond the queue with a retry time; signed-in ones go first', async () => {
    const done: string[] = [];
    const ask = (tag: string, priority: boolean) =>
      pool.toPoint(109.74, 27.83, priority).then(
        () => done.push(tag),
        (err: unknown) => {
          expect(err).toBeInstanceOf(ReachBusyError);
          expect((err as ReachBusyError).retryAfterSeconds).toBeGreaterThanOrEqual(1);
          done.push(`${tag}:refused`);
        },
      );
    // One runs, two anonymous wait (maxQueue 2), the next anonymous is refused; a signed-in
    // one is still taken and answered before the waiting anonymous ones.
    const asked = [ask('a1', false), ask('a2', false), ask('a3', false)];
    expect(pool.full()).toBe(true);
    expect(pool.full(true)).toBe(false);
    asked.push(ask('a4', false), ask('s1', true));
    await Promise.all(asked);
    expect(done).toContain('a4:refused');
    expect(done.indexOf('s1')).toBeLessThan(done.indexOf('a2'));
    expect(done.filter((d) => !d.includes('refused')).sort()).toEqual(['a1', 'a2', 'a3', 's1']);
  }, 60_000);
});
