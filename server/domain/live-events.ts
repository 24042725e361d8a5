/**
 * The live channel shared by server and browser (the client imports it with `import type`):
 * Socket.IO event maps, the handshake, and what an incident event carries. Every event has
 * the database sequence of the append-only log, so a client that reconnects asks for
 * everything after the last one it saw and misses nothing, also across a server restart.
 */
import type { Confidence } from './cameras/confidence.ts';
import type { Target } from './incident-lifecycle.ts';
import type {
  DISPATCH_STATUSES,
  ESCALATION_LEVELS,
  IncidentState,
  ReportSource,
  UserRole,
} from './vocabulary.ts';

type CommandLevel = (typeof ESCALATION_LEVELS)[number];
type RaisedLevel = Exclude<CommandLevel, 'village'>;
type DispatchStatus = (typeof DISPATCH_STATUSES)[number];

/** What a report of a fire says: the first one (`reported`) or one joined to it (`report_added`). */
export interface ReportPayload {
  reportId: number;
  clientUuid: string;
  source: ReportSource;
  /** [lon, lat] where the smoke was seen. */
  location: [number, number];
  accuracyM: number | null;
  /** How many photos came with it. */
  photos: number;
}

/**
 * The one map of incident event types to what each carries: the repositories append them
 * (`appendEvent` takes the payload of its type), the database rows are read back into them,
 * the Socket.IO gateway sends them and the pages read them. Fields added after events were
 * already stored are optional, since the log is append-only and keeps the older rows.
 */
export interface IncidentEventPayloads {
  reported: ReportPayload;
  report_added: ReportPayload;
  state_changed: {
    from: IncidentState;
    to: IncidentState;
    note: string | null;
    /** When the fire is put out (closing it): what burned and why. */
    burnedAreaHa?: number;
    cause?: string;
  };
  target_breached: {
    target: Target;
    /** When it was due (ISO). */
    deadline: string;
    state: IncidentState;
    /** The level this alarms, recorded when it happened (domain/upward-alerts.ts). */
    alertLevel?: RaisedLevel;
  };
  crew_dispatched: { dispatchId: string; crewId: string; etaSeconds: number | null };
  dispatch_updated: {
    dispatchId: string;
    crewId: string;
    from: DispatchStatus;
    to: DispatchStatus;
  };
  escalated: { from: CommandLevel; to: RaisedLevel; reason: string; role: UserRole };
  escalation_suggested: {
    to: 'county';
    reason: 'second_incident_in_war_zone' | 'control_breached';
    /** Open fires in the war zone counting this one (second_incident_in_war_zone). */
    openInWarZone?: number;
  };
  command_post_set: { commandPostId: string; name: string; location: [number, number] };
  order_sent: {
    orderId: string;
    text: string;
    /** Crew ids the order went to. */
    recipients: string[];
    fromCommandPost: string | null;
  };
  order_receipt: { orderId: string; crewId: string; receipt: 'delivered' | 'read' };
  /** Someone at the level alarmed acknowledged an escalation or breach (domain/upward-alerts.ts). */
  alert_acknowledged: {
    /** The acknowledged alert's own sequence. */
    seq: number;
    alertType: 'escalated' | 'target_breached';
    level: RaisedLevel;
    role: UserRole;
  };
  /** Marked as a drill's (POST /api/drills/{id}/incidents): out of flags and statistics. */
  drill_marked: { drillId: string; title: string };
}

export type IncidentEventType = keyof IncidentEventPayloads;

/** Every event type, for reading rows back (a row of another type is refused, not guessed). */
export const INCIDENT_EVENT_TYPES = [
  'reported',
  'report_added',
  'state_changed',
  'target_breached',
  'crew_dispatched',
  'dispatch_updated',
  'escalated',
  'escalation_suggested',
  'command_post_set',
  'order_sent',
  'order_receipt',
  'alert_acknowledged',
  'drill_marked',
] as const satisfies readonly IncidentEventType[];

/** Compile-time check that the list above names every type of the map. */
type Missing = Exclude<IncidentEventType, (typeof INCIDENT_EVENT_TYPES)[number]>;
const everyTypeListed: Missing extends never ? true : Missing = true;
void everyTypeListed;

