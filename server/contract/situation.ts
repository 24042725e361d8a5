/**
 * GET /api/situation: the county wall's status bar (issue 19, item 3) — open fires by state,
 * targets missed, fires by command level, stale fires, crews on duty and committed, the last
 * event and the latest events for the feed. One TypeBox schema is the answer's serialisation,
 * its OpenAPI description and the type the page reads. The counts are
 * server/domain/situation.ts over the incidents the reader's list shows.
 */
import { type Static, Type } from 'typebox';
import { INCIDENT_STATES } from '../domain/vocabulary.ts';

const Count = Type.Integer({ minimum: 0 });

export const SituationCounts = Type.Object({
  open: Count,
  byState: Type.Object(
    Object.fromEntries(INCIDENT_STATES.map((s) => [s, Count])) as Record<
      (typeof INCIDENT_STATES)[number],
      typeof Count
    >,
  ),
  breaches: Type.Object(
    { arrive: Count, control: Count, extinguish: Count },
    { description: 'open fires that missed the 10 / 20 / 30-minute target' },
  ),
  byLevel: Type.Object(
    { village: Count, township: Count, county: Count },
    { description: 'open fires by command level (县乡村三级联动)' },
  ),
  stale: Type.Integer({ minimum: 0, description: 'open fires with no action for an hour' }),
});

/** One line of the wall's event feed: what anyone may see of an event (no actor, no notes). */
export const FeedEvent = Type.Object({
  seq: Type.Integer(),
  incidentId: Type.String({ format: 'uuid' }),
  type: Type.String(),
  at: Type.String({ format: 'date-time' }),
  townshipName: Type.Union([Type.String(), Type.Null()]),
  villageName: Type.Union([Type.String(), Type.Null()]),
  from: Type.Optional(Type.String()),
  to: Type.Optional(Type.String()),
  target: Type.Optional(Type.String()),
  /** Its fire is a drill 演练 (issue 14): the feed labels it. */
  drill: Type.Optional(Type.Boolean()),
});
export type FeedEvent = Static<typeof FeedEvent>;

export const Situation = Type.Object({
  serverTime: Type.String({ format: 'date-time' }),
  counts: SituationCounts,
  crews: Type.Object({
    onDuty: Type.Integer({ minimum: 0, description: 'crews not returning (standby or out)' }),
    committed: Type.Integer({ minimum: 0, description: 'crews dispatched, en route or on scene' }),
  }),
  lastEventAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  /** The latest events in the reader's area, newest first. */
  events: Type.Array(FeedEvent),
});
export type Situation = Static<typeof Situation>;
