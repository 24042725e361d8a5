/**
 * Tower cameras 铁塔哨兵 that post smoke/fire alarms (issue 16, item 3), and the alarms they
 * posted, kept so that a camera re-posting one alarm every second becomes one report.
 */
import { sql } from 'drizzle-orm';
import {
  check,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  serial,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import { gist, point } from './geometry.ts';

export const cameras = pgTable(
  'cameras',
  {
    /** The device's own id: serial number, GB/T 28181 device code, or one the county gives. */
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    /**
     * The tower it stands on, when it stands on one (no foreign key: a county's geodata is
     * reloaded whole, lookouts included, and must not be held up by its cameras).
     */
    lookoutId: text('lookout_id'),
    geom: point('geom').notNull(),
    /** Lens height above the ground, metres. */
    heightM: doublePrecision('height_m').notNull(),
    /** True-north azimuth of pan 0, degrees: a pan angle p looks along heading + p. */
    headingDeg: doublePrecision('heading_deg').notNull().default(0),
    /** How far it detects smoke, metres. */
    rangeM: doublePrecision('range_m').notNull().default(5000),
    /** SHA-256 (hex) of the device key; the key itself is shown once, at registration. */
    keyHash: text('key_hash').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    gist('cameras_geom_gist', t.geom),
    check('cameras_height_positive', sql`${t.heightM} > 0`),
    check('cameras_heading_range', sql`${t.headingDeg} >= 0 AND ${t.headingDeg} < 360`),
    check('cameras_range_positive', sql`${t.rangeM} > 0`),
  ],
);

export const cameraAlarms = pgTable(
  'camera_alarms',
  {
    id: serial('id').primaryKey(),
    cameraId: text('camera_id')
      .notNull()
      .references(() => cameras.id),
    channel: integer('channel').notNull(),
    /** True bearing of the alarm, degrees; null when the camera sent none. */
    bearingDeg: doublePrecision('bearing_deg'),
    firstAt: timestamp('first_at', { withTimezone: true }).notNull(),
    lastAt: timestamp('last_at', { withTimezone: true }).notNull(),
    /** Posts collapsed into this alarm. */
    posts: integer('posts').notNull().default(1),
    /** The report the alarm became (incident_reports.client_uuid). */
    reportUuid: uuid('report_uuid').notNull(),
    /**
     * `pending`: stored and acknowledged, its report not made yet (the fusion worker makes
     * it, at start too); `reported`: the report is committed; `failed`: it cannot be made
     * (`error` says why).
     */
    state: text('state').notNull().default('reported'),
    /** What a pending alarm's report is made from (position, time, note, pictures). */
    intake: jsonb('intake'),
    error: text('error'),
  },
  (t) => [
    index('camera_alarms_camera_last').on(t.cameraId, t.channel, t.lastAt),
    index('camera_alarms_pending').on(t.id).where(sql`${t.state} = 'pending'`),
    check('camera_alarms_state', sql`${t.state} IN ('pending', 'reported', 'failed')`),
  ],
);
