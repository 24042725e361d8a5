/**
 * 森林特护期 and the 321 rhythm (issue 14 item 2): special protection periods declared for
 * the county or some townships, inspections with their findings and rectification (立行立改),
 * and where each township stands against the rhythm at a given moment.
 */
import { and, desc, eq, gte, inArray, isNull, sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { InspectionView } from '../contract/supervision.ts';
import type { Database } from '../db/database.ts';
import { townships } from '../db/schema/admin.ts';
import { inspectionPhotos, inspections, protectionPeriods } from '../db/schema/supervision.ts';

export type { InspectionView };

import {
  type InspectionKind,
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
    return db
      .select({
        id: protectionPeriods.id,
        title: protectionPeriods.title,
        startsAt: protectionPeriods.startsAt,
        endsAt: protectionPeriods.endsAt,
        townshipCodes: protectionPeriods.townshipCodes,
      })
      .from(protectionPeriods)
      .orderBy(desc(protectionPeriods.startsAt));
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
        .select({ name: townships.name, warZoneId: townships.warZoneId })
        .from(townships)
        .where(eq(townships.code, input.townshipCode));
      if (!t) return null;
      const [row] = await db
        .insert(inspections)
        .values({
          kind: input.kind,
          inspector: input.inspector,
          inspectorUserId: input.inspectorUserId,
          townshipCode: input.townshipCode,
          inspectedAt: input.inspectedAt,
          findings: input.findings,
        })
        .returning({
          id: inspections.id,
          kind: inspections.kind,
          inspector: inspections.inspector,
          townshipCode: inspections.townshipCode,
          inspectedAt: inspections.inspectedAt,
          findings: inspections.findings,
          rectifiedAt: inspections.rectifiedAt,
          rectification: inspections.rectification,
        });
      if (!row) throw new Error('inspection insert returned no row');
      return {
        id: row.id,
        kind: row.kind as InspectionKind,
        inspector: row.inspector,
        townshipCode: row.townshipCode,
        townshipName: t.name,
        warZoneId: t.warZoneId,
        inspectedAt: row.inspectedAt.toISOString(),
        findings: row.findings,
        rectifiedAt: iso(row.rectifiedAt),
        rectification: row.rectification,
        photos: [],
      };
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
        const [found] = await q.db
          .select({ id: inspections.id })
          .from(inspections)
          .where(eq(inspections.id, inspectionId))
          .for('share');
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
      const [r] = await db
        .select({
          mimeType: inspectionPhotos.mimeType,
          storagePath: inspectionPhotos.storagePath,
          townshipCode: inspections.townshipCode,
          warZoneId: townships.warZoneId,
        })
        .from(inspectionPhotos)
        .innerJoin(inspections, eq(inspections.id, inspectionPhotos.inspectionId))
        .leftJoin(townships, eq(townships.code, inspections.townshipCode))
        .where(eq(inspectionPhotos.id, id));
      return r ?? null;
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
      const areas = await db
        .select({ code: townships.code, name: townships.name, warZoneId: townships.warZoneId })
        .from(townships)
        .orderBy(townships.code);
      const earliest = Math.min(...active.map((p) => p.startsAt.getTime()));
      const rows = await db
        .select({
          townshipCode: inspections.townshipCode,
          kind: inspections.kind,
          inspectedAt: inspections.inspectedAt,
        })
        .from(inspections)
        .where(gte(inspections.inspectedAt, new Date(earliest)));
      const out: TownshipRhythm[] = [];
      for (const t of areas) {
        // The period in force longest decides where the count starts.
        const period = active
          .filter((p) => periodCovers(p, t.code, now))
          .sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime())[0];
        if (!period) continue;
        const own = rows
          .filter((r) => r.townshipCode === t.code)
          // The database's check admits only the inspection kinds.
          .map((r) => ({ kind: r.kind as InspectionKind, inspectedAt: r.inspectedAt }));
        const kinds = rhythmStatus(period.startsAt, own, now);
        out.push({
          townshipCode: t.code,
          townshipName: t.name,
          warZoneId: t.warZoneId,
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
