/**
 * The supervision system 督战体系 (issue 14): the monthly flags' inputs and the assessment
 * office's notes on them. Flags are computed on every read from the incidents themselves
 * (server/domain/flags.ts), so an incident confirmed, dismissed as a false alarm, marked a
 * drill or moved to another township changes its month's flags at once, and any past month
 * can be asked for again: the history is the incident log, which is never deleted.
 */
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Database } from '../db/database.ts';
import {
  type AreaFlag,
  countsForFlags,
  type FlagAnnotation,
  type FlagLevel,
  type FlagThresholds,
  flagTable,
  monthBounds,
  shanghaiMonthOf,
} from '../domain/flags.ts';
import type { IncidentState } from '../domain/vocabulary.ts';

/** An incident as the flag rules see it. */
export interface FlagIncident {
  townshipCode: string | null;
  villageCode: string | null;
  firstReportedAt: Date;
  state: IncidentState;
  wasFalseAlarm: boolean;
  drill: boolean;
}

export function createSupervisionRepository(database: Database, thresholds: FlagThresholds) {
  async function areas(level: FlagLevel): Promise<{ code: string; name: string }[]> {
    return level === 'township'
      ? database.query<{ code: string; name: string }>(
          sql`SELECT code, name FROM townships ORDER BY code`,
        )
      : database.query<{ code: string; name: string }>(
          sql`SELECT code, name FROM villages ORDER BY code`,
        );
  }

  /** Incidents first reported in [start, end), with what the flag rules need to know. */
  async function incidentsBetween(start: Date, end: Date): Promise<FlagIncident[]> {
    const rows = await database.query<{
      township_code: string | null;
      village_code: string | null;
      first_reported_at: string | Date;
      state: IncidentState;
      false_alarm: boolean;
      drill: boolean;
    }>(sql`
      SELECT i.township_code, i.village_code, i.first_reported_at, i.state,
             EXISTS (SELECT 1 FROM incident_events e WHERE e.incident_id = i.id
                     AND e.type = 'state_changed' AND e.payload->>'to' = 'false_alarm') AS false_alarm,
             EXISTS (SELECT 1 FROM drill_incidents d WHERE d.incident_id = i.id) AS drill
      FROM incidents i
      WHERE i.first_reported_at >= ${start.toISOString()}::timestamptz
        AND i.first_reported_at < ${end.toISOString()}::timestamptz`);
    return rows.map((r) => ({
      townshipCode: r.township_code,
      villageCode: r.village_code,
      firstReportedAt: new Date(r.first_reported_at),
      state: r.state,
      wasFalseAlarm: Boolean(r.false_alarm),
      drill: Boolean(r.drill),
    }));
  }

  /** Confirmed fires per area code and Shanghai month over [from, to] (months inclusive). */
  async function firesByMonth(
    level: FlagLevel,
    from: string,
    to: string,
  ): Promise<Map<string, Map<string, number>>> {
    const list = await incidentsBetween(monthBounds(from).start, monthBounds(to).end);
    const out = new Map<string, Map<string, number>>();
    for (const inc of list) {
      if (!countsForFlags(inc)) continue;
      const code = level === 'township' ? inc.townshipCode : inc.villageCode;
      if (code === null) continue;
      const month = shanghaiMonthOf(inc.firstReportedAt);
      const counts = out.get(month) ?? new Map<string, number>();
      counts.set(code, (counts.get(code) ?? 0) + 1);
      out.set(month, counts);
    }
    return out;
  }

  return {
    thresholds,
    areas,
    incidentsBetween,

    /** Every township (or village) with its confirmed fires and flag for one month. */
    async flags(month: string, level: FlagLevel): Promise<AreaFlag[]> {
      const counts = (await firesByMonth(level, month, month)).get(month) ?? new Map();
      return flagTable(await areas(level), counts, thresholds);
    },

    /** The flags of every month in [from, to], oldest first. */
    async flagHistory(
      level: FlagLevel,
      from: string,
      to: string,
      months: readonly string[],
    ): Promise<{ month: string; flags: AreaFlag[] }[]> {
      const byMonth = await firesByMonth(level, from, to);
      const list = await areas(level);
      return months.map((month) => ({
        month,
        flags: flagTable(list, byMonth.get(month) ?? new Map(), thresholds),
      }));
    },

    async annotate(input: {
      month: string;
      level: FlagLevel;
      code: string;
      note: string;
      authorUserId: string;
    }): Promise<FlagAnnotation | null> {
      // Null when there is no such area: the route answers 404 naming the field.
      const known = (await areas(input.level)).some((a) => a.code === input.code);
      if (!known) return null;
      const [row] = await database.query<{ id: string; created_at: string | Date }>(sql`
        INSERT INTO flag_annotations (month, level, area_code, note, author_user_id)
        VALUES (${input.month}, ${input.level}, ${input.code}, ${input.note},
                ${input.authorUserId}::uuid)
        RETURNING id, created_at`);
      const [author] = await database.query<{ display_name: string }>(
        sql`SELECT display_name FROM users WHERE id = ${input.authorUserId}::uuid`,
      );
      return {
        id: row?.id as string,
        month: input.month,
        level: input.level,
        code: input.code,
        note: input.note,
        author: author?.display_name ?? '',
        createdAt: new Date(row?.created_at as string).toISOString(),
      };
    },

    async annotations(month: string, level: FlagLevel): Promise<FlagAnnotation[]> {
      const rows = await database.query<{
        id: string;
        area_code: string;
        note: string;
        display_name: string;
        created_at: string | Date;
      }>(sql`
        SELECT a.id, a.area_code, a.note, u.display_name, a.created_at
        FROM flag_annotations a JOIN users u ON u.id = a.author_user_id
        WHERE a.month = ${month} AND a.level = ${level}
        ORDER BY a.area_code, a.created_at`);
      return rows.map((r) => ({
        id: r.id,
        month,
        level,
        code: r.area_code,
        note: r.note,
        author: r.display_name,
        createdAt: new Date(r.created_at).toISOString(),
      }));
    },
  };
}

export type SupervisionRepository = ReturnType<typeof createSupervisionRepository>;

declare module 'fastify' {
  interface FastifyInstance {
    supervisionRepository: SupervisionRepository;
  }
}

export default fp(
  async (app: FastifyInstance, opts: { thresholds: FlagThresholds }) => {
    app.decorate(
      'supervisionRepository',
      createSupervisionRepository(app.database, opts.thresholds),
    );
  },
  { name: 'supervision-repository', dependencies: ['db'] },
);
