/**
 * The county's areas: the outline, and which grid / village / township / war zone a point
 * lies in (point-in-polygon on the GiST-indexed boundaries).
 */
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Feature, MultiPolygon } from 'geojson';
import type { Database } from '../db/database.ts';

export interface PlaceAt {
  gridCode: string | null;
  villageCode: string | null;
  townshipCode: string | null;
  warZoneId: number | null;
}

export function createAreasRepository(database: Database) {
  return {
    /** The loaded county's outline, or null when no county is loaded yet. */
    async countyOutline(): Promise<Feature<MultiPolygon, { code: string; name: string }> | null> {
      const rows = await database.query<{ code: string; name: string; geojson: string }>(
        sql`SELECT code, name, ST_AsGeoJSON(geom, 6) AS geojson FROM counties LIMIT 1`,
      );
      const row = rows[0];
      if (!row) return null;
      return {
        type: 'Feature',
        properties: { code: row.code, name: row.name },
        geometry: JSON.parse(row.geojson) as MultiPolygon,
      };
    },

    /** Grid and its parents at a WGS84 point. All null outside every grid. */
    async placeAt(lon: number, lat: number): Promise<PlaceAt> {
      const rows = await database.query<{
        grid_code: string | null;
        village_code: string | null;
        township_code: string | null;
        war_zone_id: number | null;
      }>(sql`
        WITH p AS (SELECT ST_SetSRID(ST_MakePoint(${lon}, ${lat}), 4326) AS g)
        SELECT
          (SELECT code FROM grids, p WHERE ST_Intersects(grids.geom, p.g) LIMIT 1) AS grid_code,
          (SELECT code FROM villages, p WHERE ST_Intersects(villages.geom, p.g) LIMIT 1) AS village_code,
          t.code AS township_code,
          t.war_zone_id
        FROM p LEFT JOIN townships t ON ST_Intersects(t.geom, p.g)
        LIMIT 1`);
      const r = rows[0];
      return {
        gridCode: r?.grid_code ?? null,
        villageCode: r?.village_code ?? null,
        townshipCode: r?.township_code ?? null,
        warZoneId: r?.war_zone_id ?? null,
      };
    },

    async counts(): Promise<Record<string, number>> {
      const [row] = await database.query<Record<string, string | number>>(sql`
        SELECT (SELECT count(*) FROM counties) AS counties,
               (SELECT count(*) FROM war_zones) AS war_zones,
               (SELECT count(*) FROM townships) AS townships,
               (SELECT count(*) FROM villages) AS villages,
               (SELECT count(*) FROM grids) AS grids`);
      return Object.fromEntries(Object.entries(row ?? {}).map(([k, v]) => [k, Number(v)]));
    },
  };
}

export type AreasRepository = ReturnType<typeof createAreasRepository>;

declare module 'fastify' {
  interface FastifyInstance {
    areasRepository: AreasRepository;
  }
}

export default fp(
  async (app: FastifyInstance) => {
    app.decorate('areasRepository', createAreasRepository(app.database));
  },
  { name: 'areas-repository', dependencies: ['db'] },
);
