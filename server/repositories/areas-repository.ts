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
  inCounty: boolean;
  gridCode: string | null;
  villageCode: string | null;
  villageName: string | null;
  townshipCode: string | null;
  townshipName: string | null;
  warZoneId: number | null;
  warZoneName: string | null;
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

    /** Grid and its parents at a WGS84 point; codes are null where no area contains it. */
    async placeAt(lon: number, lat: number): Promise<PlaceAt> {
      const rows = await database.query<{
        in_county: boolean;
        grid_code: string | null;
        village_code: string | null;
        village_name: string | null;
        township_code: string | null;
        township_name: string | null;
        war_zone_id: number | null;
        war_zone_name: string | null;
      }>(sql`
        WITH p AS (SELECT ST_SetSRID(ST_MakePoint(${lon}, ${lat}), 4326) AS g)
        SELECT
          EXISTS (SELECT 1 FROM counties c WHERE ST_Intersects(c.geom, p.g)) AS in_county,
          (SELECT code FROM grids WHERE ST_Intersects(grids.geom, p.g) LIMIT 1) AS grid_code,
          v.code AS village_code, v.name AS village_name,
          t.code AS township_code, t.name AS township_name,
          z.id AS war_zone_id, z.name AS war_zone_name
        FROM p
        LEFT JOIN villages v ON ST_Intersects(v.geom, p.g)
        LEFT JOIN townships t ON ST_Intersects(t.geom, p.g)
        LEFT JOIN war_zones z ON z.id = t.war_zone_id
        LIMIT 1`);
      const r = rows[0];
      return {
        inCounty: r?.in_county ?? false,
        gridCode: r?.grid_code ?? null,
        villageCode: r?.village_code ?? null,
        villageName: r?.village_name ?? null,
        townshipCode: r?.township_code ?? null,
        townshipName: r?.township_name ?? null,
        warZoneId: r?.war_zone_id ?? null,
        warZoneName: r?.war_zone_name ?? null,
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
