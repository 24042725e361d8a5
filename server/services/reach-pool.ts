/**
 * Reach answers and the coverage audit computed off the event loop (issue 18, item 4): a
 * small pool of worker threads, each holding a ReachEngine built from the same ReachData,
 * with a bounded queue. One answer costs tens of milliseconds of CPU and an audit seconds;
 * computed on the event loop, ~34 anonymous questions a second made a ranger's report wait
 * 1.9 s. A full queue refuses at once (ReachBusyError → 503 with Retry-After) rather than
 * queueing without bound. Signed-in callers go ahead of anonymous ones and have a queue
 * allowance of their own, so a flood of anonymous questions cannot starve a commander.
 *
 * Workers are started through tsx's loader API, as tower-coverage.ts does (the server runs
 * TypeScript through tsx).
 */
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import type { CoverageAudit } from '../domain/reach/coverage.ts';
import type { CrewReach, ReachAnswer, ReachData } from '../domain/reach/reach-engine.ts';

export type ComputedAudit = CoverageAudit & { computedMs: number };
type Grid = Feature<Polygon | MultiPolygon, { code: string }>;

/** What each worker is started with: the engine's data and the county outline(s). */
export interface ReachWorkerData {
  data: ReachData;
  /** Points outside every one are refused (none given: no check). */
  county: Feature<Polygon | MultiPolygon>[];
}

/** Messages to a worker. */
export type ReachJob =
  | { id: number; kind: 'point'; lon: number; lat: number; json: boolean }
  | { id: number; kind: 'crews'; points: CrewsQuestion[] }
  | { id: number; kind: 'coverage'; grids: Grid[] };
type JobBody = ReachJob extends infer J ? (J extends unknown ? Omit<J, 'id'> : never) : never;
/** Which crews get to a point within a time (one of several asked in one job). */
export interface CrewsQuestion {
  lon: number;
  lat: number;
  horizonS: number;
}

/** Messages from a worker. */
export type ReachReply =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; message: string };

/** The pool is full (or its worker stopped): answer 503 and ask to come back later. */
export class ReachBusyError extends Error {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
    this.name = 'ReachBusyError';
  }
}

export interface ReachPoolOptions {
  /** Worker threads (each holds one engine: ~100 MB for the county). */
  size: number;
  /** Jobs of anonymous callers waiting (not yet running) beyond which new ones are refused. */
  maxQueue: number;
}

/** One worker on a 2-core machine, else all cores but the event loop's; never fewer than 1. */
export function defaultReachWorkers(): number {
  return Math.max(1, os.availableParallelism() - 1);
}

interface Pending {
  job: ReachJob;
  priority: boolean;
  resolve: (value: unknown) => void;
  reject: (err: Error) => void;
}

interface Slot {
  worker: Worker;
  ready: boolean;
  running: Pending | null;
  startedAt: number;
}

const WORKER_URL = new URL('./reach.worker.ts', import.meta.url).href;
const BOOT = `import('tsx/esm/api').then((t) => { t.register(); return import(${JSON.stringify(WORKER_URL)}); })`;

export class ReachPool {
  private readonly slots: Slot[] = [];
  /** Signed-in jobs first (in arrival order), then anonymous ones. */
  private readonly queue: Pending[] = [];
  private nextId = 1;
  private closing = false;
  private drained: (() => void) | null = null;
  /** Mean job time (ms), for the Retry-After estimate. */
  private meanMs = 50;
  /** Workers that died before they were ready, in a row: 3 means the data cannot build. */
  private failedStarts = 0;
  /** Jobs answered, for tests and the bench. */
  completed = 0;

  private readonly workerData: ReachWorkerData;

  constructor(
    data: ReachData,
    private readonly opts: ReachPoolOptions,
    county: Feature<Polygon | MultiPolygon>[] = [],
  ) {
    this.workerData = { data, county };
    for (let i = 0; i < Math.max(1, opts.size); i++) this.slots.push(this.spawn());
  }

  private spawn(): Slot {
    const worker = new Worker(BOOT, { eval: true, workerData: this.workerData });
    const slot: Slot = { worker, ready: false, running: null, startedAt: 0 };
    worker.on('message', (m: ReachReply | { ready: true }) => {
      if ('ready' in m) {
        slot.ready = true;
        this.failedStarts = 0;
        this.pump();
        return;
      }
      const p = slot.running;
      slot.running = null;
      if (p) {
        this.meanMs = 0.8 * this.meanMs + 0.2 * (performance.now() - slot.startedAt);
        this.completed++;
        if (m.ok) p.resolve(m.value);
        else p.reject(new Error(m.message));
      }
      this.pump();
    });
    worker.on('error', (err) => this.lost(slot, err));
    worker.on('exit', (code) => {
      if (!this.closing) this.lost(slot, new Error(`reach worker exited with code ${code}`));
    });
    return slot;
  }

