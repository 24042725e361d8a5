/**
 * The life of an incident and the 10/20/30-minute clock (10分钟能到、20分钟能控、30分钟能灭):
 * reported → verifying → confirmed | false_alarm → dispatched → on_scene → controlled →
 * extinguished → closed (a false alarm closes directly). Deadlines run from the first
 * report; a target is met once the incident reaches its state.
 */
import type { IncidentState } from './vocabulary.ts';

export const TRANSITIONS: Readonly<Record<IncidentState, readonly IncidentState[]>> = {
  reported: ['verifying'],
  verifying: ['confirmed', 'false_alarm'],
  confirmed: ['dispatched'],
  false_alarm: ['closed'],
  dispatched: ['on_scene'],
  on_scene: ['controlled'],
  controlled: ['extinguished'],
  extinguished: ['closed'],
  closed: [],
};

export function canTransition(from: IncidentState, to: IncidentState): boolean {
  return TRANSITIONS[from].includes(to);
}

export type Target = 'arrive' | 'control' | 'extinguish';

export const TARGETS: readonly { target: Target; state: IncidentState; minutes: number }[] = [
  { target: 'arrive', state: 'on_scene', minutes: 10 },
  { target: 'control', state: 'controlled', minutes: 20 },
  { target: 'extinguish', state: 'extinguished', minutes: 30 },
];

/** Order along the fire's path; a false alarm is off it. */
const PROGRESS: Partial<Record<IncidentState, number>> = {
  reported: 0,
  verifying: 1,
  confirmed: 2,
  dispatched: 3,
  on_scene: 4,
  controlled: 5,
  extinguished: 6,
  closed: 7,
};

/** True once the incident has reached (or passed) the state the target asks for. */
export function targetMet(state: IncidentState, target: Target): boolean {
  const want = TARGETS.find((t) => t.target === target)?.state as IncidentState;
  const at = PROGRESS[state];
  return at !== undefined && at >= (PROGRESS[want] as number);
}

/** A false alarm (or one closed as such) runs no clock. */
export function clockStopped(state: IncidentState, wasFalseAlarm: boolean): boolean {
  return state === 'false_alarm' || (state === 'closed' && wasFalseAlarm);
}

export function deadlines(firstReportedAt: Date): Record<Target, Date> {
  const at = (m: number) => new Date(firstReportedAt.getTime() + m * 60_000);
  return { arrive: at(10), control: at(20), extinguish: at(30) };
}

/** Targets past their deadline at `now`, not met, and not already recorded as breached. */
export function dueBreaches(
  incident: { state: IncidentState; firstReportedAt: Date; falseAlarm: boolean },
  now: Date,
  alreadyBreached: ReadonlySet<Target>,
): Target[] {
  if (clockStopped(incident.state, incident.falseAlarm)) return [];
  const d = deadlines(incident.firstReportedAt);
  return TARGETS.filter(
    (t) =>
      !alreadyBreached.has(t.target) &&
      !targetMet(incident.state, t.target) &&
      now.getTime() >= d[t.target].getTime(),
  ).map((t) => t.target);
}

/** The next deadline still to watch, or null when none can be breached any more. */
export function nextDeadline(
  incident: { state: IncidentState; firstReportedAt: Date; falseAlarm: boolean },
  alreadyBreached: ReadonlySet<Target>,
): Date | null {
  if (clockStopped(incident.state, incident.falseAlarm)) return null;
  const d = deadlines(incident.firstReportedAt);
  const open = TARGETS.filter(
    (t) => !alreadyBreached.has(t.target) && !targetMet(incident.state, t.target),
  );
  if (open.length === 0) return null;
  return new Date(Math.min(...open.map((t) => d[t.target].getTime())));
}

/**
 * The order incident lists take (server and command page alike): fires being fought first,
 * then unverified reports, then the finished. A flood of unverified reports can lengthen a
 * list but never push a fire someone is acting on off its first page.
 */
export const LIST_ORDER: readonly IncidentState[] = [
  'dispatched',
  'on_scene',
  'confirmed',
  'controlled',
  'verifying',
  'reported',
  'extinguished',
  'false_alarm',
  'closed',
];

/**
 * States an incident reaches only through its crews: `dispatched` when a commander sends one,
 * `on_scene` when one arrives (its phone within the arrival radius, or its status). Moving
 * there by hand would show a fire as fought with no crew ever sent.
 */
export const REACHED_BY_CREWS: ReadonlySet<IncidentState> = new Set(['dispatched', 'on_scene']);

/** States in which crews may be sent (调派): a confirmed fire, until it is out. */
export const DISPATCH_STATES: ReadonlySet<IncidentState> = new Set([
  'confirmed',
  'dispatched',
  'on_scene',
  'controlled',
]);

/**
 * 确认并调派 (confirm and dispatch, one action): the states an unverified report passes on the
 * way to confirmed — reported → verifying → confirmed — so the log keeps every step; [] when
 * crews may already be sent; null when the fire cannot take crews at all (a false alarm, out,
 * closed).
 */
export function stepsToDispatch(state: IncidentState): IncidentState[] | null {
  if (DISPATCH_STATES.has(state)) return [];
  if (state === 'reported') return ['verifying', 'confirmed'];
  if (state === 'verifying') return ['confirmed'];
  return null;
}

/** What a crew does that may move its fire on: sent to it (调派), or arrived at it. */
export type CrewCause = 'dispatch' | 'arrival';

const CREW_CAUSES: Readonly<Record<CrewCause, IncidentState>> = {
  dispatch: 'dispatched',
  arrival: 'on_scene',
};

/**
 * The state a crew's dispatch or arrival moves the incident to, or null when it stays where it
 * is: only a move the lifecycle allows. The first crew sent moves a confirmed fire to
 * dispatched; the first on scene moves a dispatched fire to on_scene (the 10-minute target).
 * A later crew, or one arriving at a fire already controlled, moves nothing.
 */
export function crewTransition(state: IncidentState, cause: CrewCause): IncidentState | null {
  const to = CREW_CAUSES[cause];
  return canTransition(state, to) ? to : null;
}
