/**
 * Runs the tower coverage analysis (seconds of CPU for the county) in a worker thread, so
 * the server keeps answering while it runs. Input and output: see tower-coverage.ts.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { towerCoverage } from '../domain/lookouts/coverage.ts';
import { readDem } from '../tiles/terrain-tiles.ts';
import { lowerThisThreadPriority } from './worker-priority.ts';

lowerThisThreadPriority();

const { demFile, towers, grids } = workerData as {
  demFile: string;
  towers: Parameters<typeof towerCoverage>[1];
  grids: Parameters<typeof towerCoverage>[2];
};
const dem = await readDem(demFile);
const t0 = performance.now();
const result = towerCoverage(dem, towers, grids);
const computedMs = Math.round(performance.now() - t0);
parentPort?.postMessage({ ...result, computedMs, demHash: dem.hash }, [
  result.seenBy.buffer as ArrayBuffer,
]);
