/**
 * The county's layers as OGC API – Features collections (OGC 17-069r4, Part 1: Core).
 * Only what the public map shows travels: no rosters, no phone numbers, no reporters or
 * notes; incidents are the open ones as their public summary (domain/access.ts, "Reads").
 * Geometry is stored in EPSG:4326 and served as CRS84 (lon, lat), which is the same order.
 */
import { type SQL, sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Geometry } from 'geojson';
import type { Database } from '../db/database.ts';

interface CollectionDef {
  title: string;
  description: string;
  /** FROM clause, with the table aliased `x`. */
  from: SQL;
  /** Rows of the collection beyond the table (incidents: the open ones). */
  where?: SQL;
  id: SQL;
  geom: SQL;
  /** A json_build_object(...) of the public properties. */
  properties: SQL;
  /** The instant features are matched on by `datetime`, when the collection has one. */
  time?: SQL;
}

/** Ordered as the landing page lists them; ids are the collection ids in URLs. */
const COLLECTIONS = {
  grids: {
    title: '森林防火网格 Fire-prevention grids',
    description: 'Grids with place, land, terrain and risk class; rosters are not published.',
    from: sql`grids x JOIN townships t ON t.code = x.township_code`,
    id: sql`x.code`,
    geom: sql`x.geom`,
    properties: sql`json_build_object('code', x.code, 'village_code', x.village_code,
      'township_code', x.township_code, 'war_zone_id', t.war_zone_id, 'area_ha', x.area_ha,
      'forest_share', x.forest_share, 'fuel_type', x.fuel_type, 'elev_min_m', x.elev_min_m,
      'elev_mean_m', x.elev_mean_m, 'elev_max_m', x.elev_max_m, 'slope_mean_deg', x.slope_mean_deg,
      'firebreak_km', x.firebreak_km, 'risk_class', x.risk_class, 'synthetic', x.synthetic)`,
  },
  villages: {
    title: '村/社区 Villages',
    description: 'Villages and communities with their official codes.',
    from: sql`villages x`,
    id: sql`x.code`,
    geom: sql`x.geom`,
    properties: sql`json_build_object('code', x.code, 'name', x.name, 'kind', x.kind,
      'township_code', x.township_code)`,
  },
  townships: {
    title: '乡镇 Townships',
    description: 'Townships (镇 and 乡) with their war zone.',
    from: sql`townships x JOIN war_zones z ON z.id = x.war_zone_id`,
    id: sql`x.code`,
    geom: sql`x.geom`,
    properties: sql`json_build_object('code', x.code, 'name', x.name, 'kind', x.kind,
      'war_zone_id', x.war_zone_id, 'war_zone', z.name)`,
  },
  'war-zones': {
    title: '战区 War zones',
    description: 'The war zones townships are grouped into for linkage (战区联动).',
    from: sql`war_zones x`,
    id: sql`x.id`,
    geom: sql`x.geom`,
    properties: sql`json_build_object('id', x.id, 'name', x.name, 'county_code', x.county_code)`,
  },
  lookouts: {
    title: '瞭望台/铁塔哨兵 Lookouts and tower cameras',
    description: 'Lookouts and tower cameras with height and nominal range.',
    from: sql`lookouts x`,
    id: sql`x.id`,
    geom: sql`x.geom`,
    properties: sql`json_build_object('id', x.id, 'name', x.name, 'camera_kind', x.camera_kind,
      'height_m', x.height_m, 'range_m', x.range_m, 'township_code', x.township_code,
      'grid_code', x.grid_code)`,
  },
  'water-sources': {
    title: '应急水源 Emergency water sources',
    description: 'Reservoirs, ponds and river intakes for firefighting.',
    from: sql`water_sources x`,
    id: sql`x.id`,
    geom: sql`x.geom`,
    properties: sql`json_build_object('id', x.id, 'name', x.name, 'kind', x.kind,
      'capacity_m3', x.capacity_m3, 'township_code', x.township_code, 'grid_code', x.grid_code)`,
  },
  firebreaks: {
    title: '防火阻隔带 Firebreaks',
    description: 'Firebreaks with width, length and year built.',
    from: sql`firebreaks x`,
    id: sql`x.id`,
    geom: sql`x.geom`,
    properties: sql`json_build_object('id', x.id, 'name', x.name, 'width_m', x.width_m,
      'length_m', x.length_m, 'built_year', x.built_year)`,
  },
  'key-areas': {
    title: '重点区域 Key areas',
    description: 'Places a fire must be kept from: schools, cultural sites, plantations …',
    from: sql`key_areas x`,
    id: sql`x.id`,
    geom: sql`x.geom`,
    properties: sql`json_build_object('id', x.id, 'name', x.name, 'kind', x.kind,
      'grid_code', x.grid_code)`,
  },
  'crew-bases': {
    title: '扑火队伍驻地 Crews’ standby bases',
    description: 'Where each crew stands by, its level and size; no members or phone numbers.',
    from: sql`crews x`,
    id: sql`x.id`,
    geom: sql`x.base`,
    properties: sql`json_build_object('id', x.id, 'name', x.name, 'level', x.level,
      'unit_kind', x.unit_kind, 'members', x.members, 'status', x.status,
      'township_code', x.township_code, 'village_code', x.village_code)`,
  },
  incidents: {
    title: '火情 Open incidents (public notice)',
    description:
      'Incidents not yet closed, as the public fire notice shows them: place, state and the ' +
      '10/20/30-minute clock. Who reported, notes, photos and the timeline are not published.',
    from: sql`incidents x
      LEFT JOIN villages v ON v.code = x.village_code
      LEFT JOIN townships t ON t.code = x.township_code
      LEFT JOIN war_zones z ON z.id = x.war_zone_id`,
    where: sql`x.state <> 'closed'`,
    id: sql`x.id`,
    geom: sql`x.location`,
    time: sql`x.first_reported_at`,
    properties: sql`json_build_object('state', x.state,
      'first_reported_at', to_char(x.first_reported_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
      'arrive_by', to_char((x.first_reported_at + interval '10 minutes') AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
      'control_by', to_char((x.first_reported_at + interval '20 minutes') AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
      'extinguish_by', to_char((x.first_reported_at + interval '30 minutes') AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
      'breached', (SELECT string_agg(e.payload->>'target', ',' ORDER BY e.seq) FROM incident_events e
                    WHERE e.incident_id = x.id AND e.type = 'target_breached'),
      'escalation_level', x.escalation_level, 'grid_code', x.grid_code, 'village', v.name,
      'township_code', x.township_code, 'township', t.name, 'war_zone_id', x.war_zone_id,
      'war_zone', z.name, 'report_count', (SELECT count(*)::int FROM incident_reports r WHERE r.incident_id = x.id),
      'burned_area_ha', x.burned_area_ha,
      -- A drill 演练 (issue 14): published as such, never to be read as a real fire.
      'drill', EXISTS (SELECT 1 FROM drill_incidents d WHERE d.incident_id = x.id))`,
  },
} satisfies Record<string, CollectionDef>;

