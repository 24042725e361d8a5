/**
 * What the command map shows when a commander clicks something: a grid's card (its place,
 * land, risk, what is near, and its roster 格中定人), a lookout, water source or crew card,
 * search over townships, villages, grids and crews, and the statistics of a focused war zone
 * or township (its township and village crews; county units serve the whole county and are
 * counted apart). Distances are geodesic metres (PostGIS geography).
 */
import { and, asc, eq, gt, type SQL, sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type {
  AreaStats,
  Bbox,
  CrewCard,
  GridCard,
  LookoutCard,
  Nearby,
  RosterEntry,
  SearchHit,
  WarZone,
  WaterSourceCard,
} from '../contract/cards.ts';
import type { Database } from '../db/database.ts';
import { townships, warZones } from '../db/schema/admin.ts';
import { crewEquipment } from '../db/schema/crews.ts';
import type { SearchEntry } from '../domain/search-index.ts';

export type { AreaStats, Bbox, GridCard, Nearby, RosterEntry, SearchEntry, SearchHit };

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

function bboxOf(geojson: string): Bbox {
  const g = JSON.parse(geojson) as { type: string; coordinates: number[] | number[][][] };
  if (g.type === 'Point') {
    const [x, y] = g.coordinates as number[];
    return [x as number, y as number, x as number, y as number];
  }
  const ring = (g.coordinates as number[][][])[0] as number[][];
  const xs = ring.map((p) => p[0] as number);
  const ys = ring.map((p) => p[1] as number);
  return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
}

export function createCardsRepository(database: Database) {
  /** The `limit` nearest rows of a point table to the grid, with "inside" flags. */
  async function nearestTo(
    gridCode: string,
    table: 'lookouts' | 'water_sources' | 'firebreaks',
    limit: number,
  ): Promise<Nearby[]> {
    const kind: SQL =
      table === 'water_sources'
        ? sql`a.kind`
        : table === 'lookouts'
          ? sql`a.camera_kind`
          : sql`NULL::text`;
    const name: SQL = table === 'firebreaks' ? sql`COALESCE(a.name, a.id)` : sql`a.name`;
    const rows = await database.query<{
      id: string;
      name: string;
      kind: string | null;
      distance_m: number;
      inside: boolean;
      lon: number;
      lat: number;
    }>(sql`
      WITH g AS (SELECT geom FROM grids WHERE code = ${gridCode}),
      candidates AS (
        SELECT a.id, ${name} AS name, ${kind} AS kind, a.geom
        FROM ${sql.identifier(table)} a, g ORDER BY a.geom <-> g.geom LIMIT ${limit * 4}
      )
      SELECT c.id, c.name, c.kind,
             ST_Distance(c.geom::geography, g.geom::geography) AS distance_m,
             ST_Intersects(c.geom, g.geom) AS inside,
             ST_X(ST_ClosestPoint(c.geom, ST_PointOnSurface(g.geom))) AS lon,
             ST_Y(ST_ClosestPoint(c.geom, ST_PointOnSurface(g.geom))) AS lat
      FROM candidates c, g
      ORDER BY distance_m, c.id LIMIT ${limit}`);
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      kind: r.kind,
      distanceM: Math.round(Number(r.distance_m)),
      inside: r.inside,
      lon: Number(r.lon),
      lat: Number(r.lat),
    }));
  }

  return {
    async gridCard(code: string): Promise<GridCard | null> {
      const [g] = await database.query<Record<string, unknown>>(sql`
        SELECT g.code, g.area_ha, g.forest_share, g.fuel_type, g.elev_min_m, g.elev_mean_m,
               g.elev_max_m, g.slope_mean_deg, g.risk_class, g.firebreak_km, g.synthetic,
               v.code AS village_code, v.name AS village_name,
               t.code AS township_code, t.name AS township_name,
               z.id AS war_zone_id, z.name AS war_zone_name,
               ST_AsGeoJSON(ST_Envelope(g.geom), 6) AS bbox
        FROM grids g
        JOIN villages v ON v.code = g.village_code
        JOIN townships t ON t.code = g.township_code
        JOIN war_zones z ON z.id = t.war_zone_id
        WHERE g.code = ${code}`);
      if (!g) return null;
      const [lookouts, waterSources, firebreaks, keyAreas, roster, fires] = await Promise.all([
        nearestTo(code, 'lookouts', 3),
        nearestTo(code, 'water_sources', 3),
        nearestTo(code, 'firebreaks', 2),
        database.query<{ id: string; name: string; kind: string }>(sql`
          SELECT k.id, k.name, k.kind FROM key_areas k, grids g
          WHERE g.code = ${code} AND (k.grid_code = g.code OR ST_Intersects(k.geom, g.geom))
          ORDER BY k.id`),
        database.query<{ role: string; name: string; phone: string | null }>(sql`
          SELECT r.role, p.name, p.phone FROM grid_roles r JOIN people p ON p.id = r.person_id
          WHERE r.grid_code = ${code}
          ORDER BY array_position(ARRAY['grid_head','ranger','guide','village_cadre','supervisor','folk_forest_chief'], r.role), p.name`),
        database.query<{
          id: string;
          state: string;
          first_reported_at: string;
          drill: boolean;
        }>(sql`
          SELECT i.id, i.state, i.first_reported_at,
                 EXISTS (SELECT 1 FROM drill_incidents d WHERE d.incident_id = i.id) AS drill
          FROM incidents i
          WHERE i.grid_code = ${code} AND i.state NOT IN ('closed', 'false_alarm')
          ORDER BY i.first_reported_at, i.id`),
      ]);
      return {
        code: g.code as string,
        village: { code: g.village_code as string, name: g.village_name as string },
        township: { code: g.township_code as string, name: g.township_name as string },
        warZone: { id: Number(g.war_zone_id), name: g.war_zone_name as string },
        areaHa: Number(g.area_ha),
        forestShare: num(g.forest_share),
        fuelType: (g.fuel_type as string | null) ?? null,
        elevation: {
          minM: num(g.elev_min_m),
          meanM: num(g.elev_mean_m),
          maxM: num(g.elev_max_m),
        },
        slopeMeanDeg: num(g.slope_mean_deg),
        riskClass: num(g.risk_class),
        firebreakKm: num(g.firebreak_km),
        synthetic: Boolean(g.synthetic),
        bbox: bboxOf(g.bbox as string),
        lookouts,
        waterSources,
        firebreaks,
        keyAreas,
        roster,
        fires: fires.map((f) => ({
          id: f.id,
          state: f.state,
          firstReportedAt: new Date(f.first_reported_at).toISOString(),
          drill: f.drill === true,
        })),
      };
    },

    async lookout(id: string): Promise<LookoutCard | null> {
      const [r] = await database.query<Record<string, unknown>>(sql`
        SELECT l.id, l.name, l.camera_kind, l.height_m, l.range_m, l.grid_code,
               t.name AS township_name, ST_X(l.geom) AS lon, ST_Y(l.geom) AS lat
        FROM lookouts l LEFT JOIN townships t ON t.code = l.township_code WHERE l.id = ${id}`);
      if (!r) return null;
      return {
        id: r.id as string,
        name: r.name as string,
        cameraKind: r.camera_kind as string,
        heightM: Number(r.height_m),
        rangeM: num(r.range_m),
        gridCode: (r.grid_code as string | null) ?? null,
        township: (r.township_name as string | null) ?? null,
        lon: Number(r.lon),
        lat: Number(r.lat),
      };
    },

    async waterSource(id: string): Promise<WaterSourceCard | null> {
      const [r] = await database.query<Record<string, unknown>>(sql`
        SELECT w.id, w.name, w.kind, w.capacity_m3, w.grid_code,
               t.name AS township_name, ST_X(w.geom) AS lon, ST_Y(w.geom) AS lat
        FROM water_sources w LEFT JOIN townships t ON t.code = w.township_code WHERE w.id = ${id}`);
      if (!r) return null;
      return {
        id: r.id as string,
        name: r.name as string,
        kind: r.kind as string,
        capacityM3: num(r.capacity_m3),
        gridCode: (r.grid_code as string | null) ?? null,
        township: (r.township_name as string | null) ?? null,
        lon: Number(r.lon),
        lat: Number(r.lat),
      };
    },

    async crew(id: string): Promise<CrewCard | null> {
      const [r] = await database.query<Record<string, unknown>>(sql`
        SELECT c.id, c.name, c.level, c.unit_kind, c.members, c.status, c.phone,
               t.name AS township_name, v.name AS village_name,
               ST_X(c.base) AS lon, ST_Y(c.base) AS lat, c.updated_at
        FROM crews c LEFT JOIN townships t ON t.code = c.township_code
        LEFT JOIN villages v ON v.code = c.village_code WHERE c.id = ${id}`);
      if (!r) return null;
      const equipment = await database.db
        .select({ kind: crewEquipment.kind, count: crewEquipment.count })
        .from(crewEquipment)
        .where(and(eq(crewEquipment.crewId, id), gt(crewEquipment.count, 0)))
        .orderBy(asc(crewEquipment.kind));
      return {
        id: r.id as string,
        name: r.name as string,
        level: r.level as string,
        unitKind: (r.unit_kind as string | null) ?? null,
        members: Number(r.members),
        status: r.status as string,
        phone: (r.phone as string | null) ?? null,
        township: (r.township_name as string | null) ?? null,
        village: (r.village_name as string | null) ?? null,
        equipment: Object.fromEntries(equipment.map((e) => [e.kind, Number(e.count)])),
        lon: Number(r.lon),
        lat: Number(r.lat),
        updatedAt: new Date(r.updated_at as string).toISOString(),
      };
    },

    /** War zones with their townships, for the focus selector. */
    /** War zones with their townships; `countyCode`: of one county of a province. */
    async warZones(countyCode?: string): Promise<WarZone[]> {
      const rows = await database.db
        .select({
          id: warZones.id,
          name: warZones.name,
          code: townships.code,
          township: townships.name,
        })
        .from(warZones)
        .leftJoin(townships, eq(townships.warZoneId, warZones.id))
        .where(countyCode === undefined ? undefined : eq(warZones.countyCode, countyCode))
        .orderBy(asc(warZones.id), asc(townships.code));
      const zones = new Map<number, WarZone>();
      for (const r of rows) {
        const id = r.id;
        let zone = zones.get(id);
        if (!zone) {
          zone = { id, name: r.name, townships: [] };
          zones.set(id, zone);
        }
        if (r.code && r.township) zone.townships.push({ code: r.code, name: r.township });
      }
      return [...zones.values()];
    },

    /** Every name and code the map's search finds (domain/search-index.ts holds them). */
    async searchEntries(): Promise<SearchEntry[]> {
      return database.query<SearchEntry & Record<string, unknown>>(sql`
        SELECT 'township' AS kind, t.code AS id, t.name, z.name AS context, left(t.code, 6) AS county
        FROM townships t JOIN war_zones z ON z.id = t.war_zone_id
        UNION ALL
        SELECT 'village', v.code, v.name, t.name, left(v.code, 6)
        FROM villages v JOIN townships t ON t.code = v.township_code
        UNION ALL
        SELECT 'grid', g.code, g.code, t.name || ' ' || v.name, left(g.code, 6)
        FROM grids g JOIN villages v ON v.code = g.village_code
        JOIN townships t ON t.code = g.township_code
        UNION ALL
        SELECT 'crew', c.id, c.name, COALESCE(t.name, ''), COALESCE(left(c.township_code, 6), '')
        FROM crews c LEFT JOIN townships t ON t.code = c.township_code`);
    },

    /** The box to fly to of each hit (an area's extent, a crew's base), by kind and id. */
    async searchBoxes(hits: SearchEntry[]): Promise<Map<string, Bbox>> {
      const ids = (kind: SearchEntry['kind']) =>
        hits
          .filter((h) => h.kind === kind)
          .map((h) => h.id)
          .join('\n');
      const rows = await database.query<{ kind: string; id: string; bbox: string }>(sql`
        SELECT 'township' AS kind, code AS id, ST_AsGeoJSON(ST_Envelope(geom), 6) AS bbox
          FROM townships WHERE code = ANY (string_to_array(${ids('township')}, E'\n'))
        UNION ALL
        SELECT 'village', code, ST_AsGeoJSON(ST_Envelope(geom), 6)
          FROM villages WHERE code = ANY (string_to_array(${ids('village')}, E'\n'))
        UNION ALL
        SELECT 'grid', code, ST_AsGeoJSON(ST_Envelope(geom), 6)
          FROM grids WHERE code = ANY (string_to_array(${ids('grid')}, E'\n'))
        UNION ALL
        SELECT 'crew', id, ST_AsGeoJSON(base, 6)
          FROM crews WHERE id = ANY (string_to_array(${ids('crew')}, E'\n'))`);
      return new Map(rows.map((r) => [`${r.kind}:${r.id}`, bboxOf(r.bbox)]));
    },

    async areaStats(kind: 'war_zone' | 'township', id: string): Promise<AreaStats | null> {
      const area: SQL =
        kind === 'war_zone'
          ? sql`SELECT id::text AS id, name, geom FROM war_zones WHERE id::text = ${id}`
          : sql`SELECT code AS id, name, geom FROM townships WHERE code = ${id}`;
      const townshipsIn: SQL =
        kind === 'war_zone'
          ? sql`SELECT code FROM townships WHERE war_zone_id::text = ${id}`
          : sql`SELECT code FROM townships WHERE code = ${id}`;
      const [r] = await database.query<Record<string, unknown>>(sql`
        WITH a AS (${area}), ts AS (${townshipsIn})
        SELECT a.id, a.name, ST_AsGeoJSON(ST_Envelope(a.geom), 6) AS bbox,
          (SELECT count(*) FROM ts) AS townships,
          (SELECT count(*) FROM villages WHERE township_code IN (SELECT code FROM ts)) AS villages,
          (SELECT count(*) FROM grids WHERE township_code IN (SELECT code FROM ts)) AS grids,
          (SELECT count(*) FROM crews WHERE level <> 'county' AND township_code IN (SELECT code FROM ts)) AS crews,
          (SELECT COALESCE(sum(members), 0) FROM crews WHERE level <> 'county' AND township_code IN (SELECT code FROM ts)) AS members,
          (SELECT count(*) FROM water_sources w WHERE ST_Intersects(w.geom, a.geom)) AS water_sources,
          (SELECT count(*) FROM water_sources w WHERE w.kind = 'reservoir' AND ST_Intersects(w.geom, a.geom)) AS reservoirs,
          (SELECT count(*) FROM lookouts l WHERE ST_Intersects(l.geom, a.geom)) AS lookouts
        FROM a`);
      if (!r) return null;
      const equipment = await database.query<{ kind: string; total: number }>(sql`
        SELECT e.kind, sum(e.count) AS total FROM crew_equipment e JOIN crews c ON c.id = e.crew_id
        WHERE c.level <> 'county' AND c.township_code IN (${townshipsIn}) GROUP BY e.kind ORDER BY e.kind`);
      return {
        kind,
        id: r.id as string,
        name: r.name as string,
        bbox: bboxOf(r.bbox as string),
        townships: Number(r.townships),
        villages: Number(r.villages),
        grids: Number(r.grids),
        crews: Number(r.crews),
        members: Number(r.members),
        equipment: Object.fromEntries(equipment.map((e) => [e.kind, Number(e.total)])),
        reservoirs: Number(r.reservoirs),
        waterSources: Number(r.water_sources),
        lookouts: Number(r.lookouts),
      };
    },
  };
}

export type CardsRepository = ReturnType<typeof createCardsRepository>;

declare module 'fastify' {
  interface FastifyInstance {
    cardsRepository: CardsRepository;
  }
}

export default fp(
  async (app: FastifyInstance) => {
    app.decorate('cardsRepository', createCardsRepository(app.database));
  },
  { name: 'cards-repository', dependencies: ['db'] },
);
