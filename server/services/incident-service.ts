/**
 * The rules of reports and incidents: a report's intake (a resend is answered with its first
 * result, a nearby recent report joins its fire, a second fire in a war zone suggests
 * linkage), the moves of the lifecycle (domain/incident-lifecycle.ts) and who may make them,
 * escalation, and the targets the 10/20/30 clock records as missed. Each workflow is one unit
 * of work of the incident log: its rows (incidents-repository.ts) and the events that tell of
 * them commit together, and are published after.
 *
 * Every change of an incident's state goes through `changeState`, here: a person's move, the
 * steps of 确认并调派 and what a crew's dispatch or arrival causes (services/dispatch-service.ts).
 */
import crypto from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { pipelined, type Step, type TxQuery } from '../db/database.ts';
import { type Actor, type CommandLevel, mayEscalate, mayMoveIncidentTo } from '../domain/access.ts';
import { AccessDenied, IncidentConflict, incidentNotFound } from '../domain/errors.ts';
import {
  canTransition,
  deadlines,
  dueBreaches,
  REACHED_BY_CREWS,
} from '../domain/incident-lifecycle.ts';
import type { IncidentEvent, IncidentEventType, IncidentSummary } from '../domain/live-events.ts';
import { mergeCells } from '../domain/merge-ground.ts';
import { levelAbove } from '../domain/upward-alerts.ts';
import type { IncidentState } from '../domain/vocabulary.ts';
import type { PlaceAt } from '../repositories/areas-repository.ts';
import { exclusiveStep, type IncidentLog, type LogTx } from '../repositories/incident-log.ts';
import { summaryOf } from '../repositories/incident-summary.ts';
import type { IncidentsRepository, StoredPhoto } from '../repositories/incidents-repository.ts';

/** No war zone, no other fire in it (a step that asks the database nothing of note). */
const NO_COUNT: Step<number> = { statement: sql`SELECT 0 AS n`, read: () => 0 };

const LEVEL_ORDER: CommandLevel[] = ['village', 'township', 'county'];

export interface ReportInput {
  clientUuid: string;
  source: 'ranger' | 'lookout' | 'public' | 'camera' | 'satellite';
  lon: number;
  lat: number;
  accuracyM: number | null;
  observedAt: Date;
  note: string | null;
  bearingDeg: number | null;
  /** Where the bearing was taken from, when the reporter gave it. */
  observer?: { lon: number; lat: number } | null;
  reporterName: string | null;
  /** The signed-in reporter, when there is one. */
  reporterUserId?: string | null;
  /** The photos recorded with the report (those kept). */
  photos: StoredPhoto[];
  /**
   * Every photo sent, kept or refused (quota, low disk): the content hash covers what the
   * reporter sent, so a resend matches its first send whichever of its photos were kept.
   * Absent → `photos`.
   */
  sentPhotos?: { sha256: string }[];
}

/** How near, in space and time, a report joins a fire already reported. */
export interface MergeSettings {
  mergeDistanceM: number;
  mergeWindowMinutes: number;
}

/** What closing, or another move, records with it. */
export interface MoveExtra {
  note?: string | null;
  burnedAreaHa?: number;
  cause?: string;
}

/** SHA-256 of what the reporter said; the same UUID with another hash is a conflict. */
export function reportContentHash(
  r: Omit<ReportInput, 'clientUuid' | 'photos'> & { photos: { sha256: string }[] },
): string {
  const canonical = JSON.stringify([
    r.source,
    Math.round(r.lon * 1e7) / 1e7,
    Math.round(r.lat * 1e7) / 1e7,
    r.accuracyM,
    r.observedAt.toISOString(),
    r.note ?? null,
    r.bearingDeg,
    r.photos.map((p) => p.sha256),
    // Only when given, so the hashes of reports made before observers existed still match.
    ...(r.observer
      ? [[Math.round(r.observer.lon * 1e7) / 1e7, Math.round(r.observer.lat * 1e7) / 1e7]]
      : []),
  ]);
  return crypto.createHash('sha256').update(canonical).digest('hex');
}