export type CollectionId = keyof typeof COLLECTIONS;
export const COLLECTION_IDS = Object.keys(COLLECTIONS) as CollectionId[];

export function isCollectionId(id: string): id is CollectionId {
  return Object.hasOwn(COLLECTIONS, id);
}

export interface CollectionInfo {
  id: CollectionId;
  title: string;
  description: string;
  /** [minLon, minLat, maxLon, maxLat], null when the collection is empty. */
  bbox: [number, number, number, number] | null;
  /** Whether `datetime` filters this collection, and the interval its features span. */
  temporal: { interval: [string | null, string | null] } | null;
}

/** A bbox in CRS84; west > east crosses the antimeridian. */
export type Bbox = [number, number, number, number];
/** Closed interval; a null end is open. */
export interface TimeFilter {
  start: Date | null;
  end: Date | null;
}

export interface ItemsQuery {
  limit: number;
  offset: number;
  bbox?: Bbox;
  datetime?: TimeFilter;
}

export interface OgcFeature {
  type: 'Feature';
  id: string | number;
  geometry: Geometry;
  properties: Record<string, unknown>;
}

function bboxFilter(def: CollectionDef, [w, s, e, n]: Bbox): SQL {
  const env = (a: number, b: number) =>
    sql`${def.geom} && ST_MakeEnvelope(${a}, ${s}, ${b}, ${n}, 4326) AND ST_Intersects(${def.geom}, ST_MakeEnvelope(${a}, ${s}, ${b}, ${n}, 4326))`;
  return w <= e ? env(w, e) : sql`((${env(w, 180)}) OR (${env(-180, e)}))`;
}

