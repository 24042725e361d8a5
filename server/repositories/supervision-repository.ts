/**
 * The supervision system 督战体系 (issue 14): the monthly flags, their history and the
 * assessment office's notes on them.
 *
 * Flag history (flag_months, flag_history): a month's fires are counted on every read from the
 * incidents themselves (server/domain/flags.ts), so whatever changes a month's inputs — a fire
 * confirmed, a report dismissed as a false alarm, a drill marked, an incident moved to another
 * township or (a signed-in report seeing it earlier) to another month, even a correction made
 * in the database — changes its flags at the next read, with no write path able to forget a
 * hook. What a read does not take from today is the thresholds: each month is judged by those
 * of its record (domain/flags.ts monthThresholds), so a change of settings reaches the current
 * month only and never recolours a past one. The read settles the history (`settle`): when the
 * counts or thresholds it found differ from the stored rows (or the month has no record yet),
 * it recomputes under an advisory lock in one transaction and rewrites the month's record and
 * the rows that changed, each with its thresholds and computed_at. Months not yet begun are
 * computed but never recorded. A confirmation, a dismissal or a drill marked settles its month
 * right after the incident log commits it (plugins/flag-history.ts), without waiting for a read.
 */
import { and, between, eq, isNotNull, sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { SupervisionChoices } from '../contract/supervision.ts';
import { autocommit, type Database, type TxQuery } from '../db/database.ts';
import { grids, townships, villages } from '../db/schema/admin.ts';
import { crews } from '../db/schema/crews.ts';
import {
  flagAnnotations,
  flagHistory,
  flagMonths,
  publicityRecords,
} from '../db/schema/supervision.ts';
import { users } from '../db/schema/users.ts';
import type { Place } from '../domain/access.ts';
import {
  type AreaFigures,
  type AssessedFire,
  assess,
  countyTotal,
  type Period,
} from '../domain/assessment.ts';
import {
  type AreaFlag,
  addMonths,
  countsForFlags,
  type FlagAnnotation,
  type FlagLevel,
  type FlagThresholds,
  flagTable,
  monthBounds,
  monthThresholds,
  shanghaiMonthOf,
} from '../domain/flags.ts';
import type { PublicityRecord } from '../domain/publicity.ts';
import type { IncidentState } from '../domain/vocabulary.ts';
import { trainingUnitTotals } from './drills-repository.ts';

export interface CombatMapVillage {
  code: string;
  name: string;
  township: { code: string; name: string };
  warZoneId: number | null;
  bbox: [number, number, number, number];
  gridCodes: string[];
}

/** An incident as the flag and assessment rules see it. */
export interface FlagIncident {
  townshipCode: string | null;
  villageCode: string | null;
  firstReportedAt: Date;
  state: IncidentState;
  wasFalseAlarm: boolean;
  drill: boolean;
  /** Minutes from the first report to the first move into each state; null if never. */
  onSceneMin: number | null;
  controlledMin: number | null;
  extinguishedMin: number | null;
}

/** Serialises the writers of the flag history (other keys: incidents-repository LOG_LOCK …). */
const FLAG_HISTORY_LOCK = 7_381_017;

/** One month's flags with the thresholds they were judged by. */
export interface FlagMonth {
  month: string;
  thresholds: FlagThresholds;
  flags: AreaFlag[];
}

export function createSupervisionRepository(database: Database, thresholds: FlagThresholds) {
  const read = autocommit(database);
  const { db } = database;

  async function areas(level: FlagLevel, q: TxQuery = read) {
    const table = level === 'township' ? townships : villages;
    return q.db.select({ code: table.code, name: table.name }).from(table).orderBy(table.code);
  }

  /** Incidents first reported in [start, end), with what the flag rules need to know. */
  async function incidentsBetween(
    start: Date,
    end: Date,
    q: TxQuery = read,
  ): Promise<FlagIncident[]> {
    const rows = await q<{
      township_code: string | null;
      village_code: string | null;
      first_reported_at: string | Date;
      state: IncidentState;
      false_alarm: boolean;
      drill: boolean;
      on_scene_min: number | null;
      controlled_min: number | null;
      extinguished_min: number | null;
    }>(sql`
      WITH stage AS (
        SELECT e.incident_id, e.payload->>'to' AS state, min(e.at) AS at
        FROM incident_events e
        WHERE e.type = 'state_changed' AND e.payload->>'to' IN ('on_scene', 'controlled', 'extinguished')
        GROUP BY 1, 2)
      SELECT i.township_code, i.village_code, i.first_reported_at, i.state,
             (SELECT extract(epoch FROM s.at - i.first_reported_at) / 60 FROM stage s
               WHERE s.incident_id = i.id AND s.state = 'on_scene') AS on_scene_min,
             (SELECT extract(epoch FROM s.at - i.first_reported_at) / 60 FROM stage s
               WHERE s.incident_id = i.id AND s.state = 'controlled') AS controlled_min,
             (SELECT extract(epoch FROM s.at - i.first_reported_at) / 60 FROM stage s
               WHERE s.incident_id = i.id AND s.state = 'extinguished') AS extinguished_min,
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
      onSceneMin: r.on_scene_min === null ? null : Number(r.on_scene_min),
      controlledMin: r.controlled_min === null ? null : Number(r.controlled_min),
      extinguishedMin: r.extinguished_min === null ? null : Number(r.extinguished_min),
    }));
  }

  /** Confirmed fires per area code and Shanghai month over [from, to] (months inclusive). */
  async function firesByMonth(
    level: FlagLevel,
    from: string,
    to: string,
    q: TxQuery = read,
  ): Promise<Map<string, Map<string, number>>> {
    const list = await incidentsBetween(monthBounds(from).start, monthBounds(to).end, q);
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

  /**
   * The flags of `months` from the incidents under each month's thresholds (read only), and
   * what of the stored history is missing or differs: a month without its record, the current
   * month's record behind the settings, rows whose fires, flag or thresholds changed.
   */
  async function computeMonths(q: TxQuery, level: FlagLevel, months: readonly string[], now: Date) {
    const current = shanghaiMonthOf(now);
    const sorted = [...months].sort();
    const from = sorted[0] as string;
    const to = sorted[sorted.length - 1] as string;
    const records = await q.db
      .select({
        month: flagMonths.month,
        yellowMin: flagMonths.yellowMin,
        blackMin: flagMonths.blackMin,
      })
      .from(flagMonths)
      .where(between(flagMonths.month, from, to));
    const recorded = new Map(
      records.map((r) => [r.month, { yellowMin: r.yellowMin, blackMin: r.blackMin }]),
    );
    const storedRows = await q.db
      .select({
        month: flagHistory.month,
        areaCode: flagHistory.areaCode,
        fires: flagHistory.fires,
        flag: flagHistory.flag,
        yellowMin: flagHistory.yellowMin,
        blackMin: flagHistory.blackMin,
      })
      .from(flagHistory)
      .where(and(eq(flagHistory.level, level), between(flagHistory.month, from, to)));
    const stored = new Map(
      storedRows.map((r) => [
        `${r.month} ${r.areaCode}`,
        `${r.fires} ${r.flag} ${r.yellowMin} ${r.blackMin}`,
      ]),
    );
    const byMonth = await firesByMonth(level, from, to, q);
    const list = await areas(level, q);
    const settled: FlagMonth[] = [];
    const stale: {
      month: string;
      thresholds: FlagThresholds;
      record: boolean;
      rows: AreaFlag[];
    }[] = [];
    for (const month of months) {
      const rec = recorded.get(month);
      const t = monthThresholds(month, current, rec, thresholds);
      const flags = flagTable(list, byMonth.get(month) ?? new Map(), t);
      settled.push({ month, thresholds: t, flags });
      if (month > current) continue;
      const record = rec?.yellowMin !== t.yellowMin || rec?.blackMin !== t.blackMin;
      const rows = flags.filter(
        (f) =>
          stored.get(`${month} ${f.code}`) !== `${f.fires} ${f.flag} ${t.yellowMin} ${t.blackMin}`,
      );
      if (record || rows.length > 0) stale.push({ month, thresholds: t, record, rows });
    }
    return { settled, stale };
  }

  /**
   * The flags of `months`, the history brought up to date with them first when it differs
   * (recomputed under the lock, in one transaction, so two readers never write stale counts).
   */
  async function settle(level: FlagLevel, months: readonly string[], now: Date) {
    if (months.length === 0) return [];
    const first = await computeMonths(read, level, months, now);
    if (first.stale.length === 0) return first.settled;
    return database.transaction(async (q) => {
      await q(sql`SELECT pg_advisory_xact_lock(${FLAG_HISTORY_LOCK})`);
      const { settled, stale } = await computeMonths(q, level, months, now);
      for (const { month, thresholds: t, record, rows } of stale) {
        if (record)
          await q.db
            .insert(flagMonths)
            .values({ month, yellowMin: t.yellowMin, blackMin: t.blackMin })
            .onConflictDoUpdate({
              target: flagMonths.month,
              set: { yellowMin: t.yellowMin, blackMin: t.blackMin, updatedAt: sql`now()` },
            });
        if (rows.length > 0)
          await q.db
            .insert(flagHistory)
            .values(
              rows.map((r) => ({
                month,
                level,
                areaCode: r.code,
                fires: r.fires,
                flag: r.flag,
                yellowMin: t.yellowMin,
                blackMin: t.blackMin,
              })),
            )
            .onConflictDoUpdate({
              target: [flagHistory.month, flagHistory.level, flagHistory.areaCode],
              set: {
                fires: sql`excluded.fires`,
                flag: sql`excluded.flag`,
                yellowMin: sql`excluded.yellow_min`,
                blackMin: sql`excluded.black_min`,
                computedAt: sql`now()`,
              },
            });
      }
      return settled;
    });
  }

  /** Inspections, drills, training and publicity per township over a period's dates. */
  async function figures(period: Period): Promise<Map<string, AreaFigures>> {
    const last = period.months[period.months.length - 1] as string;
    const fromDay = `${period.months[0]}-01`;
    const toDay = `${addMonths(last, 1)}-01`;
    const rows = await database.query<Record<string, string | number | null>>(sql`
      WITH ins AS (
        SELECT township_code, count(*) AS inspections,
               count(*) FILTER (WHERE findings IS NOT NULL AND rectified_at IS NULL) AS open_findings
        FROM inspections
        WHERE inspected_at >= ${period.start.toISOString()}::timestamptz
          AND inspected_at < ${period.end.toISOString()}::timestamptz
        GROUP BY 1),
      dr AS (
        SELECT township_code, count(*) AS drills, sum(participants) AS drill_participants
        FROM drills WHERE held_on >= ${fromDay}::date AND held_on < ${toDay}::date GROUP BY 1),
      tr AS (
        SELECT township_code, sum(person_times) AS training_person_times
        FROM trainings WHERE held_on >= ${fromDay}::date AND held_on < ${toDay}::date GROUP BY 1),
      -- Each grid's latest record of the period (a whole-village record is its village's one
      -- "grid", NULL): coverage is a state, not a sum of visits; a township sums its grids.
      pub AS (
        SELECT DISTINCT ON (p.village_code, p.grid_code) v.township_code, p.households_total,
               p.households_visited, p.pledges_signed
        FROM publicity_records p JOIN villages v ON v.code = p.village_code
        WHERE p.recorded_on >= ${fromDay}::date AND p.recorded_on < ${toDay}::date
        ORDER BY p.village_code, p.grid_code, p.recorded_on DESC, p.id DESC),
      pubt AS (
        SELECT township_code, sum(households_total) AS households,
               sum(households_visited) AS households_visited, sum(pledges_signed) AS pledges_signed
        FROM pub GROUP BY 1)
      SELECT t.code, ins.inspections, ins.open_findings, dr.drills, dr.drill_participants,
             tr.training_person_times, pubt.households, pubt.households_visited, pubt.pledges_signed
      FROM townships t
      LEFT JOIN ins ON ins.township_code = t.code
      LEFT JOIN dr ON dr.township_code = t.code
      LEFT JOIN tr ON tr.township_code = t.code
      LEFT JOIN pubt ON pubt.township_code = t.code`);
    const n = (v: string | number | null | undefined) => Number(v ?? 0);
    return new Map(
      rows.map((r) => [
        String(r.code),
        {
          inspections: n(r.inspections),
          openFindings: n(r.open_findings),
          drills: n(r.drills),
          drillParticipants: n(r.drill_participants),
          trainingPersonTimes: n(r.training_person_times),
          households: n(r.households),
          householdsVisited: n(r.households_visited),
          pledgesSigned: n(r.pledges_signed),
        },
      ]),
    );
  }

  return {
    thresholds,
    areas,
    incidentsBetween,

    /** A township for its combat map: extent and each village with its grids and grid heads. */
    async townshipSheet(code: string) {
      const [t] = await database.query<Record<string, unknown>>(sql`
        SELECT code, name, war_zone_id, ST_XMin(geom) AS w, ST_YMin(geom) AS s,
               ST_XMax(geom) AS e, ST_YMax(geom) AS n
        FROM townships WHERE code = ${code}`);
      if (!t) return null;
      const villages = await database.query<{
        code: string;
        name: string;
        grids: number;
        heads: string[] | null;
      }>(sql`
        SELECT v.code, v.name, count(g.code)::int AS grids,
               array_remove(array_agg(DISTINCT p.name), NULL) AS heads
        FROM villages v
        LEFT JOIN grids g ON g.village_code = v.code
        LEFT JOIN grid_roles r ON r.grid_code = g.code AND r.role = 'grid_head'
        LEFT JOIN people p ON p.id = r.person_id
        WHERE v.township_code = ${code}
        GROUP BY v.code, v.name ORDER BY v.code`);
      return {
        code: t.code as string,
        name: t.name as string,
        warZoneId: t.war_zone_id === null ? null : Number(t.war_zone_id),
        bbox: [Number(t.w), Number(t.s), Number(t.e), Number(t.n)] as [
          number,
          number,
          number,
          number,
        ],
        villages: villages.map((v) => ({
          code: v.code,
          name: v.name,
          grids: Number(v.grids),
          gridHeads: v.heads ?? [],
        })),
      };
    },

    /** Each township's (or village's) township and war zone: what a commander's area holds. */
    async areaPlaces(level: FlagLevel): Promise<Map<string, Place>> {
      const rows =
        level === 'township'
          ? await db
              .select({
                code: townships.code,
                townshipCode: townships.code,
                warZoneId: townships.warZoneId,
              })
              .from(townships)
          : await db
              .select({
                code: villages.code,
                townshipCode: villages.townshipCode,
                warZoneId: townships.warZoneId,
              })
              .from(villages)
              .innerJoin(townships, eq(townships.code, villages.townshipCode));
      return new Map(
        rows.map((r) => [r.code, { townshipCode: r.townshipCode, warZoneId: r.warZoneId }]),
      );
    },

    /** Villages with their township and war zone (for publicity coverage and its access). */
    async villagePlaces(): Promise<
      {
        code: string;
        name: string;
        townshipCode: string;
        townshipName: string;
        warZoneId: number | null;
      }[]
    > {
      return db
        .select({
          code: villages.code,
          name: villages.name,
          townshipCode: townships.code,
          townshipName: townships.name,
          warZoneId: townships.warZoneId,
        })
        .from(villages)
        .innerJoin(townships, eq(townships.code, villages.townshipCode))
        .orderBy(villages.code);
    },

    async publicityRecords(): Promise<PublicityRecord[]> {
      const rows = await db
        .select({
          villageCode: publicityRecords.villageCode,
          gridCode: publicityRecords.gridCode,
          recordedOn: publicityRecords.recordedOn,
          householdsTotal: publicityRecords.householdsTotal,
          householdsVisited: publicityRecords.householdsVisited,
          pledgesSigned: publicityRecords.pledgesSigned,
          awarePersons: publicityRecords.awarePersons,
          surveyedPersons: publicityRecords.surveyedPersons,
        })
        .from(publicityRecords)
        .orderBy(publicityRecords.recordedOn, publicityRecords.id);
      // A date column arrives as its YYYY-MM-DD text.
      return rows.map((r) => ({ ...r, recordedOn: r.recordedOn.slice(0, 10) }));
    },

    async recordPublicity(input: {
      villageCode: string;
      gridCode: string | null;
      recordedOn: string;
      channel: string;
      householdsTotal: number;
      householdsVisited: number;
      pledgesSigned: number;
      awarePersons: number | null;
      surveyedPersons: number | null;
    }): Promise<{ id: number } | 'mixed'> {
      // A village records as a whole or per grid, never both: summing a whole-village record
      // with its grids' would count its households twice (domain/publicity.ts).
      const [row] = await database.query<{ id: number }>(sql`
        INSERT INTO publicity_records (village_code, grid_code, recorded_on, channel, households_total,
          households_visited, pledges_signed, aware_persons, surveyed_persons)
        SELECT ${input.villageCode}, ${input.gridCode}, ${input.recordedOn}::date, ${input.channel},
          ${input.householdsTotal}, ${input.householdsVisited}, ${input.pledgesSigned},
          ${input.awarePersons}, ${input.surveyedPersons}
        WHERE NOT EXISTS (SELECT 1 FROM publicity_records p WHERE p.village_code = ${input.villageCode}
                            AND (p.grid_code IS NULL) <> ${input.gridCode === null})
        RETURNING id`);
      return row ? { id: Number(row.id) } : 'mixed';
    },

    /** What the supervision work page's forms choose from (contract/supervision.ts). */
    async choices(): Promise<SupervisionChoices> {
      const townshipRows = await areas('township');
      const villageRows = await db
        .select({ code: villages.code, name: villages.name, townshipCode: villages.townshipCode })
        .from(villages)
        .orderBy(villages.code);
      const crewRows = await db
        .select({
          id: crews.id,
          name: crews.name,
          level: crews.level,
          townshipCode: crews.townshipCode,
          villageTownshipCode: villages.townshipCode,
        })
        .from(crews)
        .leftJoin(villages, eq(villages.code, crews.villageCode))
        .orderBy(crews.level, crews.id);
      return {
        townships: townshipRows,
        villages: villageRows,
        // A county unit belongs to no township; a village crew to its village's.
        crews: crewRows.map((c) => ({
          id: c.id,
          name: c.name,
          level: c.level,
          townshipCode: c.level === 'county' ? null : (c.townshipCode ?? c.villageTownshipCode),
        })),
      };
    },

    /** Is there such a grid? */
    async gridExists(code: string): Promise<boolean> {
      return (await db.$count(grids, eq(grids.code, code))) > 0;
    },

    /** Every grid with its village (for per-grid publicity coverage). */
    async gridVillages(): Promise<{ gridCode: string; villageCode: string }[]> {
      return db
        .select({ gridCode: grids.code, villageCode: grids.villageCode })
        .from(grids)
        .orderBy(grids.code);
    },

    /** A village for its combat map: place, bounding box and its grids' codes. */
    async village(code: string): Promise<CombatMapVillage | null> {
      const [v] = await database.query<{
        code: string;
        name: string;
        township_code: string;
        township_name: string;
        war_zone_id: number | null;
        w: number;
        s: number;
        e: number;
        n: number;
      }>(sql`
        SELECT v.code, v.name, t.code AS township_code, t.name AS township_name, t.war_zone_id,
               ST_XMin(v.geom) AS w, ST_YMin(v.geom) AS s, ST_XMax(v.geom) AS e, ST_YMax(v.geom) AS n
        FROM villages v JOIN townships t ON t.code = v.township_code
        WHERE v.code = ${code}`);
      if (!v) return null;
      const villageGrids = await db
        .select({ code: grids.code })
        .from(grids)
        .where(eq(grids.villageCode, code))
        .orderBy(grids.code);
      return {
        code: v.code,
        name: v.name,
        township: { code: v.township_code, name: v.township_name },
        warZoneId: v.war_zone_id === null ? null : Number(v.war_zone_id),
        bbox: [Number(v.w), Number(v.s), Number(v.e), Number(v.n)],
        gridCodes: villageGrids.map((g) => g.code),
      };
    },

    /**
     * 考核: per township and per responsible cadre (each township commander with his
     * township's figures) for a month, quarter or year.
     */
    async assessment(period: Period, now: Date) {
      const list = (await incidentsBetween(period.start, period.end)).filter(countsForFlags);
      const fires: AssessedFire[] = list
        .filter((i) => i.townshipCode !== null)
        .map((i) => ({
          areaCode: i.townshipCode as string,
          firstReportedAt: i.firstReportedAt,
          onSceneMin: i.onSceneMin,
          controlledMin: i.controlledMin,
          extinguishedMin: i.extinguishedMin,
        }));
      // Each month judged by its own thresholds, as its flags are (and its history settled).
      const begun = period.months.filter((m) => monthBounds(m).start.getTime() <= now.getTime());
      const judged = new Map(
        (await settle('township', begun, now)).map((m) => [m.month, m.thresholds]),
      );
      const townships = assess(
        period,
        await areas('township'),
        fires,
        await figures(period),
        (month) => judged.get(month) ?? thresholds,
        now,
      );
      const cadres = await db
        .select({ displayName: users.displayName, townshipCode: users.townshipCode })
        .from(users)
        .where(and(eq(users.role, 'township_commander'), isNotNull(users.townshipCode)))
        .orderBy(users.townshipCode, users.displayName);
      const last = period.months[period.months.length - 1] as string;
      const units = await trainingUnitTotals(
        database,
        `${period.months[0]}-01`,
        `${addMonths(last, 1)}-01`,
      );
      const names = new Map(townships.map((t) => [t.code, t.name]));
      return {
        period: { id: period.id, kind: period.kind, label: period.label, months: period.months },
        townships,
        trainingUnits: units.map((u) => ({
          ...u,
          townshipName: u.townshipCode ? (names.get(u.townshipCode) ?? null) : null,
        })),
        county: countyTotal(townships),
        cadres: cadres.flatMap((c) => {
          const row = townships.find((t) => t.code === c.townshipCode);
          return row ? [{ cadre: c.displayName, ...row }] : [];
        }),
      };
    },

    /** Every township (or village) with its confirmed fires and flag for one month. */
    async flags(month: string, level: FlagLevel, now = new Date()): Promise<AreaFlag[]> {
      const [one] = await settle(level, [month], now);
      return one?.flags ?? [];
    },

    /** The flags of each of `months`, with the thresholds each was judged by. */
    async flagHistory(
      level: FlagLevel,
      months: readonly string[],
      now = new Date(),
    ): Promise<FlagMonth[]> {
      return settle(level, months, now);
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
      const [row] = await db
        .insert(flagAnnotations)
        .values({
          month: input.month,
          level: input.level,
          areaCode: input.code,
          note: input.note,
          authorUserId: input.authorUserId,
        })
        .returning({ id: flagAnnotations.id, createdAt: flagAnnotations.createdAt });
      const [author] = await db
        .select({ displayName: users.displayName })
        .from(users)
        .where(eq(users.id, input.authorUserId));
      if (!row) throw new Error('flag annotation insert returned no row');
      return {
        id: row.id,
        month: input.month,
        level: input.level,
        code: input.code,
        note: input.note,
        author: author?.displayName ?? '',
        createdAt: row.createdAt.toISOString(),
      };
    },

    async annotations(month: string, level: FlagLevel): Promise<FlagAnnotation[]> {
      const rows = await db
        .select({
          id: flagAnnotations.id,
          code: flagAnnotations.areaCode,
          note: flagAnnotations.note,
          author: users.displayName,
          createdAt: flagAnnotations.createdAt,
        })
        .from(flagAnnotations)
        .innerJoin(users, eq(users.id, flagAnnotations.authorUserId))
        .where(and(eq(flagAnnotations.month, month), eq(flagAnnotations.level, level)))
        .orderBy(flagAnnotations.areaCode, flagAnnotations.createdAt);
      return rows.map((r) => ({
        id: r.id,
        month,
        level,
        code: r.code,
        note: r.note,
        author: r.author,
        createdAt: r.createdAt.toISOString(),
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
