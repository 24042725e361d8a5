/**
 * Runs `fuseStoredAlarms` behind the camera's answer: kicked by each new stored alarm, once at
 * start (alarms stored before a crash or stop are reported then), every half minute (alarms
 * another node stored and did not get to), and again after a failed pass, backing off. One
 * pass at a time per node; nodes sharing a database may both make the same alarm's report —
 * it is made once (its UUID is the alarm's) and published by the node that made it.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { fuseStoredAlarms } from '../services/camera-alarms.ts';

const SWEEP_MS = 30_000;
const MAX_BACKOFF_MS = 60_000;
/**
 * Before each report a pass gives way to requests in flight (on the embedded database every
 * query runs on this one thread, so a report made amid the acknowledgements delays them), but
 * never longer than this.
 */
const GIVE_WAY_MS = 250;

export interface CameraAlarmFusion {
  /** Another alarm is stored: run a pass (now, or after the one running). */
  kick(): void;
  /** Resolves when no pass is running or due (tests: the reports are made). */
  idle(): Promise<void>;
}

declare module 'fastify' {
  interface FastifyInstance {
    cameraAlarmFusion: CameraAlarmFusion;
  }
}

export default fp(
  async (app: FastifyInstance, opts: { autoStart: boolean }) => {
    let started = false;
    let closing = false;
    let running: Promise<void> | null = null;
    let again = false;
    let backoffMs = 1000;
    let retry: NodeJS.Timeout | null = null;
    let sweep: NodeJS.Timeout | null = null;

    const run = () => {
      if (!started || closing) return;
      if (running) {
        again = true;
        return;
      }
      running = (async () => {
        try {
          do {
            again = false;
            await fuseStoredAlarms(app, giveWay);
          } while (again && !closing);
          backoffMs = 1000;
        } catch (err) {
          app.log.error({ err }, 'camera alarms: reports not made yet; trying again');
          if (!closing && !retry) {
            retry = setTimeout(() => {
              retry = null;
              run();
            }, backoffMs);
            retry.unref();
          }
          backoffMs = Math.min(2 * backoffMs, MAX_BACKOFF_MS);
        } finally {
          running = null;
        }
      })();
    };

    // Requests being answered (a set, so an aborted one that also ends is not counted twice).
    const inFlight = new Set<FastifyRequest>();
    app.addHook('onRequest', async (request) => {
      inFlight.add(request);
    });
    const done = async (request: FastifyRequest) => {
      inFlight.delete(request);
    };
    app.addHook('onResponse', done);
    app.addHook('onRequestAbort', done);
    const giveWay = async () => {
      const until = Date.now() + GIVE_WAY_MS;
      while (inFlight.size > 0 && !closing && Date.now() < until)
        await new Promise((resolve) => setTimeout(resolve, 5));
    };

    app.decorate('cameraAlarmFusion', {
      kick: run,
      async idle() {
        while (running) await running;
      },
    });
    if (opts.autoStart)
      app.addHook('onReady', async () => {
        started = true;
        run();
        sweep = setInterval(run, SWEEP_MS);
        sweep.unref();
      });
    app.addHook('preClose', async () => {
      closing = true;
      if (retry) clearTimeout(retry);
      if (sweep) clearInterval(sweep);
      // What a pass has not reached stays stored, pending, for the next start.
      while (running) await running;
    });
  },
  {
    name: 'camera-alarm-fusion',
    dependencies: ['cameras-repository', 'areas-repository', 'incident-service', 'live', 'db'],
  },
);
