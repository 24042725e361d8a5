/**
 * Fires from first smoke report to close: incidents, every raw report (idempotent on the
 * client-made UUID), the append-only event log with one global sequence, and dispatches.
 */
import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  check,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import {
  ACTIVE_DISPATCH_STATUSES,
  DISPATCH_STATUSES,
  ESCALATION_LEVELS,
  INCIDENT_STATES,
  REPORT_SOURCES,
} from '../../domain/vocabulary.ts';
import { grids, townships, villages, warZones } from './admin.ts';
import { nonNegative, oneOf } from './checks.ts';
import { crews } from './crews.ts';
import { gist, point } from './geometry.ts';
import { users } from './users.ts';

export const incidents = pgTable(
  'incidents',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    state: text('state').notNull().default('reported'),
    /** The 10/20/30-minute clock starts here. */
    firstReportedAt: timestamp('first_reported_at', { withTimezone: true }).notNull(),
    location: point('location').notNull(),
    gridCode: text('grid_code').references(() => grids.code),
    villageCode: text('village_code').references(() => villages.code),
    townshipCode: text('township_code').references(() => townships.code),
    warZoneId: integer('war_zone_id').references(() => warZones.id),
    escalationLevel: text('escalation_level').notNull().default('village'),
    burnedAreaHa: doublePrecision('burned_area_ha'),
    cause: text('cause'),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    gist('incidents_location_gist', t.location),
    index('incidents_state_idx').on(t.state),
    index('incidents_township_idx').on(t.townshipCode),
    oneOf('incidents_state_check', t.state, INCIDENT_STATES),
    oneOf('incidents_escalation_check', t.escalationLevel, ESCALATION_LEVELS),
    nonNegative('incidents_burned_area_nonnegative', t.burnedAreaHa),
    check('incidents_closed_has_time', sql`${t.state} <> 'closed' OR ${t.closedAt} IS NOT NULL`),
  ],
);

export const incidentReports = pgTable(
  'incident_reports',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    /** Made on the reporting device; a resend with the same UUID is the same report. */
    clientUuid: uuid('client_uuid').notNull().unique(),
    incidentId: uuid('incident_id')
      .notNull()
      .references(() => incidents.id),
    source: text('source').notNull(),
    observedAt: timestamp('observed_at', { withTimezone: true }).notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
    location: point('location').notNull(),
    accuracyM: doublePrecision('accuracy_m'),
    /** Lookout bearing to the smoke, degrees from true north. */
    bearingDeg: doublePrecision('bearing_deg'),
    /**
     * Where the bearing was taken from (the tower, or the ranger's phone), when the reporter
     * gave one: with bearing_deg, one line of a cross-bearing fix (services/incident-fixes.ts).
     */
    observer: point('observer'),
    note: text('note'),
    reporterUserId: uuid('reporter_user_id').references(() => users.id),
    reporterName: text('reporter_name'),
    reporterPhone: text('reporter_phone'),
    /** SHA-256 of the canonical content; a resend with other content is a conflict. */
    contentHash: text('content_hash').notNull(),
    gridCode: text('grid_code').references(() => grids.code),
  },
  (t) => [
    gist('incident_reports_location_gist', t.location),
    gist('incident_reports_observer_gist', t.observer),
    index('incident_reports_incident_idx').on(t.incidentId),
    oneOf('incident_reports_source_check', t.source, REPORT_SOURCES),
    nonNegative('incident_reports_accuracy_nonnegative', t.accuracyM),
    check('incident_reports_bearing_range', sql`${t.bearingDeg} >= 0 AND ${t.bearingDeg} < 360`),
    check('incident_reports_note_length', sql`char_length(${t.note}) <= 2000`),
  ],
);

export const reportPhotos = pgTable(
  'report_photos',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    reportId: bigint('report_id', { mode: 'number' })
      .notNull()
      .references(() => incidentReports.id, { onDelete: 'cascade' }),
    mimeType: text('mime_type').notNull(),
    sizeBytes: integer('size_bytes').notNull(),
    sha256: text('sha256').notNull(),
    /** Path under DATA_DIR. */
    storagePath: text('storage_path').notNull(),
  },
  (t) => [
    index('report_photos_report_idx').on(t.reportId),
    oneOf('report_photos_mime_check', t.mimeType, ['image/jpeg', 'image/png', 'image/webp']),
    check('report_photos_size_positive', sql`${t.sizeBytes} > 0`),
  ],
);

/**
 * Append-only: a trigger (migration 0002) refuses UPDATE and DELETE. `seq` comes from one
 * database sequence for all incidents, so a client can ask for "everything after N".
 */
export const incidentEvents = pgTable(
  'incident_events',
  {
    seq: bigserial('seq', { mode: 'number' }).primaryKey(),
    incidentId: uuid('incident_id')
      .notNull()
      .references(() => incidents.id),
    type: text('type').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    actorUserId: uuid('actor_user_id').references(() => users.id),
    /** Who acted when there is no user: 'system', 'public', a lookout id … */
    actorLabel: text('actor_label').notNull(),
    payload: jsonb('payload').notNull().default(sql`'{}'::jsonb`),
  },
  (t) => [index('incident_events_incident_idx').on(t.incidentId, t.seq)],
);

export const dispatches = pgTable(
  'dispatches',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    incidentId: uuid('incident_id')
      .notNull()
      .references(() => incidents.id),
    crewId: text('crew_id')
      .notNull()
      .references(() => crews.id),
    status: text('status').notNull().default('ordered'),
    orderedBy: uuid('ordered_by').references(() => users.id),
    orderedAt: timestamp('ordered_at', { withTimezone: true }).notNull().defaultNow(),
    /** Travel time estimated by the reach engine at the moment of the order. */
    etaSeconds: doublePrecision('eta_seconds'),
    acknowledgedAt: timestamp('acknowledged_at', { withTimezone: true }),
    arrivedAt: timestamp('arrived_at', { withTimezone: true }),
    releasedAt: timestamp('released_at', { withTimezone: true }),
  },
  (t) => [
    index('dispatches_incident_idx').on(t.incidentId),
    oneOf('dispatches_status_check', t.status, DISPATCH_STATUSES),
    nonNegative('dispatches_eta_nonnegative', t.etaSeconds),
    // A crew serves one incident at a time: the database, not the app, settles the race.
    uniqueIndex('dispatches_one_active_per_crew')
      .on(t.crewId)
      .where(sql.raw(`status IN (${ACTIVE_DISPATCH_STATUSES.map((s) => `'${s}'`).join(', ')})`)),
  ],
);
