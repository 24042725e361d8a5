/**
 * Upward alerts (issue 19, item 6): escalations and missed targets that wait on the badge of
 * the level above until someone there acknowledges them (rules: server/domain/upward-alerts.ts).
 * GET /api/alerts lists the signed-in user's unacknowledged ones, newest first;
 * POST /api/alerts/{seq}/acknowledgement acknowledges one (the event's sequence number).
 */
import { type Static, Type } from 'typebox';
import { ESCALATION_LEVELS } from '../domain/vocabulary.ts';

const literals = <T extends readonly string[]>(xs: T) =>
  Type.Unsafe<T[number]>(Type.Union(xs.map((x) => Type.Literal(x))));

export const UpwardAlert = Type.Object({
  /** The alerting event's sequence in the incident log (what an acknowledgement names). */
  seq: Type.Integer({ minimum: 1 }),
  incidentId: Type.String({ format: 'uuid' }),
  type: Type.Union([Type.Literal('escalated'), Type.Literal('target_breached')]),
  /** The level alarmed (township or county). */
  level: Type.Union([Type.Literal('township'), Type.Literal('county')]),
  at: Type.String({ format: 'date-time' }),
  /** Who raised it (a username), or `system` for a breach. */
  actor: Type.String(),
  /** A raise's reason; null for a breach. */
  reason: Type.Union([Type.String(), Type.Null()]),
  /** The target a breach missed (report→arrive, control, out); null for a raise. */
  target: Type.Union([Type.String(), Type.Null()]),
  /** Where the fire is and who handles it now. */
  townshipName: Type.Union([Type.String(), Type.Null()]),
  villageName: Type.Union([Type.String(), Type.Null()]),
  escalationLevel: literals(ESCALATION_LEVELS),
  firstReportedAt: Type.String({ format: 'date-time' }),
  /**
   * The fire is a drill's 演练 (issue 14 item 3): listed and acknowledged like any alert but
   * labelled 演练, and it never sounds the siren nor counts on the badge as a real alarm.
   */
  drill: Type.Boolean(),
});
export type UpwardAlert = Static<typeof UpwardAlert>;

export const UpwardAlerts = Type.Object({ alerts: Type.Array(UpwardAlert) });
export type UpwardAlerts = Static<typeof UpwardAlerts>;
