/**
 * Who may do what, where (design.md: Users, roles, scope; OWASP ASVS 8.2.1–8.2.3): the
 * function (role), the object (inside the user's area), the field (phones). A commander
 * acts inside his own area unless the incident was escalated to a level that includes him.
 */
import {
  type IncidentEvent,
  isPublicEventField,
  type LiveScope,
  type PublicEventField,
  type PublicIncidentEvent,
} from './live-events.ts';
import type { UserRole } from './vocabulary.ts';

export interface Actor {
  id: string;
  username: string;
  displayName: string;
  role: UserRole;
  warZoneId: number | null;
  townshipCode: string | null;
  villageCode: string | null;
  gridCode: string | null;
  crewId: string | null;
}

/** Where a thing is: its township and war zone (crews, incidents). */
/**
 * The actor recorded for a report made without sign-in. Usernames are `[a-z0-9_.-]`, so no
 * account can ever be mistaken for it, and no caller can choose a name that looks like one.
 */
export const ANONYMOUS_ACTOR = '(anonymous)';

export interface Place {
  townshipCode: string | null;
  warZoneId: number | null;
}

export const COMMAND_ROLES: ReadonlySet<UserRole> = new Set([
  'county_command',
  'war_zone_commander',
  'township_commander',
]);

/** Roles that may move an incident along its states. */
export const INCIDENT_ROLES: ReadonlySet<UserRole> = new Set([
  'county_command',
  'war_zone_commander',
  'township_commander',
  'village_head',
  'lookout_operator',
]);

/** Is `place` inside the actor's command area? */
export function commands(actor: Actor, place: Place): boolean {
  switch (actor.role) {
    case 'county_command':
      return true;
    case 'war_zone_commander':
      return actor.warZoneId !== null && place.warZoneId === actor.warZoneId;
    case 'township_commander':
      return actor.townshipCode !== null && place.townshipCode === actor.townshipCode;
    default:
      return false;
  }
}

/**
 * May the actor dispatch this crew to this incident? A township commander dispatches his
 * township's crews to fires in his township; once the incident is escalated to the war zone
 * (战区联动) or the county, every township crew of the war zone and the county units become
 * dispatchable by that level's commanders.
 */
export function mayDispatch(
  actor: Actor,
  crew: Place & { level: string },
  incident: Place & { escalationLevel: 'village' | 'township' | 'county' },
): boolean {
  if (!COMMAND_ROLES.has(actor.role)) return false;
  if (actor.role === 'county_command') return true;
  if (!commands(actor, incident)) return false;
  if (crew.level === 'county') return incident.escalationLevel === 'county';
  if (actor.role === 'war_zone_commander') return crew.warZoneId === actor.warZoneId;
  // Township commander: his own crews; the war zone's when escalated beyond the township.
  if (crew.townshipCode === actor.townshipCode) return true;
  return incident.escalationLevel === 'county' && crew.warZoneId === incident.warZoneId;
}

/** May the actor change this incident's state? */
export function mayMoveIncident(actor: Actor, incident: Place): boolean {
  if (!INCIDENT_ROLES.has(actor.role)) return false;
  if (actor.role === 'village_head' || actor.role === 'lookout_operator') {
    // Verifying and first confirmation happen where the smoke is: his own township.
    return actor.townshipCode !== null && actor.townshipCode === incident.townshipCode;
  }
  return commands(actor, incident);
}

/**
 * 督战体系 (issue 14): the monthly flags, inspections, drills and assessments are read by the
 * county command centre and the supervision office; the assessment office (supervisor role)
 * annotates the flags.
 */
export const SUPERVISION_READERS: ReadonlySet<UserRole> = new Set(['county_command', 'supervisor']);

/**
 * What of the supervision figures (flags, their history and notes, assessments, training) a
 * reader sees (issue 14 item 7): the county command centre and the supervision office all of
 * it; township and war-zone commanders the rows of their own area; anyone else nothing (null).
 */
