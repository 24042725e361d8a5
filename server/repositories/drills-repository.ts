/**
 * Drills 演练 and training 培训 (issue 14 item 3) as rows: drill records, the incidents that
 * were a drill (never in flags or statistics: drill_incidents), what each drill fire did
 * against 10/20/30, and training person-times per township. The rules are
 * services/drill-service.ts's. Drills, trainings, marks and the rows they name are read and
 * written with the query builder over the schema's typed columns; what counts (the marking
 * facts, a drill's stage times, person-times per unit and township) stays raw SQL.
 */
import { and, desc, eq, gte, lt, type SQL, sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { TrainingUnitTotal, TrainingView } from '../contract/supervision.ts';
import type { Database, TxQuery } from '../db/database.ts';
import { townships, villages } from '../db/schema/admin.ts';
import { crews } from '../db/schema/crews.ts';
import { incidents } from '../db/schema/incidents.ts';
import { drillIncidents, drills, trainings } from '../db/schema/supervision.ts';
import type { DrillFire } from '../domain/drills.ts';

const at = (v: unknown) => (v ? new Date(v as string) : null);

/**
 * Person-times per unit trained between two dates (from inclusive, to exclusive): a crew, an
 * organisation by its name in its township, and records without a unit per township (unitName
 * null: 未注明单位); most first. The training summary and the assessment export both count so.
 */
export async function trainingUnitTotals(
  database: Database,
  fromDay: string,
  toDay: string,
): Promise<TrainingUnitTotal[]> {
  const rows = await database.query<{
    crew_id: string | null;
    unit_name: string | null;
    township_code: string | null;
    person_times: string | number;
  }>(sql`
    SELECT t.crew_id, COALESCE(c.name, t.unit_name) AS unit_name, t.township_code,
           sum(t.person_times) AS person_times
    FROM trainings t LEFT JOIN crews c ON c.id = t.crew_id
    WHERE t.held_on >= ${fromDay}::date AND t.held_on < ${toDay}::date
    GROUP BY t.crew_id, COALESCE(c.name, t.unit_name), t.township_code
    ORDER BY 4 DESC, 2 NULLS LAST, 3 NULLS FIRST`);
  return rows.map((r) => ({
    crewId: r.crew_id,
    unitName: r.unit_name,
    townshipCode: r.township_code,
    personTimes: Number(r.person_times),
  }));
}

export function createDrillsRepository(database: Database) {
  const { db } = database;

  /** Trainings with their township's name and unit (a crew's name, else the named unit). */
  async function trainingRows(where: SQL | undefined): Promise<TrainingView[]> {
    const rows = await db
      .select({
        id: trainings.id,
        title: trainings.title,
        heldOn: trainings.heldOn,
        townshipCode: trainings.townshipCode,
        townshipName: townships.name,
        audience: trainings.audience,
        personTimes: trainings.personTimes,
        crewId: trainings.crewId,
        crewName: crews.name,
        unitName: trainings.unitName,
      })
      .from(trainings)
      .leftJoin(crews, eq(crews.id, trainings.crewId))
      .leftJoin(townships, eq(townships.code, trainings.townshipCode))
      .where(where)
      .orderBy(desc(trainings.heldOn), desc(trainings.id));
    return rows.map(({ crewName, ...r }) => ({ ...r, unitName: crewName ?? r.unitName }));
  }

  return {
    async createDrill(input: {
      title: string;
      heldOn: string;
      townshipCode: string | null;
      departments: string[];
      participants: number;
      notes: string | null;
    }): Promise<{ id: string }> {
      const [row] = await db
        .insert(drills)
        .values({
          ...input,
          // A department's double quotes and backslashes are dropped, as they always were.
          departments: input.departments.map((d) => d.replace(/["\\]/g, '')),
        })
        .returning({ id: drills.id });
      if (!row) throw new Error('drill insert returned no row');
      return row;
    },

    async drill(id: string) {
      const [row] = await db
        .select({
          id: drills.id,
          title: drills.title,
          heldOn: drills.heldOn,
          townshipCode: drills.townshipCode,
          warZoneId: townships.warZoneId,
          departments: drills.departments,
          participants: drills.participants,
          notes: drills.notes,
        })
        .from(drills)
        .leftJoin(townships, eq(townships.code, drills.townshipCode))
        .where(eq(drills.id, id));
      return row ?? null;
    },

    async townshipExists(code: string): Promise<boolean> {
      const rows = await db
        .select({ code: townships.code })
        .from(townships)
        .where(eq(townships.code, code));
      return rows.length > 0;
    },

    /** An incident's place, first report and state, locked in the unit of work `q` (FOR NO KEY UPDATE, see incident-log.ts); null if none. */
    async lockIncident(
      q: TxQuery,
      incidentId: string,
    ): Promise<{ townshipCode: string | null; firstReportedAt: Date; state: string } | null> {
      const [inc] = await q.db
        .select({
          townshipCode: incidents.townshipCode,
          firstReportedAt: incidents.firstReportedAt,
          state: incidents.state,
        })
        .from(incidents)
        .where(eq(incidents.id, incidentId))
        .for('no key update');
      return inc ?? null;
    },

    /**
     * What the marking rule asks of an incident besides its row: is it already a drill's, was it
     * ever confirmed, and how many of its reports came from no signed-in user.
     */
    async markFacts(
      q: TxQuery,
      incidentId: string,
    ): Promise<{ drill: boolean; everConfirmed: boolean; anonymousReports: number }> {
      const [facts] = await q<{ drill: boolean; confirmed: boolean; anonymous: number }>(sql`
        SELECT
          EXISTS (SELECT 1 FROM drill_incidents WHERE incident_id = ${incidentId}::uuid) AS drill,
          EXISTS (SELECT 1 FROM incident_events WHERE incident_id = ${incidentId}::uuid
                    AND type = 'state_changed' AND payload->>'to' = 'confirmed') AS confirmed,
          (SELECT count(*)::int FROM incident_reports WHERE incident_id = ${incidentId}::uuid
             AND reporter_user_id IS NULL) AS anonymous`);
      return {
        drill: Boolean(facts?.drill),
        everConfirmed: Boolean(facts?.confirmed),
        anonymousReports: Number(facts?.anonymous ?? 0),
      };
    },

    /** Links an incident to a drill (never in flags or statistics from then on). */
    async insertMark(q: TxQuery, incidentId: string, drillId: string): Promise<void> {
      await q.db.insert(drillIncidents).values({ incidentId, drillId });
    },

    async isDrill(incidentId: string): Promise<boolean> {
      const rows = await db
        .select({ incidentId: drillIncidents.incidentId })
        .from(drillIncidents)
        .where(eq(drillIncidents.incidentId, incidentId));
      return rows.length > 0;
    },

    /** The drill's fires with stage times and the crews sent (arrival times). */
    async drillFires(drillId: string): Promise<DrillFire[]> {
      const fires = await database.query<Record<string, unknown>>(sql`
        SELECT i.id, i.township_code, i.first_reported_at,
          (SELECT min(dp.ordered_at) FROM dispatches dp WHERE dp.incident_id = i.id
             AND dp.status <> 'cancelled') AS dispatched_at,
          (SELECT min(e.at) FROM incident_events e WHERE e.incident_id = i.id
             AND e.type = 'state_changed' AND e.payload->>'to' = 'on_scene') AS on_scene_at,
          (SELECT min(e.at) FROM incident_events e WHERE e.incident_id = i.id
             AND e.type = 'state_changed' AND e.payload->>'to' = 'controlled') AS controlled_at,
          (SELECT min(e.at) FROM incident_events e WHERE e.incident_id = i.id
             AND e.type = 'state_changed' AND e.payload->>'to' = 'extinguished') AS extinguished_at
        FROM drill_incidents d JOIN incidents i ON i.id = d.incident_id
        WHERE d.drill_id = ${drillId}::uuid ORDER BY i.first_reported_at`);
      const crews = await database.query<Record<string, unknown>>(sql`
        -- A county unit answers to the county, not to the township it is based in.
        SELECT dp.incident_id, c.id AS crew_id, c.name,
               CASE WHEN c.level = 'county' THEN NULL ELSE c.township_code END AS township_code,
               min(dp.arrived_at) AS arrived_at
        FROM dispatches dp JOIN crews c ON c.id = dp.crew_id
        JOIN drill_incidents d ON d.incident_id = dp.incident_id
        WHERE d.drill_id = ${drillId}::uuid AND dp.status <> 'cancelled'
        GROUP BY dp.incident_id, c.id, c.name, c.level, c.township_code ORDER BY c.id`);
      return fires.map((f) => ({
        incidentId: f.id as string,
        townshipCode: (f.township_code as string | null) ?? null,
        firstReportedAt: new Date(f.first_reported_at as string),
        dispatchedAt: at(f.dispatched_at),
        onSceneAt: at(f.on_scene_at),
        controlledAt: at(f.controlled_at),
        extinguishedAt: at(f.extinguished_at),
        crews: crews
          .filter((c) => c.incident_id === f.id)
          .map((c) => ({
            crewId: c.crew_id as string,
            name: c.name as string,
            townshipCode: (c.township_code as string | null) ?? null,
            arrivedAt: at(c.arrived_at),
          })),
      }));
    },

    /** A crew and the township it trains in (a village crew: its village's; county: null). */
    async crewPlace(id: string): Promise<{ id: string; townshipCode: string | null } | null> {
      const [row] = await db
        .select({
          id: crews.id,
          level: crews.level,
          townshipCode: crews.townshipCode,
          villageTownship: villages.townshipCode,
        })
        .from(crews)
        .leftJoin(villages, eq(villages.code, crews.villageCode))
        .where(eq(crews.id, id));
      if (!row) return null;
      const townshipCode =
        row.level === 'county' ? null : (row.townshipCode ?? row.villageTownship ?? null);
      return { id: row.id, townshipCode };
    },

    async recordTraining(input: {
      title: string;
      heldOn: string;
      townshipCode: string | null;
      audience: string;
      personTimes: number;
      crewId: string | null;
      unitName: string | null;
    }): Promise<TrainingView> {
      const [row] = await db.insert(trainings).values(input).returning({ id: trainings.id });
      if (!row) throw new Error('training insert returned no row');
      const [saved] = await trainingRows(eq(trainings.id, row.id));
      return saved as TrainingView;
    },

    /** A calendar year's trainings with their units, newest first. */
    async trainings(year: number): Promise<TrainingView[]> {
      return trainingRows(
        and(gte(trainings.heldOn, `${year}-01-01`), lt(trainings.heldOn, `${year + 1}-01-01`)),
      );
    },

    /** Person-times of a calendar year per unit (trainingUnitTotals). */
    async trainingByUnit(year: number): Promise<TrainingUnitTotal[]> {
      return trainingUnitTotals(database, `${year}-01-01`, `${year + 1}-01-01`);
    },

    /** Person-times of a calendar year per township (null: county units), and in all. */
    async trainingByTownship(
      year: number,
    ): Promise<{ townshipCode: string | null; personTimes: number }[]> {
      const rows = await database.query<{
        township_code: string | null;
        person_times: string | number;
      }>(sql`
        SELECT township_code, sum(person_times) AS person_times FROM trainings
        WHERE held_on >= ${`${year}-01-01`}::date AND held_on < ${`${year + 1}-01-01`}::date
        GROUP BY 1 ORDER BY 1 NULLS FIRST`);
      return rows.map((r) => ({
        townshipCode: r.township_code,
        personTimes: Number(r.person_times),
      }));
    },
  };
}

export type DrillsRepository = ReturnType<typeof createDrillsRepository>;

declare module 'fastify' {
  interface FastifyInstance {
    drillsRepository: DrillsRepository;
  }
}

export default fp(
  async (app: FastifyInstance) => {
    app.decorate('drillsRepository', createDrillsRepository(app.database));
  },
  { name: 'drills-repository', dependencies: ['db'] },
);
