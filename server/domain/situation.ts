/**
 * The situation at a glance (issue 19, item 3): what the county wall's status bar counts —
 * fires by state, the 10/20/30 targets missed, fires by command level, and fires nobody has
 * acted on for an hour (陈旧). Pure, so the server's GET /api/situation and the page's live bar
 * count the same incidents the same way.
 */
import { TARGETS, type Target, targetMet } from './incident-lifecycle.ts';
import type { IncidentEventType } from './live-events.ts';
import type { IncidentState } from './vocabulary.ts';

/** A fire untouched this long is marked stale on the list and counted on the wall. */
export const STALE_AFTER_MS = 60 * 60_000;

/**
 * Events that are not an action on the fire: its reports (the first starts the count, from
 * when it was seen), the system's clock and suggestions. Everything else — a state change, a
 * dispatch, a crew's status, an escalation, a command post, an order or its receipt — is
 * someone acting on it. An alarm acknowledged above is not.
 */
export const NOT_ACTIONS: readonly IncidentEventType[] = [
  'reported',
  'target_breached',
  'escalation_suggested',
  'report_added',
  // Acknowledging an alarm says someone above has seen it, not that anyone acted on the fire.
  'alert_acknowledged',
  // Marking it as a drill's says what it is, not that anyone acted on it.
  'drill_marked',
];

/** States of a fire still burning or not yet ruled out: the ones a wall counts as open. */
export const OPEN_STATES: readonly IncidentState[] = [
  'reported',
  'verifying',
  'confirmed',
  'dispatched',
  'on_scene',
  'controlled',
  'extinguished',
];

/** States in which an hour without action means the fire has been left alone (not yet out). */
const WATCHED_STATES: ReadonlySet<IncidentState> = new Set(
  OPEN_STATES.filter((s) => s !== 'extinguished'),
);

export type CommandLevel = 'village' | 'township' | 'county';

/** What the counts need of an incident (a subset of IncidentSummary). */
export interface SituationIncident {
  state: IncidentState;
  /** Deadline of each target (ISO 8601). */
  deadlines: Record<Target, string>;
  /** Targets the breach clock has recorded as missed. */
  breached: readonly Target[];
  escalationLevel: CommandLevel;
  /** The last action on the fire (ISO 8601); its first report when none since. */
  lastActionAt: string;
  /** A drill 演练 (issue 14): listed and labelled, never counted. */
  drill?: boolean;
}

export interface SituationCounts {
  /** Fires open: not closed, not a false alarm. */
  open: number;
  byState: Record<IncidentState, number>;
  /** Open fires that missed each target (recorded, or past its deadline and not met). */
  breaches: Record<Target, number>;
  byLevel: Record<CommandLevel, number>;
  /** Open fires with no action for STALE_AFTER_MS. */
  stale: number;
}

/** True when the fire is being fought or awaits a decision and nobody acted for an hour. */
export function isStale(i: Pick<SituationIncident, 'state' | 'lastActionAt'>, nowMs: number) {
  return WATCHED_STATES.has(i.state) && nowMs - Date.parse(i.lastActionAt) >= STALE_AFTER_MS;
}

/** The targets this fire has missed at `nowMs`: recorded, or due and not met. */
export function missedTargets(
  i: Pick<SituationIncident, 'state' | 'deadlines' | 'breached'>,
  nowMs: number,
): Target[] {
  if (i.state === 'false_alarm' || i.state === 'closed') return [];
  return TARGETS.map((t) => t.target).filter(
    (t) =>
      i.breached.includes(t) || (!targetMet(i.state, t) && nowMs >= Date.parse(i.deadlines[t])),
  );
}

/**
 * The wall's counts over the incidents in view at `nowMs`, drills left out (they never count,
 * issue 14). Does not modify its input.
 */
export function situationOf(
  incidents: Iterable<SituationIncident>,
  nowMs: number,
): SituationCounts {
  const byState = Object.fromEntries(
    [...OPEN_STATES, 'false_alarm', 'closed'].map((s) => [s, 0]),
  ) as Record<IncidentState, number>;
  const breaches: Record<Target, number> = { arrive: 0, control: 0, extinguish: 0 };
  const byLevel: Record<CommandLevel, number> = { village: 0, township: 0, county: 0 };
  let open = 0;
  let stale = 0;
  for (const i of incidents) {
    if (i.drill) continue;
    byState[i.state]++;
    if (!OPEN_STATES.includes(i.state)) continue;
    open++;
    byLevel[i.escalationLevel]++;
    for (const t of missedTargets(i, nowMs)) breaches[t]++;
    if (isStale(i, nowMs)) stale++;
  }
  return { open, byState, breaches, byLevel, stale };
}
