/** The loaded county's DEM (county_terrain), as the terrain service reads it. */
import { desc } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Database } from '../db/database.ts';
import { countyTerrain } from '../db/schema/terrain.ts';

export interface StoredTerrain {
  countyCode: string;
  fileName: string;
  /** The GeoTIFF as loaded. */
  bytes: Uint8Array;
  sha256: string;
}

export function createTerrainRepository(database: Database) {
  const { db } = database;
  return {
    /** The stored DEM's SHA-256 (a cheap look whether the terrain changed), null if none. */
    async sha256(): Promise<string | null> {
      const [row] = await db
        .select({ sha256: countyTerrain.sha256 })
        .from(countyTerrain)
        .orderBy(desc(countyTerrain.loadedAt))
        .limit(1);
      return row?.sha256 ?? null;
    },

    async current(): Promise<StoredTerrain | null> {
      const [row] = await db
        .select({
          countyCode: countyTerrain.countyCode,
          fileName: countyTerrain.fileName,
          bytes: countyTerrain.bytes,
          sha256: countyTerrain.sha256,
        })
        .from(countyTerrain)
        .orderBy(desc(countyTerrain.loadedAt))
        .limit(1);
      return row ?? null;
    },
  };
}

export type TerrainRepository = ReturnType<typeof createTerrainRepository>;

declare module 'fastify' {
  interface FastifyInstance {
    terrainRepository: TerrainRepository;
  }
}

export default fp(
  async (app: FastifyInstance) => {
    app.decorate('terrainRepository', createTerrainRepository(app.database));
  },
  { name: 'terrain-repository', dependencies: ['db'] },
);
