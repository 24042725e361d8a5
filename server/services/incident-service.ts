/**
 * The rules of reports and incidents: a report's intake (report-intake.ts), the moves of the lifecycle (domain/incident-lifecycle.ts) and who may make them,
 * escalation, and the targets the 10/20/30 clock records as missed. Each workflow is one unit
 * of work of the incident log: its rows (incidents-repository.ts) and the events that tell of
 * them commit together, and are published after.
 *
 * Every change of an incident's state goes through `changeState`, here: a person's move, the
 * steps of 确认并调派 and what a crew's dispatch or arrival causes (services/dispatch-service.ts).
 */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { TxQuery } from '../db/database.ts';
import { type Actor, type CommandLevel, mayEscalate, mayMoveIncidentTo } from '../domain/access.ts';
import { AccessDenied, IncidentConflict, incidentNotFound } from '../domain/errors.ts';
import {
  canTransition,
  deadlines,
  dueBreaches,
  REACHED_BY_CREWS,
} from '../domain/incident-lifecycle.ts';
import type { IncidentEvent } from '../domain/live-events.ts';
import { levelAbove } from '../domain/upward-alerts.ts';
import type { IncidentState } from '../domain/vocabulary.ts';
import type { PlaceAt } from '../repositories/areas-repository.ts';
import type { IncidentLog, LogTx } from '../repositories/incident-log.ts';
import type { IncidentsRepository } from '../repositories/incidents-repository.ts';
import {
  createReportIntake,
  type MergeSettings,
  type ReportInput,
  type ReportTaken,
} from './report-intake.ts';

const LEVEL_ORDER: CommandLevel[] = ['village', 'township', 'county'];

/** What closing, or another move, records with it. */
export interface MoveExtra {
  note?: string | null;
  burnedAreaHa?: number;
  cause?: string;
}

export function createIncidentService(
  incidents: IncidentsRepository,
  log: IncidentLog,
  merge: MergeSettings,
) {
  const intake = createReportIntake(incidents, log, merge);

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
     * Stores a report, merging it into a nearby recent incident or opening a new one
     * (report-intake.ts: written with the reports that arrive alongside, in one commit).
     * A resend (same UUID, same content) returns the first result and writes nothing.
     */
    submitReport(
      input: ReportInput,
      /** Where it lies; null: placed with its batch, and refused (422) outside the county. */
      place: PlaceAt | null,
      actor: string,
      /**
       * The reporter is signed in. Only then may the report's observedAt start a new fire's
       * clock or move an existing one back; an anonymous report's fire starts when the server
       * receives it, and it never moves an incident's clock.
       */
      trusted: boolean,
      /** A drill's simulated report (issue 14 item 3): always its own incident, marked. */
      drillId: string | null = null,
    ): Promise<ReportTaken> {
      return intake.submit({ input, place, actor, trusted, drillId });
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