export function isIncidentEventType(type: string): type is IncidentEventType {
  return (INCIDENT_EVENT_TYPES as readonly string[]).includes(type);
}

/** An event's type with its payload: what rules that read events take. */
export type EventShape = {
  [K in IncidentEventType]: { type: K; payload: IncidentEventPayloads[K] };
}[IncidentEventType];

/** One entry of an incident's log as its timeline shows it (no incident summary). */
export type TimelineEventOf<K extends IncidentEventType> = {
  seq: number;
  type: K;
  at: string;
  actor: string;
  payload: IncidentEventPayloads[K];
};
export type TimelineEvent = { [K in IncidentEventType]: TimelineEventOf<K> }[IncidentEventType];

export interface IncidentSummary {
  id: string;
  state: IncidentState;
  /** The clock starts here (ISO 8601, UTC). */
  firstReportedAt: string;
  location: [number, number];
  gridCode: string | null;
  villageName: string | null;
  townshipCode: string | null;
  townshipName: string | null;
  warZoneId: number | null;
  warZoneName: string | null;
  reportCount: number;
  /** No report of it came from a signed-in user or a registered camera (see domain/flood.ts). */
  anonymousOnly: boolean;
  /** The kinds of source that reported it (ranger, lookout, public, camera, satellite). */
  sources: ReportSource[];
  /** How much its reports together say there is a fire (domain/cameras/confidence.ts). */
  confidence: Confidence;
  deadlines: Record<Target, string>;
  breached: Target[];
  burnedAreaHa: number | null;
  cause: string | null;
  /** Command level: village → township → county (战区联动 at county level). */
  escalationLevel: 'village' | 'township' | 'county';
  /** Last change (ISO); the UI shows its age. */
  updatedAt: string;
  /** Crews sent to it (dispatches not cancelled). */
  crewsSent: number;
  /**
   * The last action on it (ISO): any event but its reports, the clock's breaches and the
   * system's suggestions (domain/situation.ts); its first report's time when nobody has acted.
   */
  lastActionAt: string;
  /**
   * A drill 演练 run through the real system (issue 14 item 3): labelled on every list, card,
   * map and phone, and never counted in flags or statistics.
   */
  drill: boolean;
}

/** The payload fields anyone may see of an event (a public room, the wall's feed). */
export const PUBLIC_EVENT_FIELDS = ['from', 'to', 'target'] as const;
export type PublicEventField = (typeof PUBLIC_EVENT_FIELDS)[number];

export function isPublicEventField(key: string): key is PublicEventField {
  return (PUBLIC_EVENT_FIELDS as readonly string[]).includes(key);
}

/** The public fields of a payload that are text: what the wall's feed shows of an event. */
export function publicTextOf(payload: unknown): Partial<Record<PublicEventField, string>> {
  const out: Partial<Record<PublicEventField, string>> = {};
  if (typeof payload !== 'object' || payload === null) return out;
  for (const [k, v] of Object.entries(payload))
    if (isPublicEventField(k) && typeof v === 'string') out[k] = v;
  return out;
}

export type IncidentEventOf<K extends IncidentEventType> = TimelineEventOf<K> & {
  incidentId: string;
  /** The incident as it stands after this event. */
  incident: IncidentSummary;
};
export type IncidentEvent = { [K in IncidentEventType]: IncidentEventOf<K> }[IncidentEventType];

/**
 * What a public room hears of an event (domain/access.ts publicEventView): no actor, and of
 * the payload only the public fields its type has.
 */
export type PublicIncidentEvent = {
  [K in IncidentEventType]: Omit<IncidentEventOf<K>, 'payload'> & {
    payload: Pick<
      IncidentEventPayloads[K],
      Extract<keyof IncidentEventPayloads[K], PublicEventField>
    >;
    public: true;
  };
}[IncidentEventType];

/** An event on the wire: whole for those who may read the incident, else its public view. */
export type LiveIncidentEvent = IncidentEvent | PublicIncidentEvent;

