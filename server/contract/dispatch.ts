/**
 * Dispatch (调派) on the wire: crews at their last fix, the crews a commander may send, an
 * incident's dispatches, a crew phone's assignment and GPS track, and what the writes answer.
 */
import { type Static, Type } from 'typebox';
import type { CrewLive as DomainCrewLive } from '../domain/live-events.ts';
import { DISPATCH_STATUSES, ESCALATION_LEVELS } from '../domain/vocabulary.ts';
import { LonLat } from './incidents.ts';
import { DateTime, Nullable, OneOf, type Same } from './wire.ts';

const DispatchStatus = OneOf(DISPATCH_STATUSES);

/** A crew at its last GPS fix (or its base when it has sent none). */
export const CrewLive = Type.Object({
  id: Type.String(),
  name: Type.String(),
  level: Type.String(),
  status: Type.String(),
  townshipCode: Nullable(Type.String()),
  location: LonLat,
  fixAt: Nullable(DateTime),
});
export type CrewLive = Static<typeof CrewLive>;
const sameCrewLive: Same<CrewLive, DomainCrewLive> = true;
void sameCrewLive;

export const CrewsLive = Type.Object({ crews: Type.Array(CrewLive), serverTime: DateTime });
export type CrewsLive = Static<typeof CrewsLive>;

export const Dispatched = Type.Object({ dispatchIds: Type.Array(Type.String({ format: 'uuid' })) });

export const DispatchableCrew = Type.Object({
  id: Type.String(),
  name: Type.String(),
  level: Type.String(),
  townshipCode: Nullable(Type.String()),
  status: Type.String(),
  busyIncidentId: Nullable(Type.String({ description: 'the incident the crew serves now' })),
});
export type DispatchableCrew = Static<typeof DispatchableCrew>;

export const Dispatchable = Type.Object({
  escalationLevel: OneOf(ESCALATION_LEVELS),
  crews: Type.Array(DispatchableCrew),
});
export type Dispatchable = Static<typeof Dispatchable>;

export const StatusSet = Type.Object({
  events: Type.Array(Type.Integer(), { description: 'the seq of each event appended' }),
});

export const PositionTaken = Type.Object({
  arrived: Type.Boolean({ description: 'this fix recorded the arrival' }),
});
export type PositionTaken = Static<typeof PositionTaken>;

/** A crew phone's current assignment. */
export const CrewAssignment = Type.Object({
  dispatchId: Type.String({ format: 'uuid' }),
  status: DispatchStatus,
  orderedAt: DateTime,
  etaSeconds: Nullable(Type.Number()),
  incident: Type.Object({
    id: Type.String({ format: 'uuid' }),
    state: Type.String(),
    location: LonLat,
    place: Type.String(),
    drill: Type.Boolean(),
  }),
});
export type CrewAssignment = Static<typeof CrewAssignment>;
export const CrewDispatch = Type.Object({ dispatch: Nullable(CrewAssignment) });
export type CrewDispatch = Static<typeof CrewDispatch>;

export const IncidentDispatch = Type.Object({
  dispatchId: Type.String({ format: 'uuid' }),
  crewId: Type.String(),
  crewName: Type.String(),
  status: DispatchStatus,
  orderedAt: DateTime,
  arrivedAt: Nullable(DateTime),
  etaSeconds: Nullable(Type.Number()),
});
export type IncidentDispatch = Static<typeof IncidentDispatch>;
export const IncidentDispatches = Type.Object({ dispatches: Type.Array(IncidentDispatch) });
export type IncidentDispatches = Static<typeof IncidentDispatches>;

export const TrackPoint = Type.Object({
  at: DateTime,
  lon: Type.Number(),
  lat: Type.Number(),
  accuracyM: Nullable(Type.Number()),
});
export type TrackPoint = Static<typeof TrackPoint>;
export const CrewTrack = Type.Object({ track: Type.Array(TrackPoint) });
export type CrewTrack = Static<typeof CrewTrack>;
