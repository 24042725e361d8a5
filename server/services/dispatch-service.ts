/**
 * The rules of dispatch (调派): who may send which crew to which fire (domain/access.ts), the
 * dispatch state machine and the crew status it implies (domain/dispatch-lifecycle.ts), a
 * crew's arrival from its GPS fixes, and what a dispatch or an arrival does to the incident —
 * always a move of the incident lifecycle, made by the incident service. With the incident
 * log's lock held, two commanders ordering the same crew at the same moment get one success
 * and one clear 409.
 */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { type Actor, commands, mayDispatch, mayMoveIncidentTo } from '../domain/access.ts';
import {
  ARRIVAL_RADIUS_M,
  CREW_STATUS_OF,
  canMoveDispatch,
  crewStatusOnFix,
  type DispatchStatus,
  stepsOnFix,
} from '../domain/dispatch-lifecycle.ts';
import { AccessDenied, IncidentConflict } from '../domain/errors.ts';
import { crewTransition, stepsToDispatch } from '../domain/incident-lifecycle.ts';
import type { IncidentEvent } from '../domain/live-events.ts';
import type { CrewFix, DispatchRepository } from '../repositories/dispatch-repository.ts';
import type { IncidentLog, LogTx } from '../repositories/incident-log.ts';
import type { IncidentService } from './incident-service.ts';

