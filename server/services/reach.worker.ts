/**
 * One reach worker (reach-pool.ts): builds the ReachEngine from the ReachData it is started
 * with, says `ready`, then answers one job at a time — a point's reach (already serialized
 * to JSON when asked, so the main thread only copies a string) or the coverage audit.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { coverageAudit } from '../domain/reach/coverage.ts';
import { type ReachData, ReachEngine } from '../domain/reach/reach-engine.ts';
import type { ReachJob, ReachReply } from './reach-pool.ts';

const engine = new ReachEngine(workerData as ReachData);
const port = parentPort;
if (!port) throw new Error('reach.worker.ts runs as a worker thread only');

port.on('message', (job: ReachJob) => {
  let reply: ReachReply;
  try {
    if (job.kind === 'point') {
      const { lon, lat } = job;
      const answer = engine.covers(lon, lat) ? engine.toPoint(lon, lat) : null;
      reply = { id: job.id, ok: true, value: job.json ? JSON.stringify(answer) : answer };
    } else {
      const t0 = performance.now();
      const audit = coverageAudit(engine, job.grids);
      reply = {
        id: job.id,
        ok: true,
        value: { ...audit, computedMs: Math.round(performance.now() - t0) },
      };
    }
  } catch (err) {
    reply = { id: job.id, ok: false, message: (err as Error).message };
  }
  port.postMessage(reply);
});
port.postMessage({ ready: true });
