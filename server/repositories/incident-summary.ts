/**
 * An incident as every list, card and live event shows it (`IncidentSummary`): one query for
 * one or many incidents, read by the incident log when it appends an event and by the
 * incidents repository for its lists; and a row of the event log as the typed event it is.
 */
import { type SQL, sql } from 'drizzle-orm';
import type { Step, TxQuery } from '../db/database.ts';
import { jsonParam } from '../db/json-param.ts';
import { incidentConfidence, type SourceReport } from '../domain/cameras/confidence.ts';
import { deadlines, type Target } from '../domain/incident-lifecycle.ts';
import {
  type IncidentSummary,
  isIncidentEventType,
  type TimelineEvent,
} from '../domain/live-events.ts';
import { NOT_ACTIONS } from '../domain/situation.ts';
import type { IncidentState, ReportSource } from '../domain/vocabulary.ts';

/**
 * A report someone answers for: a signed-in user's, or a registered camera's (its device key;
 * /api/reports takes source `camera` only from an account unless REPORTS_NEED_SIGN_IN is off).
 */
export const ACCOUNTED_REPORT = sql`(r.reporter_user_id IS NOT NULL OR r.source = 'camera')`;

export const NOT_ACTIONS_SQL = sql.join(
  NOT_ACTIONS.map((t) => sql`${t}`),
  sql`, `,
);

/** Incident `i` is a drill 演练 (issue 14): never in flags or statistics. */
export const IS_DRILL = sql`EXISTS (SELECT 1 FROM drill_incidents di WHERE di.incident_id = i.id)`;

export const iso = (v: unknown) => new Date(v as string).toISOString();

export function summaryQuery(where: SQL): SQL {
  return sql`
    SELECT i.id, i.state, i.first_reported_at, ST_X(i.location) AS lon, ST_Y(i.location) AS lat,
           i.grid_code, v.name AS village_name, i.township_code, t.name AS township_name,
           i.war_zone_id, z.name AS war_zone_name, i.burned_area_ha, i.cause, i.updated_at, i.escalation_level,
           (SELECT count(*) FROM incident_reports r WHERE r.incident_id = i.id) AS report_count,
           NOT EXISTS (SELECT 1 FROM incident_reports r WHERE r.incident_id = i.id
                         AND ${ACCOUNTED_REPORT}) AS anonymous_only,
           (SELECT COALESCE(json_agg(DISTINCT r.source), '[]'::json)
              FROM incident_reports r WHERE r.incident_id = i.id) AS sources,
           (SELECT COALESCE(json_agg(json_build_object('source', r.source,
                      'by', COALESCE(a.camera_id, r.reporter_user_id::text, r.reporter_name))), '[]'::json)
              FROM incident_reports r LEFT JOIN camera_alarms a ON a.report_uuid = r.client_uuid
              WHERE r.incident_id = i.id) AS reporters,
           (SELECT COALESCE(json_agg(e.payload->>'target' ORDER BY e.seq), '[]'::json)
              FROM incident_events e WHERE e.incident_id = i.id AND e.type = 'target_breached') AS breached,
           (SELECT count(*) FROM dispatches d WHERE d.incident_id = i.id AND d.status <> 'cancelled') AS crews_sent,
           (SELECT max(e.at) FROM incident_events e WHERE e.incident_id = i.id
              AND e.type NOT IN (${NOT_ACTIONS_SQL})) AS last_action_at,
           ${IS_DRILL} AS drill
    FROM incidents i
    LEFT JOIN villages v ON v.code = i.village_code
    LEFT JOIN townships t ON t.code = i.township_code
    LEFT JOIN war_zones z ON z.id = i.war_zone_id
    WHERE ${where}`;
}

/**
 * A row of incident_events as the typed event it was appended as. The log is written only by
 * `appendEvent`, which takes the payload of the event's type, so a known type's payload is
 * that type's; a type this build does not know is refused rather than guessed.
 */
export function timelineEventOfRow(r: Record<string, unknown>): TimelineEvent {
  const type = String(r.type);
  if (!isIncidentEventType(type)) throw new Error(`incident_events: unknown event type ${type}`);
  return {
    seq: Number(r.seq),
    type,
    at: iso(r.at),
    actor: String(r.actor_label),
    payload: r.payload,
  } as TimelineEvent;
}

export function toSummary(r: Record<string, unknown>): IncidentSummary {
  const first = new Date(r.first_reported_at as string);
  const d = deadlines(first);
  const breached = r.breached as Target[];
  return {
    id: r.id as string,
    state: r.state as IncidentState,
    firstReportedAt: first.toISOString(),
    location: [Number(r.lon), Number(r.lat)],
    gridCode: (r.grid_code as string | null) ?? null,
    villageName: (r.village_name as string | null) ?? null,
    townshipCode: (r.township_code as string | null) ?? null,
    townshipName: (r.township_name as string | null) ?? null,
    warZoneId: r.war_zone_id === null || r.war_zone_id === undefined ? null : Number(r.war_zone_id),
    warZoneName: (r.war_zone_name as string | null) ?? null,
    reportCount: Number(r.report_count),
    anonymousOnly: r.anonymous_only === true || r.anonymous_only === 't',
    sources: r.sources as ReportSource[],
    confidence: incidentConfidence(r.reporters as SourceReport[]),
    deadlines: {
      arrive: d.arrive.toISOString(),
      control: d.control.toISOString(),
      extinguish: d.extinguish.toISOString(),
    },
    breached,
    burnedAreaHa:
      r.burned_area_ha === null || r.burned_area_ha === undefined ? null : Number(r.burned_area_ha),
    cause: (r.cause as string | null) ?? null,
    escalationLevel: (r.escalation_level as IncidentSummary['escalationLevel']) ?? 'village',
    updatedAt: iso(r.updated_at),
    crewsSent: Number(r.crews_sent ?? 0),
    lastActionAt: iso(r.last_action_at ?? r.first_reported_at),
    drill: r.drill === true || r.drill === 't',
  };
}

/** One incident's summary inside a transaction. */
export async function summaryOf(q: TxQuery, id: string): Promise<IncidentSummary> {
  const [row] = await q<Record<string, unknown>>(summaryQuery(sql`i.id = ${id}::uuid`));
  if (!row) throw new Error(`incident ${id} not found`);
  return toSummary(row);
}

/** Several incidents' summaries in one query, by id (an empty list asks nothing). */
export async function summariesOf(
  q: TxQuery,
  ids: readonly string[],
): Promise<Map<string, IncidentSummary>> {
  if (ids.length === 0) return new Map();
  const step = summariesStep(ids);
  return step.read(await q<Record<string, unknown>>(step.statement));
}

/** The summaries of `ids` (at least one) as a pipeline's step. */
export function summariesStep(ids: readonly string[]): Step<Map<string, IncidentSummary>> {
  // One parameter whatever the count: the statement stays prepared; the ids, an array, are
  // looked up by the primary key.
  const where = sql`i.id = ANY (ARRAY(SELECT jsonb_array_elements_text(${jsonParam(ids)})::uuid))`;
  return {
    statement: summaryQuery(where),
    read(rows) {
      const summaries = new Map<string, IncidentSummary>();
      for (const row of rows) {
        const s = toSummary(row);
        summaries.set(s.id, s);
      }
      return summaries;
    },
  };
}
