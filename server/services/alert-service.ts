/**
 * Upward alerts (rules in domain/upward-alerts.ts): an escalation or a missed target is on the
 * badge of the level it alarmed until someone at that level acknowledges it, with an
 * `alert_acknowledged` event naming its sequence in the incident log. Nobody is alarmed by
 * his own act.
 */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { UpwardAlert } from '../contract/alerts.ts';
import type { Actor } from '../domain/access.ts';
import { AccessDenied, IncidentConflict } from '../domain/errors.ts';
import type { IncidentEvent } from '../domain/live-events.ts';
import { alertedAt, alertLevel, alertsActor, upwardAlertOf } from '../domain/upward-alerts.ts';
import type { AlertsRepository } from '../repositories/alerts-repository.ts';
import type { IncidentLog } from '../repositories/incident-log.ts';

/** At most this many alerts are listed (newest first): more is a county on fire, not a badge. */
export const ALERTS_LISTED = 200;

/** HH:MM on the county's clock, for a refusal's message in any language. */
const beijingTime = (iso: string) =>
  new Date(iso).toLocaleTimeString('en-GB', {
    timeZone: 'Asia/Shanghai',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  });

export function createAlertService(alertRows: AlertsRepository, log: IncidentLog) {
  return {
    /** The actor's unacknowledged alerts, newest first. */
    async unacknowledged(actor: Actor): Promise<UpwardAlert[]> {
      // Read more than listed: many of a busy county's alerts are for other places.
      const records = await alertRows.unacknowledged(ALERTS_LISTED * 5);
      const out: UpwardAlert[] = [];
      for (const { event, place, fire } of records) {
        if (!alertsActor(actor, event, place)) continue;
        const level = alertLevel(event, place.escalationLevel);
        if (level) out.push(upwardAlertOf(event, fire, level));
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
        // Two acknowledgements of one alert: the second waits and then finds the first.
        await q.exclusive(`alert:${seq}`);
        const alert = await alertRows.alert(q, seq);
        if (!alert)
          throw new IncidentConflict(
            `no escalation or missed target has sequence ${seq}`,
            'seq',
            404,
            'alert.not_found',
          );
        const { event, place, acknowledgement } = alert;
        const level = alertLevel(event, place.escalationLevel);
        if (!level || !alertedAt(actor, level, place))
          throw new AccessDenied(
            `${actor.username} is not at the ${level ?? 'alerted'} level of this alert`,
            'seq',
            'alert.not_yours',
            { level: level ?? '' },
          );
        if (acknowledgement)
          throw new IncidentConflict(
            `alert ${seq} was acknowledged by ${acknowledgement.by}`,
            'seq',
            409,
            'alert.already_acknowledged',
            { by: acknowledgement.by, at: beijingTime(acknowledgement.at) },
          );
        return q.append(event.incidentId, 'alert_acknowledged', actor.username, {
          seq: event.seq,
          alertType: event.type,
          level,
          role: actor.role,
        });
      });
    },
  };
}

export type AlertService = ReturnType<typeof createAlertService>;

declare module 'fastify' {
  interface FastifyInstance {
    alertService: AlertService;
  }
}

export default fp(
  async (app: FastifyInstance) => {
    app.decorate('alertService', createAlertService(app.alertsRepository, app.incidentLog));
  },
  { name: 'alert-service', dependencies: ['alerts-repository', 'incident-log'] },
);