/** The type and payload of an event on the wire, whole or public. */
export type LiveEventShape =
  | EventShape
  | {
      [K in IncidentEventType]: {
        type: K;
        payload: Pick<
          IncidentEventPayloads[K],
          Extract<keyof IncidentEventPayloads[K], PublicEventField>
        >;
      };
    }[IncidentEventType];

/** Which events a client receives: the whole county, one war zone, one township or incident. */
export type LiveScope =
  | { kind: 'county' }
  | { kind: 'war_zone'; id: number }
  | { kind: 'township'; code: string }
  | { kind: 'incident'; id: string };

export interface LiveHandshake {
  /** Highest sequence the client has; 0 or absent for a first connection. */
  lastSeq?: number;
  scope?: LiveScope;
  /** A bearer token (field page); the web page's session cookie is read from the headers. */
  token?: string;
}

/** A crew as the map shows it live: status and last known position with its time. */
export interface CrewLive {
  id: string;
  name: string;
  level: string;
  status: string;
  townshipCode: string | null;
  location: [number, number];
  /** Time of the last GPS fix (ISO); null when the crew has sent none (shown at its base). */
  fixAt: string | null;
}

/** 321 rhythm (issue 14): an inspection kind has fallen overdue in a township. */
export interface InspectionOverdue {
  townshipCode: string;
  townshipName: string;
  warZoneId: number | null;
  kind: 'county_leader' | 'inspection_group' | 'command_hq';
  everyDays: number;
  lastAt: string | null;
  dueAt: string;
  periodTitle: string;
}

/** A warning (预警信息) as pages show it; pushed to the rooms of its area when issued. */
export interface WarningView {
  id: string;
  /** GB/T 35965.1 identifier (also the CAP identifier). */
  identifier: string;
  /** Signal colour: blue, yellow, orange, red (蓝/黄/橙/红色预警). */
  level: 'blue' | 'yellow' | 'orange' | 'red';
  title: string;
  body: string;
  measures: string | null;
  townshipCodes: string[];
  townshipNames: string[];
  /** The drawn area (GeoJSON MultiPolygon), null when named by townships. */
  area: { type: 'MultiPolygon'; coordinates: number[][][][] } | null;
  issuedAt: string;
  onsetAt: string;
  expiresAt: string;
  issuedBy: string;
}

export interface ServerToClientEvents {
  'incident:event': (event: LiveIncidentEvent) => void;
  /** New fire danger was computed for these dates (weather arrived). */
  'danger:updated': (info: { dates: string[] }) => void;
  'warning:issued': (warning: WarningView) => void;
  'crew:update': (crew: CrewLive) => void;
  /** To the county, the war zone and the township concerned (signed-in rooms only). */
  'supervision:overdue': (overdue: InspectionOverdue) => void;
  /**
   * Sent once the missed events have been replayed; live events follow. `truncated`: more
   * were missed than one connection is replayed (REPLAY_MAX_EVENTS) and only the latest
   * came, so the client reloads the incident list over HTTP.
   */
  'replay:done': (info: { lastSeq: number; replayed: number; truncated: boolean }) => void;
}

// biome-ignore lint/complexity/noBannedTypes: no client-to-server events yet
export type ClientToServerEvents = {};

/** The room of one incident: its own scope's, and where dispatched crews and linked commanders hear it. */
export function incidentRoom(incidentId: string): string {
  return `incident:${incidentId}`;
}

export function roomOf(scope: LiveScope): string {
  switch (scope.kind) {
    case 'county':
      return 'county';
    case 'war_zone':
      return `war_zone:${scope.id}`;
    case 'township':
      return `township:${scope.code}`;
    case 'incident':
      return incidentRoom(scope.id);
  }
}

/** Every room an incident's events go to. */
export function roomsOf(incident: IncidentSummary): string[] {
  const rooms = ['county', incidentRoom(incident.id)];
  if (incident.warZoneId !== null) rooms.push(`war_zone:${incident.warZoneId}`);
  if (incident.townshipCode !== null) rooms.push(`township:${incident.townshipCode}`);
  return rooms;
}
