/** The loaded county's DEM (county_terrain), as the terrain service reads it. */
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Database } from '../db/database.ts';

export interface StoredTerrain {
  countyCode: string;
  fileName: string;
  /** The GeoTIFF as loaded. */
  bytes: Uint8Array;
  sha256: string;
}

export function createTerrainRepository(database: Database) {
  return {
    /** The stored DEM's SHA-256 (a cheap look whether the terrain changed), null if none. */
    async sha256(): Promise<string | null> {
      const [row] = await database.query<{ sha256: string }>(
        sql`SELECT sha256 FROM county_terrain ORDER BY loaded_at DESC LIMIT 1`,
      );
      return row?.sha256 ?? null;
    },

    async current(): Promise<StoredTerrain | null> {
      const [row] = await database.query<{
        county_code: string;
        file_name: string;
        bytes: Uint8Array;
        sha256: string;
      }>(sql`SELECT county_code, file_name, bytes, sha256 FROM county_terrain
             ORDER BY loaded_at DESC LIMIT 1`);
      if (!row) return null;
      return {
        countyCode: row.county_code,
        fileName: row.file_name,
        bytes: row.bytes,
        sha256: row.sha256,
      };
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
