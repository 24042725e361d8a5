/**
 * Drills 演练 and training 培训 (issue 14 item 3) as rows: drill records, the incidents that
 * were a drill (never in flags or statistics: drill_incidents), what each drill fire did
 * against 10/20/30, and training person-times per township. The rules are
 * services/drill-service.ts's.
 */
import { type SQL, sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { TrainingUnitTotal, TrainingView } from '../contract/supervision.ts';
import type { Database, TxQuery } from '../db/database.ts';
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
  async function trainingRows(where: SQL): Promise<TrainingView[]> {
    const rows = await database.query<Record<string, unknown>>(sql`
      SELECT t.id, t.title, t.held_on::text AS held_on, t.township_code, tw.name AS township_name,
             t.audience, t.person_times, t.crew_id, COALESCE(c.name, t.unit_name) AS unit_name
      FROM trainings t LEFT JOIN crews c ON c.id = t.crew_id
      LEFT JOIN townships tw ON tw.code = t.township_code
      WHERE ${where} ORDER BY t.held_on DESC, t.id DESC`);
    return rows.map((r) => ({
      id: r.id as string,
      title: r.title as string,
      heldOn: String(r.held_on).slice(0, 10),
      townshipCode: (r.township_code as string | null) ?? null,
      townshipName: (r.township_name as string | null) ?? null,
      audience: r.audience as string,
      personTimes: Number(r.person_times),
      crewId: (r.crew_id as string | null) ?? null,
      unitName: (r.unit_name as string | null) ?? null,
    }));
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
      const departments = `{${input.departments.map((d) => `"${d.replace(/["\\]/g, '')}"`).join(',')}}`;
      const [row] = await database.query<{ id: string }>(sql`
        INSERT INTO drills (title, held_on, township_code, departments, participants, notes)
        VALUES (${input.title}, ${input.heldOn}::date, ${input.townshipCode}, ${departments}::text[],
                ${input.participants}, ${input.notes})
        RETURNING id`);
      return { id: (row as { id: string }).id };
    },

    async drill(id: string) {
      const [row] = await database.query<{
        id: string;
        title: string;
        held_on: string | Date;
        township_code: string | null;
        departments: string[];
        participants: number;
        notes: string | null;
        war_zone_id: number | null;
      }>(sql`SELECT d.id, d.title, d.held_on, d.township_code, d.departments, d.participants,
                    d.notes, t.war_zone_id
             FROM drills d LEFT JOIN townships t ON t.code = d.township_code
             WHERE d.id = ${id}::uuid`);
      if (!row) return null;
      const heldOn =
        row.held_on instanceof Date ? row.held_on.toISOString().slice(0, 10) : String(row.held_on);
      return {
        id: row.id,
        title: row.title,
        heldOn: heldOn.slice(0, 10),
        townshipCode: row.township_code,
        warZoneId: row.war_zone_id === null ? null : Number(row.war_zone_id),
        departments: row.departments ?? [],
        participants: Number(row.participants),
        notes: row.notes,
      };
    },

    async townshipExists(code: string): Promise<boolean> {
      const rows = await database.query(sql`SELECT 1 FROM townships WHERE code = ${code}`);
      return rows.length > 0;
    },

    /** An incident's place, first report and state, locked in the unit of work `q`; null if none. */
    async lockIncident(
      q: TxQuery,
      incidentId: string,
    ): Promise<{ townshipCode: string | null; firstReportedAt: Date; state: string } | null> {
      const [inc] = await q<{
        township_code: string | null;
        first_reported_at: string;
        state: string;
      }>(sql`SELECT township_code, first_reported_at, state FROM incidents
             WHERE id = ${incidentId}::uuid FOR NO KEY UPDATE`);
      return inc
        ? {
            townshipCode: inc.township_code,
            firstReportedAt: new Date(inc.first_reported_at),
            state: inc.state,
          }
        : null;
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
      await q(sql`INSERT INTO drill_incidents (incident_id, drill_id)
                  VALUES (${incidentId}::uuid, ${drillId}::uuid)`);
    },

    async isDrill(incidentId: string): Promise<boolean> {
      const rows = await database.query(
        sql`SELECT 1 FROM drill_incidents WHERE incident_id = ${incidentId}::uuid`,
      );
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
      const [row] = await database.query<{ id: string; township_code: string | null }>(sql`
        SELECT c.id, CASE WHEN c.level = 'county' THEN NULL
                          ELSE COALESCE(c.township_code, v.township_code) END AS township_code
        FROM crews c LEFT JOIN villages v ON v.code = c.village_code WHERE c.id = ${id}`);
      return row ? { id: row.id, townshipCode: row.township_code ?? null } : null;
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
      const [row] = await database.query<{ id: string }>(sql`
        INSERT INTO trainings (title, held_on, township_code, audience, person_times, crew_id, unit_name)
        VALUES (${input.title}, ${input.heldOn}::date, ${input.townshipCode}, ${input.audience},
                ${input.personTimes}, ${input.crewId}, ${input.unitName})
        RETURNING id`);
      const [saved] = await trainingRows(sql`t.id = ${(row as { id: string }).id}::uuid`);
      return saved as TrainingView;
    },

    /** A calendar year's trainings with their units, newest first. */
    async trainings(year: number): Promise<TrainingView[]> {
      return trainingRows(
        sql`t.held_on >= ${`${year}-01-01`}::date AND t.held_on < ${`${year + 1}-01-01`}::date`,
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