  /** A worker died: its job fails with 503, and a new worker takes its place. */
  private lost(slot: Slot, err: Error) {
    const i = this.slots.indexOf(slot);
    if (i < 0) return;
    slot.running?.reject(
      new ReachBusyError(`the reach engine stopped (${err.message}); ask again`, 1),
    );
    slot.running = null;
    void slot.worker.terminate();
    if (!slot.ready) this.failedStarts++;
    if (this.closing || this.failedStarts >= 3) {
      this.slots.splice(i, 1);
      if (this.slots.length === 0) {
        // Nothing left to run the queue: fail it rather than leave callers waiting.
        this.closing = true;
        for (const p of this.queue.splice(0))
          p.reject(new ReachBusyError(`the reach engine cannot start (${err.message})`, 60));
      }
    } else this.slots[i] = this.spawn();
    this.pump();
  }

  private pump() {
    for (const slot of this.slots) {
      if (!slot.ready || slot.running) continue;
      const next = this.queue.shift();
      if (!next) break;
      slot.running = next;
      slot.startedAt = performance.now();
      slot.worker.postMessage(next.job);
    }
    if (this.closing && this.queue.length === 0 && this.slots.every((s) => !s.running))
      this.drained?.();
  }

  /** Jobs waiting for a worker (not counting those running). */
  get queued(): number {
    return this.queue.length;
  }

  /** Seconds a refused caller should wait before asking again. */
  private retryAfter(): number {
    const ms = ((this.queue.length + 1) * this.meanMs) / this.slots.length;
    return Math.max(1, Math.ceil(ms / 1000));
  }

  /**
   * Whether a new job would be refused now (at once, before any work). Anonymous jobs wait
   * up to maxQueue; signed-in ones until the whole queue holds twice that.
   */
  full(priority = false): boolean {
    if (this.closing) return true;
    if (this.queue.length === 0 && this.slots.some((s) => s.ready && !s.running)) return false;
    if (priority) return this.queue.length >= 2 * this.opts.maxQueue;
    let anonymous = 0;
    for (const p of this.queue) if (!p.priority) anonymous++;
    return anonymous >= this.opts.maxQueue;
  }

  private submit(job: JobBody, priority: boolean, always = false): Promise<unknown> {
    if (!always && this.full(priority))
      return Promise.reject(
        new ReachBusyError(
          `the reach engine is busy (${this.queue.length} questions waiting); ask again shortly`,
          this.retryAfter(),
        ),
      );
    return new Promise((resolve, reject) => {
      const p: Pending = {
        job: { ...job, id: this.nextId++ } as ReachJob,
        priority,
        resolve,
        reject,
      };
      if (priority) {
        const firstAnonymous = this.queue.findIndex((q) => !q.priority);
        this.queue.splice(firstAnonymous < 0 ? this.queue.length : firstAnonymous, 0, p);
      } else this.queue.push(p);
      this.pump();
    });
  }

  /** Reach to a point, or null when it lies outside the terrain model. */
  toPoint(lon: number, lat: number, priority = false): Promise<ReachAnswer | null> {
    return this.submit(
      { kind: 'point', lon, lat, json: false },
      priority,
    ) as Promise<ReachAnswer | null>;
  }

  /**
   * The crews that get to each point within its horizon, ranked (null for a point outside
   * the terrain model): one job for all the points, since each costs only milliseconds.
   */
  crewsTo(points: CrewsQuestion[], priority = false): Promise<(CrewReach[] | null)[]> {
    return this.submit({ kind: 'crews', points }, priority) as Promise<(CrewReach[] | null)[]>;
  }

  /**
   * The same answer already as JSON text, checked against the county outline too: `county`
   * when the point lies outside the county, `terrain` when outside the terrain model.
   */
  async toPointJson(
    lon: number,
    lat: number,
    priority = false,
  ): Promise<{ json: string } | { outside: 'county' | 'terrain' }> {
    const v = (await this.submit({ kind: 'point', lon, lat, json: true }, priority)) as string;
    return v === 'county' || v === 'terrain' ? { outside: v } : { json: v };
  }

  /** The coverage audit; always admitted (it is computed once per geodata version). */
  coverage(grids: Grid[]): Promise<ComputedAudit> {
    return this.submit({ kind: 'coverage', grids }, false, true) as Promise<ComputedAudit>;
  }

  /** Refuse new jobs, let queued and running ones finish, then stop the workers. */
  async close(): Promise<void> {
    this.closing = true;
    await new Promise<void>((resolve) => {
      this.drained = resolve;
      this.pump();
    });
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }

  /** Stop at once: waiting and running jobs fail with 503 (server shutting down). */
  async terminate(): Promise<void> {
    this.closing = true;
    const stopped = new ReachBusyError('the server is shutting down; ask again', 5);
    for (const p of this.queue.splice(0)) p.reject(stopped);
    for (const s of this.slots) {
      s.running?.reject(stopped);
      s.running = null;
    }
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}
