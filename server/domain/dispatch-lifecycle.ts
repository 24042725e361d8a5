/**
 * The life of a dispatch (调派): ordered → acknowledged (the crew's phone took the order) →
 * en_route → on_scene → released; an order not yet on scene may be cancelled, and a crew that
 * acknowledged may be on scene without ever reporting en route. A crew's own status follows
 * its dispatch. Pure: the dispatch service applies it, the repository stores it.
 */
import {
  ACTIVE_DISPATCH_STATUSES,
  type CREW_STATUSES,
  type DISPATCH_STATUSES,
} from './vocabulary.ts';

export type DispatchStatus = (typeof DISPATCH_STATUSES)[number];
export type CrewStatus = (typeof CREW_STATUSES)[number];

/** A crew's phone within this distance of its fire has arrived; of its base, is back. */
export const ARRIVAL_RADIUS_M = 150;

export const DISPATCH_TRANSITIONS: Readonly<Record<DispatchStatus, readonly DispatchStatus[]>> = {
  ordered: ['acknowledged', 'cancelled'],
  acknowledged: ['en_route', 'on_scene', 'cancelled'],
  en_route: ['on_scene', 'cancelled'],
  on_scene: ['released'],
  released: [],
  cancelled: [],
};

export function canMoveDispatch(from: DispatchStatus, to: DispatchStatus): boolean {
  return DISPATCH_TRANSITIONS[from].includes(to);
}

/** The crew's own status while its dispatch is in a status. */
export const CREW_STATUS_OF: Readonly<Record<DispatchStatus, CrewStatus>> = {
  ordered: 'dispatched',
  acknowledged: 'dispatched',
  en_route: 'en_route',
  on_scene: 'on_scene',
  released: 'returning',
  cancelled: 'standby',
};

/** A dispatch in one of these holds its crew: a crew serves one incident at a time. */
export function holdsCrew(status: DispatchStatus): boolean {
  return (ACTIVE_DISPATCH_STATUSES as readonly DispatchStatus[]).includes(status);
}

/**
 * The steps a crew's GPS fix moves its active dispatch through. Within the arrival radius of
 * its fire it has arrived (an order never acknowledged is acknowledged on the way); away from
 * it, a crew that acknowledged is on its way. Nothing otherwise.
 */
export function stepsOnFix(status: DispatchStatus, nearFire: boolean): DispatchStatus[] {
  if (nearFire) {
    if (status === 'ordered') return ['acknowledged', 'on_scene'];
    if (status === 'acknowledged' || status === 'en_route') return ['on_scene'];
    return [];
  }
  return status === 'acknowledged' ? ['en_route'] : [];
}

/** A returning crew whose fix is at its base is on standby again; null: its status stays. */
export function crewStatusOnFix(status: CrewStatus, nearBase: boolean): CrewStatus | null {
  return status === 'returning' && nearBase ? 'standby' : null;
}
