/**
 * Dispatch (调派) and crew positions (AVL). A crew serves one incident at a time: the partial
 * unique index "one active dispatch per crew" makes a second order for a busy crew fail in
 * the database, whoever sends it; with the incident log's lock held, two commanders ordering
 * the same crew at the same moment get one success and one clear 409. A crew's GPS within
 * ARRIVAL_RADIUS_M of the fire records its arrival.
 */
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { ErrorParams, RefusalCode } from '../contract/errors.ts';
import type { Database, TxQuery } from '../db/database.ts';
import { type Actor, commands, mayDispatch, mayMoveIncidentTo } from '../domain/access.ts';
import { DomainError } from '../domain/errors.ts';
import { stepsToDispatch } from '../domain/incident-lifecycle.ts';
import type { CrewLive, IncidentEvent } from '../domain/live-events.ts';
import type { IncidentState } from '../domain/vocabulary.ts';
import type { IncidentLog, LogTx } from './incident-log.ts';
import { IncidentConflict, incidentNotFound } from './incidents-repository.ts';

export const ARRIVAL_RADIUS_M = 150;

export type DispatchStatus =
  | 'ordered'
  | 'acknowledged'
  | 'en_route'
  | 'on_scene'
  | 'released'
  | 'cancelled';

const NEXT: Record<DispatchStatus, DispatchStatus[]> = {
  ordered: ['acknowledged', 'cancelled'],
  acknowledged: ['en_route', 'on_scene', 'cancelled'],
  en_route: ['on_scene', 'cancelled'],
  on_scene: ['released'],
  released: [],
  cancelled: [],
};
/** The crew's own status follows its dispatch. */
const CREW_STATUS: Record<DispatchStatus, string> = {
  ordered: 'dispatched',
  acknowledged: 'dispatched',
  en_route: 'en_route',
  on_scene: 'on_scene',
  released: 'returning',
  cancelled: 'standby',
};

/** 403: the actor may not act on this incident or crew (the error plugin answers it). */
export class AccessDenied extends DomainError {
  constructor(message: string, field: string, code?: RefusalCode, params?: ErrorParams) {
    super(message, field, 403, code, params);
  }
}

type CrewPlace = {
  id: string;
  name: string;
  level: string;
  township_code: string | null;
  war_zone_id: number | null;
};

async function crewPlace(q: TxQuery, id: string): Promise<CrewPlace | null> {
  const [c] = await q<CrewPlace>(sql`
    SELECT c.id, c.name, c.level, c.township_code, t.war_zone_id
    FROM crews c LEFT JOIN townships t ON t.code = c.township_code WHERE c.id = ${id}`);
  return c ? { ...c, war_zone_id: c.war_zone_id === null ? null : Number(c.war_zone_id) } : null;
}

/** A crew with where it stands and what it is doing (for GET …/dispatchable). */
export interface CrewStanding {
  id: string;
  name: string;
  level: string;
  townshipCode: string | null;
  warZoneId: number | null;
  status: string;
  /** The incident the crew is serving now, if any (one active dispatch per crew). */
  busyIncidentId: string | null;
}

