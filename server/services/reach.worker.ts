/**
 * One reach worker (reach-pool.ts): builds the ReachEngine from the ReachData it is started
 * with, says `ready`, then answers one job at a time — a point's reach (already serialized
 * to JSON when asked, so the main thread only copies a string; then also checked against the
 * county outline here, so an anonymous question costs the event loop no database query),
 * the crews that get to several points in time (a spreading fire's places), or the coverage
 * audit.
 */
import { parentPort, workerData } from 'node:worker_threads';
import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import { coverageAudit } from '../domain/reach/coverage.ts';
import { type ReachData, ReachEngine } from '../domain/reach/reach-engine.ts';
import type { ReachJob, ReachReply, ReachWorkerData } from './reach-pool.ts';
import { lowerThisThreadPriority } from './worker-priority.ts';

// Below the event loop: a flood of reach questions never delays a report's answer.
lowerThisThreadPriority();

const { data, county } = workerData as ReachWorkerData;
const engine = new ReachEngine(data as ReachData);
const inCounty = (lon: number, lat: number) =>
  county.length === 0 || county.some((c) => booleanPointInPolygon([lon, lat], c));
const port = parentPort;
if (!port) throw new Error('reach.worker.ts runs as a worker thread only');

port.on('message', (job: ReachJob) => {
  let reply: ReachReply;
  try {
    if (job.kind === 'point') {
      const { lon, lat } = job;
      if (job.json && !inCounty(lon, lat)) reply = { id: job.id, ok: true, value: 'county' };
      else if (!engine.covers(lon, lat))
        reply = { id: job.id, ok: true, value: job.json ? 'terrain' : null };
      else {
        const answer = engine.toPoint(lon, lat);
        reply = { id: job.id, ok: true, value: job.json ? JSON.stringify(answer) : answer };
      }
    } else if (job.kind === 'crews') {
      const value = job.points.map((q) =>
        engine.covers(q.lon, q.lat) ? engine.crewsTo(q.lon, q.lat, q.horizonS) : null,
      );
      reply = { id: job.id, ok: true, value };
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
