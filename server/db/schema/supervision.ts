/**
 * The supervision system 督战体系: inspections (三级督导, the "321" rhythm), drills 演练,
 * trainings 培训, and publicity records 宣传 (household visits, pledges 防火承诺书).
 */
import { sql } from 'drizzle-orm';
import {
  bigserial,
  check,
  date,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { FLAG_COLOURS, FLAG_LEVELS } from '../../domain/flags.ts';
import { INSPECTION_KINDS } from '../../domain/vocabulary.ts';
import { grids, townships, villages } from './admin.ts';
import { nonNegative, oneOf } from './checks.ts';
import { crews } from './crews.ts';
import { gist, point } from './geometry.ts';
import { incidents } from './incidents.ts';
import { users } from './users.ts';

export const inspections = pgTable(
  'inspections',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    kind: text('kind').notNull(),
    inspector: text('inspector').notNull(),
    inspectorUserId: uuid('inspector_user_id').references(() => users.id),
    townshipCode: text('township_code').references(() => townships.code),
    villageCode: text('village_code').references(() => villages.code),
    gridCode: text('grid_code').references(() => grids.code),
    inspectedAt: timestamp('inspected_at', { withTimezone: true }).notNull(),
    findings: text('findings'),
    /** 立行立改: when the finding was put right, how, and who reported it done. */
    rectifiedAt: timestamp('rectified_at', { withTimezone: true }),
    rectification: text('rectification'),
    rectifiedBy: uuid('rectified_by').references(() => users.id),

    geom: point('geom'),
  },
  (t) => [
    gist('inspections_geom_gist', t.geom),
    index('inspections_township_time_idx').on(t.townshipCode, t.inspectedAt),
    oneOf('inspections_kind_check', t.kind, INSPECTION_KINDS),
    check(
      'inspections_rectified_after',
      sql`${t.rectifiedAt} IS NULL OR ${t.rectifiedAt} >= ${t.inspectedAt}`,
    ),
  ],
);

/**
 * Photos of an inspection (issue 14 item 2): what the inspector saw, or the finding put
 * right. Taken in like report photos (services/photo-intake.ts): stored by content under the
 * photos directory, each at most once per inspection.
 */
export const inspectionPhotos = pgTable(
  'inspection_photos',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    inspectionId: uuid('inspection_id')
      .notNull()
      .references(() => inspections.id, { onDelete: 'cascade' }),
    mimeType: text('mime_type').notNull(),
    sizeBytes: integer('size_bytes').notNull(),
    sha256: text('sha256').notNull(),
    /** Path under the photos directory. */
    storagePath: text('storage_path').notNull(),
    uploadedBy: uuid('uploaded_by').references(() => users.id),
    uploadedAt: timestamp('uploaded_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('inspection_photos_once').on(t.inspectionId, t.sha256),
    oneOf('inspection_photos_mime_check', t.mimeType, ['image/jpeg', 'image/png', 'image/webp']),
    check('inspection_photos_size_positive', sql`${t.sizeBytes} > 0`),
  ],
);

export const drills = pgTable(
  'drills',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    title: text('title').notNull(),
    heldOn: date('held_on').notNull(),
    townshipCode: text('township_code').references(() => townships.code),
    /** Departments taking part: 林业, 应急, 消防, 公安, townships … */
    departments: text('departments').array().notNull().default(sql`'{}'::text[]`),
    participants: integer('participants').notNull(),
    notes: text('notes'),
    geom: point('geom'),
  },
  (t) => [
    gist('drills_geom_gist', t.geom),
    nonNegative('drills_participants_nonnegative', t.participants),
  ],
);

export const trainings = pgTable(
  'trainings',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    title: text('title').notNull(),
    heldOn: date('held_on').notNull(),
    townshipCode: text('township_code').references(() => townships.code),
    /** 护林员, 应急队员 … */
    audience: text('audience').notNull(),
    /** 人次: the county counts 5,000+ a year. */
    personTimes: integer('person_times').notNull(),
    /**
     * The unit trained: a crew of the crews table, or a named organisation (a village's
     * 护林员队, a school, an enterprise) in its township; neither on records made before units
     * were kept (shown as 未注明单位).
     */
    crewId: text('crew_id').references(() => crews.id),
    unitName: text('unit_name'),
  },
  (t) => [
    nonNegative('trainings_person_times_nonnegative', t.personTimes),
    check('trainings_one_unit', sql`${t.crewId} IS NULL OR ${t.unitName} IS NULL`),
    check(
      'trainings_unit_name_not_blank',
      sql`${t.unitName} IS NULL OR btrim(${t.unitName}) <> ''`,
    ),
    index('trainings_held_on_idx').on(t.heldOn),
  ],
);

