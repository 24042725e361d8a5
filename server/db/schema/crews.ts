/**
 * Firefighting crews (扑火队伍) at the three command levels: county units, township
 * semi-professional crews of 30+ (半专业化扑火队伍), village crews of 15+.
 */
import { sql } from 'drizzle-orm';
import {
  bigserial,
  check,
  doublePrecision,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
} from 'drizzle-orm/pg-core';
import { CREW_LEVELS, CREW_STATUSES, EQUIPMENT_KINDS } from '../../domain/vocabulary.ts';
import { townships, villages } from './admin.ts';
import { nonNegative, oneOf } from './checks.ts';
import { gist, point } from './geometry.ts';
import { people } from './people.ts';

export const crews = pgTable(
  'crews',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    level: text('level').notNull(),
    /** County units: 专业扑火队, 消防, 应急, 林业, 公安; else the crew's own kind. */
    unitKind: text('unit_kind'),
    members: integer('members').notNull(),
    townshipCode: text('township_code').references(() => townships.code),
    villageCode: text('village_code').references(() => villages.code),
    status: text('status').notNull().default('standby'),
    /** Standby base, on the road network. */
    base: point('base').notNull(),
    phone: text('phone'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    gist('crews_base_gist', t.base),
    index('crews_township_idx').on(t.townshipCode),
    oneOf('crews_level_check', t.level, CREW_LEVELS),
    oneOf('crews_status_check', t.status, CREW_STATUSES),
    nonNegative('crews_members_nonnegative', t.members),
    check(
      'crews_level_scope',
      sql`(${t.level} <> 'township' OR ${t.townshipCode} IS NOT NULL) AND (${t.level} <> 'village' OR ${t.villageCode} IS NOT NULL)`,
    ),
  ],
);

export const crewMembers = pgTable(
  'crew_members',
  {
    crewId: text('crew_id')
      .notNull()
      .references(() => crews.id, { onDelete: 'cascade' }),
    personId: integer('person_id')
      .notNull()
      .references(() => people.id, { onDelete: 'cascade' }),
    /** e.g. 队长 captain, 队员 member. */
    duty: text('duty').notNull().default('member'),
  },
  (t) => [primaryKey({ columns: [t.crewId, t.personId] })],
);

export const crewEquipment = pgTable(
  'crew_equipment',
  {
    crewId: text('crew_id')
      .notNull()
      .references(() => crews.id, { onDelete: 'cascade' }),
    kind: text('kind').notNull(),
    count: integer('count').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.crewId, t.kind] }),
    oneOf('crew_equipment_kind_check', t.kind, EQUIPMENT_KINDS),
    nonNegative('crew_equipment_count_nonnegative', t.count),
  ],
);

/** AVL track: one row per position fix sent by a crew phone. */
export const crewPositions = pgTable(
  'crew_positions',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    crewId: text('crew_id')
      .notNull()
      .references(() => crews.id, { onDelete: 'cascade' }),
    /** Time of the GPS fix on the phone. */
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
    accuracyM: doublePrecision('accuracy_m'),
    speedMs: doublePrecision('speed_ms'),
    headingDeg: doublePrecision('heading_deg'),
    geom: point('geom').notNull(),
  },
  (t) => [
    gist('crew_positions_geom_gist', t.geom),
    index('crew_positions_crew_time_idx').on(t.crewId, t.recordedAt),
    nonNegative('crew_positions_accuracy_nonnegative', t.accuracyM),
    nonNegative('crew_positions_speed_nonnegative', t.speedMs),
    check('crew_positions_heading_range', sql`${t.headingDeg} >= 0 AND ${t.headingDeg} < 360`),
  ],
);
