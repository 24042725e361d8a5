/**
 * Upward alerts read from and acknowledged in the incident log (rules in
 * domain/upward-alerts.ts): an escalation or a missed target is unacknowledged until an
 * `alert_acknowledged` event names its sequence. Alerts of fires closed or ruled out are no
 * longer anyone's to acknowledge. A drill's alerts say so (`drill`): the client labels them
 * 演练 and never sounds them as a real alarm.
 */
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { UpwardAlert } from '../contract/alerts.ts';
import type { Database } from '../db/database.ts';
import type { Actor, CommandLevel } from '../domain/access.ts';
import { IncidentConflict } from '../domain/errors.ts';
import type { IncidentEvent, TimelineEvent } from '../domain/live-events.ts';
import {
  alertedAt,
  alertLevel,
  alertsActor,
  isUpwardAlert,
  UPWARD_ALERT_TYPES,
  type UpwardAlertType,
  upwardAlertOf,
} from '../domain/upward-alerts.ts';
import type { IncidentLog } from './incident-log.ts';
import { iso, timelineEventOfRow } from './incident-summary.ts';

/** At most this many alerts are listed (newest first): more is a county on fire, not a badge. */
export const ALERTS_LISTED = 200;

const ALERT_TYPES_SQL = sql.join(
  UPWARD_ALERT_TYPES.map((t) => sql`${t}`),
  sql`, `,
);

/** HH:MM on the county's clock, for a refusal's message in any language. */
const beijingTime = (v: unknown) =>
  new Date(v as string).toLocaleTimeString('en-GB', {
    timeZone: 'Asia/Shanghai',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  });

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

const place = (r: AlertRow) => ({
  townshipCode: r.township_code,
  warZoneId: r.war_zone_id === null ? null : Number(r.war_zone_id),
  escalationLevel: r.escalation_level,
});

type AlertEvent = Extract<TimelineEvent, { type: UpwardAlertType }>;

/** The row's alert event (the query reads only escalations and breaches). */
function alertEventOf(r: AlertRow & Record<string, unknown>): AlertEvent {
  const e = timelineEventOfRow(r);
  if (!isUpwardAlert(e)) throw new Error(`event ${r.seq} (${e.type}) is not an upward alert`);
  return e;
}

const alertOf = (r: AlertRow, e: AlertEvent, level: 'township' | 'county'): UpwardAlert =>
  upwardAlertOf(
    { ...e, incidentId: r.incident_id },
    {
      townshipName: r.township_name,
      villageName: r.village_name,
      escalationLevel: r.escalation_level,
      firstReportedAt: iso(r.first_reported_at),
      drill: Boolean(r.drill),
    },
    level,
  );

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

export function createAlertsRepository(database: Database, log: IncidentLog) {
  return {
    /** The actor's unacknowledged alerts, newest first. */
    async unacknowledged(actor: Actor): Promise<UpwardAlert[]> {
      const rows = await database.query<AlertRow & Record<string, unknown>>(
        alertRows(
          // Unacknowledged: the acknowledgement the query joins is absent.
          sql`i.state NOT IN ('closed', 'false_alarm') AND a.at IS NULL`,
          // Read more than listed: many of a busy county's alerts are for other places.
          ALERTS_LISTED * 5,
        ),
      );
      const out: UpwardAlert[] = [];
      for (const r of rows) {
        const event = alertEventOf(r);
        if (!alertsActor(actor, event, place(r))) continue;
        const level = alertLevel(event, r.escalation_level);
        if (level) out.push(alertOf(r, event, level));
        if (out.length >= ALERTS_LISTED) break;
      }
      return out;
    },

    /**
     * Acknowledges the alert `seq` for the level it alarmed: 404 when no alert has that
     * sequence, 403 when the actor is not at that level, 409 when someone already did.
     */
    async acknowledge(seq: number, actor: Actor): Promise<IncidentEvent> {
      return log.run(async (q) => {
        const [r] = await q<AlertRow & Record<string, unknown>>(alertRows(sql`e.seq = ${seq}`, 1));
        if (!r)
          throw new IncidentConflict(
            `no escalation or missed target has sequence ${seq}`,
            'seq',
            404,
            'alert.not_found',
          );
        const event = alertEventOf(r);
        const level = alertLevel(event, r.escalation_level);
        if (!level || !alertedAt(actor, level, place(r)))
          throw new IncidentConflict(
            `${actor.username} is not at the ${level ?? 'alerted'} level of this alert`,
            'seq',
            403,
            'alert.not_yours',
            { level: level ?? '' },
          );
        if (r.acknowledged_by)
          throw new IncidentConflict(
            `alert ${seq} was acknowledged by ${r.acknowledged_by}`,
            'seq',
            409,
            'alert.already_acknowledged',
            { by: r.acknowledged_by, at: beijingTime(r.acknowledged_at) },
          );
        return q.append(r.incident_id, 'alert_acknowledged', actor.username, {
          seq: Number(r.seq),
          alertType: event.type,
          level,
          role: actor.role,
        });
      });
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
    app.decorate('alertsRepository', createAlertsRepository(app.database, app.incidentLog));
  },
  { name: 'alerts-repository', dependencies: ['db', 'incident-log'] },
);
