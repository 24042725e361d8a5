/** Users of the system and their command scope (design.md: Users, roles, scope). */

import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  index,
  integer,
  pgTable,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import { USER_ROLES } from '../../domain/vocabulary.ts';
import { grids, townships, villages, warZones } from './admin.ts';
import { nonNegative, oneOf } from './checks.ts';
import { crews } from './crews.ts';
import { people } from './people.ts';

export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    username: text('username').notNull().unique(),
    displayName: text('display_name').notNull(),
    /** argon2id hash. */
    passwordHash: text('password_hash').notNull(),
    role: text('role').notNull(),
    /** Scope: the area a commander commands; null where the role is county-wide. */
    warZoneId: integer('war_zone_id').references(() => warZones.id),
    townshipCode: text('township_code').references(() => townships.code),
    villageCode: text('village_code').references(() => villages.code),
    gridCode: text('grid_code').references(() => grids.code),
    personId: integer('person_id').references(() => people.id),
    /** For a crew's phone: the crew it speaks for (acknowledges orders, sends positions). */
    crewId: text('crew_id').references(() => crews.id),
    failedLogins: integer('failed_logins').notNull().default(0),
    lockedUntil: timestamp('locked_until', { withTimezone: true }),
    disabled: boolean('disabled').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    oneOf('users_role_check', t.role, USER_ROLES),
    nonNegative('users_failed_logins_nonnegative', t.failedLogins),
    check('users_username_format', sql`${t.username} ~ '^[a-z0-9_.-]{2,32}$'`),
  ],
);

export const sessions = pgTable(
  'sessions',
  {
    /** SHA-256 of the session token; the token itself is never stored. */
    tokenHash: text('token_hash').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    kind: text('kind').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    /** Last use (to the minute): a bearer token idle longer than BEARER_IDLE_HOURS is over. */
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('sessions_user_idx').on(t.userId),
    oneOf('sessions_kind_check', t.kind, ['cookie', 'bearer']),
  ],
);
