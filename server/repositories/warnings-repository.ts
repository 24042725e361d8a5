/**
 * Warnings (预警信息): who issued what for which townships (or a drawn area), valid when; the
 * GB/T 35965.1 identifier is given at entry. Area rule: a county commander warns anywhere,
 * a township commander his own township only.
 */
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { MultiPolygon, Polygon } from 'geojson';
import type { Database } from '../db/database.ts';
import type { Actor } from '../domain/access.ts';
import { warningIdentifier } from '../domain/fire-danger/cap.ts';
import type { WarningView } from '../domain/live-events.ts';

export class WarningRefused extends Error {
  constructor(
    message: string,
    readonly field: string,
    readonly status: 403 | 404 | 422,
  ) {
    super(message);
  }
}

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

/** May this actor warn these townships? */
export function mayWarn(actor: Actor, townshipCodes: readonly string[]): boolean {
  if (actor.role === 'county_command') return true;
  if (actor.role === 'township_commander')
    return actor.townshipCode !== null && townshipCodes.every((c) => c === actor.townshipCode);
  return false;
}

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
    async create(input: NewWarning, actor: Actor, senderCode: string, now: Date) {
      return database.transaction(async (q) => {
        let codes: string[];
        if (input.polygon) {
          const rows = await q<{ code: string }>(sql`
            SELECT code FROM townships
            WHERE ST_Intersects(geom, ST_SetSRID(ST_GeomFromGeoJSON(${JSON.stringify(input.polygon)}), 4326))
            ORDER BY code`);
          codes = rows.map((r) => r.code);
          if (codes.length === 0)
            throw new WarningRefused('the drawn area lies outside every township', 'polygon', 422);
        } else {
          codes = [...new Set(input.townshipCodes ?? [])].sort();
          const known = await q<{ code: string }>(sql`
            SELECT code FROM townships WHERE code IN (${sql.join(
              codes.map((c) => sql`${c}`),
              sql`, `,
            )})`);
          const missing = codes.filter((c) => !known.some((k) => k.code === c));
          if (missing.length > 0)
            throw new WarningRefused(`no township ${missing.join(', ')}`, 'townshipCodes', 422);
        }
        if (!mayWarn(actor, codes))
          throw new WarningRefused(
            `${actor.username} may not warn ${codes.join(', ')} (a township commander warns his own township)`,
            input.polygon ? 'polygon' : 'townshipCodes',
            403,
          );
        const prefix = warningIdentifier(senderCode, now, 0).slice(0, -1);
        const [seq] = await q<{ n: string }>(
          sql`SELECT count(*) AS n FROM warnings WHERE identifier LIKE ${`${prefix}%`}`,
        );
        if (Number(seq?.n) > 9)
          throw new WarningRefused(
            'ten warnings were issued this second; try again',
            'identifier',
            422,
          );
        const identifier = `${prefix}${Number(seq?.n ?? 0)}`;
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
                  ${actor.id}::uuid, ${identifier})
          RETURNING id`);
        const [r] = await q<Record<string, unknown>>(sql`${SELECT} WHERE w.id = ${row?.id}::uuid`);
        return view(r as Record<string, unknown>);
      });
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
