/**
 * Escalations and breaches reach upward (issue 19, item 6). A fire raised to a level, or a
 * 10/20/30 target missed, alarms the level above the one handling the fire, and stays on an
 * "unacknowledged" badge there until someone at that level acknowledges it. Who that is:
 *
 * - township level: the township commander of the fire's township;
 * - county level: the county command centre, and the war-zone commander of the fire's war zone
 *   (战区联动 brings his zone in when a fire is raised to the county).
 *
 * A raise alarms the level it was raised to; a breach the level above the fire's command
 * level when it happened (a village fire → the township, a township fire → the county, a
 * county fire → the county itself: there is nobody above). Nobody is alarmed by his own act.
 */
import type { UpwardAlert } from '../contract/alerts.ts';
import type { Actor, CommandLevel, Place } from './access.ts';
import type { EventShape } from './live-events.ts';

/** The incident events that are upward alerts. */
export const UPWARD_ALERT_TYPES = ['escalated', 'target_breached'] as const;
export type UpwardAlertType = (typeof UPWARD_ALERT_TYPES)[number];

/** An escalation or a breach: the events that are upward alerts. */
export function isUpwardAlert<E extends EventShape>(
  e: E,
): e is Extract<E, { type: UpwardAlertType }> {
  return (UPWARD_ALERT_TYPES as readonly string[]).includes(e.type);
}

/** The level that answers for a fire handled at `level`: the county answers for itself. */
export function levelAbove(level: CommandLevel): Exclude<CommandLevel, 'village'> {
  return level === 'village' ? 'township' : 'county';
}

/**
 * The level an alert event alarms. A raise: the level raised to. A breach: the level its
 * payload recorded when it happened (`alertLevel`), else the one above `handledAt` (the fire's
 * command level now, for breaches recorded before the payload carried it).
 */
export function alertLevel(
  event: EventShape,
  handledAt: CommandLevel,
): Exclude<CommandLevel, 'village'> | null {
  if (event.type === 'escalated') return event.payload.to;
  if (event.type === 'target_breached') return event.payload.alertLevel ?? levelAbove(handledAt);
  return null;
}

/** Is the actor one of those an alert at `level` for a fire at `place` is for? */
export function alertedAt(
  actor: Actor,
  level: Exclude<CommandLevel, 'village'>,
  place: Place,
): boolean {
  if (level === 'township')
    return (
      actor.role === 'township_commander' &&
      actor.townshipCode !== null &&
      actor.townshipCode === place.townshipCode
    );
  if (actor.role === 'county_command') return true;
  return (
    actor.role === 'war_zone_commander' &&
    actor.warZoneId !== null &&
    actor.warZoneId === place.warZoneId
  );
}

/** Whether this alert event is on the actor's badge (not his own act). */
export function alertsActor(
  actor: Actor,
  event: EventShape & { actor: string },
  incident: Place & { escalationLevel: CommandLevel },
): boolean {
  if (event.actor === actor.username) return false;
  const level = alertLevel(event, incident.escalationLevel);
  return level !== null && alertedAt(actor, level, incident);
}

/**
 * The alert as the list shows it, from its event and its fire: the one shape GET /api/alerts
 * answers and the page builds from a live event.
 */
export function upwardAlertOf(
  e: Extract<EventShape, { type: UpwardAlertType }> & {
    seq: number;
    incidentId: string;
    at: string;
    actor: string;
  },
  fire: Pick<
    UpwardAlert,
    'townshipName' | 'villageName' | 'escalationLevel' | 'firstReportedAt' | 'drill'
  >,
  level: UpwardAlert['level'],
): UpwardAlert {
  return {
    seq: e.seq,
    incidentId: e.incidentId,
    type: e.type,
    level,
    at: e.at,
    actor: e.actor,
    reason: e.type === 'escalated' ? e.payload.reason : null,
    target: e.type === 'target_breached' ? e.payload.target : null,
    townshipName: fire.townshipName,
    villageName: fire.villageName,
    escalationLevel: fire.escalationLevel,
    firstReportedAt: fire.firstReportedAt,
    drill: fire.drill,
  };
}