function filters(def: CollectionDef, q: Omit<ItemsQuery, 'limit' | 'offset'>): SQL {
  const parts: SQL[] = [def.where ?? sql`TRUE`];
  if (q.bbox) parts.push(bboxFilter(def, q.bbox));
  // Collections without a time ignore `datetime` (OGC 17-069r4 §7.15.4).
  if (q.datetime && def.time) {
    if (q.datetime.start) parts.push(sql`${def.time} >= ${q.datetime.start.toISOString()}`);
    if (q.datetime.end) parts.push(sql`${def.time} <= ${q.datetime.end.toISOString()}`);
  }
  return sql.join(parts, sql` AND `);
}

export function createOgcRepository(database: Database) {
  async function describe(id: CollectionId): Promise<CollectionInfo> {
    const def: CollectionDef = COLLECTIONS[id];
    const [r] = await database.query<Record<string, unknown>>(sql`
      SELECT ST_XMin(ext) AS w, ST_YMin(ext) AS s, ST_XMax(ext) AS e, ST_YMax(ext) AS n, t0, t1
      FROM (SELECT ST_Extent(${def.geom}) AS ext,
                   ${def.time ? sql`min(${def.time})` : sql`NULL::timestamptz`} AS t0,
                   ${def.time ? sql`max(${def.time})` : sql`NULL::timestamptz`} AS t1
            FROM ${def.from} WHERE ${def.where ?? sql`TRUE`}) q`);
    const bbox =
      r && r.w !== null && r.w !== undefined
        ? ([Number(r.w), Number(r.s), Number(r.e), Number(r.n)] as Bbox)
        : null;
    const iso = (v: unknown) =>
      v === null || v === undefined ? null : new Date(v as string).toISOString();
    return {
      id,
      title: def.title,
      description: def.description,
      bbox,
      temporal: def.time ? { interval: [iso(r?.t0), iso(r?.t1)] } : null,
    };
  }

  return {
    describe,
    async describeAll(): Promise<CollectionInfo[]> {
      const out: CollectionInfo[] = [];
      for (const id of COLLECTION_IDS) out.push(await describe(id));
      return out;
    },

    /** One page of features ordered by id, and how many match in all. */
    async items(
      id: CollectionId,
      q: ItemsQuery,
    ): Promise<{ features: OgcFeature[]; numberMatched: number }> {
      const def: CollectionDef = COLLECTIONS[id];
      const where = filters(def, q);
      const [count] = await database.query<{ n: number }>(
        sql`SELECT count(*)::int AS n FROM ${def.from} WHERE ${where}`,
      );
      const rows = await database.query<Record<string, unknown>>(sql`
        SELECT ${featureColumns(def)} FROM ${def.from} WHERE ${where}
        ORDER BY ${def.id} LIMIT ${q.limit} OFFSET ${q.offset}`);
      return { features: rows.map(toFeature), numberMatched: Number(count?.n ?? 0) };
    },

    async item(id: CollectionId, featureId: string): Promise<OgcFeature | null> {
      const def: CollectionDef = COLLECTIONS[id];
      const [row] = await database.query<Record<string, unknown>>(sql`
        SELECT ${featureColumns(def)} FROM ${def.from} WHERE ${def.where ?? sql`TRUE`} AND ${def.id}::text = ${featureId}`);
      return row ? toFeature(row) : null;
    },
  };
}

/** Columns toFeature reads. ST_AsGeoJSON keeps 9 decimals: 0.1 mm in CRS84. */
function featureColumns(def: CollectionDef): SQL {
  return sql`${def.id} AS fid, ST_AsGeoJSON(${def.geom})::text AS geojson, ${def.properties}::text AS props`;
}

function toFeature(r: Record<string, unknown>): OgcFeature {
  const fid = typeof r.fid === 'bigint' ? Number(r.fid) : (r.fid as string | number);
  return {
    type: 'Feature',
    id: fid,
    // Both selected ::text (ST_AsGeoJSON and the properties' json) to keep the numbers as written.
    geometry: JSON.parse(r.geojson as string) as Geometry,
    properties: JSON.parse(r.props as string) as Record<string, unknown>,
  };
}

export type OgcRepository = ReturnType<typeof createOgcRepository>;

declare module 'fastify' {
  interface FastifyInstance {
    ogcRepository: OgcRepository;
  }
}

export default fp(
  async (app: FastifyInstance) => {
    app.decorate('ogcRepository', createOgcRepository(app.database));
  },
  { name: 'ogc-repository', dependencies: ['db'] },
);
