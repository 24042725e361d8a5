/**
 * The county's areas: the outline, and which grid / village / township / war zone a point
 * lies in (point-in-polygon on the GiST-indexed boundaries).
 */
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Feature, MultiPolygon } from 'geojson';
import type { CountySummary } from '../contract/areas.ts';
import type { Database, Step } from '../db/database.ts';
import { jsonParam } from '../db/json-param.ts';

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

/**
 * Grid and parents at each of `points`, in their order (one statement for all: a batch of
 * reports places them together).
 */
export function placesAt(points: readonly { lon: number; lat: number }[]): Step<PlaceAt[]> {
  const records = points.map((p, i) => ({ i, lon: p.lon, lat: p.lat }));
  return {
    statement: sql`
      SELECT p.i,
        c.code IS NOT NULL AS in_county, c.code AS county_code, c.name AS county_name,
        gr.code AS grid_code, v.code AS village_code, v.name AS village_name,
        t.code AS township_code, t.name AS township_name, z.id AS war_zone_id, z.name AS war_zone_name
      FROM jsonb_to_recordset(${jsonParam(records)}) AS p(i int, lon float8, lat float8)
      CROSS JOIN LATERAL (SELECT ST_SetSRID(ST_MakePoint(p.lon, p.lat), 4326) AS g) pt
      LEFT JOIN LATERAL (SELECT code, name FROM counties WHERE ST_Intersects(counties.geom, pt.g)
                         LIMIT 1) c ON TRUE
      LEFT JOIN LATERAL (SELECT code FROM grids WHERE ST_Intersects(grids.geom, pt.g) LIMIT 1) gr ON TRUE
      LEFT JOIN LATERAL (SELECT code, name FROM villages WHERE ST_Intersects(villages.geom, pt.g)
                         LIMIT 1) v ON TRUE
      LEFT JOIN LATERAL (SELECT code, name, war_zone_id FROM townships
                         WHERE ST_Intersects(townships.geom, pt.g) LIMIT 1) t ON TRUE
      LEFT JOIN war_zones z ON z.id = t.war_zone_id
      ORDER BY p.i`,
    read: (rows) => {
      const byIndex = new Map(rows.map((r) => [Number(r.i), r]));
      return points.map((_, i) => {
        const r = byIndex.get(i);
        const text = (v: unknown) => (v === null || v === undefined ? null : String(v));
        return {
          inCounty: r?.in_county === true || r?.in_county === 't',
          countyCode: text(r?.county_code),
          countyName: text(r?.county_name),
          gridCode: text(r?.grid_code),
          villageCode: text(r?.village_code),
          villageName: text(r?.village_name),
          townshipCode: text(r?.township_code),
          townshipName: text(r?.township_name),
          warZoneId:
            r?.war_zone_id === null || r?.war_zone_id === undefined ? null : Number(r.war_zone_id),
          warZoneName: text(r?.war_zone_name),
        };
      });
    },
  };
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
      const step = placesAt([{ lon, lat }]);
      return step.read(await database.query(step.statement))[0] as PlaceAt;
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
