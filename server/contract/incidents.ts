/**
 * Incidents on the wire: the summary every list, map and live event carries, an incident's
 * detail with its reports and timeline (or, to a reader outside its area, the summary only),
 * the list page, a report's answer and the events a write answers with. One TypeBox schema is
 * each answer's serialisation, its OpenAPI description and the type the pages read.
 */
import { type Static, Type } from 'typebox';
import {
  type IncidentSummary as DomainSummary,
  INCIDENT_EVENT_TYPES,
} from '../domain/live-events.ts';
import { ESCALATION_LEVELS, INCIDENT_STATES, REPORT_SOURCES } from '../domain/vocabulary.ts';
import { PhotoOutcome } from './reports.ts';
import { DateTime, Nullable, OneOf, OpenObject, type Same } from './wire.ts';

export const LonLat = Type.Tuple([Type.Number(), Type.Number()], { description: '[lon, lat]' });
const TARGETS = ['arrive', 'control', 'extinguish'] as const;

export const IncidentSummary = Type.Object({
  id: Type.String({ format: 'uuid' }),
  state: OneOf(INCIDENT_STATES),
  firstReportedAt: DateTime,
  location: LonLat,
  gridCode: Nullable(Type.String()),
  villageName: Nullable(Type.String()),
  townshipCode: Nullable(Type.String()),
  townshipName: Nullable(Type.String()),
  warZoneId: Nullable(Type.Integer()),
  warZoneName: Nullable(Type.String()),
  reportCount: Type.Integer({ minimum: 0 }),
  anonymousOnly: Type.Boolean(),
  sources: Type.Array(OneOf(REPORT_SOURCES)),
  confidence: OneOf(['to_verify', 'probable', 'likely'] as const),
  deadlines: Type.Object({ arrive: DateTime, control: DateTime, extinguish: DateTime }),
  breached: Type.Array(OneOf(TARGETS)),
  burnedAreaHa: Nullable(Type.Number()),
  cause: Nullable(Type.String()),
  escalationLevel: OneOf(ESCALATION_LEVELS),
  updatedAt: DateTime,
  crewsSent: Type.Integer({ minimum: 0 }),
  lastActionAt: DateTime,
  drill: Type.Boolean(),
});
export type IncidentSummary = Static<typeof IncidentSummary>;
/** The schema and the domain's summary say the same thing (a compile error otherwise). */
const sameSummary: Same<IncidentSummary, DomainSummary> = true;
void sameSummary;

/** One entry of an incident's log; its payload's fields depend on its type (domain/live-events.ts). */
export const TimelineEvent = Type.Object({
  seq: Type.Integer(),
  type: OneOf(INCIDENT_EVENT_TYPES),
  at: DateTime,
  actor: Type.String(),
  payload: OpenObject("the event type's payload (IncidentEventPayloads)"),
});

/** An event with the incident as it stands after it: what a write answers. */
export const IncidentEvent = Type.Object({
  ...TimelineEvent.properties,
  incidentId: Type.String({ format: 'uuid' }),
  incident: IncidentSummary,
});

export const IncidentReport = Type.Object({
  id: Type.Integer(),
  clientUuid: Type.String(),
  source: Type.String(),
  observedAt: DateTime,
  receivedAt: DateTime,
  location: LonLat,
  accuracyM: Nullable(Type.Number()),
  bearingDeg: Nullable(Type.Number()),
  observer: Nullable(LonLat),
  note: Nullable(Type.String()),
  reporterName: Nullable(Type.String()),
  reporterUserId: Nullable(Type.String()),
  gridCode: Nullable(Type.String()),
  photos: Type.Array(
    Type.Object({ id: Type.Integer(), mimeType: Type.String(), sizeBytes: Type.Integer() }),
  ),
});
export type IncidentReport = Static<typeof IncidentReport>;

/** An incident whole, for a reader inside its area. */
export const IncidentDetail = Type.Object({
  ...IncidentSummary.properties,
  restricted: Type.Literal(false),
  drillId: Nullable(Type.String({ description: 'the drill it belongs to' })),
  reports: Type.Array(IncidentReport),
  timeline: Type.Array(TimelineEvent),
});
export type IncidentDetail = Static<typeof IncidentDetail>;

/** What everyone else may see of it: the summary, marked as such. */
export const IncidentPublicView = Type.Object({
  ...IncidentSummary.properties,
  restricted: Type.Literal(true),
});

export const IncidentAnswer = Type.Union([IncidentDetail, IncidentPublicView]);
export type IncidentAnswer = Static<typeof IncidentAnswer>;

export const IncidentPage = Type.Object({
  incidents: Type.Array(IncidentSummary),
  total: Type.Integer({ minimum: 0, description: 'all incidents the query matches' }),
  limit: Type.Integer(),
  offset: Type.Integer(),
  floodThreshold: Type.Integer({
    description: 'unverified anonymous incidents the map folds into one flood line',
  }),
  lastSeq: Type.Integer(),
  serverTime: DateTime,
});
export type IncidentPage = Static<typeof IncidentPage>;

export const ReportAnswer = Type.Object({
  created: Type.Boolean(),
  reportId: Type.Integer(),
  incidentId: Type.String({ format: 'uuid' }),
  incident: IncidentSummary,
  photos: Type.Array(PhotoOutcome),
});
export type ReportAnswer = Static<typeof ReportAnswer>;
