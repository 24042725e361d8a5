/**
 * 森林特护期 and the 321 rhythm (issue 14 item 2): special protection periods declared for
 * the county or some townships, inspections with their findings and rectification (立行立改),
 * and where each township stands against the rhythm at a given moment.
 */
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { InspectionView } from '../contract/supervision.ts';
import type { Database } from '../db/database.ts';
import { townships } from '../db/schema/admin.ts';
import { inspectionPhotos, inspections, protectionPeriods } from '../db/schema/supervision.ts';

export type { InspectionView };

import {
  type InspectionKind,
  type KindStatus,
  type ProtectionPeriod,
  periodCovers,
  rhythmStatus,
  type TownshipRhythm,
} from '../domain/rhythm.ts';
import type { StoredPhoto } from './incidents-repository.ts';

const iso = (v: unknown) => (v ? new Date(v as string).toISOString() : null);

/** Inspection `i`'s photos as JSON (its InspectionView.photos). */
const PHOTOS = sql`(SELECT COALESCE(json_agg(json_build_object('id', p.id, 'mimeType', p.mime_type,
                      'sizeBytes', p.size_bytes) ORDER BY p.id), '[]'::json)
                    FROM inspection_photos p WHERE p.inspection_id = i.id) AS photos`;

export function createInspectionsRepository(database: Database) {
  const { db } = database;
  async function periods(): Promise<ProtectionPeriod[]> {
    const rows = await database.query<{
      id: string;
      title: string;
      starts_at: string;
      ends_at: string;
      township_codes: string[];
    }>(sql`SELECT id, title, starts_at, ends_at, township_codes FROM protection_periods
           ORDER BY starts_at DESC`);
    return rows.map((r) => ({
      id: r.id,
      title: r.title,
      startsAt: new Date(r.starts_at),
      endsAt: new Date(r.ends_at),
      townshipCodes: r.township_codes ?? [],
    }));
  }

  const inspectionRow = (r: Record<string, unknown>): InspectionView => ({
    id: r.id as string,
    kind: r.kind as InspectionKind,
    inspector: r.inspector as string,
    townshipCode: (r.township_code as string | null) ?? null,
    townshipName: (r.township_name as string | null) ?? null,
    warZoneId: r.war_zone_id === null || r.war_zone_id === undefined ? null : Number(r.war_zone_id),
    inspectedAt: iso(r.inspected_at) as string,
    findings: (r.findings as string | null) ?? null,
    rectifiedAt: iso(r.rectified_at),
    rectification: (r.rectification as string | null) ?? null,
    // json_agg arrives parsed on both backends (the database seam parses JSON).
    photos: (r.photos ?? []) as InspectionView['photos'],
  });

  return {
    periods,

    /** Declares a period; null (nothing written) when a township code is unknown. */
    async declarePeriod(input: {
      title: string;
      startsAt: Date;
      endsAt: Date;
      townshipCodes: string[];
      declaredBy: string;
    }): Promise<{ id: string } | { unknownTownship: string }> {
      if (input.townshipCodes.length > 0) {
        const known = new Set(
          (
            await db
              .select({ code: townships.code })
              .from(townships)
              .where(inArray(townships.code, input.townshipCodes))
          ).map((r) => r.code),
        );
        const unknown = input.townshipCodes.find((c) => !known.has(c));
        if (unknown) return { unknownTownship: unknown };
      }
      const [row] = await db
        .insert(protectionPeriods)
        .values({
          title: input.title,
          startsAt: input.startsAt,
          endsAt: input.endsAt,
          townshipCodes: input.townshipCodes,
          declaredBy: input.declaredBy,
        })
        .returning({ id: protectionPeriods.id });
      if (!row) throw new Error('protection period insert returned no row');
      return { id: row.id };
    },

    /** Records an inspection; null when the township is unknown. */
    async recordInspection(input: {
      kind: InspectionKind;
      inspector: string;
      inspectorUserId: string;
      townshipCode: string;
      inspectedAt: Date;
      findings: string | null;
    }): Promise<InspectionView | null> {
      const [t] = await db
        .select({ name: townships.name, war_zone_id: townships.warZoneId })
        .from(townships)
        .where(eq(townships.code, input.townshipCode));
      if (!t) return null;
      const [row] = await database.query<Record<string, unknown>>(sql`
        INSERT INTO inspections (kind, inspector, inspector_user_id, township_code, inspected_at, findings)
        VALUES (${input.kind}, ${input.inspector}, ${input.inspectorUserId}::uuid, ${input.townshipCode},
                ${input.inspectedAt.toISOString()}::timestamptz, ${input.findings})
        RETURNING *`);
      return inspectionRow({ ...row, township_name: t.name, war_zone_id: t.war_zone_id });
    },

    async inspection(id: string): Promise<InspectionView | null> {
      const [row] = await database.query<Record<string, unknown>>(sql`
        SELECT i.*, t.name AS township_name, t.war_zone_id, ${PHOTOS} FROM inspections i
        LEFT JOIN townships t ON t.code = i.township_code WHERE i.id = ${id}::uuid`);
      return row ? inspectionRow(row) : null;
    },

    /**
     * Records an inspection's photos (each at most once), all or none; answers the photos it
     * holds of those sent (new or already there), for photo-intake's settle. Null: no such
     * inspection.
     */
    async addPhotos(
      inspectionId: string,
      photos: StoredPhoto[],
      userId: string,
    ): Promise<StoredPhoto[] | null> {
      return database.transaction(async (q) => {
        const [found] = await q(
          sql`SELECT 1 FROM inspections WHERE id = ${inspectionId}::uuid FOR SHARE`,
        );
        if (!found) return null;
        if (photos.length === 0) return [];
        await q.db
          .insert(inspectionPhotos)
          .values(
            photos.map((p) => ({
              inspectionId,
              mimeType: p.mimeType,
              sizeBytes: p.sizeBytes,
              sha256: p.sha256,
              storagePath: p.storagePath,
              uploadedBy: userId,
            })),
          )
          .onConflictDoNothing({
            target: [inspectionPhotos.inspectionId, inspectionPhotos.sha256],
          });
        return q.db
          .select({
            mimeType: inspectionPhotos.mimeType,
            sizeBytes: inspectionPhotos.sizeBytes,
            sha256: inspectionPhotos.sha256,
            storagePath: inspectionPhotos.storagePath,
          })
          .from(inspectionPhotos)
          .where(
            and(
              eq(inspectionPhotos.inspectionId, inspectionId),
              inArray(
                inspectionPhotos.sha256,
                photos.map((p) => p.sha256),
              ),
            ),
          );
      });
    },

    /** One inspection photo with the place of its inspection (for the reader check). */
    async photo(id: number) {
      const [r] = await database.query<Record<string, unknown>>(sql`
        SELECT p.mime_type, p.storage_path, i.township_code, t.war_zone_id
        FROM inspection_photos p JOIN inspections i ON i.id = p.inspection_id
        LEFT JOIN townships t ON t.code = i.township_code WHERE p.id = ${id}`);
      if (!r) return null;
      return {
        mimeType: r.mime_type as string,
        storagePath: r.storage_path as string,
        townshipCode: (r.township_code as string | null) ?? null,
        warZoneId: r.war_zone_id === null ? null : Number(r.war_zone_id),
      };
    },

    /** Marks a finding put right, once; false when it was already. */
    async rectify(id: string, note: string, userId: string, at: Date): Promise<boolean> {
      const rows = await db
        .update(inspections)
        .set({ rectifiedAt: at, rectification: note, rectifiedBy: userId })
        .where(and(eq(inspections.id, id), isNull(inspections.rectifiedAt)))
        .returning({ id: inspections.id });
      return rows.length > 0;
    },

    async inspections(filter: {
      townshipCodes: string[] | null;
      openOnly: boolean;
    }): Promise<InspectionView[]> {
      const area =
        filter.townshipCodes === null
          ? sql`TRUE`
          : filter.townshipCodes.length === 0
            ? sql`FALSE`
            : sql`i.township_code IN (${sql.join(
                filter.townshipCodes.map((c) => sql`${c}`),
                sql`, `,
              )})`;
      const open = filter.openOnly
        ? sql`i.findings IS NOT NULL AND i.rectified_at IS NULL`
        : sql`TRUE`;
      const rows = await database.query<Record<string, unknown>>(sql`
        SELECT i.*, t.name AS township_name, t.war_zone_id, ${PHOTOS} FROM inspections i
        LEFT JOIN townships t ON t.code = i.township_code
        WHERE ${area} AND ${open}
        ORDER BY i.inspected_at DESC LIMIT 500`);
      return rows.map(inspectionRow);
    },

    /** Every township under a period in force at `now`, with its rhythm. */
    async rhythm(now: Date): Promise<TownshipRhythm[]> {
      const active = (await periods()).filter(
        (p) => p.startsAt.getTime() <= now.getTime() && now.getTime() < p.endsAt.getTime(),
      );
      if (active.length === 0) return [];
      const townships = await database.query<{
        code: string;
        name: string;
        war_zone_id: number | null;
      }>(sql`SELECT code, name, war_zone_id FROM townships ORDER BY code`);
      const earliest = Math.min(...active.map((p) => p.startsAt.getTime()));
      const rows = await database.query<{
        township_code: string;
        kind: InspectionKind;
        inspected_at: string;
      }>(sql`SELECT township_code, kind, inspected_at FROM inspections
             WHERE inspected_at >= ${new Date(earliest).toISOString()}::timestamptz`);
      const out: TownshipRhythm[] = [];
      for (const t of townships) {
        // The period in force longest decides where the count starts.
        const period = active
          .filter((p) => periodCovers(p, t.code, now))
          .sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime())[0];
        if (!period) continue;
        const own = rows
          .filter((r) => r.township_code === t.code)
          .map((r) => ({ kind: r.kind, inspectedAt: new Date(r.inspected_at) }));
        const kinds = rhythmStatus(period.startsAt, own, now);
        out.push({
          townshipCode: t.code,
          townshipName: t.name,
          warZoneId: t.war_zone_id === null ? null : Number(t.war_zone_id),
          periodId: period.id,
          periodTitle: period.title,
          kinds,
          compliant: kinds.every((k) => !k.overdue),
        });
      }
      return out;
    },
  };
}

export type InspectionsRepository = ReturnType<typeof createInspectionsRepository>;

declare module 'fastify' {
  interface FastifyInstance {
    inspectionsRepository: InspectionsRepository;
  }
}

export default fp(
  async (app: FastifyInstance) => {
    app.decorate('inspectionsRepository', createInspectionsRepository(app.database));
  },
  { name: 'inspections-repository', dependencies: ['db'] },
);