export const publicityRecords = pgTable(
  'publicity_records',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    villageCode: text('village_code')
      .notNull()
      .references(() => villages.code),
    gridCode: text('grid_code').references(() => grids.code),
    recordedOn: date('recorded_on').notNull(),
    /** 村村响, 宣传车, 铜锣, 入户 … */
    channel: text('channel').notNull(),
    householdsTotal: integer('households_total').notNull(),
    householdsVisited: integer('households_visited').notNull(),
    pledgesSigned: integer('pledges_signed').notNull(),
    awarePersons: integer('aware_persons'),
    surveyedPersons: integer('surveyed_persons'),
  },
  (t) => [
    index('publicity_records_village_idx').on(t.villageCode, t.recordedOn),
    nonNegative('publicity_households_total_nonnegative', t.householdsTotal),
    check(
      'publicity_visited_within_total',
      sql`${t.householdsVisited} BETWEEN 0 AND ${t.householdsTotal}`,
    ),
    check(
      'publicity_pledges_within_total',
      sql`${t.pledgesSigned} BETWEEN 0 AND ${t.householdsTotal}`,
    ),
    check(
      'publicity_aware_within_surveyed',
      sql`${t.awarePersons} BETWEEN 0 AND ${t.surveyedPersons}`,
    ),
  ],
);

/**
 * The assessment office's notes on a month's flag (考核办批注). The colour itself is always
 * computed from the incidents (server/domain/flags.ts); a note never changes it.
 */
export const flagAnnotations = pgTable(
  'flag_annotations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Asia/Shanghai calendar month, YYYY-MM. */
    month: text('month').notNull(),
    level: text('level').notNull(),
    areaCode: text('area_code').notNull(),
    note: text('note').notNull(),
    authorUserId: uuid('author_user_id')
      .notNull()
      .references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('flag_annotations_month_idx').on(t.month, t.level, t.areaCode),
    oneOf('flag_annotations_level_check', t.level, FLAG_LEVELS),
    check('flag_annotations_month_format', sql`${t.month} ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'`),
    check('flag_annotations_note_length', sql`char_length(${t.note}) BETWEEN 1 AND 2000`),
  ],
);

/**
 * The thresholds each month's flags are judged by (server/domain/flags.ts monthThresholds):
 * written at the month's first computation and kept up to date with the settings while the
 * month is current; once it is past, a change of settings no longer reaches it.
 */
export const flagMonths = pgTable(
  'flag_months',
  {
    /** Asia/Shanghai calendar month, YYYY-MM. */
    month: text('month').primaryKey(),
    yellowMin: integer('yellow_min').notNull(),
    blackMin: integer('black_min').notNull(),
    firstComputedAt: timestamp('first_computed_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check('flag_months_month_format', sql`${t.month} ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'`),
    check('flag_months_thresholds', sql`${t.yellowMin} >= 1 AND ${t.blackMin} > ${t.yellowMin}`),
  ],
);

/**
 * 红黄黑旗 history: each month's flag per township and per village with its confirmed fires
 * and the thresholds it was computed under. Rewritten whenever a read finds the month's
 * incidents counting differently (supervision-repository.ts settle); never deleted.
 */
export const flagHistory = pgTable(
  'flag_history',
  {
    month: text('month')
      .notNull()
      .references(() => flagMonths.month),
    level: text('level').notNull(),
    areaCode: text('area_code').notNull(),
    fires: integer('fires').notNull(),
    flag: text('flag').notNull(),
    yellowMin: integer('yellow_min').notNull(),
    blackMin: integer('black_min').notNull(),
    computedAt: timestamp('computed_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.month, t.level, t.areaCode] }),
    index('flag_history_area_idx').on(t.level, t.areaCode, t.month),
    oneOf('flag_history_level_check', t.level, FLAG_LEVELS),
    oneOf('flag_history_flag_check', t.flag, FLAG_COLOURS),
    nonNegative('flag_history_fires_nonneg', t.fires),
  ],
);

/**
 * Incidents that are drills 演练: they run through the real system but never count in flags
 * or statistics. A row here is what makes an incident a drill.
 */
export const drillIncidents = pgTable('drill_incidents', {
  incidentId: uuid('incident_id')
    .primaryKey()
    .references(() => incidents.id),
  drillId: uuid('drill_id').references(() => drills.id),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * 森林特护期: while one is in force the 321 rhythm applies in its townships (all of the
 * county when `township_codes` is empty).
 */
export const protectionPeriods = pgTable(
  'protection_periods',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    title: text('title').notNull(),
    startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
    endsAt: timestamp('ends_at', { withTimezone: true }).notNull(),
    townshipCodes: text('township_codes').array().notNull().default(sql`'{}'::text[]`),
    declaredBy: uuid('declared_by').references(() => users.id),
    declaredAt: timestamp('declared_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [check('protection_periods_ends_after_start', sql`${t.endsAt} > ${t.startsAt}`)],
);
