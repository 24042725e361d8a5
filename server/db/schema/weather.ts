/** Fire weather: observations, 3-day 森林火灾气象等级预报 forecasts, 预警信息 warnings. */
import { sql } from 'drizzle-orm';
import {
  bigserial,
  boolean,
  check,
  date,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { WARNING_LEVELS } from '../../domain/vocabulary.ts';
import { grids, townships, warZones } from './admin.ts';
import { nonNegative, oneOf } from './checks.ts';
import { gist, multiPolygon, point } from './geometry.ts';
import { users } from './users.ts';

/** Weather stations (national, regional automatic stations); shown on the map. */
export const weatherStations = pgTable(
  'weather_stations',
  {
    /** The station's own identifier, e.g. the CMA station number. */
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    townshipCode: text('township_code').references(() => townships.code, { onDelete: 'set null' }),
    elevationM: doublePrecision('elevation_m'),
    /** True for the generated demo stations, so the UI can say so. */
    synthetic: boolean('synthetic').notNull().default(false),
    geom: point('geom').notNull(),
  },
  (t) => [gist('weather_stations_geom_gist', t.geom)],
);

/**
 * Daily fire weather, observed or forecast, per station or per township: what LY/T 1172 reads
 * (daily maximum temperature, 14:00 humidity, the day's maximum wind, 24 h precipitation) with
 * the time it was issued. A forecast for a day is replaced by a later issue and by the day's
 * observation.
 */
export const weatherDaily = pgTable(
  'weather_daily',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    kind: text('kind').notNull(),
    stationId: text('station_id').references(() => weatherStations.id, { onDelete: 'cascade' }),
    townshipCode: text('township_code').references(() => townships.code, { onDelete: 'cascade' }),
    validDate: date('valid_date', { mode: 'string' }).notNull(),
    issuedAt: timestamp('issued_at', { withTimezone: true }).notNull(),
    tmaxC: doublePrecision('tmax_c').notNull(),
    rh14Pct: doublePrecision('rh14_pct').notNull(),
    windMs: doublePrecision('wind_ms').notNull(),
    rainMm: doublePrecision('rain_mm').notNull(),
    /**
     * Where the wind blows from, degrees clockwise from north (meteorological: 0 north, 90
     * east), as given; 360 is taken as north and stored as 0. Null: calm, or not reported.
     */
    windFromDeg: doublePrecision('wind_from_deg'),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('weather_daily_date_idx').on(t.validDate),
    oneOf('weather_daily_kind_check', t.kind, ['observation', 'forecast']),
    check('weather_daily_one_place', sql`(${t.stationId} IS NULL) <> (${t.townshipCode} IS NULL)`),
    check('weather_daily_rh_range', sql`${t.rh14Pct} BETWEEN 0 AND 100`),
    check('weather_daily_temp_range', sql`${t.tmaxC} BETWEEN -60 AND 60`),
    nonNegative('weather_daily_wind_nonnegative', t.windMs),
    nonNegative('weather_daily_rain_nonnegative', t.rainMm),
    check('weather_daily_wind_from_range', sql`${t.windFromDeg} >= 0 AND ${t.windFromDeg} < 360`),
  ],
);

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
    /** Set for a grid's row (its township_code is set too). */
    gridCode: text('grid_code').references(() => grids.code, { onDelete: 'cascade' }),
    /** LY/T 1172 index and its components {A,B,C,E,G}; the level of each system. */
    dangerIndex: smallint('danger_index'),
    components: jsonb('components'),
    lytLevel: smallint('lyt_level'),
    fwiLevel: smallint('fwi_level'),
  },
  (t) => [
    index('fire_danger_forecasts_valid_idx').on(t.validDate),
    index('fire_danger_forecasts_grid_idx').on(t.gridCode),
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
    /** GB/T 35965.1 identifier: sender code _ YYYYMMDDhhmmss (Beijing time) _ N. */
    identifier: text('identifier'),
    /** Start of validity (CAP onset); issuedAt when not given. */
    onsetAt: timestamp('onset_at', { withTimezone: true }),
    /** 防御措施: what to do (CAP instruction). */
    measures: text('measures'),
    /** The townships in the area (given, or those a drawn polygon touches). */
    townshipCodes: text('township_codes').array(),
    /** The drawn polygon, when the area was drawn rather than named by townships. */
    area: multiPolygon('area'),
  },
  (t) => [
    uniqueIndex('warnings_identifier_key').on(t.identifier),
    gist('warnings_area_gist', t.area),
    oneOf('warnings_level_check', t.level, WARNING_LEVELS),
    check(
      'warnings_expiry_after_issue',
      sql`${t.expiresAt} IS NULL OR ${t.expiresAt} > ${t.issuedAt}`,
    ),
  ],
);
