/**
 * The reach engine for this server, built from the loaded county (roads, rivers,
 * firebreaks, crews, water from the database; the DEM of the terrain tiles) and rebuilt when
 * the geodata changes, with the coverage audit cached alongside. Answers are computed in a
 * pool of worker threads (services/reach-pool.ts), never on the event loop.
 */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Feature, Geometry, MultiPolygon, Polygon } from 'geojson';
import type { CoverageAudit } from '../domain/reach/coverage.ts';
import type { CrewReach, ReachAnswer, ReachData } from '../domain/reach/reach-engine.ts';
import { bboxOf } from '../geodata/county-dem.ts';
import { TerrainMissingError } from '../services/county-terrain.ts';
import { type CrewsQuestion, defaultReachWorkers, ReachPool } from '../services/reach-pool.ts';

export interface Reach {
  /** What the engine is built from, as plain GeoJSON (the command page's worker builds its own). */
  network(): Promise<{ version: string; data: Omit<ReachData, 'dem'> }>;
  /**
   * Every crew's reach to a point (null outside the terrain model), computed in a worker.
   * Throws ReachBusyError when the queue is full; `priority` (signed-in callers) goes first.
   */
  toPoint(lon: number, lat: number, priority?: boolean): Promise<ReachAnswer | null>;
  /**
   * The crews that get to each point within its horizon, ranked (null outside the terrain
   * model), in one worker job; throws ReachBusyError as toPoint does.
   */
  crewsTo(points: CrewsQuestion[], priority?: boolean): Promise<(CrewReach[] | null)[]>;
  /**
   * The same as JSON text (nothing to serialize here), checked against the county outline in
   * the worker (no database query on the event loop): or which check the point failed.
   */
  toPointJson(
    lon: number,
    lat: number,
    priority?: boolean,
  ): Promise<{ json: string } | { outside: 'county' | 'terrain' }>;
  coverage(): Promise<CoverageAudit & { computedMs: number; version: string }>;
}

declare module 'fastify' {
  interface FastifyInstance {
    reach: Reach;
  }
}

export interface ReachPluginOptions {
  /** Worker threads; 0 or unset → defaultReachWorkers(). */
  workers?: number;
  /** Anonymous questions waiting beyond which /api/reach answers 503 (default 32). */
  maxQueue?: number;
}

export const DEFAULT_REACH_QUEUE = 32;

/** Whether a geometry's extent overlaps a [west, south, east, north] box. */
function touches(g: Geometry | null, box: [number, number, number, number]): boolean {
  if (!g || g.type === 'GeometryCollection') return false;
  const [w, s, e, n] = bboxOf(g.coordinates);
  return w <= box[2] && e >= box[0] && s <= box[3] && n >= box[1];
}

export default fp(
  async (app: FastifyInstance, opts: ReachPluginOptions) => {
    const size = opts.workers || defaultReachWorkers();
    const maxQueue = opts.maxQueue ?? DEFAULT_REACH_QUEUE;
    let built: {
      version: string;
      /** The terrain model's extent, null when no terrain is loaded. */
      box: Promise<[number, number, number, number] | null>;
      data: Promise<Omit<ReachData, 'dem'>>;
      pool?: Promise<ReachPool>;
      coverage?: Promise<CoverageAudit & { computedMs: number; version: string }>;
    } | null = null;
    const pools = new Set<Promise<ReachPool>>();

    const current = async () => {
      const version = (await app.tiles.vector()).version;
      if (built?.version !== version) {
        // The old pool finishes what it was asked, then stops.
        const old = built?.pool;
        if (old) {
          pools.delete(old);
          void old.then((p) => p.close()).catch(() => {});
        }
        // Reach answers only on the terrain model (outside it: 422), so the network is what
        // touches the DEM's extent: a province's other counties add nothing but cost (their
        // 1.6 million road vertices took reach from ~20 ms to ~45 s a question). No terrain
        // loaded: nothing to cut by (the pool then refuses for want of it); any other error
        // fails this build and the next question tries again.
        const box = app.tiles.dem().then(
          (d) => d.bbox,
          (err) => {
            if (err instanceof TerrainMissingError) return null;
            throw err;
          },
        );
        const layer = async (name: Parameters<typeof app.layersRepository.layer>[0]) => {
          const [all, b] = await Promise.all([app.layersRepository.layer(name), box]);
          return (b ? all.features.filter((f) => touches(f.geometry, b)) : all.features) as never;
        };
        // Set before any await: two questions at a version change share one build and one pool.
        built = {
          version,
          box,
          data: (async () => ({
            roads: await layer('roads'),
            rivers: await layer('rivers'),
            firebreaks: await layer('firebreaks'),
            crews: await layer('crews'),
            waterSources: await layer('water_sources'),
          }))(),
        };
        // A failed read is not kept for the version: the next question builds again.
        const failed = built;
        failed.data.catch(() => {
          if (built === failed) built = null;
        });
      }
      return built;
    };

    const pool = async () => {
      const b = await current();
      if (!b.pool) {
        b.pool = (async () => {
          const county = (await app.layersRepository.layer('county')).features as Feature<
            MultiPolygon | Polygon
          >[];
          return new ReachPool(
            { ...(await b.data), dem: await app.tiles.dem() },
            { size, maxQueue },
            county,
          );
        })();
        pools.add(b.pool);
      }
      return b.pool;
    };

    app.addHook('onClose', async () => {
      await Promise.allSettled([...pools].map(async (p) => (await p).terminate()));
    });

    app.decorate('reach', {
      async network() {
        const b = await current();
        return { version: b.version, data: await b.data };
      },
      async toPoint(lon, lat, priority = false) {
        return (await pool()).toPoint(lon, lat, priority);
      },
      async crewsTo(points, priority = false) {
        return (await pool()).crewsTo(points, priority);
      },
      async toPointJson(lon, lat, priority = false) {
        return (await pool()).toPointJson(lon, lat, priority);
      },
      async coverage() {
        const b = await current();
        b.coverage ??= (async () => {
          // The grids on the terrain model: a province's other counties cannot be reached.
          const box = await b.box;
          const grids = (await app.layersRepository.layer('grids')).features.filter(
            (f) => !box || touches(f.geometry, box),
          ) as Feature<MultiPolygon, { code: string }>[];
          const audit = await (await pool()).coverage(grids);
          return { ...audit, version: b.version };
        })();
        // A failed audit (server closing) is asked again next time, not cached.
        b.coverage.catch(() => {
          if (built === b) b.coverage = undefined;
        });
        return b.coverage;
      },
    } satisfies Reach);
  },
  { name: 'reach', dependencies: ['tiles', 'layers-repository'] },
);
