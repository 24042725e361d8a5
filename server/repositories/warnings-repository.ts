/**
 * Warnings (预警信息) as rows: who issued what for which townships (or a drawn area), valid
 * when, under its GB/T 35965.1 identifier. Who may warn where, and the identifier's sequence,
 * are services/warning-service.ts's rules. The county's townships by code are read with the
 * query builder; a warning's row stays raw SQL, its area being PostGIS geometry and its view
 * gathering its townships' names and war zones.
 */
import { inArray, sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { MultiPolygon, Polygon } from 'geojson';
import type { Database, TxQuery } from '../db/database.ts';
import { townships } from '../db/schema/admin.ts';
import type { WarningView } from '../domain/live-events.ts';

export interface NewWarning {
  level: WarningView['level'];
  title: string;
  body: string;
  measures: string | null;
  townshipCodes: string[] | null;
  polygon: Polygon | null;
  onsetAt: string;
  expiresAt: string;
}

const iso = (v: unknown) => new Date(v as string).toISOString();

export function createWarningsRepository(database: Database) {
  const SELECT = sql`
    SELECT w.id, w.identifier, w.level, w.title, w.body, w.measures, w.township_codes, w.issued_at,
           COALESCE(w.onset_at, w.issued_at) AS onset_at, w.expires_at,
           CASE WHEN w.area IS NULL THEN NULL ELSE ST_AsGeoJSON(w.area, 6) END AS area,
           COALESCE(u.display_name, '') AS issued_by,
           (SELECT array_agg(t.name ORDER BY t.code) FROM townships t WHERE t.code = ANY(w.township_codes)) AS township_names,
           (SELECT array_agg(DISTINCT t.war_zone_id) FROM townships t WHERE t.code = ANY(w.township_codes)) AS war_zones
    FROM warnings w LEFT JOIN users u ON u.id = w.issued_by`;

  const view = (r: Record<string, unknown>): WarningView & { warZoneIds: number[] } => ({
    id: r.id as string,
    identifier: r.identifier as string,
    level: r.level as WarningView['level'],
    title: r.title as string,
    body: r.body as string,
    measures: (r.measures as string | null) ?? null,
    townshipCodes: ((r.township_codes as string[] | null) ?? []).slice().sort(),
    townshipNames: (r.township_names as string[] | null) ?? [],
    area: r.area ? (JSON.parse(r.area as string) as WarningView['area']) : null,
    issuedAt: iso(r.issued_at),
    onsetAt: iso(r.onset_at),
    expiresAt: iso(r.expires_at),
    issuedBy: r.issued_by as string,
    warZoneIds: ((r.war_zones as (number | string)[] | null) ?? []).map(Number),
  });

  return {
    /** Runs `work` in one transaction: what it read still holds when it writes. */
    transaction: <R>(work: (q: TxQuery) => Promise<R>) => database.transaction(work),

    /** The townships a drawn area touches, by code. */
    async townshipsIn(q: TxQuery, polygon: Polygon): Promise<string[]> {
      const rows = await q<{ code: string }>(sql`
        SELECT code FROM townships
        WHERE ST_Intersects(geom, ST_SetSRID(ST_GeomFromGeoJSON(${JSON.stringify(polygon)}), 4326))
        ORDER BY code`);
      return rows.map((r) => r.code);
    },

    /** Those of `codes` that are townships of the county. */
    async knownTownships(q: TxQuery, codes: readonly string[]): Promise<string[]> {
      const rows = await q.db
        .select({ code: townships.code })
        .from(townships)
        .where(inArray(townships.code, [...codes]));
      return rows.map((r) => r.code);
    },

    /** How many warnings have an identifier starting with `prefix` (issued this second). */
    async countIdentified(q: TxQuery, prefix: string): Promise<number> {
      const [row] = await q<{ n: string }>(
        sql`SELECT count(*) AS n FROM warnings WHERE identifier LIKE ${`${prefix}%`}`,
      );
      return Number(row?.n ?? 0);
    },

    /** Stores a warning for `codes` issued by `issuedBy` at `now`, and reads it back. */
    async insert(
      q: TxQuery,
      input: NewWarning,
      codes: readonly string[],
      issuedBy: string,
      identifier: string,
      now: Date,
    ) {
      const area = input.polygon
        ? sql`ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(${JSON.stringify(input.polygon)}), 4326))`
        : sql`NULL`;
      const [row] = await q<{ id: string }>(sql`
        INSERT INTO warnings (level, title, body, measures, township_codes, area, issued_at, onset_at, expires_at, issued_by, identifier)
        VALUES (${input.level}, ${input.title}, ${input.body}, ${input.measures},
                ARRAY[${sql.join(
                  codes.map((c) => sql`${c}`),
                  sql`, `,
                )}]::text[], ${area},
                ${now.toISOString()}::timestamptz, ${input.onsetAt}::timestamptz, ${input.expiresAt}::timestamptz,
                ${issuedBy}::uuid, ${identifier})
        RETURNING id`);
      const [r] = await q<Record<string, unknown>>(sql`${SELECT} WHERE w.id = ${row?.id}::uuid`);
      return view(r as Record<string, unknown>);
    },

    async get(id: string) {
      const [r] = await database.query<Record<string, unknown>>(
        sql`${SELECT} WHERE w.id = ${id}::uuid`,
      );
      return r ? view(r) : null;
    },

    /** Warnings not yet expired (optionally those covering one township), newest first. */
    async active(now: Date, townshipCode?: string) {
      const rows = await database.query<Record<string, unknown>>(sql`
        ${SELECT} WHERE w.expires_at > ${now.toISOString()}::timestamptz
        ${townshipCode ? sql`AND ${townshipCode} = ANY(w.township_codes)` : sql``}
        ORDER BY w.issued_at DESC`);
      return rows.map(view);
    },

    /** Outer rings of the warning's area (drawn, or the union of its townships), simplified to ~50 m. */
    async rings(id: string): Promise<number[][][]> {
      const [r] = await database.query<{ g: string | null }>(sql`
        SELECT ST_AsGeoJSON(ST_SimplifyPreserveTopology(
          COALESCE(w.area, (SELECT ST_Union(t.geom) FROM townships t WHERE t.code = ANY(w.township_codes))), 0.0005), 5) AS g
        FROM warnings w WHERE w.id = ${id}::uuid`);
      if (!r?.g) return [];
      const g = JSON.parse(r.g) as Polygon | MultiPolygon;
      const polys = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
      return polys.map((p) => p[0] as number[][]);
    },
  };
}

export type WarningsRepository = ReturnType<typeof createWarningsRepository>;

declare module 'fastify' {
  interface FastifyInstance {
    warningsRepository: WarningsRepository;
  }
}

export default fp(
  async (app: FastifyInstance) => {
    app.decorate('warningsRepository', createWarningsRepository(app.database));
  },
  { name: 'warnings-repository', dependencies: ['db'] },
);
