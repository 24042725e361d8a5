/**
 * Reports, incidents and their append-only event log. Every write is one unit of work of the
 * incident log (incident-log.ts), which orders sequences and publishes after commit: two
 * copies of the same report — a phone resending after a lost answer — can never both be
 * stored.
 */

import crypto from 'node:crypto';
import { type SQL, sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { ErrorParams, RefusalCode } from '../contract/errors.ts';
import type { ReportReceipt } from '../contract/receipts.ts';
import type { FeedEvent } from '../contract/situation.ts';
import type { Database } from '../db/database.ts';
import { type Actor, type CommandLevel, mayEscalate } from '../domain/access.ts';
import { DomainError } from '../domain/errors.ts';
import {
  canTransition,
  deadlines,
  dueBreaches,
  LIST_ORDER,
  type Target,
} from '../domain/incident-lifecycle.ts';
import {
  type IncidentEvent,
  type IncidentEventType,
  type IncidentSummary,
  type LiveScope,
  publicTextOf,
} from '../domain/live-events.ts';
import type { SituationIncident } from '../domain/situation.ts';
import { levelAbove } from '../domain/upward-alerts.ts';
import type { IncidentState } from '../domain/vocabulary.ts';
import type { PlaceAt } from './areas-repository.ts';
import { createIncidentLog, type IncidentLog } from './incident-log.ts';
import {
  ACCOUNTED_REPORT,
  IS_DRILL,
  iso,
  NOT_ACTIONS_SQL,
  summaryOf,
  summaryQuery,
  timelineEventOfRow,
  toSummary,
} from './incident-summary.ts';

const LEVEL_ORDER: CommandLevel[] = ['village', 'township', 'county'];

/** A refusal about an incident (409 by default): the error plugin answers it. */
export class IncidentConflict extends DomainError {
  constructor(
    message: string,
    field: string,
    status: 403 | 404 | 409 | 422 = 409,
    code?: RefusalCode,
    params?: ErrorParams,
  ) {
    super(message, field, status, code, params);
  }
}

/** 404 for an incident that does not exist (code incident.not_found). */
export function incidentNotFound(id: string): IncidentConflict {
  return new IncidentConflict(`incident ${id} not found`, 'id', 404, 'incident.not_found');
}

export interface StoredPhoto {
  mimeType: string;
  sizeBytes: number;
  sha256: string;
  storagePath: string;
}

export interface ReportInput {
  clientUuid: string;
  source: 'ranger' | 'lookout' | 'public' | 'camera' | 'satellite';
  lon: number;
  lat: number;
  accuracyM: number | null;
  observedAt: Date;
  note: string | null;
  bearingDeg: number | null;
  /** Where the bearing was taken from, when the reporter gave it. */
  observer?: { lon: number; lat: number } | null;
  reporterName: string | null;
  /** The signed-in reporter, when there is one. */
  reporterUserId?: string | null;
  /** The photos recorded with the report (those kept). */
  photos: StoredPhoto[];
  /**
   * Every photo sent, kept or refused (quota, low disk): the content hash covers what the
   * reporter sent, so a resend matches its first send whichever of its photos were kept.
   * Absent → `photos`.
   */
  sentPhotos?: { sha256: string }[];
}

export interface MergeSettings {
  mergeDistanceM: number;
  mergeWindowMinutes: number;
}

/** SHA-256 of what the reporter said; the same UUID with another hash is a conflict. */
export function reportContentHash(
  r: Omit<ReportInput, 'clientUuid' | 'photos'> & { photos: { sha256: string }[] },
): string {
  const canonical = JSON.stringify([
    r.source,
    Math.round(r.lon * 1e7) / 1e7,
    Math.round(r.lat * 1e7) / 1e7,
    r.accuracyM,
    r.observedAt.toISOString(),
    r.note ?? null,
    r.bearingDeg,
    r.photos.map((p) => p.sha256),
    // Only when given, so the hashes of reports made before observers existed still match.
    ...(r.observer
      ? [[Math.round(r.observer.lon * 1e7) / 1e7, Math.round(r.observer.lat * 1e7) / 1e7]]
      : []),
  ]);
  return crypto.createHash('sha256').update(canonical).digest('hex');
}

const LIST_ORDER_SQL = sql`ARRAY[${sql.join(
  LIST_ORDER.map((s) => sql`${s}`),
  sql`, `,
)}]::text[]`;

/**
 * The incidents a reader's list covers: a live scope; a ranger's grid and own reports; a
 * township commander's township and every fire of his war zone raised to county level (战区联动).
 */
export type ReadScope =
  | LiveScope
  | { kind: 'reporter'; userId: string; gridCode: string | null }
  | { kind: 'township_command'; code: string; warZoneId: number | null };

function scopeFilter(scope: ReadScope): SQL {
  switch (scope.kind) {
    case 'county':
      return sql`TRUE`;
    case 'war_zone':
      return sql`i.war_zone_id = ${scope.id}`;
    case 'township':
      return sql`i.township_code = ${scope.code}`;
    case 'incident':
      return sql`i.id = ${scope.id}::uuid`;
    case 'township_command':
      return sql`(i.township_code = ${scope.code} OR (i.escalation_level = 'county'
                   AND i.war_zone_id = ${scope.warZoneId ?? -1}))`;
    case 'reporter':
      return sql`(i.grid_code = ${scope.gridCode ?? ''} OR EXISTS (SELECT 1 FROM incident_reports r
                   WHERE r.incident_id = i.id AND r.reporter_user_id = ${scope.userId}::uuid))`;
  }
}

export function createIncidentsRepository(
  database: Database,
  settings: MergeSettings,
  log: IncidentLog = createIncidentLog(database),
) {
  return {
    /**
     * Stores a report, merging it into a nearby recent incident or opening a new one.
     * A resend (same UUID, same content) returns the first result and writes nothing.
     */
    async submitReport(
      input: ReportInput,
      place: PlaceAt,
      actor: string,
      /**
       * The reporter is signed in. Only then may the report's observedAt start a new fire's
       * clock or move an existing one back; an anonymous report's fire starts when the server
       * receives it, and it never moves an incident's clock.
       */
      trusted: boolean,
      /**
       * A drill's simulated report (issue 14 item 3): it always opens its own incident, marked
       * as this drill in the same transaction, so no event ever shows it as a real fire.
       */
      drillId: string | null = null,
    ): Promise<{
      created: boolean;
      reportId: number;
      incident: IncidentSummary;
      events: IncidentEvent[];
      /** The photos the stored report holds (on a resend, those of its first send). */
      photos: StoredPhoto[];
    }> {
      const hash = reportContentHash({ ...input, photos: input.sentPhotos ?? input.photos });
      return log.run(async (q) => {
        const [existing] = await q<{ id: number; content_hash: string; incident_id: string }>(sql`
          SELECT id, content_hash, incident_id FROM incident_reports WHERE client_uuid = ${input.clientUuid}::uuid`);
        if (existing) {
          const [ofDrill] = drillId
            ? await q(sql`SELECT 1 FROM drill_incidents WHERE incident_id = ${existing.incident_id}::uuid
                            AND drill_id = ${drillId}::uuid`)
            : [true];
          if (existing.content_hash !== hash || !ofDrill)
            throw new IncidentConflict(
              `report ${input.clientUuid} was already received with different content`,
              'clientUuid',
            );
          const photos = await q<{
            mime_type: string;
            size_bytes: number;
            sha256: string;
            storage_path: string;
          }>(sql`
            SELECT mime_type, size_bytes, sha256, storage_path FROM report_photos
            WHERE report_id = ${existing.id} ORDER BY id`);
          return {
            created: false,
            reportId: Number(existing.id),
            incident: await summaryOf(q, existing.incident_id),
            events: [],
            photos: photos.map((p) => ({
              mimeType: p.mime_type,
              sizeBytes: Number(p.size_bytes),
              sha256: p.sha256,
              storagePath: p.storage_path,
            })),
          };
        }
        const pt = sql`ST_SetSRID(ST_MakePoint(${input.lon}, ${input.lat}), 4326)`;
        const observed = input.observedAt.toISOString();
        // The time that counts for merging and for the clock.
        const clock = trusted ? sql`LEAST(${observed}::timestamptz, now())` : sql`now()`;
        const window = `${settings.mergeWindowMinutes} minutes`;
        // A drill's report never joins a fire, and a real report never joins a drill's.
        const [near] = await q<{ id: string }>(sql`
          SELECT i.id FROM incidents i
          WHERE ${drillId ? sql`FALSE` : sql`NOT ${IS_DRILL}`} AND i.state NOT IN ('false_alarm', 'closed')
            AND ST_DWithin(i.location::geography, ${pt}::geography, ${settings.mergeDistanceM})
            AND EXISTS (SELECT 1 FROM incident_reports r WHERE r.incident_id = i.id
                          AND r.observed_at BETWEEN ${clock} - ${window}::interval
                                                AND ${clock} + ${window}::interval)
          ORDER BY ST_Distance(i.location::geography, ${pt}::geography), i.first_reported_at
          LIMIT 1`);
        let incidentId: string;
        let type: IncidentEventType;
        if (near) {
          incidentId = near.id;
          type = 'report_added';
          // A signed-in reporter's report queued offline may have seen the fire first: the
          // clock starts then. An anonymous one leaves the clock alone.
          await q(sql`
            UPDATE incidents SET first_reported_at = LEAST(first_reported_at, ${clock}),
                   updated_at = now()
            WHERE id = ${incidentId}::uuid`);
        } else {
          type = 'reported';
          const [created] = await q<{ id: string }>(sql`
            INSERT INTO incidents (state, first_reported_at, location, grid_code, village_code, township_code, war_zone_id)
            VALUES ('reported', ${clock}, ${pt}, ${place.gridCode}, ${place.villageCode},
                    ${place.townshipCode}, ${place.warZoneId})
            RETURNING id`);
          incidentId = (created as { id: string }).id;
          if (drillId)
            await q(sql`INSERT INTO drill_incidents (incident_id, drill_id)
                        VALUES (${incidentId}::uuid, ${drillId}::uuid)`);
        }
        const [report] = await q<{ id: number }>(sql`
          INSERT INTO incident_reports (client_uuid, incident_id, source, observed_at, location, accuracy_m,
                                        bearing_deg, observer, note, reporter_name, reporter_user_id, content_hash, grid_code)
          VALUES (${input.clientUuid}::uuid, ${incidentId}::uuid, ${input.source}, ${observed}::timestamptz, ${pt},
                  ${input.accuracyM}, ${input.bearingDeg},
                  ${input.observer ? sql`ST_SetSRID(ST_MakePoint(${input.observer.lon}, ${input.observer.lat}), 4326)` : null},
                  ${input.note}, ${input.reporterName},
                  ${input.reporterUserId ?? null}::uuid, ${hash}, ${place.gridCode})
          RETURNING id`);
        const reportId = Number(report?.id);
        for (const p of input.photos)
          await q(sql`
            INSERT INTO report_photos (report_id, mime_type, size_bytes, sha256, storage_path)
            VALUES (${reportId}, ${p.mimeType}, ${p.sizeBytes}, ${p.sha256}, ${p.storagePath})`);
        const events: IncidentEvent[] = [];
        const event = await q.append(incidentId, type, actor, {
          reportId,
          clientUuid: input.clientUuid,
          source: input.source,
          location: [input.lon, input.lat],
          accuracyM: input.accuracyM,
          photos: input.photos.length,
        });
        events.push(event);
        // A second fire burning in the same war zone: suggest war-zone linkage (战区联动).
        if (type === 'reported' && place.warZoneId !== null) {
          const [other] = await q<{ n: number }>(sql`
            SELECT count(*)::int AS n FROM incidents i
            WHERE i.war_zone_id = ${place.warZoneId} AND i.id <> ${incidentId}::uuid
              AND i.state NOT IN ('false_alarm', 'extinguished', 'closed') AND NOT ${IS_DRILL}`);
          if (Number(other?.n) > 0)
            events.push(
              await q.append(incidentId, 'escalation_suggested', 'system', {
                to: 'county',
                reason: 'second_incident_in_war_zone',
                openInWarZone: Number(other?.n) + 1,
              }),
            );
        }
        return {
          created: true,
          reportId,
          incident: events[events.length - 1]?.incident ?? event.incident,
          events,
          photos: input.photos,
        };
      });
    },

    async transition(
      id: string,
      to: IncidentState,
      actor: string,
      extra: { note?: string | null; burnedAreaHa?: number; cause?: string },
    ): Promise<IncidentEvent> {
      return log.run(async (q) => {
        const [row] = await q<{ state: IncidentState }>(
          sql`SELECT state FROM incidents WHERE id = ${id}::uuid FOR UPDATE`,
        );
        if (!row) throw incidentNotFound(id);
        if (!canTransition(row.state, to))
          throw new IncidentConflict(
            `an incident cannot go from ${row.state} to ${to}`,
            'to',
            409,
            'incident.illegal_transition',
            { from: row.state, to },
          );
        const closingFire = to === 'closed' && row.state === 'extinguished';
        if (closingFire && (extra.burnedAreaHa === undefined || extra.burnedAreaHa === null))
          throw new IncidentConflict(
            'closing a fire records its burned area',
            'burnedAreaHa',
            422,
            'incident.close_needs_area',
          );
        if (closingFire && !extra.cause?.trim())
          throw new IncidentConflict(
            'closing a fire records its cause',
            'cause',
            422,
            'incident.close_needs_cause',
          );
        await q(sql`
          UPDATE incidents SET state = ${to}, updated_at = now(),
                 closed_at = CASE WHEN ${to} = 'closed' THEN now() ELSE closed_at END,
                 burned_area_ha = COALESCE(${closingFire ? (extra.burnedAreaHa as number) : null}::float8, burned_area_ha),
                 cause = COALESCE(${closingFire ? (extra.cause as string).trim() : null}::text, cause)
          WHERE id = ${id}::uuid`);
        return q.append(id, 'state_changed', actor, {
          from: row.state,
          to,
          note: extra.note ?? null,
          ...(closingFire ? { burnedAreaHa: extra.burnedAreaHa, cause: extra.cause?.trim() } : {}),
        });
      });
    },

    /** Raises the command level (who, when, why in the event); only upwards. */
    async escalate(
      id: string,
      to: 'township' | 'county',
      actor: Actor,
      reason: string,
    ): Promise<IncidentEvent> {
      return log.run(async (q) => {
        const [row] = await q<{
          escalation_level: CommandLevel;
          township_code: string | null;
          war_zone_id: number | null;
        }>(
          sql`SELECT escalation_level, township_code, war_zone_id FROM incidents WHERE id = ${id}::uuid FOR UPDATE`,
        );
        if (!row) throw incidentNotFound(id);
        const place = {
          townshipCode: row.township_code,
          warZoneId: row.war_zone_id === null ? null : Number(row.war_zone_id),
          escalationLevel: row.escalation_level,
        };
        // Who may raise it to that level at all (403), before whether it is already there (409).
        if (!mayEscalate(actor, { ...place, escalationLevel: 'village' }, to))
          throw new IncidentConflict(
            `${actor.username} may not raise this incident to ${to}`,
            'level',
            403,
            'escalation.not_allowed',
            { level: to },
          );
        if (LEVEL_ORDER.indexOf(to) <= LEVEL_ORDER.indexOf(row.escalation_level))
          throw new IncidentConflict(
            `the incident is already at ${row.escalation_level} level`,
            'level',
            409,
            'escalation.already_at_level',
            { level: row.escalation_level },
          );
        await q(
          sql`UPDATE incidents SET escalation_level = ${to}, updated_at = now() WHERE id = ${id}::uuid`,
        );
        return q.append(id, 'escalated', actor.username, {
          from: row.escalation_level,
          to,
          reason,
          role: actor.role,
        });
      });
    },

    /**
     * Records the targets due at `now` for one incident; at most once per target (a unique
     * index guards against another process doing the same).
     */
    async recordBreaches(id: string, now: Date): Promise<IncidentEvent[]> {
      return log.run(async (q) => {
        const [row] = await q<Record<string, unknown>>(sql`
          SELECT i.state, i.first_reported_at, i.escalation_level,
                 EXISTS (SELECT 1 FROM incident_events e WHERE e.incident_id = i.id
                           AND e.type = 'state_changed' AND e.payload->>'to' = 'false_alarm') AS false_alarm,
                 (SELECT COALESCE(json_agg(e.payload->>'target'), '[]'::json) FROM incident_events e
                   WHERE e.incident_id = i.id AND e.type = 'target_breached') AS breached
          FROM incidents i WHERE i.id = ${id}::uuid`);
        if (!row) return [];
        const breached = row.breached as Target[];
        const due = dueBreaches(
          {
            state: row.state as IncidentState,
            firstReportedAt: new Date(row.first_reported_at as string),
            falseAlarm: Boolean(row.false_alarm),
          },
          now,
          new Set(breached),
        );
        const events: IncidentEvent[] = [];
        const d = deadlines(new Date(row.first_reported_at as string));
        for (const target of due) {
          events.push(
            await q.append(id, 'target_breached', 'system', {
              target,
              deadline: d[target].toISOString(),
              state: row.state as IncidentState,
              // The level this alarms: the one above the fire's command level now.
              alertLevel: levelAbove(row.escalation_level as CommandLevel),
            }),
          );
          // Not under control in 20 minutes: suggest bringing in the war zone and the county.
          if (target === 'control' && row.escalation_level !== 'county')
            events.push(
              await q.append(id, 'escalation_suggested', 'system', {
                to: 'county',
                reason: 'control_breached',
              }),
            );
        }
        return events;
      });
    },

    /** Incidents whose clock may still run out: open, not a false alarm. */
    async clockCandidates(): Promise<
      {
        id: string;
        state: IncidentState;
        firstReportedAt: Date;
        falseAlarm: boolean;
        breached: Target[];
      }[]
    > {
      const rows = await database.query<Record<string, unknown>>(sql`
        SELECT i.id, i.state, i.first_reported_at,
               EXISTS (SELECT 1 FROM incident_events e WHERE e.incident_id = i.id
                         AND e.type = 'state_changed' AND e.payload->>'to' = 'false_alarm') AS false_alarm,
               (SELECT COALESCE(json_agg(e.payload->>'target'), '[]'::json) FROM incident_events e
                 WHERE e.incident_id = i.id AND e.type = 'target_breached') AS breached
        FROM incidents i WHERE i.state NOT IN ('extinguished', 'closed', 'false_alarm')`);
      return rows.map((r) => ({
        id: r.id as string,
        state: r.state as IncidentState,
        firstReportedAt: new Date(r.first_reported_at as string),
        falseAlarm: Boolean(r.false_alarm),
        breached: r.breached as Target[],
      }));
    },

    /**
     * One page of incidents and how many there are in all, in LIST_ORDER (fires being fought
     * first), newest first within a state: a flood of unverified reports can lengthen the
     * list but never push a real fire off its first page.
     */
    async list(
      opts: { scope?: ReadScope; open?: boolean; limit?: number; offset?: number } = {},
    ): Promise<{ incidents: IncidentSummary[]; total: number }> {
      const open = opts.open ? sql`i.state <> 'closed'` : sql`TRUE`;
      const where = sql`${scopeFilter(opts.scope ?? { kind: 'county' })} AND ${open}`;
      const rows = await database.query<Record<string, unknown>>(
        sql`${summaryQuery(where)}
            ORDER BY array_position(${LIST_ORDER_SQL}, i.state::text), i.first_reported_at DESC, i.id
            LIMIT ${opts.limit ?? 500} OFFSET ${opts.offset ?? 0}`,
      );
      const [count] = await database.query<{ n: number }>(
        sql`SELECT count(*)::int AS n FROM incidents i WHERE ${where}`,
      );
      return { incidents: rows.map(toSummary), total: Number(count?.n ?? 0) };
    },

    /**
     * What the wall's counts need of every incident on the reader's list (not closed, not a
     * drill: drills never count, issue 14 item 3), in one light query: no reports, names or places (domain/situation.ts counts them).
     */
    async situationRows(scope: ReadScope): Promise<SituationIncident[]> {
      const rows = await database.query<Record<string, unknown>>(sql`
        SELECT i.state, i.first_reported_at, i.escalation_level,
               (SELECT COALESCE(json_agg(e.payload->>'target' ORDER BY e.seq), '[]'::json)
                  FROM incident_events e
                  WHERE e.incident_id = i.id AND e.type = 'target_breached') AS breached,
               (SELECT max(e.at) FROM incident_events e WHERE e.incident_id = i.id
                  AND e.type NOT IN (${NOT_ACTIONS_SQL})) AS last_action_at
        FROM incidents i
        WHERE ${scopeFilter(scope)} AND i.state <> 'closed' AND NOT ${IS_DRILL}`);
      return rows.map((r) => {
        const d = deadlines(new Date(r.first_reported_at as string));
        return {
          state: r.state as IncidentState,
          deadlines: {
            arrive: d.arrive.toISOString(),
            control: d.control.toISOString(),
            extinguish: d.extinguish.toISOString(),
          },
          breached: r.breached as Target[],
          escalationLevel:
            (r.escalation_level as SituationIncident['escalationLevel']) ?? 'village',
          lastActionAt: iso(r.last_action_at ?? r.first_reported_at),
        };
      });
    },

    /**
     * The latest events of incidents in the reader's area, newest first, as anyone may see
     * them: type, time, place and the public payload fields (live-events.ts), no actor.
     */
    async recentEvents(scope: ReadScope, limit: number): Promise<FeedEvent[]> {
      const rows = await database.query<Record<string, unknown>>(sql`
        SELECT e.seq, e.incident_id, e.type, e.at, e.payload, v.name AS village_name,
               t.name AS township_name, ${IS_DRILL} AS drill
        FROM incident_events e
        JOIN incidents i ON i.id = e.incident_id
        LEFT JOIN villages v ON v.code = i.village_code
        LEFT JOIN townships t ON t.code = i.township_code
        WHERE ${scopeFilter(scope)}
        ORDER BY e.seq DESC
        LIMIT ${limit}`);
      return rows.map((r) => {
        const item: FeedEvent = {
          seq: Number(r.seq),
          incidentId: r.incident_id as string,
          type: r.type as string,
          at: iso(r.at),
          townshipName: (r.township_name as string | null) ?? null,
          villageName: (r.village_name as string | null) ?? null,
        };
        if (r.drill === true || r.drill === 't') item.drill = true;
        return { ...item, ...publicTextOf(r.payload) };
      });
    },

    /** Open incidents of a war zone raised to county level (战区联动): every one, unpaged. */
    async raisedToCountyIn(warZoneId: number): Promise<string[]> {
      const rows = await database.query<{ id: string }>(sql`
        SELECT id FROM incidents
        WHERE war_zone_id = ${warZoneId} AND escalation_level = 'county' AND state <> 'closed'`);
      return rows.map((r) => r.id);
    },

    /** Unverified incidents that no signed-in person reported, first reported since `since`. */
    async unverifiedAnonymousSince(since: Date): Promise<number> {
      const [row] = await database.query<{ n: number }>(sql`
        SELECT count(*)::int AS n FROM incidents i
        WHERE i.state = 'reported' AND i.first_reported_at >= ${since.toISOString()}::timestamptz
          AND NOT EXISTS (SELECT 1 FROM incident_reports r WHERE r.incident_id = i.id
                            AND ${ACCOUNTED_REPORT})`);
      return Number(row?.n ?? 0);
    },

    /** What became of one report, by the UUID its phone made (contract/receipts.ts). */
    async receipt(clientUuid: string): Promise<ReportReceipt | null> {
      const [r] = await database.query<Record<string, unknown>>(sql`
        SELECT r.client_uuid, r.received_at, r.incident_id, i.state, i.escalation_level,
               t.name AS township_name, v.name AS village_name,
               (SELECT min(r0.received_at) FROM incident_reports r0
                  WHERE r0.incident_id = r.incident_id AND r0.id < r.id) AS joined_at,
               (SELECT min(e.at) FROM incident_events e
                  WHERE e.incident_id = i.id AND e.type <> 'reported' AND e.type <> 'report_added'
                    AND e.type <> 'target_breached' AND e.type <> 'escalation_suggested') AS first_action_at,
               (SELECT COALESCE(json_agg(json_build_object(
                          'name', c.name, 'status', d.status, 'orderedAt', d.ordered_at,
                          'etaSeconds', d.eta_seconds, 'arrivedAt', d.arrived_at) ORDER BY d.ordered_at), '[]'::json)
                  FROM dispatches d JOIN crews c ON c.id = d.crew_id
                  WHERE d.incident_id = i.id AND d.status <> 'cancelled') AS crews
        FROM incident_reports r
        JOIN incidents i ON i.id = r.incident_id
        LEFT JOIN townships t ON t.code = i.township_code
        LEFT JOIN villages v ON v.code = i.village_code
        WHERE r.client_uuid = ${clientUuid}::uuid`);
      if (!r) return null;
      const at = (v: unknown) => (v === null || v === undefined ? null : iso(v));
      const crews = r.crews as {
        name: string;
        status: ReportReceipt['crews'][number]['status'];
        orderedAt: string;
        etaSeconds: number | null;
        arrivedAt: string | null;
      }[];
      return {
        clientUuid: r.client_uuid as string,
        receivedAt: iso(r.received_at),
        incidentId: r.incident_id as string,
        joinedFireReportedAt: at(r.joined_at),
        state: r.state as ReportReceipt['state'],
        place: {
          townshipName: (r.township_name as string | null) ?? null,
          villageName: (r.village_name as string | null) ?? null,
        },
        escalationLevel: r.escalation_level as ReportReceipt['escalationLevel'],
        firstActionAt: at(r.first_action_at),
        crews: crews.map((c) => ({
          name: c.name,
          status: c.status,
          orderedAt: iso(c.orderedAt),
          dueAt:
            c.etaSeconds === null
              ? null
              : new Date(new Date(c.orderedAt).getTime() + c.etaSeconds * 1000).toISOString(),
          arrivedAt: at(c.arrivedAt),
        })),
      };
    },

    /** What deciding who may read an incident needs: its place and who reported it. */
    async readerFacts(id: string): Promise<{
      townshipCode: string | null;
      warZoneId: number | null;
      gridCode: string | null;
      escalationLevel: IncidentSummary['escalationLevel'];
      reporterUserIds: string[];
    } | null> {
      const [r] = await database.query<Record<string, unknown>>(sql`
        SELECT i.township_code, i.war_zone_id, i.grid_code, i.escalation_level,
               (SELECT COALESCE(json_agg(DISTINCT r.reporter_user_id), '[]'::json)
                  FROM incident_reports r
                  WHERE r.incident_id = i.id AND r.reporter_user_id IS NOT NULL) AS reporters
        FROM incidents i WHERE i.id = ${id}::uuid`);
      if (!r) return null;
      const reporters = r.reporters;
      return {
        townshipCode: (r.township_code as string | null) ?? null,
        warZoneId: r.war_zone_id === null ? null : Number(r.war_zone_id),
        gridCode: (r.grid_code as string | null) ?? null,
        escalationLevel: r.escalation_level as IncidentSummary['escalationLevel'],
        reporterUserIds: reporters as string[],
      };
    },

    async get(id: string) {
      const [row] = await database.query<Record<string, unknown>>(
        summaryQuery(sql`i.id = ${id}::uuid`),
      );
      if (!row) return null;
      const reports = await database.query<Record<string, unknown>>(sql`
        SELECT r.id, r.client_uuid, r.source, r.observed_at, r.received_at, ST_X(r.location) AS lon,
               ST_Y(r.location) AS lat, r.accuracy_m, r.bearing_deg, ST_X(r.observer) AS observer_lon,
               ST_Y(r.observer) AS observer_lat, r.note, r.reporter_name, r.reporter_user_id, r.grid_code,
               (SELECT COALESCE(json_agg(json_build_object('id', p.id, 'mimeType', p.mime_type, 'sizeBytes', p.size_bytes) ORDER BY p.id), '[]'::json)
                  FROM report_photos p WHERE p.report_id = r.id) AS photos
        FROM incident_reports r WHERE r.incident_id = ${id}::uuid ORDER BY r.observed_at, r.id`);
      const events = await database.query<Record<string, unknown>>(sql`
        SELECT seq, type, at, actor_label, payload FROM incident_events
        WHERE incident_id = ${id}::uuid ORDER BY seq`);
      const [drill] = await database.query<{ drill_id: string | null }>(
        sql`SELECT drill_id FROM drill_incidents WHERE incident_id = ${id}::uuid`,
      );
      return {
        ...toSummary(row),
        /** The drill it belongs to (its report: GET /api/drills/{id}/report[.pdf]); null if none. */
        drillId: drill?.drill_id ?? null,
        reports: reports.map((r) => ({
          id: Number(r.id),
          clientUuid: r.client_uuid as string,
          source: r.source as string,
          observedAt: iso(r.observed_at),
          receivedAt: iso(r.received_at),
          location: [Number(r.lon), Number(r.lat)] as [number, number],
          accuracyM: r.accuracy_m === null ? null : Number(r.accuracy_m),
          bearingDeg: r.bearing_deg === null ? null : Number(r.bearing_deg),
          /** Where the bearing was taken from, when the reporter gave it. */
          observer:
            r.observer_lon === null
              ? null
              : ([Number(r.observer_lon), Number(r.observer_lat)] as [number, number]),
          note: (r.note as string | null) ?? null,
          reporterName: (r.reporter_name as string | null) ?? null,
          /** The signed-in user who sent it; null for a report sent without sign-in. */
          reporterUserId: (r.reporter_user_id as string | null) ?? null,
          gridCode: (r.grid_code as string | null) ?? null,
          photos: r.photos as { id: number; mimeType: string; sizeBytes: number }[],
        })),
        timeline: events.map(timelineEventOfRow),
      };
    },

    async photo(
      id: number,
    ): Promise<{ mimeType: string; storagePath: string; incidentId: string } | null> {
      const [row] = await database.query<{
        mime_type: string;
        storage_path: string;
        incident_id: string;
      }>(
        sql`SELECT p.mime_type, p.storage_path, r.incident_id
            FROM report_photos p JOIN incident_reports r ON r.id = p.report_id WHERE p.id = ${id}`,
      );
      return row
        ? { mimeType: row.mime_type, storagePath: row.storage_path, incidentId: row.incident_id }
        : null;
    },

    /** Events after `seq` in order, for the incidents a scope covers. */
    async eventsAfter(seq: number, scope: LiveScope, limit = 5000): Promise<IncidentEvent[]> {
      const rows = await database.query<Record<string, unknown>>(sql`
        SELECT e.seq, e.incident_id, e.type, e.at, e.actor_label, e.payload
        FROM incident_events e JOIN incidents i ON i.id = e.incident_id
        WHERE e.seq > ${seq} AND ${scopeFilter(scope)}
        ORDER BY e.seq LIMIT ${limit}`);
      // Every incident's summary in one query, not one per incident.
      const ids = [...new Set(rows.map((r) => r.incident_id as string))];
      const summaries = new Map<string, IncidentSummary>();
      if (ids.length > 0)
        for (const row of await database.query<Record<string, unknown>>(
          summaryQuery(
            sql`i.id IN (${sql.join(
              ids.map((id) => sql`${id}::uuid`),
              sql`, `,
            )})`,
          ),
        )) {
          const s = toSummary(row);
          summaries.set(s.id, s);
        }
      const out: IncidentEvent[] = [];
      for (const r of rows) {
        const incidentId = r.incident_id as string;
        const s = summaries.get(incidentId) as IncidentSummary;
        out.push({ ...timelineEventOfRow(r), incidentId, incident: s });
      }
      return out;
    },

    /**
     * Where a replay after `seq` in `scope` starts when it may send at most `max` events: the
     * sequence before the last `max` of them (truncated), or `seq` itself when fewer missed.
     */
    async replayStart(
      seq: number,
      scope: LiveScope,
      max: number,
    ): Promise<{ after: number; truncated: boolean }> {
      const [r] = await database.query<{ seq: number }>(sql`
        SELECT e.seq FROM incident_events e JOIN incidents i ON i.id = e.incident_id
        WHERE e.seq > ${seq} AND ${scopeFilter(scope)}
        ORDER BY e.seq DESC LIMIT 1 OFFSET ${max}`);
      return r ? { after: Number(r.seq), truncated: true } : { after: seq, truncated: false };
    },

    async lastSeq(): Promise<number> {
      const [r] = await database.query<{ s: number | null }>(
        sql`SELECT max(seq) AS s FROM incident_events`,
      );
      return Number(r?.s ?? 0);
    },
  };
}

export type IncidentsRepository = ReturnType<typeof createIncidentsRepository>;

declare module 'fastify' {
  interface FastifyInstance {
    incidentsRepository: IncidentsRepository;
  }
}

export default fp(
  async (app: FastifyInstance, opts: MergeSettings) => {
    app.decorate(
      'incidentsRepository',
      createIncidentsRepository(app.database, opts, app.incidentLog),
    );
  },
  { name: 'incidents-repository', dependencies: ['db', 'incident-log'] },
);