export function supervisionScope(actor: Actor): 'all' | ((place: Place) => boolean) | null {
  if (SUPERVISION_READERS.has(actor.role)) return 'all';
  if (actor.role === 'township_commander' || actor.role === 'war_zone_commander')
    return (place) => commands(actor, place);
  return null;
}

export function mayAnnotateFlags(actor: Actor): boolean {
  return actor.role === 'supervisor';
}

/**
 * Inspections and the 321 rhythm: the county command centre and the supervision office
 * everywhere, commanders in their own area (`place` null: may he read any of it at all?).
 */
export function mayReadInspections(actor: Actor, place: Place | null): boolean {
  if (SUPERVISION_READERS.has(actor.role)) return true;
  if (!COMMAND_ROLES.has(actor.role)) return false;
  return place === null || commands(actor, place);
}

/**
 * A village's combat map 作战图 (its roster with phones as the reader may see them): the
 * county-wide readers, commanders of its area and the village's own head.
 */
export function mayReadCombatMap(actor: Actor, village: Place & { villageCode: string }): boolean {
  if (COUNTY_READERS.has(actor.role)) return true;
  if (actor.role === 'village_head') return actor.villageCode === village.villageCode;
  return COMMAND_ROLES.has(actor.role) && commands(actor, village);
}

/**
 * Drills and training records: the county command centre anywhere (and the supervision
 * office for training), a township commander for his own township.
 */
export function mayOrganiseDrill(actor: Actor, townshipCode: string | null): boolean {
  if (actor.role === 'county_command') return true;
  return (
    actor.role === 'township_commander' &&
    townshipCode !== null &&
    actor.townshipCode === townshipCode
  );
}

/**
 * A drill's report: a township's drill for the readers of inspections there (the county's
 * readers and its commanders), a county drill (`place` null) for the county's readers only.
 */
export function mayReadDrill(actor: Actor, place: Place | null): boolean {
  return place === null ? SUPERVISION_READERS.has(actor.role) : mayReadInspections(actor, place);
}

/**
 * Marking an incident as a drill takes it out of the flags, assessments and the wall's counts,
 * so it is never for the township whose flag it would change: only the county command centre
 * and the supervision office mark (a township commander's drill fires are opened as drills by
 * POST /api/drills/{id}/start). Which incidents may be marked: domain/drills.ts, asked by
 * services/drill-service.ts.
 */
export function mayMarkDrillIncident(actor: Actor): boolean {
  return actor.role === 'county_command' || actor.role === 'supervisor';
}

export function mayRecordTraining(actor: Actor, townshipCode: string | null): boolean {
  return actor.role === 'supervisor' || mayOrganiseDrill(actor, townshipCode);
}

/** Publicity records (household visits, pledges): the county, the office, the area's own. */
export function mayRecordPublicity(
  actor: Actor,
  village: Place & { villageCode: string },
): boolean {
  if (actor.role === 'county_command' || actor.role === 'supervisor') return true;
  if (actor.role === 'village_head') return actor.villageCode === village.villageCode;
  return actor.role === 'township_commander' && commands(actor, village);
}

/** Publicity coverage: readers of inspections in their area, and a village head his village. */
export function mayReadPublicity(
  actor: Actor,
  village: (Place & { villageCode: string }) | null,
): boolean {
  if (actor.role === 'village_head')
    return village === null || actor.villageCode === village.villageCode;
  return mayReadInspections(actor, village);
}

/** Inspections are recorded by the command HQ's staff and the supervision office. */
export function mayRecordInspection(actor: Actor): boolean {
  return SUPERVISION_READERS.has(actor.role);
}

/** A finding is reported put right by the township's commanders, or by those who record. */
export function mayRectify(actor: Actor, place: Place): boolean {
  return mayRecordInspection(actor) || (COMMAND_ROLES.has(actor.role) && commands(actor, place));
}