export function createDispatchRepository(database: Database, log: IncidentLog) {
  /** Moves one dispatch on, with its crew and (on arrival) the incident; returns events. */
  async function advance(
    q: LogTx,
    dispatchId: string,
    to: DispatchStatus,
    actorLabel: string,
  ): Promise<IncidentEvent[]> {
    const [d] = await q<{
      id: string;
      status: DispatchStatus;
      incident_id: string;
      crew_id: string;
    }>(sql`
      SELECT id, status, incident_id, crew_id FROM dispatches WHERE id = ${dispatchId}::uuid FOR UPDATE`);
    if (!d) throw new IncidentConflict(`dispatch ${dispatchId} not found`, 'id', 404);
    if (!NEXT[d.status].includes(to))
      throw new IncidentConflict(
        `a dispatch cannot go from ${d.status} to ${to}`,
        'status',
        409,
        'dispatch.illegal_status',
        { from: d.status, to },
      );
    await q(sql`
      UPDATE dispatches SET status = ${to},
        acknowledged_at = CASE WHEN ${to} = 'acknowledged' THEN now() ELSE acknowledged_at END,
        arrived_at = CASE WHEN ${to} = 'on_scene' THEN now() ELSE arrived_at END,
        released_at = CASE WHEN ${to} IN ('released', 'cancelled') THEN now() ELSE released_at END
      WHERE id = ${dispatchId}::uuid`);
    await q(
      sql`UPDATE crews SET status = ${CREW_STATUS[to]}, updated_at = now() WHERE id = ${d.crew_id}`,
    );
    const events: IncidentEvent[] = [
      await q.append(d.incident_id, 'dispatch_updated', actorLabel, {
        dispatchId,
        crewId: d.crew_id,
        from: d.status,
        to,
      }),
    ];
    // The first crew on scene moves a dispatched incident to on_scene (the 10-minute target).
    if (to === 'on_scene') {
      const [inc] = await q<{ state: string }>(
        sql`SELECT state FROM incidents WHERE id = ${d.incident_id}::uuid`,
      );
      if (inc?.state === 'dispatched') {
        await q(
          sql`UPDATE incidents SET state = 'on_scene', updated_at = now() WHERE id = ${d.incident_id}::uuid`,
        );
        events.push(
          await q.append(d.incident_id, 'state_changed', actorLabel, {
            from: 'dispatched',
            to: 'on_scene',
            note: `crew ${d.crew_id} arrived`,
          }),
        );
      }
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
        const [inc] = await q<{
          state: string;
          township_code: string | null;
          war_zone_id: number | null;
          escalation_level: string;
        }>(
          sql`SELECT state, township_code, war_zone_id, escalation_level FROM incidents WHERE id = ${incidentId}::uuid FOR UPDATE`,
        );
        if (!inc) throw incidentNotFound(incidentId);
        const steps = stepsToDispatch(inc.state as IncidentState);
        if (steps === null || (steps.length > 0 && !confirm))
          throw new IncidentConflict(
            `crews are dispatched to confirmed fires; this one is ${inc.state}`,
            'id',
            409,
            'dispatch.not_dispatchable_state',
            { state: inc.state },
          );
        const incidentPlace = {
          townshipCode: inc.township_code,
          warZoneId: inc.war_zone_id === null ? null : Number(inc.war_zone_id),
          escalationLevel: inc.escalation_level as 'village' | 'township' | 'county',
        };
        const dispatchIds: string[] = [];
        const events: IncidentEvent[] = [];
        let state = inc.state as IncidentState;
        for (const to of steps) {
          if (!mayMoveIncidentTo(actor, incidentPlace, to))
            throw new AccessDenied(
              `${actor.username} may not confirm this incident`,
              'confirm',
              'dispatch.may_not_confirm',
            );
          await q(
            sql`UPDATE incidents SET state = ${to}, updated_at = now() WHERE id = ${incidentId}::uuid`,
          );
          events.push(
            await q.append(incidentId, 'state_changed', actor.username, {
              from: state,
              to,
              note: '确认并调派',
            }),
          );
          state = to;
        }
        for (const crewId of crewIds) {
          const crew = await crewPlace(q, crewId);
          if (!crew)
            throw new IncidentConflict(
              `crew ${crewId} not found`,
              'crewIds',
              422,
              'dispatch.crew_not_found',
              { crewId },
            );
          if (
            !mayDispatch(
              actor,
              { level: crew.level, townshipCode: crew.township_code, warZoneId: crew.war_zone_id },
              incidentPlace,
            )
          )
            throw new AccessDenied(
              `${actor.username} may not dispatch crew ${crewId} to this incident`,
              'crewIds',
              'dispatch.crew_not_yours',
              { crewId, crew: crew.name },
            );
          const [busy] = await q<{ incident_id: string }>(sql`
            SELECT incident_id FROM dispatches
            WHERE crew_id = ${crewId} AND status IN ('ordered', 'acknowledged', 'en_route', 'on_scene')`);
          if (busy)
            throw new IncidentConflict(
              `crew ${crewId} is already serving incident ${busy.incident_id}`,
              'crewIds',
              409,
              'dispatch.crew_busy',
              { crewId, crew: crew.name, incidentId: busy.incident_id },
            );
          const [d] = await q<{ id: string }>(sql`
            INSERT INTO dispatches (incident_id, crew_id, status, ordered_by, eta_seconds)
            VALUES (${incidentId}::uuid, ${crewId}, 'ordered', ${actor.id}::uuid, ${etas.get(crewId) ?? null})
            RETURNING id`);
          const dispatchId = (d as { id: string }).id;
          dispatchIds.push(dispatchId);
          await q(
            sql`UPDATE crews SET status = 'dispatched', updated_at = now() WHERE id = ${crewId}`,
          );
          events.push(
            await q.append(incidentId, 'crew_dispatched', actor.username, {
              dispatchId,
              crewId,
              etaSeconds: etas.get(crewId) ?? null,
            }),
          );
        }
        if (state === 'confirmed') {
          await q(
            sql`UPDATE incidents SET state = 'dispatched', updated_at = now() WHERE id = ${incidentId}::uuid`,
          );
          events.push(
            await q.append(incidentId, 'state_changed', actor.username, {
              from: 'confirmed',
              to: 'dispatched',
              note: null,
            }),
          );
        }
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
        const [d] = await q<{
          crew_id: string;
          township_code: string | null;
          war_zone_id: number | null;
        }>(sql`
          SELECT d.crew_id, i.township_code, i.war_zone_id FROM dispatches d JOIN incidents i ON i.id = d.incident_id
          WHERE d.id = ${dispatchId}::uuid`);
        if (!d) throw new IncidentConflict(`dispatch ${dispatchId} not found`, 'id', 404);
        const own = actor.crewId === d.crew_id;
        const commander = commands(actor, {
          townshipCode: d.township_code,
          warZoneId: d.war_zone_id === null ? null : Number(d.war_zone_id),
        });
        if (!own && !commander)
          throw new AccessDenied(
            `${actor.username} does not command crew ${d.crew_id}`,
            'id',
            'dispatch.not_your_crew',
            { crewId: d.crew_id },
          );
        return advance(q, dispatchId, to, actor.username);
      });
    },

    /**
     * Stores a GPS fix; when the crew's active dispatch is within ARRIVAL_RADIUS_M of its
     * fire, records the arrival.
     */
    async position(
      crewId: string,
      fix: {
        lon: number;
        lat: number;
        accuracyM: number | null;
        recordedAt: Date;
        speedMs: number | null;
        headingDeg: number | null;
      },
      actor: Actor,
    ): Promise<IncidentEvent[]> {
      if (actor.crewId !== crewId && actor.role !== 'county_command')
        throw new AccessDenied(`${actor.username} does not speak for crew ${crewId}`, 'id');
      return log.run(async (q) => {
        const [crew] = await q<{ id: string }>(sql`SELECT id FROM crews WHERE id = ${crewId}`);
        if (!crew) throw new IncidentConflict(`crew ${crewId} not found`, 'id', 404);
        const pt = sql`ST_SetSRID(ST_MakePoint(${fix.lon}, ${fix.lat}), 4326)`;
        await q(sql`
          INSERT INTO crew_positions (crew_id, recorded_at, accuracy_m, speed_ms, heading_deg, geom)
          VALUES (${crewId}, ${fix.recordedAt.toISOString()}::timestamptz, ${fix.accuracyM}, ${fix.speedMs}, ${fix.headingDeg}, ${pt})`);
        await q(sql`UPDATE crews SET updated_at = now() WHERE id = ${crewId}`);
        // Back at its standby base after a fire: the crew is on standby again.
        await q(sql`
          UPDATE crews SET status = 'standby', updated_at = now()
          WHERE id = ${crewId} AND status = 'returning'
            AND ST_DWithin(base::geography, ${pt}::geography, ${ARRIVAL_RADIUS_M})`);
        const [active] = await q<{ id: string; status: DispatchStatus; near: boolean }>(sql`
          SELECT d.id, d.status,
                 ST_DWithin(i.location::geography, ${pt}::geography, ${ARRIVAL_RADIUS_M}) AS near
          FROM dispatches d JOIN incidents i ON i.id = d.incident_id
          WHERE d.crew_id = ${crewId} AND d.status IN ('ordered', 'acknowledged', 'en_route')`);
        if (!active) return [];
        if (active.near) {
          let events: IncidentEvent[] = [];
          if (active.status === 'ordered')
            events = await advance(q, active.id, 'acknowledged', actor.username);
          return [...events, ...(await advance(q, active.id, 'on_scene', actor.username))];
        }
        if (active.status === 'acknowledged')
          return advance(q, active.id, 'en_route', actor.username);
        return [];
      });
    },

    /** Crews on duty or heard from in the last 12 hours, at their last position. */
    async liveCrews(crewId?: string): Promise<CrewLive[]> {
      const rows = await database.query<Record<string, unknown>>(sql`
        SELECT c.id, c.name, c.level, c.status, c.township_code,
               COALESCE(ST_X(p.geom), ST_X(c.base)) AS lon, COALESCE(ST_Y(p.geom), ST_Y(c.base)) AS lat,
               p.recorded_at
        FROM crews c
        LEFT JOIN LATERAL (SELECT geom, recorded_at FROM crew_positions cp WHERE cp.crew_id = c.id
                           ORDER BY recorded_at DESC LIMIT 1) p ON TRUE
        WHERE ${crewId ? sql`c.id = ${crewId}` : sql`(c.status <> 'standby' OR p.recorded_at > now() - interval '12 hours')`}
        ORDER BY c.id`);
      return rows.map((r) => ({
        id: r.id as string,
        name: r.name as string,
        level: r.level as string,
        status: r.status as string,
        townshipCode: (r.township_code as string | null) ?? null,
        location: [Number(r.lon), Number(r.lat)],
        fixAt: r.recorded_at ? new Date(r.recorded_at as string).toISOString() : null,
      }));
    },

    /** Where a crew belongs: its level and war zone (for linkage, 战区联动). */
    async crewPlace(crewId: string): Promise<{ level: string; warZoneId: number | null } | null> {
      const [r] = await database.query<{ level: string; war_zone_id: number | null }>(sql`
        SELECT c.level, t.war_zone_id FROM crews c LEFT JOIN townships t ON t.code = c.township_code
        WHERE c.id = ${crewId}`);
      if (!r) return null;
      return { level: r.level, warZoneId: r.war_zone_id === null ? null : Number(r.war_zone_id) };
    },

    /**
     * Open incidents a crew serves: those it was sent to, and those raised to county level in
     * its war zone (every township crew of the war zone) or anywhere (the county's own units).
     */
    async linkedIncidents(crewId: string): Promise<string[]> {
      const rows = await database.query<{ id: string }>(sql`
        SELECT i.id FROM incidents i
        CROSS JOIN crews c LEFT JOIN townships t ON t.code = c.township_code
        WHERE c.id = ${crewId} AND i.state <> 'closed' AND (
          EXISTS (SELECT 1 FROM dispatches d WHERE d.incident_id = i.id AND d.crew_id = c.id)
          OR (i.escalation_level = 'county' AND (c.level = 'county' OR t.war_zone_id = i.war_zone_id)))
        ORDER BY i.first_reported_at`);
      return rows.map((r) => r.id);
    },

    /** The crew's current assignment, if any. */
    async active(crewId: string) {
      const [r] = await database.query<Record<string, unknown>>(sql`
        SELECT d.id, d.status, d.ordered_at, d.eta_seconds, d.incident_id, i.state,
               ST_X(i.location) AS lon, ST_Y(i.location) AS lat, t.name AS township, v.name AS village,
               EXISTS (SELECT 1 FROM drill_incidents di WHERE di.incident_id = i.id) AS drill
        FROM dispatches d JOIN incidents i ON i.id = d.incident_id
        LEFT JOIN townships t ON t.code = i.township_code LEFT JOIN villages v ON v.code = i.village_code
        WHERE d.crew_id = ${crewId} AND d.status IN ('ordered', 'acknowledged', 'en_route', 'on_scene')`);
      if (!r) return null;
      return {
        dispatchId: r.id as string,
        status: r.status as DispatchStatus,
        orderedAt: new Date(r.ordered_at as string).toISOString(),
        etaSeconds: r.eta_seconds === null ? null : Number(r.eta_seconds),
        incident: {
          id: r.incident_id as string,
          state: r.state as string,
          location: [Number(r.lon), Number(r.lat)] as [number, number],
          place:
            `${(r.township as string | null) ?? ''} ${(r.village as string | null) ?? ''}`.trim(),
          /** A drill 演练: the phone labels the task so nobody takes it for a real fire. */
          drill: r.drill === true || r.drill === 't',
        },
      };
    },

    /** Dispatches of an incident with their crews, for its card. */
    /** Every crew with its place, status and the incident it serves now (if any). */
    async standings(): Promise<CrewStanding[]> {
      const rows = await database.query<{
        id: string;
        name: string;
        level: string;
        township_code: string | null;
        war_zone_id: number | null;
        status: string;
        busy_incident_id: string | null;
      }>(sql`
        SELECT c.id, c.name, c.level, c.township_code, t.war_zone_id, c.status,
               (SELECT d.incident_id FROM dispatches d WHERE d.crew_id = c.id
                  AND d.status IN ('ordered', 'acknowledged', 'en_route', 'on_scene') LIMIT 1) AS busy_incident_id
        FROM crews c LEFT JOIN townships t ON t.code = c.township_code ORDER BY c.id`);
      return rows.map((c) => ({
        id: c.id,
        name: c.name,
        level: c.level,
        townshipCode: c.township_code,
        warZoneId: c.war_zone_id === null ? null : Number(c.war_zone_id),
        status: c.status,
        busyIncidentId: c.busy_incident_id,
      }));
    },

    async ofIncident(incidentId: string) {
      const rows = await database.query<Record<string, unknown>>(sql`
        SELECT d.id, d.crew_id, c.name, d.status, d.ordered_at, d.arrived_at, d.eta_seconds
        FROM dispatches d JOIN crews c ON c.id = d.crew_id
        WHERE d.incident_id = ${incidentId}::uuid ORDER BY d.ordered_at`);
      return rows.map((r) => ({
        dispatchId: r.id as string,
        crewId: r.crew_id as string,
        crewName: r.name as string,
        status: r.status as DispatchStatus,
        orderedAt: new Date(r.ordered_at as string).toISOString(),
        arrivedAt: r.arrived_at ? new Date(r.arrived_at as string).toISOString() : null,
        etaSeconds: r.eta_seconds === null ? null : Number(r.eta_seconds),
      }));
    },

    async track(crewId: string, since: Date | null) {
      const rows = await database.query<Record<string, unknown>>(sql`
        SELECT recorded_at, ST_X(geom) AS lon, ST_Y(geom) AS lat, accuracy_m, speed_ms
        FROM crew_positions WHERE crew_id = ${crewId}
          AND recorded_at >= COALESCE(${since ? since.toISOString() : null}::timestamptz, '-infinity')
        ORDER BY recorded_at LIMIT 20000`);
      return rows.map((r) => ({
        at: new Date(r.recorded_at as string).toISOString(),
        lon: Number(r.lon),
        lat: Number(r.lat),
        accuracyM: r.accuracy_m === null ? null : Number(r.accuracy_m),
      }));
    },
  };
}

export type DispatchRepository = ReturnType<typeof createDispatchRepository>;

declare module 'fastify' {
  interface FastifyInstance {
    dispatchRepository: DispatchRepository;
  }
}

export default fp(
  async (app: FastifyInstance) => {
    app.decorate('dispatchRepository', createDispatchRepository(app.database, app.incidentLog));
  },
  { name: 'dispatch-repository', dependencies: ['db', 'incident-log'] },
);
