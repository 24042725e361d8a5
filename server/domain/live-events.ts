/**
 * The live channel shared by server and browser (the client imports it with `import type`):
 * Socket.IO event maps, the handshake, and what an incident event carries. Every event has
 * the database sequence of the append-only log, so a client that reconnects asks for
 * everything after the last one it saw and misses nothing, also across a server restart.
 */
import type { Confidence } from './cameras/confidence.ts';
import type { Target } from './incident-lifecycle.ts';
import type { IncidentState, ReportSource } from './vocabulary.ts';

export type IncidentEventType =
  | 'reported'
  | 'report_added'
  | 'state_changed'
  | 'target_breached'
  | 'crew_dispatched'
  | 'dispatch_updated'
  | 'escalated'
  | 'escalation_suggested'
  | 'command_post_set'
  | 'order_sent'
  | 'order_receipt'
  /** Someone at the level alarmed acknowledged an escalation or breach (domain/upward-alerts.ts). */
  | 'alert_acknowledged'
  /** Marked as a drill's (POST /api/drills/{id}/incidents): out of flags and statistics. */
  | 'drill_marked';

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

export interface IncidentEvent {
  seq: number;
  incidentId: string;
  type: IncidentEventType;
  at: string;
  actor: string;
  payload: Record<string, unknown>;
  /** The incident as it stands after this event. */
  incident: IncidentSummary;
}

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
  'incident:event': (event: IncidentEvent) => void;
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

export function roomOf(scope: LiveScope): string {
  switch (scope.kind) {
    case 'county':
      return 'county';
    case 'war_zone':
      return `war_zone:${scope.id}`;
    case 'township':
      return `township:${scope.code}`;
    case 'incident':
      return `incident:${scope.id}`;
  }
}

/** Every room an incident's events go to. */
export function roomsOf(incident: IncidentSummary): string[] {
  const rooms = ['county', `incident:${incident.id}`];
  if (incident.warZoneId !== null) rooms.push(`war_zone:${incident.warZoneId}`);
  if (incident.townshipCode !== null) rooms.push(`township:${incident.townshipCode}`);
  return rooms;
}