/**
 * Which of the supervision work page's forms (client/src/supervision/) the actor may use
 * somewhere: each is the rule its API asks, at the widest place the actor could name.
 */
export function supervisionForms(actor: Actor): {
  period: boolean;
  inspection: boolean;
  rectify: boolean;
  drill: boolean;
  training: boolean;
  publicity: boolean;
  annotate: boolean;
} {
  const own: Place = { townshipCode: actor.townshipCode, warZoneId: actor.warZoneId };
  return {
    period: actor.role === 'county_command',
    inspection: mayRecordInspection(actor),
    rectify: mayRectify(actor, own),
    drill: mayOrganiseDrill(actor, actor.townshipCode),
    training: mayRecordTraining(actor, actor.townshipCode),
    publicity:
      actor.role === 'village_head'
        ? actor.villageCode !== null
        : mayRecordPublicity(actor, { ...own, villageCode: actor.villageCode ?? '' }),
    annotate: mayAnnotateFlags(actor),
  };
}

/** May the actor use the supervision work page at all (one of its forms)? */
export function mayWriteSupervision(actor: Actor): boolean {
  return Object.values(supervisionForms(actor)).some(Boolean);
}

/**
 * What a lookout operator or village head may do to a fire (the article: 见烟就查, report and
 * verify): verify it, confirm it or dismiss it as a false alarm. Fighting it — control,
 * extinguish, close — is the commanders'.
 */
const VERIFY_STATES: ReadonlySet<string> = new Set(['verifying', 'confirmed', 'false_alarm']);

/** May the actor move this incident to `to`? */
export function mayMoveIncidentTo(actor: Actor, incident: Place, to: string): boolean {
  if (!mayMoveIncident(actor, incident)) return false;
  if (actor.role === 'village_head' || actor.role === 'lookout_operator')
    return VERIFY_STATES.has(to);
  return true;
}

/**
 * May this actor issue a warning (预警) for these townships? The county command centre for any
 * of them, a township commander for his own township alone.
 */
export function mayWarn(actor: Actor, townshipCodes: readonly string[]): boolean {
  if (actor.role === 'county_command') return true;
  if (actor.role === 'township_commander')
    return actor.townshipCode !== null && townshipCodes.every((c) => c === actor.townshipCode);
  return false;
}

/** Reads of the audit trail: the county command centre and the supervision office. */
export function mayReadAudit(actor: Actor): boolean {
  return actor.role === 'county_command' || actor.role === 'supervisor';
}

const LEVELS = ['village', 'township', 'county'] as const;
export type CommandLevel = (typeof LEVELS)[number];

/**
 * May the actor raise this incident to `to`? The village head hands it to the township, the
 * township commander to the county (war-zone linkage); war-zone and county commanders may
 * raise anything in their area. Only upwards.
 */
export function mayEscalate(
  actor: Actor,
  incident: Place & { escalationLevel: CommandLevel },
  to: CommandLevel,
): boolean {
  if (LEVELS.indexOf(to) <= LEVELS.indexOf(incident.escalationLevel)) return false;
  switch (actor.role) {
    case 'county_command':
      return true;
    case 'war_zone_commander':
      return commands(actor, incident);
    case 'township_commander':
      return commands(actor, incident);
    case 'village_head':
      return (
        to === 'township' &&
        actor.townshipCode !== null &&
        actor.townshipCode === incident.townshipCode
      );
    default:
      return false;
  }
}

/**
 * Field-level: roster phone numbers are shown to commanders of the area the grid lies in
 * (the county command centre everywhere, a village head in his own village); everyone else
 * sees them masked.
 */
export function maySeeRosterPhones(
  actor: Actor | null,
  grid: Place & { villageCode: string | null },
): boolean {
  if (!actor) return false;
  if (actor.role === 'village_head')
    return actor.villageCode !== null && actor.villageCode === grid.villageCode;
  return COMMAND_ROLES.has(actor.role) && commands(actor, grid);
}

