/**
 * The reach engine for this server, built from the loaded county (roads, rivers,
 * firebreaks, crews, water from the database; the DEM of the terrain tiles) and rebuilt when
 * the geodata changes, with the coverage audit cached alongside.
 */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Feature, MultiPolygon } from 'geojson';
import { type CoverageAudit, coverageAudit } from '../domain/reach/coverage.ts';
import { type ReachData, ReachEngine } from '../domain/reach/reach-engine.ts';

export interface Reach {
  /** What the engine is built from, as plain GeoJSON (the command page's worker builds its own). */
  network(): Promise<{ version: string; data: Omit<ReachData, 'dem'> }>;
  engine(): Promise<ReachEngine>;
  coverage(): Promise<CoverageAudit & { computedMs: number; version: string }>;
}

declare module 'fastify' {
  interface FastifyInstance {
    reach: Reach;
  }
}

export default fp(
  async (app: FastifyInstance) => {
    let built: {
      version: string;
      data: Promise<Omit<ReachData, 'dem'>>;
      engine?: Promise<ReachEngine>;
      coverage?: Promise<CoverageAudit & { computedMs: number; version: string }>;
    } | null = null;

    const current = async () => {
      const version = (await app.tiles.vector()).version;
      if (built?.version !== version) {
        const layer = async (name: Parameters<typeof app.layersRepository.layer>[0]) =>
          (await app.layersRepository.layer(name)).features as never;
        built = {
          version,
          data: (async () => ({
            roads: await layer('roads'),
            rivers: await layer('rivers'),
            firebreaks: await layer('firebreaks'),
            crews: await layer('crews'),
            waterSources: await layer('water_sources'),
          }))(),
        };
      }
      return built;
    };

    app.decorate('reach', {
      async network() {
        const b = await current();
        return { version: b.version, data: await b.data };
      },
      async engine() {
        const b = await current();
        b.engine ??= (async () =>
          new ReachEngine({ ...(await b.data), dem: await app.tiles.dem() }))();
        return b.engine;
      },
      async coverage() {
        const b = await current();
        b.coverage ??= (async () => {
          const engine = await this.engine();
          const grids = (await app.layersRepository.layer('grids')).features as Feature<
            MultiPolygon,
            { code: string }
          >[];
          const t0 = performance.now();
          const audit = coverageAudit(engine, grids);
          return { ...audit, computedMs: Math.round(performance.now() - t0), version: b.version };
        })();
        return b.coverage;
      },
    } satisfies Reach);
  },
  { name: 'reach', dependencies: ['tiles', 'layers-repository'] },
);
