/** Fire weather: observations, 3-day 森林火灾气象等级预报 forecasts, 预警信息 warnings. */
import { sql } from 'drizzle-orm';
import {
  bigserial,
  check,
  date,
  doublePrecision,
  index,
  integer,
  pgTable,
  smallint,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import { WARNING_LEVELS } from '../../domain/vocabulary.ts';
import { townships, warZones } from './admin.ts';
import { nonNegative, oneOf } from './checks.ts';
import { gist, point } from './geometry.ts';
import { users } from './users.ts';

export const weatherObservations = pgTable(
  'weather_observations',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    stationId: text('station_id').notNull(),
    observedAt: timestamp('observed_at', { withTimezone: true }).notNull(),
    tempC: doublePrecision('temp_c'),
    rhPct: doublePrecision('rh_pct'),
    windKmh: doublePrecision('wind_kmh'),
    windDirDeg: doublePrecision('wind_dir_deg'),
    precipMm: doublePrecision('precip_mm'),
    townshipCode: text('township_code').references(() => townships.code),
    geom: point('geom'),
  },
  (t) => [
    gist('weather_observations_geom_gist', t.geom),
    index('weather_observations_station_time_idx').on(t.stationId, t.observedAt),
    check('weather_observations_rh_range', sql`${t.rhPct} BETWEEN 0 AND 100`),
    nonNegative('weather_observations_wind_nonnegative', t.windKmh),
    nonNegative('weather_observations_precip_nonnegative', t.precipMm),
    check('weather_observations_temp_range', sql`${t.tempC} BETWEEN -60 AND 60`),
    check('weather_observations_dir_range', sql`${t.windDirDeg} >= 0 AND ${t.windDirDeg} < 360`),
  ],
);

export const fireDangerForecasts = pgTable(
  'fire_danger_forecasts',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    issuedAt: timestamp('issued_at', { withTimezone: true }).notNull(),
    validDate: date('valid_date').notNull(),
    /** Null for the whole county. */
    townshipCode: text('township_code').references(() => townships.code),
    /** 森林火灾气象等级 1–5. */
    level: smallint('level').notNull(),
    ffmc: doublePrecision('ffmc'),
    dmc: doublePrecision('dmc'),
    dc: doublePrecision('dc'),
    isi: doublePrecision('isi'),
    bui: doublePrecision('bui'),
    fwi: doublePrecision('fwi'),
  },
  (t) => [
    index('fire_danger_forecasts_valid_idx').on(t.validDate),
    check('fire_danger_forecasts_level_range', sql`${t.level} BETWEEN 1 AND 5`),
  ],
);

export const warnings = pgTable(
  'warnings',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    level: text('level').notNull(),
    title: text('title').notNull(),
    body: text('body').notNull(),
    warZoneId: integer('war_zone_id').references(() => warZones.id),
    townshipCode: text('township_code').references(() => townships.code),
    issuedAt: timestamp('issued_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    issuedBy: uuid('issued_by').references(() => users.id),
  },
  (t) => [
    oneOf('warnings_level_check', t.level, WARNING_LEVELS),
    check(
      'warnings_expiry_after_issue',
      sql`${t.expiresAt} IS NULL OR ${t.expiresAt} > ${t.issuedAt}`,
    ),
  ],
);