/**
 * Reads. What the map shows everyone — the county's geography, its crews' bases, reach, and
 * the incident list as a public fire notice (place, state, 10/20/30 clock) — needs no
 * sign-in, so a villager's phone or a wall screen can follow a fire. Who reported, notes,
 * photos, the timeline with its actors, dispatches, orders and crews' live positions are
 * operational detail, read only inside the reader's area (mayReadIncident, mayReadCrewsLive).
 */
export const COUNTY_READERS: ReadonlySet<UserRole> = new Set([
  'county_command',
  'supervisor',
  'viewer',
]);

/** Who is linked to an incident besides its place: reporters and the crews sent to it. */
export interface IncidentLinks {
  reporterUserIds: readonly string[];
  crewIds: readonly string[];
}

/**
 * May the actor read an incident's detail? County-wide readers everywhere; a commander in
 * his area, and every commander of the war zone once it is raised to county level (战区联动);
 * a village head or lookout in his township; a ranger in his grid and for his own reports;
 * a crew for the incidents it was sent to.
 */
export function mayReadIncident(
  actor: Actor | null,
  incident: Place & { gridCode: string | null; escalationLevel: CommandLevel },
  links: IncidentLinks,
): boolean {
  if (!actor) return false;
  if (COUNTY_READERS.has(actor.role)) return true;
  if (links.reporterUserIds.includes(actor.id)) return true;
  if (actor.crewId !== null && links.crewIds.includes(actor.crewId)) return true;
  switch (actor.role) {
    case 'war_zone_commander':
    case 'township_commander':
      return (
        commands(actor, incident) ||
        (incident.escalationLevel === 'county' &&
          actor.warZoneId !== null &&
          actor.warZoneId === incident.warZoneId)
      );
    case 'village_head':
    case 'lookout_operator':
      return actor.townshipCode !== null && actor.townshipCode === incident.townshipCode;
    case 'ranger':
      return (
        actor.crewId === null && actor.gridCode !== null && actor.gridCode === incident.gridCode
      );
    default:
      return false;
  }
}

/**
 * The incidents a reader's list covers (GET /api/incidents, the wall's counts): a live scope;
 * a ranger's grid and own reports; a township commander's township and every fire of his war
 * zone raised to county level (战区联动).
 */
export type ReadScope =
  | LiveScope
  | { kind: 'reporter'; userId: string; gridCode: string | null }
  | { kind: 'township_command'; code: string; warZoneId: number | null };

/**
 * The area a signed-in user reads incidents in: a commander his war zone or township (and the
 * fires of his war zone raised to county level), a ranger his grid and his own reports, anyone
 * else with a township that township. County-wide roles (and the public list) see the county.
 */
function ownReadScope(actor: Actor | null): ReadScope | null {
  if (!actor || COUNTY_READERS.has(actor.role)) return null;
  if (actor.role === 'war_zone_commander' && actor.warZoneId !== null)
    return { kind: 'war_zone', id: actor.warZoneId };
  if (actor.role === 'ranger' && !actor.crewId)
    return { kind: 'reporter', userId: actor.id, gridCode: actor.gridCode };
  if (actor.role === 'township_commander' && actor.townshipCode)
    return { kind: 'township_command', code: actor.townshipCode, warZoneId: actor.warZoneId };
  if (actor.townshipCode) return { kind: 'township', code: actor.townshipCode };
  return null;
}

/**
 * The incidents a reader's list (and the wall's counts) cover: his own area, else the war
 * zone or township asked for, else the county.
 */
export function incidentReadScope(
  actor: Actor | null,
  asked: { warZoneId?: number; townshipCode?: string },
): ReadScope {
  return (
    ownReadScope(actor) ??
    (asked.townshipCode
      ? { kind: 'township', code: asked.townshipCode }
      : asked.warZoneId
        ? { kind: 'war_zone', id: asked.warZoneId }
        : { kind: 'county' })
  );
}