export function createIncidentService(
  incidents: IncidentsRepository,
  log: IncidentLog,
  merge: MergeSettings,
) {
  /**
   * The one place an incident's state changes: only along the lifecycle (409 otherwise), a
   * fire closed with its burned area and cause (422 without), and a `state_changed` event.
   */
  async function changeState(
    q: LogTx,
    id: string,
    from: IncidentState,
    to: IncidentState,
    actor: string,
    extra: MoveExtra = {},
  ): Promise<IncidentEvent> {
    if (!canTransition(from, to))
      throw new IncidentConflict(
        `an incident cannot go from ${from} to ${to}`,
        'to',
        409,
        'incident.illegal_transition',
        { from, to },
      );
    const closingFire = to === 'closed' && from === 'extinguished';
    if (closingFire && (extra.burnedAreaHa === undefined || extra.burnedAreaHa === null))
      throw new IncidentConflict(
        'closing a fire records its burned area',
        'burnedAreaHa',
        422,
        'incident.close_needs_area',
      );
    const cause = extra.cause?.trim();
    if (closingFire && !cause)
      throw new IncidentConflict(
        'closing a fire records its cause',
        'cause',
        422,
        'incident.close_needs_cause',
      );
    const closing = closingFire
      ? { burnedAreaHa: extra.burnedAreaHa as number, cause: cause as string }
      : null;
    await incidents.setState(q, id, to, closing);
    return q.append(id, 'state_changed', actor, {
      from,
      to,
      note: extra.note ?? null,
      ...(closing ?? {}),
    });
  }

  /** The incident locked for the rest of the unit of work; 404 when there is none. */
  async function lockIncident(q: TxQuery, id: string) {
    const row = await incidents.lock(q, id);
    if (!row) throw incidentNotFound(id);
    return row;
  }

  return {
    changeState,
    lockIncident,

    /**
     * Stores a report, merging it into a nearby recent incident or opening a new one.
     * A resend (same UUID, same content) returns the first result and writes nothing.
     */
    async submitReport(
      input: ReportInput,
      place: PlaceAt,
      actor: string,
      /**
       * The reporter is signed in. Only then may the report's observedAt start a new fire's
       * clock or move an existing one back; an anonymous report's fire starts when the server
       * receives it, and it never moves an incident's clock.
       */
      trusted: boolean,
      /**
       * A drill's simulated report (issue 14 item 3): it always opens its own incident, marked
       * as this drill in the same transaction, so no event ever shows it as a real fire.
       */
      drillId: string | null = null,
    ): Promise<{
      created: boolean;
      reportId: number;
      incident: IncidentSummary;
      events: IncidentEvent[];
      /** The photos the stored report holds (on a resend, those of its first send). */
      photos: StoredPhoto[];
    }> {
      const hash = reportContentHash({ ...input, photos: input.sentPhotos ?? input.photos });
      // Three round trips after BEGIN (issue 17: writes that scale): the locks and every read
      // the rules need, in one pipeline; then the writes, with ids chosen beforehand, sent
      // with the log's tail (its lock, the events, the summaries); then COMMIT.
      const taken = await log.run(async (q) => {
        // The time that counts for merging and for the clock: now, unless a signed-in reporter
        // (whose report queued offline may have seen the fire first) says earlier.
        const at = {
          lon: input.lon,
          lat: input.lat,
          reportedAt: trusted ? input.observedAt : null,
        };
        const [, existing, near, othersNow, reportId] = await pipelined(
          q,
          // One intake at a time per UUID (a resend racing its first send) and per stretch of
          // ground (two reports of one fire merge into one incident): domain/merge-ground.ts.
          // The reads after it run once the locks are held.
          exclusiveStep([
            `report:${input.clientUuid}`,
            ...mergeCells(input.lon, input.lat, merge.mergeDistanceM),
          ]),
          incidents.reportByUuid(input.clientUuid),
          incidents.nearestOpen(
            at,
            merge.mergeDistanceM,
            merge.mergeWindowMinutes,
            drillId !== null,
          ),
          // A second fire burning in the same war zone, should this report open a new one.
          place.warZoneId !== null ? incidents.othersBurningIn(place.warZoneId, null) : NO_COUNT,
          incidents.nextReportId(),
        );
        if (existing) {
          const ofDrill = drillId
            ? await incidents.isOfDrill(q, existing.incidentId, drillId)
            : true;
          if (existing.contentHash !== hash || !ofDrill)
            throw new IncidentConflict(
              `report ${input.clientUuid} was already received with different content`,
              'clientUuid',
            );
          return {
            created: false,
            reportId: existing.id,
            incident: await summaryOf(q, existing.incidentId),
            events: [],
            photos: await incidents.reportPhotos(q, existing.id),
          };
        }
        let incidentId: string;
        let type: IncidentEventType;
        if (near) {
          incidentId = near;
          type = 'report_added';
          q.defer(incidents.clockBack(incidentId, at.reportedAt));
        } else {
          type = 'reported';
          incidentId = crypto.randomUUID();
          q.defer(incidents.insert(incidentId, at, place));
          if (drillId) q.defer(incidents.markDrill(incidentId, drillId));
        }
        q.defer(
          ...incidents.insertReport(
            reportId,
            {
              clientUuid: input.clientUuid,
              incidentId,
              source: input.source,
              observedAt: input.observedAt,
              lon: input.lon,
              lat: input.lat,
              accuracyM: input.accuracyM,
              bearingDeg: input.bearingDeg,
              observer: input.observer ?? null,
              note: input.note,
              reporterName: input.reporterName,
              reporterUserId: input.reporterUserId ?? null,
              contentHash: hash,
              gridCode: place.gridCode,
            },
            input.photos,
          ),
        );
        const others = type === 'reported' ? othersNow : 0;
        const events: IncidentEvent[] = [];
        const event = await q.append(incidentId, type, actor, {
          reportId,
          clientUuid: input.clientUuid,
          source: input.source,
          location: [input.lon, input.lat],
          accuracyM: input.accuracyM,
          photos: input.photos.length,
        });
        events.push(event);
        // A second fire burning in the same war zone: suggest war-zone linkage (战区联动).
        if (others > 0)
          events.push(
            await q.append(incidentId, 'escalation_suggested', 'system', {
              to: 'county',
              reason: 'second_incident_in_war_zone',
              openInWarZone: others + 1,
            }),
          );
        return { created: true, reportId, incident: null, events, photos: input.photos };
      });
      // The events' summaries are filled in when the run commits them.
      return {
        ...taken,
        incident:
          taken.incident ?? (taken.events[taken.events.length - 1] as IncidentEvent).incident,
      };
    },

    /**
     * A move along the lifecycle recorded under `actor` (a name): what the system and the
     * tests drive. A person's move is `move`, which first asks who may.
     */
    async transition(
      id: string,
      to: IncidentState,
      actor: string,
      extra: MoveExtra,
    ): Promise<IncidentEvent> {
      return log.run(async (q) => {
        const row = await lockIncident(q, id);
        return changeState(q, id, row.state, to, actor, extra);
      });
    },

    /**
     * A person moves an incident: 403 outside his command (or beyond what his role may
     * decide), 409 for dispatched and on_scene (reached only through crews) and for any move
     * the lifecycle forbids.
     */
    async move(id: string, to: IncidentState, actor: Actor, extra: MoveExtra) {
      return log.run(async (q) => {
        const row = await lockIncident(q, id);
        if (!mayMoveIncidentTo(actor, row, to))
          throw new AccessDenied(
            `${actor.username} may not move this incident to ${to}`,
            'to',
            'incident.may_not_move',
            { to },
          );
        if (REACHED_BY_CREWS.has(to))
          throw new IncidentConflict(
            to === 'dispatched'
              ? '调派队伍后自动进入 (dispatched is reached by dispatching a crew)'
              : '队伍到达后自动进入 (on_scene is reached when a crew arrives)',
            'to',
            409,
            'incident.reached_by_crews',
            { to },
          );
        return changeState(q, id, row.state, to, actor.username, extra);
      });
    },

    /** Raises the command level (who, when, why in the event); only upwards. */
    async escalate(
      id: string,
      to: 'township' | 'county',
      actor: Actor,
      reason: string,
    ): Promise<IncidentEvent> {
      return log.run(async (q) => {
        const row = await lockIncident(q, id);
        // Who may raise it to that level at all (403), before whether it is already there (409).
        if (!mayEscalate(actor, { ...row, escalationLevel: 'village' }, to))
          throw new AccessDenied(
            `${actor.username} may not raise this incident to ${to}`,
            'level',
            'escalation.not_allowed',
            { level: to },
          );
        if (LEVEL_ORDER.indexOf(to) <= LEVEL_ORDER.indexOf(row.escalationLevel))
          throw new IncidentConflict(
            `the incident is already at ${row.escalationLevel} level`,
            'level',
            409,
            'escalation.already_at_level',
            { level: row.escalationLevel },
          );
        await incidents.setEscalation(q, id, to);
        return q.append(id, 'escalated', actor.username, {
          from: row.escalationLevel,
          to,
          reason,
          role: actor.role,
        });
      });
    },

    /** Incidents whose clock may still run out (the breach clock's rounds). */
    clockCandidates: () => incidents.clockCandidates(),

    /**
     * Records the targets due at `now` for one incident; at most once per target (a unique
     * index guards against another process doing the same). A fire not under control in 20
     * minutes suggests bringing in the war zone and the county.
     */
    async recordBreaches(id: string, now: Date): Promise<IncidentEvent[]> {
      return log.run(async (q) => {
        // Two rounds for one fire (a leader handing over) read the breaches one after the other.
        await q.exclusive(`clock:${id}`);
        const row = await incidents.clockFacts(q, id);
        if (!row) return [];
        const due = dueBreaches(row, now, new Set(row.breached));
        const events: IncidentEvent[] = [];
        const d = deadlines(row.firstReportedAt);
        for (const target of due) {
          events.push(
            await q.append(id, 'target_breached', 'system', {
              target,
              deadline: d[target].toISOString(),
              state: row.state,
              // The level this alarms: the one above the fire's command level now.
              alertLevel: levelAbove(row.escalationLevel),
            }),
          );
          if (target === 'control' && row.escalationLevel !== 'county')
            events.push(
              await q.append(id, 'escalation_suggested', 'system', {
                to: 'county',
                reason: 'control_breached',
              }),
            );
        }
        return events;
      });
    },
  };
}

export type IncidentService = ReturnType<typeof createIncidentService>;

declare module 'fastify' {
  interface FastifyInstance {
    incidentService: IncidentService;
  }
}

export default fp(
  async (app: FastifyInstance, opts: MergeSettings) => {
    app.decorate(
      'incidentService',
      createIncidentService(app.incidentsRepository, app.incidentLog, opts),
    );
  },
  { name: 'incident-service', dependencies: ['incidents-repository', 'incident-log'] },
);
