/** Lookout towers as the coverage analysis needs them: position, camera height and range. */
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Database } from '../db/database.ts';
import type { Tower } from '../domain/lookouts/coverage.ts';

/** A tower without a range on file is taken to see 5 km (the smallest range in the demo county). */
export const DEFAULT_TOWER_RANGE_M = 5000;

export function createLookoutsRepository(database: Database) {
  return {
    async towers(): Promise<Tower[]> {
      const rows = await database.query<{
        id: string;
        lon: number;
        lat: number;
        height_m: number;
        range_m: number | null;
      }>(sql`SELECT id, ST_X(geom) AS lon, ST_Y(geom) AS lat, height_m, range_m
               FROM lookouts ORDER BY id`);
      return rows.map((r) => ({
        id: r.id,
        lon: Number(r.lon),
        lat: Number(r.lat),
        heightM: Number(r.height_m),
        rangeM: r.range_m === null ? DEFAULT_TOWER_RANGE_M : Number(r.range_m),
      }));
    },
  };
}

export type LookoutsRepository = ReturnType<typeof createLookoutsRepository>;

declare module 'fastify' {
  interface FastifyInstance {
    lookoutsRepository: LookoutsRepository;
  }
}

export default fp(
  async (app: FastifyInstance) => {
    app.decorate('lookoutsRepository', createLookoutsRepository(app.database));
  },
  { name: 'lookouts-repository', dependencies: ['db'] },
);
