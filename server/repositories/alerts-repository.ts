/**
 * Upward alerts as rows (rules in domain/upward-alerts.ts, applied by
 * services/alert-service.ts): each escalation and missed target with its fire's place and any
 * `alert_acknowledged` event naming its sequence. A drill's alerts say so (`drill`).
 */
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { UpwardAlert } from '../contract/alerts.ts';
import type { Database, TxQuery } from '../db/database.ts';
import type { CommandLevel, Place } from '../domain/access.ts';
import type { TimelineEvent } from '../domain/live-events.ts';
import {
  isUpwardAlert,
  UPWARD_ALERT_TYPES,
  type UpwardAlertType,
} from '../domain/upward-alerts.ts';
import { iso, timelineEventOfRow } from './incident-summary.ts';

const ALERT_TYPES_SQL = sql.join(
  UPWARD_ALERT_TYPES.map((t) => sql`${t}`),
  sql`, `,
);

interface AlertRow {
  seq: number;
  incident_id: string;
  type: string;
  at: string;
  actor_label: string;
  payload: unknown;
  escalation_level: CommandLevel;
  township_code: string | null;
  war_zone_id: number | null;
  township_name: string | null;
  village_name: string | null;
  first_reported_at: string;
  acknowledged_by: string | null;
  acknowledged_at: string | null;
  drill: boolean;
}

export type AlertEvent = Extract<TimelineEvent, { type: UpwardAlertType }>;

/** An alert event with its fire and any acknowledgement of it. */
export interface AlertRecord {
  event: AlertEvent & { incidentId: string };
  /** Where the fire is and the level commanding it now. */
  place: Place & { escalationLevel: CommandLevel };
  fire: Pick<
    UpwardAlert,
    'townshipName' | 'villageName' | 'escalationLevel' | 'firstReportedAt' | 'drill'
  >;
  /** Who acknowledged it first and when (ISO), or null. */
  acknowledgement: { by: string; at: string } | null;
}

/** The row's alert event (the query reads only escalations and breaches). */
function recordOf(r: AlertRow & Record<string, unknown>): AlertRecord {
  const e = timelineEventOfRow(r);
  if (!isUpwardAlert(e)) throw new Error(`event ${r.seq} (${e.type}) is not an upward alert`);
  return {
    event: { ...e, incidentId: r.incident_id },
    place: {
      townshipCode: r.township_code,
      warZoneId: r.war_zone_id === null ? null : Number(r.war_zone_id),
      escalationLevel: r.escalation_level,
    },
    fire: {
      townshipName: r.township_name,
      villageName: r.village_name,
      escalationLevel: r.escalation_level,
      firstReportedAt: iso(r.first_reported_at),
      drill: Boolean(r.drill),
    },
    acknowledgement:
      r.acknowledged_by === null ? null : { by: r.acknowledged_by, at: iso(r.acknowledged_at) },
  };
}

/** The alert events (with their fire's place and any acknowledgement) matching `where`. */
const alertRows = (where: ReturnType<typeof sql>, limit: number) => sql`
  SELECT e.seq, e.incident_id, e.type, e.at, e.actor_label, e.payload,
         i.escalation_level, i.township_code, i.war_zone_id, i.first_reported_at,
         t.name AS township_name, v.name AS village_name,
         a.actor_label AS acknowledged_by, a.at AS acknowledged_at,
         EXISTS (SELECT 1 FROM drill_incidents di WHERE di.incident_id = i.id) AS drill
  FROM incidents i
  JOIN incident_events e ON e.incident_id = i.id AND e.type IN (${ALERT_TYPES_SQL})
  LEFT JOIN townships t ON t.code = i.township_code
  LEFT JOIN villages v ON v.code = i.village_code
  LEFT JOIN LATERAL (
    SELECT x.actor_label, x.at FROM incident_events x
    WHERE x.incident_id = i.id AND x.type = 'alert_acknowledged'
      AND x.payload->>'seq' = e.seq::text
    ORDER BY x.seq LIMIT 1) a ON TRUE
  WHERE ${where}
  ORDER BY e.seq DESC
  LIMIT ${limit}`;

export function createAlertsRepository(database: Database) {
  return {
    /**
     * Unacknowledged alerts of fires still open (not closed or ruled out: no longer anyone's
     * to acknowledge), newest first, at most `limit`.
     */
    async unacknowledged(limit: number): Promise<AlertRecord[]> {
      const rows = await database.query<AlertRow & Record<string, unknown>>(
        alertRows(sql`i.state NOT IN ('closed', 'false_alarm') AND a.at IS NULL`, limit),
      );
      return rows.map(recordOf);
    },

    /** The alert of sequence `seq` inside a unit of work; null when no alert has it. */
    async alert(q: TxQuery, seq: number): Promise<AlertRecord | null> {
      const [r] = await q<AlertRow & Record<string, unknown>>(alertRows(sql`e.seq = ${seq}`, 1));
      return r ? recordOf(r) : null;
    },
  };
}

export type AlertsRepository = ReturnType<typeof createAlertsRepository>;

declare module 'fastify' {
  interface FastifyInstance {
    alertsRepository: AlertsRepository;
  }
}

export default fp(
  async (app: FastifyInstance) => {
    app.decorate('alertsRepository', createAlertsRepository(app.database));
  },
  { name: 'alerts-repository', dependencies: ['db'] },
);
