/**
 * Dispatches (调派), crews and their positions (AVL): rows only. The dispatch state machine
 * (domain/dispatch-lifecycle.ts) and who may send or move a crew are the dispatch service's
 * (services/dispatch-service.ts); the writes here take the transaction of the incident log's
 * unit of work. A crew serves one incident at a time: the partial unique index "one active
 * dispatch per crew" refuses a second order for a busy crew in the database, whoever sends it.
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Database, TxQuery } from '../db/database.ts';
import { townships } from '../db/schema/admin.ts';
import { crews } from '../db/schema/crews.ts';
import { dispatches, incidents } from '../db/schema/incidents.ts';
import type { CrewStatus, DispatchStatus } from '../domain/dispatch-lifecycle.ts';
import type { CrewLive } from '../domain/live-events.ts';
import { ACTIVE_DISPATCH_STATUSES } from '../domain/vocabulary.ts';

export type { DispatchStatus };

const ACTIVE_SQL = sql.join(
  ACTIVE_DISPATCH_STATUSES.map((s) => sql`${s}`),
  sql`, `,
);

/** A boolean column as either driver returns it. */
const truthy = (v: unknown) => v === true || v === 't';

const point = (lon: number, lat: number) => sql`ST_SetSRID(ST_MakePoint(${lon}, ${lat}), 4326)`;