/** Crews' live positions and tracks: the commanders and the county-wide readers. */
export function mayReadCrewsLive(actor: Actor): boolean {
  return COMMAND_ROLES.has(actor.role) || COUNTY_READERS.has(actor.role);
}

/**
 * The cameras' false-alarm rates per week: those who follow crews, and the lookout operators
 * who answer the cameras' alarms.
 */
export function mayReadCameraStatistics(actor: Actor): boolean {
  return mayReadCrewsLive(actor) || actor.role === 'lookout_operator';
}

/**
 * The live channel (Socket.IO) asks the same policy as HTTP. What a connection may hear:
 * whole events (actors, notes, orders) or their public view, and which scope — the one it
 * asked for, narrowed to the reader's own area. The facts the answer needs are looked up by
 * the caller's functions, only when the answer depends on them.
 */
export interface LiveScopeLookups {
  /** Incidents a crew was sent to (its phone hears only those). */
  linkedIncidents(crewId: string): Promise<string[]>;
  /** Where an incident is; null when there is none. */
  incidentPlace(id: string): Promise<Place | null>;
  /** The townships of a war zone. */
  townshipsOf(warZoneId: number): Promise<string[]>;
}

/** A scope that matches no incident: the connection hears nothing of others' fires. */
export const NO_INCIDENT_SCOPE: LiveScope = {
  kind: 'incident',
  id: '00000000-0000-0000-0000-000000000000',
};

/** Does this reader hear whole events (actors, notes, orders), not only their public view? */
export function hearsWholeEvents(actor: Actor | null): boolean {
  return actor !== null && (mayReadCrewsLive(actor) || actor.crewId !== null);
}

/**
 * The scope a live connection gets. Without sign-in, and for the county-wide readers, what it
 * asked (public connections hear public views only: hearsWholeEvents). A crew's phone: the
 * incident it asked for when the crew was sent there, else nothing. A commander, village head
 * or lookout: his own war zone or township, or inside it the township or incident asked for.
 * Anyone else signed in without an area: nothing.
 */
export async function liveScopeFor(
  actor: Actor | null,
  asked: LiveScope,
  lookups: LiveScopeLookups,
): Promise<LiveScope> {
  if (!actor || COUNTY_READERS.has(actor.role)) return asked;
  if (actor.crewId) {
    const linked = await lookups.linkedIncidents(actor.crewId);
    return asked.kind === 'incident' && linked.includes(asked.id) ? asked : NO_INCIDENT_SCOPE;
  }
  const own: LiveScope | null =
    actor.role === 'war_zone_commander' && actor.warZoneId !== null
      ? { kind: 'war_zone', id: actor.warZoneId }
      : actor.townshipCode
        ? { kind: 'township', code: actor.townshipCode }
        : null;
  if (!own) return NO_INCIDENT_SCOPE;
  if (asked.kind === 'incident') {
    const place = await lookups.incidentPlace(asked.id);
    const inside =
      place !== null &&
      (own.kind === 'war_zone'
        ? place.warZoneId === own.id
        : own.kind === 'township' && place.townshipCode === own.code);
    return inside ? asked : own;
  }
  if (asked.kind === 'township' && own.kind === 'war_zone')
    return (await lookups.townshipsOf(own.id)).includes(asked.code) ? asked : own;
  return own;
}

/** What a public room hears of an event: its place, state and clock; no actor, notes or orders. */
export function publicEventView(e: IncidentEvent): PublicIncidentEvent {
  const payload: Partial<Record<PublicEventField, unknown>> = {};
  for (const [k, v] of Object.entries(e.payload)) if (isPublicEventField(k)) payload[k] = v;
  // The fields kept are those of PublicIncidentEvent's payload for this type, by construction.
  return { ...e, actor: '', payload, public: true } as PublicIncidentEvent;
}
