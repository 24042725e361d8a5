/**
 * Tower coverage computed off the event loop: a worker thread is handed the loaded county's
 * DEM (a copy of its cells) and runs towerCoverage (server/domain/lookouts/coverage.ts). The worker is started through tsx's
 * loader API, as the server itself runs TypeScript through tsx.
 */
import { Worker } from 'node:worker_threads';
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import type { Tower, TowerCoverage } from '../domain/lookouts/coverage.ts';
import type { Dem } from '../tiles/terrain-tiles.ts';

export type ComputedCoverage = TowerCoverage & { computedMs: number; demHash: string };

export function computeTowerCoverage(
  dem: Dem,
  towers: Tower[],
  grids: Feature<Polygon | MultiPolygon, { code: string }>[],
): Promise<ComputedCoverage> {
  const url = new URL('./tower-coverage.worker.ts', import.meta.url).href;
  const boot = `import('tsx/esm/api').then((t) => { t.register(); return import(${JSON.stringify(url)}); })`;
  return new Promise((resolve, reject) => {
    const worker = new Worker(boot, { eval: true, workerData: { dem, towers, grids } });
    worker.once('message', (m: ComputedCoverage) => {
      resolve(m);
      void worker.terminate();
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`tower coverage worker exited with code ${code}`));
    });
  });
}
