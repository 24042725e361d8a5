/**
 * Reports, incidents and their append-only event log: rows only. The rules (what merges, what
 * a move needs, who may) are the incident service's (services/incident-service.ts); the
 * writes here take the transaction of the incident log's unit of work (incident-log.ts), so
 * they commit with the events that tell of them.
 */

import { and, eq, ne, type SQL, sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { ReportReceipt } from '../contract/receipts.ts';
import type { FeedEvent } from '../contract/situation.ts';
import { autocommit, type Database, type Step, type TxQuery } from '../db/database.ts';
import { jsonParam } from '../db/json-param.ts';
import {
  incidentEvents,
  incidentReports,
  incidents,
  reportPhotos,
} from '../db/schema/incidents.ts';
import { drillIncidents } from '../db/schema/supervision.ts';
import type { CommandLevel, ReadScope } from '../domain/access.ts';
import { deadlines, LIST_ORDER, type Target } from '../domain/incident-lifecycle.ts';
import {
  type IncidentEvent,
  type IncidentSummary,
  type LiveScope,
  publicTextOf,
} from '../domain/live-events.ts';
import type { SituationIncident } from '../domain/situation.ts';
import type { IncidentState, ReportSource } from '../domain/vocabulary.ts';
import type { PlaceAt } from './areas-repository.ts';
import {
  ACCOUNTED_REPORT,
  IS_DRILL,
  iso,
  NOT_ACTIONS_SQL,
  summariesOf,
  summaryQuery,
  timelineEventOfRow,
  toSummary,
} from './incident-summary.ts';

export interface StoredPhoto {
  mimeType: string;
  sizeBytes: number;
  sha256: string;
  storagePath: string;
}

/** An incident row as a rule about it needs it: its state and where it is commanded. */
export interface IncidentRow {
  state: IncidentState;
  townshipCode: string | null;
  warZoneId: number | null;
  escalationLevel: CommandLevel;
}

/** A report already stored under a device's UUID: what a resend is checked against. */
export interface StoredReportRef {
  id: number;
  contentHash: string;
  incidentId: string;
}

/** A report row to store (its incident and content hash decided by the service). */
export interface ReportRow {
  clientUuid: string;
  incidentId: string;
  source: ReportSource;
  observedAt: Date;
  lon: number;
  lat: number;
  accuracyM: number | null;
  bearingDeg: number | null;
  observer: { lon: number; lat: number } | null;
  note: string | null;
  reporterName: string | null;
  reporterUserId: string | null;
  contentHash: string;
  gridCode: string | null;
}

const LIST_ORDER_SQL = sql`ARRAY[${sql.join(
  LIST_ORDER.map((s) => sql`${s}`),
  sql`, `,
)}]::text[]`;

/** A real fire, not out nor ruled out (of `incidents i`). */
const BURNING = sql`i.state NOT IN ('false_alarm', 'extinguished', 'closed') AND NOT ${IS_DRILL}`;

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

/** One county of a province (its townships' codes start with the county's); all when none. */
function inCounty(countyCode: string | undefined): SQL {
  return countyCode ? sql`left(i.township_code, 6) = ${countyCode}` : sql`TRUE`;
}

export function createIncidentsRepository(database: Database) {
  return {
    // Rows written and read inside a unit of work of the incident log (`q`).

    /**
     * The incident's state and place, locked until the transaction ends (FOR NO KEY UPDATE: an
     * event's foreign key to it does not wait, see incident-log.ts); null if none.
     */
    async lock(q: TxQuery, id: string): Promise<IncidentRow | null> {
      const [r] = await q.db
        .select({
          // The database's checks admit only the lifecycle's states and the command levels.
          state: sql<IncidentState>`${incidents.state}`,
          townshipCode: incidents.townshipCode,
          warZoneId: incidents.warZoneId,
          escalationLevel: sql<CommandLevel>`${incidents.escalationLevel}`,
        })
        .from(incidents)
        .where(eq(incidents.id, id))
        .for('no key update');
      return r ?? null;
    },

    /** Writes a new state; `closing` records what closing a fire records. */
    async setState(
      q: TxQuery,
      id: string,
      to: IncidentState,
      closing: { burnedAreaHa: number; cause: string } | null = null,
    ): Promise<void> {
      const now = sql`now()`;
      await q.db
        .update(incidents)
        .set({
          state: to,
          updatedAt: now,
          ...(to === 'closed' ? { closedAt: now } : {}),
          ...(closing ? { burnedAreaHa: closing.burnedAreaHa, cause: closing.cause } : {}),
        })
        .where(eq(incidents.id, id));
    },

    async setEscalation(q: TxQuery, id: string, level: CommandLevel): Promise<void> {
      await q.db
        .update(incidents)
        .set({ escalationLevel: level, updatedAt: sql`now()` })
        .where(eq(incidents.id, id));
    },

    /** The reports devices sent before under these UUIDs (resends), by UUID. */
    reportsByUuid(clientUuids: readonly string[]): Step<Map<string, StoredReportRef>> {
      return {
        statement: sql`
          SELECT id, client_uuid::text AS client_uuid, content_hash, incident_id FROM incident_reports
          WHERE client_uuid = ANY (ARRAY(SELECT jsonb_array_elements_text(${jsonParam(clientUuids)})::uuid))`,
        read: (rows) =>
          new Map(
            rows.map((r) => [
              String(r.client_uuid),
              {
                id: Number(r.id),
                contentHash: String(r.content_hash),
                incidentId: String(r.incident_id),
              },
            ]),
          ),
      };
    },

    /** The ids the next `n` reports will be stored under, ascending (taken now, so their events can name them). */
    nextReportIds(n: number): Step<number[]> {
      return {
        statement: sql`
          SELECT nextval(pg_get_serial_sequence('incident_reports', 'id')) AS id
          FROM generate_series(1, ${n}::int)`,
        read: (rows) => rows.map((r) => Number(r.id)).sort((a, b) => a - b),
      };
    },

    async isOfDrill(q: TxQuery, incidentId: string, drillId: string): Promise<boolean> {
      const rows = await q.db
        .select({ incidentId: drillIncidents.incidentId })
        .from(drillIncidents)
        .where(and(eq(drillIncidents.incidentId, incidentId), eq(drillIncidents.drillId, drillId)))
        .limit(1);
      return rows.length > 0;
    },

    async reportPhotos(q: TxQuery, reportId: number): Promise<StoredPhoto[]> {
      return q.db
        .select({
          mimeType: reportPhotos.mimeType,
          sizeBytes: reportPhotos.sizeBytes,
          sha256: reportPhotos.sha256,
          storagePath: reportPhotos.storagePath,
        })
        .from(reportPhotos)
        .where(eq(reportPhotos.reportId, reportId))
        .orderBy(reportPhotos.id);
    },

    /**
     * For each point, the nearest incident within `distanceM` of it, not closed nor a false
     * alarm, with a report observed within `windowMinutes` of the point's `reportedAt` (null:
     * now); a real fire for a real report, none for a drill's. One statement for all points,
     * the answers in the points' order.
     */
    nearestOpen(
      points: readonly { lon: number; lat: number; reportedAt: Date | null; drill: boolean }[],
      distanceM: number,
      windowMinutes: number,
    ): Step<(string | null)[]> {
      // A box around each circle for the location index (a degree is at least 110.5 km north
      // to south, and cos(lat) of that east to west; 10 % more, so the box always holds the
      // circle): the exact distance is then tested only on the fires inside it.
      const dLat = distanceM / 100_000;
      const records = points.map((p, i) => ({
        i,
        lon: p.lon,
        lat: p.lat,
        dlon: dLat / Math.max(Math.cos((Math.abs(p.lat) * Math.PI) / 180), 0.01),
        // The time a report counts from: its own (never later than now), or now.
        at: p.reportedAt?.toISOString() ?? null,
        drill: p.drill,
      }));
      const window = `${windowMinutes} minutes`;
      return {
        statement: sql`
          SELECT p.i, n.id
          FROM jsonb_to_recordset(${jsonParam(records)})
                 AS p(i int, lon float8, lat float8, dlon float8, at timestamptz, drill boolean)
          CROSS JOIN LATERAL (SELECT ST_SetSRID(ST_MakePoint(p.lon, p.lat), 4326) AS pt,
                                     LEAST(p.at, now()) AS clock) k
          LEFT JOIN LATERAL (
            SELECT i.id FROM incidents i
            WHERE NOT p.drill AND NOT ${IS_DRILL} AND i.state NOT IN ('false_alarm', 'closed')
              AND i.location && ST_Expand(k.pt, p.dlon, ${dLat}::float8)
              AND ST_DWithin(i.location::geography, k.pt::geography, ${distanceM})
              AND EXISTS (SELECT 1 FROM incident_reports r WHERE r.incident_id = i.id
                            AND r.observed_at BETWEEN k.clock - ${window}::interval
                                                  AND k.clock + ${window}::interval)
            ORDER BY ST_Distance(i.location::geography, k.pt::geography), i.first_reported_at
            LIMIT 1) n ON TRUE
          ORDER BY p.i`,
        read: (rows) => {
          const near: (string | null)[] = points.map(() => null);
          for (const r of rows) if (r.id) near[Number(r.i)] = String(r.id);
          return near;
        },
      };
    },

    /**
     * Moves each incident's clock back to its report's `reportedAt` (null: now) when that is
     * earlier; several reports of one incident move it to the earliest.
     */
    clockBack(moves: readonly { id: string; reportedAt: Date | null }[]): SQL {
      const records = moves.map((m) => ({ id: m.id, at: m.reportedAt?.toISOString() ?? null }));
      // The time a report counts from: its own (never later than now), or now.
      return sql`
        UPDATE incidents i SET first_reported_at = LEAST(i.first_reported_at, m.at), updated_at = now()
        FROM (SELECT id, min(LEAST(at, now())) AS at
              FROM jsonb_to_recordset(${jsonParam(records)}) AS r(id uuid, at timestamptz)
              GROUP BY id) m
        WHERE i.id = m.id`;
    },

    /** New incidents, reported, each at its point, its clock from `reportedAt` (null: now). */
    insert(
      opened: readonly {
        id: string;
        at: { lon: number; lat: number; reportedAt: Date | null };
        place: PlaceAt;
      }[],
    ): SQL {
      const records = opened.map(({ id, at, place }) => ({
        id,
        lon: at.lon,
        lat: at.lat,
        at: at.reportedAt?.toISOString() ?? null,
        grid: place.gridCode,
        village: place.villageCode,
        township: place.townshipCode,
        zone: place.warZoneId,
      }));
      return sql`
        INSERT INTO incidents (id, state, first_reported_at, location, grid_code, village_code, township_code, war_zone_id)
        SELECT n.id, 'reported', LEAST(n.at, now()), ST_SetSRID(ST_MakePoint(n.lon, n.lat), 4326),
               n.grid, n.village, n.township, n.zone
        FROM jsonb_to_recordset(${jsonParam(records)})
               AS n(id uuid, lon float8, lat float8, at timestamptz, grid text, village text, township text, zone int)`;
    },

    markDrill(incidentId: string, drillId: string): SQL {
      return sql`INSERT INTO drill_incidents (incident_id, drill_id) VALUES (${incidentId}::uuid, ${drillId}::uuid)`;
    },

    /**
     * The reports, each under its `id` (from nextReportIds), and their photos: one statement
     * for the reports, one for all photos (their ids in the order given).
     */
    insertReports(
      reports: readonly { id: number; row: ReportRow; photos: StoredPhoto[] }[],
    ): SQL[] {
      const records = reports.map(({ id, row: r }) => ({
        id,
        uuid: r.clientUuid,
        incident: r.incidentId,
        source: r.source,
        observed: r.observedAt.toISOString(),
        lon: r.lon,
        lat: r.lat,
        accuracy: r.accuracyM,
        bearing: r.bearingDeg,
        olon: r.observer?.lon ?? null,
        olat: r.observer?.lat ?? null,
        note: r.note,
        reporter: r.reporterName,
        user: r.reporterUserId,
        hash: r.contentHash,
        grid: r.gridCode,
      }));
      const statements = [
        sql`
        INSERT INTO incident_reports (id, client_uuid, incident_id, source, observed_at, location, accuracy_m,
                                      bearing_deg, observer, note, reporter_name, reporter_user_id, content_hash, grid_code)
        SELECT r.id, r.uuid, r.incident, r.source, r.observed, ST_SetSRID(ST_MakePoint(r.lon, r.lat), 4326),
               r.accuracy, r.bearing,
               CASE WHEN r.olon IS NULL THEN NULL ELSE ST_SetSRID(ST_MakePoint(r.olon, r.olat), 4326) END,
               r.note, r.reporter, r.user, r.hash, r.grid
        FROM jsonb_to_recordset(${jsonParam(records)})
               AS r(id bigint, uuid uuid, incident uuid, source text, observed timestamptz, lon float8,
                    lat float8, accuracy float8, bearing float8, olon float8, olat float8, note text,
                    reporter text, "user" uuid, hash text, grid text)
        ORDER BY r.id`,
      ];
      const photos = reports.flatMap(({ id, photos }) => photos.map((p) => ({ id, ...p })));
      // One statement; its rows take their ids in the photos' order.
      if (photos.length > 0)
        statements.push(sql`
          INSERT INTO report_photos (report_id, mime_type, size_bytes, sha256, storage_path)
          VALUES ${sql.join(
            photos.map(
              (p) => sql`(${p.id}, ${p.mimeType}, ${p.sizeBytes}, ${p.sha256}, ${p.storagePath})`,
            ),
            sql`, `,
          )}`);
      return statements;
    },

    /** Real fires of a war zone other than `exceptId`, not out nor ruled out. */
    othersBurningIn(warZoneId: number, exceptId: string | null): Step<number> {
      return {
        statement: sql`
          SELECT count(*)::int AS n FROM incidents i
          WHERE i.war_zone_id = ${warZoneId} AND i.id IS DISTINCT FROM ${exceptId}::uuid
            AND ${BURNING}`,
        read: ([other]) => Number(other?.n ?? 0),
      };
    },

    /** Real fires not out nor ruled out in each of these war zones (absent: none). */
    burningIn(warZoneIds: readonly number[]): Step<Map<number, number>> {
      return {
        statement: sql`
          SELECT i.war_zone_id, count(*)::int AS n FROM incidents i
          WHERE i.war_zone_id = ANY (ARRAY(SELECT jsonb_array_elements_text(${jsonParam(warZoneIds)})::int))
            AND ${BURNING}
          GROUP BY i.war_zone_id`,
        read: (rows) => new Map(rows.map((r) => [Number(r.war_zone_id), Number(r.n)])),
      };
    },

    /** What the breach clock needs of one incident; null if none. */
    async clockFacts(
      q: TxQuery,
      id: string,
    ): Promise<{
      state: IncidentState;
      firstReportedAt: Date;
      escalationLevel: CommandLevel;
      falseAlarm: boolean;
      breached: Target[];
    } | null> {
      const [row] = await q<Record<string, unknown>>(sql`
        SELECT i.state, i.first_reported_at, i.escalation_level,
               EXISTS (SELECT 1 FROM incident_events e WHERE e.incident_id = i.id
                         AND e.type = 'state_changed' AND e.payload->>'to' = 'false_alarm') AS false_alarm,
               (SELECT COALESCE(json_agg(e.payload->>'target'), '[]'::json) FROM incident_events e
                 WHERE e.incident_id = i.id AND e.type = 'target_breached') AS breached
        FROM incidents i WHERE i.id = ${id}::uuid`);
      if (!row) return null;
      return {
        state: row.state as IncidentState,
        firstReportedAt: new Date(row.first_reported_at as string),
        escalationLevel: row.escalation_level as CommandLevel,
        falseAlarm: Boolean(row.false_alarm),
        breached: row.breached as Target[],
      };
    },

    // Reads outside a unit of work.

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
      opts: {
        scope?: ReadScope;
        /** One county of a province: its townships' codes start with the county's. */
        countyCode?: string;
        open?: boolean;
        limit?: number;
        offset?: number;
      } = {},
    ): Promise<{ incidents: IncidentSummary[]; total: number }> {
      const open = opts.open ? sql`i.state <> 'closed'` : sql`TRUE`;
      const where = sql`${scopeFilter(opts.scope ?? { kind: 'county' })} AND ${open} AND ${inCounty(opts.countyCode)}`;
      const order = sql`array_position(${LIST_ORDER_SQL}, i.state::text), i.first_reported_at DESC, i.id`;
      // The page's ids first, then the summaries of those alone: the summary's per-incident
      // subqueries (reports, breaches, crews sent) run for the page, not for every open
      // incident of a province sorted to find it.
      const page = sql`SELECT i.id FROM incidents i WHERE ${where}
                       ORDER BY ${order} LIMIT ${opts.limit ?? 500} OFFSET ${opts.offset ?? 0}`;
      const rows = await database.query<Record<string, unknown>>(
        sql`${summaryQuery(sql`i.id IN (${page})`)} ORDER BY ${order}`,
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
    async situationRows(scope: ReadScope, countyCode?: string): Promise<SituationIncident[]> {
      const rows = await database.query<Record<string, unknown>>(sql`
        SELECT i.state, i.first_reported_at, i.escalation_level,
               (SELECT COALESCE(json_agg(e.payload->>'target' ORDER BY e.seq), '[]'::json)
                  FROM incident_events e
                  WHERE e.incident_id = i.id AND e.type = 'target_breached') AS breached,
               (SELECT max(e.at) FROM incident_events e WHERE e.incident_id = i.id
                  AND e.type NOT IN (${NOT_ACTIONS_SQL})) AS last_action_at
        FROM incidents i
        WHERE ${scopeFilter(scope)} AND ${inCounty(countyCode)} AND i.state <> 'closed'
          AND NOT ${IS_DRILL}`);
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
    async recentEvents(scope: ReadScope, limit: number, countyCode?: string): Promise<FeedEvent[]> {
      const rows = await database.query<Record<string, unknown>>(sql`
        SELECT e.seq, e.incident_id, e.type, e.at, e.payload, v.name AS village_name,
               t.name AS township_name, ${IS_DRILL} AS drill
        FROM incident_events e
        JOIN incidents i ON i.id = e.incident_id
        LEFT JOIN villages v ON v.code = i.village_code
        LEFT JOIN townships t ON t.code = i.township_code
        WHERE ${scopeFilter(scope)} AND ${inCounty(countyCode)}
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
      const rows = await database.db
        .select({ id: incidents.id })
        .from(incidents)
        .where(
          and(
            eq(incidents.warZoneId, warZoneId),
            eq(incidents.escalationLevel, 'county'),
            ne(incidents.state, 'closed'),
          ),
        );
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
      const events = await database.db
        .select({
          seq: incidentEvents.seq,
          type: incidentEvents.type,
          at: incidentEvents.at,
          actor_label: incidentEvents.actorLabel,
          payload: incidentEvents.payload,
        })
        .from(incidentEvents)
        .where(eq(incidentEvents.incidentId, id))
        .orderBy(incidentEvents.seq);
      const [drill] = await database.db
        .select({ drillId: drillIncidents.drillId })
        .from(drillIncidents)
        .where(eq(drillIncidents.incidentId, id));
      return {
        ...toSummary(row),
        /** The drill it belongs to (its report: GET /api/drills/{id}/report[.pdf]); null if none. */
        drillId: drill?.drillId ?? null,
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
      const [row] = await database.db
        .select({
          mimeType: reportPhotos.mimeType,
          storagePath: reportPhotos.storagePath,
          incidentId: incidentReports.incidentId,
        })
        .from(reportPhotos)
        .innerJoin(incidentReports, eq(incidentReports.id, reportPhotos.reportId))
        .where(eq(reportPhotos.id, id));
      return row ?? null;
    },

    /** Events after `seq` in order, for the incidents a scope covers. */
    async eventsAfter(seq: number, scope: LiveScope, limit = 5000): Promise<IncidentEvent[]> {
      const rows = await database.query<Record<string, unknown>>(sql`
        SELECT e.seq, e.incident_id, e.type, e.at, e.actor_label, e.payload
        FROM incident_events e JOIN incidents i ON i.id = e.incident_id
        WHERE e.seq > ${seq} AND ${scopeFilter(scope)}
        ORDER BY e.seq LIMIT ${limit}`);
      // Every incident's summary in one query, not one per incident.
      const summaries = await summariesOf(autocommit(database), [
        ...new Set(rows.map((r) => r.incident_id as string)),
      ]);
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
  async (app: FastifyInstance) => {
    app.decorate('incidentsRepository', createIncidentsRepository(app.database));
  },
  { name: 'incidents-repository', dependencies: ['db'] },
);