/** A crew phone's GPS fix. */
export interface CrewFix {
  lon: number;
  lat: number;
  accuracyM: number | null;
  recordedAt: Date;
  speedMs: number | null;
  headingDeg: number | null;
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

export function createDispatchRepository(database: Database) {
  return {
    // Rows written and read inside a unit of work of the incident log (`q`).

    /** A dispatch locked for the rest of the unit of work; null if none. */
    async lock(
      q: TxQuery,
      dispatchId: string,
    ): Promise<{ status: DispatchStatus; incidentId: string; crewId: string } | null> {
      const [d] = await q.db
        .select({
          // The database's check admits only the lifecycle's statuses.
          status: sql<DispatchStatus>`${dispatches.status}`,
          incidentId: dispatches.incidentId,
          crewId: dispatches.crewId,
        })
        .from(dispatches)
        .where(eq(dispatches.id, dispatchId))
        .for('update');
      return d ?? null;
    },

    /** Writes a dispatch's status with the time it was acknowledged, arrived or ended. */
    async setStatus(q: TxQuery, dispatchId: string, to: DispatchStatus): Promise<void> {
      const now = sql`now()`;
      await q.db
        .update(dispatches)
        .set({
          status: to,
          ...(to === 'acknowledged' ? { acknowledgedAt: now } : {}),
          ...(to === 'on_scene' ? { arrivedAt: now } : {}),
          ...(to === 'released' || to === 'cancelled' ? { releasedAt: now } : {}),
        })
        .where(eq(dispatches.id, dispatchId));
    },

    async setCrewStatus(q: TxQuery, crewId: string, status: CrewStatus): Promise<void> {
      await q.db.update(crews).set({ status, updatedAt: sql`now()` }).where(eq(crews.id, crewId));
    },

    /** The crew's name and where it belongs; null if there is no such crew. */
    async crewOf(
      q: TxQuery,
      crewId: string,
    ): Promise<{
      name: string;
      level: string;
      townshipCode: string | null;
      warZoneId: number | null;
    } | null> {
      const [c] = await q.db
        .select({
          name: crews.name,
          level: crews.level,
          townshipCode: crews.townshipCode,
          warZoneId: townships.warZoneId,
        })
        .from(crews)
        .leftJoin(townships, eq(townships.code, crews.townshipCode))
        .where(eq(crews.id, crewId));
      return c ?? null;
    },

    /**
     * The dispatch holding the crew now (ordered … on scene), if any; with `at`, whether that
     * point is within `radiusM` of its fire.
     */
    async activeOf(
      q: TxQuery,
      crewId: string,
      at?: { lon: number; lat: number; radiusM: number },
    ): Promise<{
      id: string;
      status: DispatchStatus;
      incidentId: string;
      nearFire: boolean;
    } | null> {
      const near = at
        ? sql`ST_DWithin(i.location::geography, ${point(at.lon, at.lat)}::geography, ${at.radiusM})`
        : sql`FALSE`;
      const [d] = await q<{
        id: string;
        status: DispatchStatus;
        incident_id: string;
        near: boolean;
      }>(sql`
        SELECT d.id, d.status, d.incident_id, ${near} AS near
        FROM dispatches d JOIN incidents i ON i.id = d.incident_id
        WHERE d.crew_id = ${crewId} AND d.status IN (${ACTIVE_SQL})`);
      return d
        ? { id: d.id, status: d.status, incidentId: d.incident_id, nearFire: truthy(d.near) }
        : null;
    },

    /** A new dispatch, ordered. */
    async insert(
      q: TxQuery,
      incidentId: string,
      crewId: string,
      orderedBy: string,
      etaSeconds: number | null,
    ): Promise<string> {
      const [d] = await q.db
        .insert(dispatches)
        .values({ incidentId, crewId, status: 'ordered', orderedBy, etaSeconds })
        .returning({ id: dispatches.id });
      if (!d) throw new Error('dispatch insert returned no row');
      return d.id;
    },

    /** A dispatch's crew and the place of its incident; null if there is no such dispatch. */
    async placeOf(
      q: TxQuery,
      dispatchId: string,
    ): Promise<{ crewId: string; townshipCode: string | null; warZoneId: number | null } | null> {
      const [d] = await q.db
        .select({
          crewId: dispatches.crewId,
          townshipCode: incidents.townshipCode,
          warZoneId: incidents.warZoneId,
        })
        .from(dispatches)
        .innerJoin(incidents, eq(incidents.id, dispatches.incidentId))
        .where(eq(dispatches.id, dispatchId));
      return d ?? null;
    },

    /**
     * The crew's status and whether a point is within `radiusM` of its standby base; null if
     * there is no such crew.
     */
    async crewAt(
      q: TxQuery,
      crewId: string,
      at: { lon: number; lat: number; radiusM: number },
    ): Promise<{ status: CrewStatus; nearBase: boolean } | null> {
      const [c] = await q<{ status: CrewStatus; near: boolean }>(sql`
        SELECT status,
               COALESCE(ST_DWithin(base::geography, ${point(at.lon, at.lat)}::geography, ${at.radiusM}), FALSE) AS near
        FROM crews WHERE id = ${crewId}`);
      return c ? { status: c.status, nearBase: truthy(c.near) } : null;
    },

    /** Stores a GPS fix of a crew (and that the crew was heard from). */
    async insertPosition(q: TxQuery, crewId: string, fix: CrewFix): Promise<void> {
      await q(sql`
        INSERT INTO crew_positions (crew_id, recorded_at, accuracy_m, speed_ms, heading_deg, geom)
        VALUES (${crewId}, ${fix.recordedAt.toISOString()}::timestamptz, ${fix.accuracyM}, ${fix.speedMs},
                ${fix.headingDeg}, ${point(fix.lon, fix.lat)})`);
      await q.db.update(crews).set({ updatedAt: sql`now()` }).where(eq(crews.id, crewId));
    },

    // Reads outside a unit of work.

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
      const [r] = await database.db
        .select({ level: crews.level, warZoneId: townships.warZoneId })
        .from(crews)
        .leftJoin(townships, eq(townships.code, crews.townshipCode))
        .where(eq(crews.id, crewId));
      return r ?? null;
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

    /** Every crew with its place, status and the incident it serves now (if any). */
    async standings(): Promise<CrewStanding[]> {
      // At most one active dispatch per crew (the partial unique index): one row per crew.
      return database.db
        .select({
          id: crews.id,
          name: crews.name,
          level: crews.level,
          townshipCode: crews.townshipCode,
          warZoneId: townships.warZoneId,
          status: crews.status,
          busyIncidentId: dispatches.incidentId,
        })
        .from(crews)
        .leftJoin(townships, eq(townships.code, crews.townshipCode))
        .leftJoin(
          dispatches,
          and(
            eq(dispatches.crewId, crews.id),
            inArray(dispatches.status, [...ACTIVE_DISPATCH_STATUSES]),
          ),
        )
        .orderBy(crews.id);
    },

    /** Dispatches of an incident with their crews, for its card. */
    async ofIncident(incidentId: string) {
      const rows = await database.db
        .select({
          dispatchId: dispatches.id,
          crewId: dispatches.crewId,
          crewName: crews.name,
          status: dispatches.status,
          orderedAt: dispatches.orderedAt,
          arrivedAt: dispatches.arrivedAt,
          etaSeconds: dispatches.etaSeconds,
        })
        .from(dispatches)
        .innerJoin(crews, eq(crews.id, dispatches.crewId))
        .where(eq(dispatches.incidentId, incidentId))
        .orderBy(dispatches.orderedAt);
      return rows.map((r) => ({
        ...r,
        // The database's check admits only the lifecycle's statuses.
        status: r.status as DispatchStatus,
        orderedAt: r.orderedAt.toISOString(),
        arrivedAt: r.arrivedAt ? r.arrivedAt.toISOString() : null,
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
    app.decorate('dispatchRepository', createDispatchRepository(app.database));
  },
  { name: 'dispatch-repository', dependencies: ['db'] },
);
