/**
 * The county's areas: the outline, and which grid / village / township / war zone a point
 * lies in (point-in-polygon on the GiST-indexed boundaries).
 */
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Feature, MultiPolygon } from 'geojson';
import type { CountySummary } from '../contract/areas.ts';
import type { Database } from '../db/database.ts';

export interface PlaceAt {
  inCounty: boolean;
  countyCode: string | null;
  countyName: string | null;
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
    /**
     * A loaded county's outline (`code`, or the first by code), or null when none is loaded
     * (or no county has that code).
     */
    async countyOutline(
      code?: string,
    ): Promise<Feature<MultiPolygon, { code: string; name: string }> | null> {
      const rows = await database.query<{ code: string; name: string; geojson: string }>(
        sql`SELECT code, name, ST_AsGeoJSON(geom, 6) AS geojson FROM counties
            WHERE ${code === undefined ? sql`TRUE` : sql`code = ${code}`}
            ORDER BY code LIMIT 1`,
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
        county_code: string | null;
        county_name: string | null;
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
          c.code IS NOT NULL AS in_county, c.code AS county_code, c.name AS county_name,
          (SELECT code FROM grids WHERE ST_Intersects(grids.geom, p.g) LIMIT 1) AS grid_code,
          v.code AS village_code, v.name AS village_name,
          t.code AS township_code, t.name AS township_name,
          z.id AS war_zone_id, z.name AS war_zone_name
        FROM p
        LEFT JOIN LATERAL (SELECT code, name FROM counties WHERE ST_Intersects(counties.geom, p.g)
                           LIMIT 1) c ON TRUE
        LEFT JOIN villages v ON ST_Intersects(v.geom, p.g)
        LEFT JOIN townships t ON ST_Intersects(t.geom, p.g)
        LEFT JOIN war_zones z ON z.id = t.war_zone_id
        LIMIT 1`);
      const r = rows[0];
      return {
        inCounty: r?.in_county ?? false,
        countyCode: r?.county_code ?? null,
        countyName: r?.county_name ?? null,
        gridCode: r?.grid_code ?? null,
        villageCode: r?.village_code ?? null,
        villageName: r?.village_name ?? null,
        townshipCode: r?.township_code ?? null,
        townshipName: r?.township_name ?? null,
        warZoneId: r?.war_zone_id ?? null,
        warZoneName: r?.war_zone_name ?? null,
      };
    },

    /** Every loaded county with its extent and how many war zones, townships and grids it has. */
    async counties(): Promise<CountySummary[]> {
      const rows = await database.query<{
        code: string;
        name: string;
        w: number;
        s: number;
        e: number;
        n: number;
        war_zones: number;
        townships: number;
        grids: number;
      }>(sql`
        WITH z AS (SELECT county_code AS code, count(*)::int AS n FROM war_zones GROUP BY 1),
             t AS (SELECT left(code, 6) AS code, count(*)::int AS n FROM townships GROUP BY 1),
             g AS (SELECT left(township_code, 6) AS code, count(*)::int AS n FROM grids GROUP BY 1)
        -- One pass over each table (per county subqueries scanned the grids once per county).
        SELECT c.code, c.name, ST_XMin(c.geom) AS w, ST_YMin(c.geom) AS s,
               ST_XMax(c.geom) AS e, ST_YMax(c.geom) AS n,
               COALESCE(z.n, 0) AS war_zones, COALESCE(t.n, 0) AS townships, COALESCE(g.n, 0) AS grids
        FROM counties c
        LEFT JOIN z ON z.code = c.code LEFT JOIN t ON t.code = c.code LEFT JOIN g ON g.code = c.code
        ORDER BY c.code`);
      return rows.map((r) => ({
        code: r.code,
        name: r.name,
        bbox: [Number(r.w), Number(r.s), Number(r.e), Number(r.n)],
        warZones: Number(r.war_zones),
        townships: Number(r.townships),
        grids: Number(r.grids),
      }));
    },

    /** The extent of every loaded county, [west, south, east, north]; null when none. */
    async extent(): Promise<[number, number, number, number] | null> {
      const [r] = await database.query<{ w: number | null; s: number; e: number; n: number }>(sql`
        SELECT min(ST_XMin(geom)) AS w, min(ST_YMin(geom)) AS s,
               max(ST_XMax(geom)) AS e, max(ST_YMax(geom)) AS n FROM counties`);
      if (!r || r.w === null) return null;
      return [Number(r.w), Number(r.s), Number(r.e), Number(r.n)];
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
