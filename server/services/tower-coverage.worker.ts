/**
 * Runs the tower coverage analysis (seconds of CPU for the county) in a worker thread, so
 * the server keeps answering while it runs, on the DEM the server hands it. Input and output: see tower-coverage.ts.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { towerCoverage } from '../domain/lookouts/coverage.ts';
import type { Dem } from '../tiles/terrain-tiles.ts';
import { lowerThisThreadPriority } from './worker-priority.ts';

lowerThisThreadPriority();

const { dem, towers, grids } = workerData as {
  dem: Dem;
  towers: Parameters<typeof towerCoverage>[1];
  grids: Parameters<typeof towerCoverage>[2];
};
const t0 = performance.now();
const result = towerCoverage(dem, towers, grids);
const computedMs = Math.round(performance.now() - t0);
parentPort?.postMessage({ ...result, computedMs, demHash: dem.hash }, [
  result.seenBy.buffer as ArrayBuffer,
]);