export function createDispatchService(
  dispatches: DispatchRepository,
  incidents: Pick<IncidentService, 'lockIncident' | 'changeState'>,
  log: IncidentLog,
) {
  /** Moves one dispatch on, with its crew and (on arrival) the incident; returns events. */
  async function advance(
    q: LogTx,
    dispatchId: string,
    to: DispatchStatus,
    actor: string,
  ): Promise<IncidentEvent[]> {
    const d = await dispatches.lock(q, dispatchId);
    if (!d) throw new IncidentConflict(`dispatch ${dispatchId} not found`, 'id', 404);
    if (!canMoveDispatch(d.status, to))
      throw new IncidentConflict(
        `a dispatch cannot go from ${d.status} to ${to}`,
        'status',
        409,
        'dispatch.illegal_status',
        { from: d.status, to },
      );
    await dispatches.setStatus(q, dispatchId, to);
    await dispatches.setCrewStatus(q, d.crewId, CREW_STATUS_OF[to]);
    const events: IncidentEvent[] = [
      await q.append(d.incidentId, 'dispatch_updated', actor, {
        dispatchId,
        crewId: d.crewId,
        from: d.status,
        to,
      }),
    ];
    // The first crew on scene moves a dispatched incident to on_scene (the 10-minute target).
    if (to === 'on_scene') {
      const incident = await incidents.lockIncident(q, d.incidentId);
      const next = crewTransition(incident.state, 'arrival');
      if (next)
        events.push(
          await incidents.changeState(q, d.incidentId, incident.state, next, actor, {
            note: `crew ${d.crewId} arrived`,
          }),
        );
    }
    return events;
  }

  return {
    /**
     * Orders crews to a fire. With `confirm` (确认并调派) an unverified report is confirmed in
     * the same transaction, each step in the log; a refused crew undoes the confirmation too.
     */
    async dispatch(
      incidentId: string,
      crewIds: string[],
      actor: Actor,
      etas: Map<string, number>,
      confirm = false,
    ): Promise<{ dispatchIds: string[]; events: IncidentEvent[] }> {
      return log.run(async (q) => {
        // A crew serves one fire at a time: its check-then-insert below holds the crew's topic
        // lock, all of them taken at once (sorted) so two orders sharing crews cannot deadlock,
        // and before the fire's row, in the log's lock order (incident-log.ts).
        await q.exclusive(...crewIds.map((id) => `crew:${id}`));
        const incident = await incidents.lockIncident(q, incidentId);
        const steps = stepsToDispatch(incident.state);
        if (steps === null || (steps.length > 0 && !confirm))
          throw new IncidentConflict(
            `crews are dispatched to confirmed fires; this one is ${incident.state}`,
            'id',
            409,
            'dispatch.not_dispatchable_state',
            { state: incident.state },
          );
        const dispatchIds: string[] = [];
        const events: IncidentEvent[] = [];
        let state = incident.state;
        for (const to of steps) {
          if (!mayMoveIncidentTo(actor, incident, to))
            throw new AccessDenied(
              `${actor.username} may not confirm this incident`,
              'confirm',
              'dispatch.may_not_confirm',
            );
          events.push(
            await incidents.changeState(q, incidentId, state, to, actor.username, {
              note: '确认并调派',
            }),
          );
          state = to;
        }
        for (const crewId of crewIds) {
          const crew = await dispatches.crewOf(q, crewId);
          if (!crew)
            throw new IncidentConflict(
              `crew ${crewId} not found`,
              'crewIds',
              422,
              'dispatch.crew_not_found',
              { crewId },
            );
          if (!mayDispatch(actor, crew, incident))
            throw new AccessDenied(
              `${actor.username} may not dispatch crew ${crewId} to this incident`,
              'crewIds',
              'dispatch.crew_not_yours',
              { crewId, crew: crew.name },
            );
          const busy = await dispatches.activeOf(q, crewId);
          if (busy)
            throw new IncidentConflict(
              `crew ${crewId} is already serving incident ${busy.incidentId}`,
              'crewIds',
              409,
              'dispatch.crew_busy',
              { crewId, crew: crew.name, incidentId: busy.incidentId },
            );
          const etaSeconds = etas.get(crewId) ?? null;
          const dispatchId = await dispatches.insert(q, incidentId, crewId, actor.id, etaSeconds);
          dispatchIds.push(dispatchId);
          await dispatches.setCrewStatus(q, crewId, CREW_STATUS_OF.ordered);
          events.push(
            await q.append(incidentId, 'crew_dispatched', actor.username, {
              dispatchId,
              crewId,
              etaSeconds,
            }),
          );
        }
        // The first crew sent moves a confirmed fire to dispatched.
        const next = crewTransition(state, 'dispatch');
        if (next)
          events.push(
            await incidents.changeState(q, incidentId, state, next, actor.username, {
              note: null,
            }),
          );
        return { dispatchIds, events };
      });
    },

    /** The crew (its own phone) or a commander of the incident's area moves a dispatch on. */
    async setStatus(
      dispatchId: string,
      to: DispatchStatus,
      actor: Actor,
    ): Promise<IncidentEvent[]> {
      return log.run(async (q) => {
        const d = await dispatches.placeOf(q, dispatchId);
        if (!d) throw new IncidentConflict(`dispatch ${dispatchId} not found`, 'id', 404);
        if (actor.crewId !== d.crewId && !commands(actor, d))
          throw new AccessDenied(
            `${actor.username} does not command crew ${d.crewId}`,
            'id',
            'dispatch.not_your_crew',
            { crewId: d.crewId },
          );
        return advance(q, dispatchId, to, actor.username);
      });
    },

    /**
     * Stores a GPS fix of a crew (its own phone, or the county command centre): at its fire,
     * the crew has arrived; back at its base after a fire, it is on standby again.
     */
    async position(crewId: string, fix: CrewFix, actor: Actor): Promise<IncidentEvent[]> {
      if (actor.crewId !== crewId && actor.role !== 'county_command')
        throw new AccessDenied(`${actor.username} does not speak for crew ${crewId}`, 'id');
      return log.run(async (q) => {
        const at = { lon: fix.lon, lat: fix.lat, radiusM: ARRIVAL_RADIUS_M };
        const crew = await dispatches.crewAt(q, crewId, at);
        if (!crew) throw new IncidentConflict(`crew ${crewId} not found`, 'id', 404);
        await dispatches.insertPosition(q, crewId, fix);
        const back = crewStatusOnFix(crew.status, crew.nearBase);
        if (back) await dispatches.setCrewStatus(q, crewId, back);
        const active = await dispatches.activeOf(q, crewId, at);
        if (!active) return [];
        const events: IncidentEvent[] = [];
        for (const to of stepsOnFix(active.status, active.nearFire))
          events.push(...(await advance(q, active.id, to, actor.username)));
        return events;
      });
    },
  };
}

export type DispatchService = ReturnType<typeof createDispatchService>;

declare module 'fastify' {
  interface FastifyInstance {
    dispatchService: DispatchService;
  }
}

export default fp(
  async (app: FastifyInstance) => {
    app.decorate(
      'dispatchService',
      createDispatchService(app.dispatchRepository, app.incidentService, app.incidentLog),
    );
  },
  {
    name: 'dispatch-service',
    dependencies: ['dispatch-repository', 'incident-service', 'incident-log'],
  },
);
