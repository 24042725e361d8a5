/**
 * The county's administrative and fire-prevention areas: county → 战区 war zones →
 * 乡镇 townships → 村/社区 villages → 森林防火网格 grids (815 in Mayang).
 */
import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  doublePrecision,
  index,
  integer,
  pgTable,
  serial,
  smallint,
  text,
  timestamp,
} from 'drizzle-orm/pg-core';
import { TOWNSHIP_KINDS, VILLAGE_KINDS } from '../../domain/vocabulary.ts';
import { nonNegative, oneOf } from './checks.ts';
import { gist, multiPolygon, point } from './geometry.ts';

const updatedAt = () => timestamp('updated_at', { withTimezone: true }).notNull().defaultNow();

export const counties = pgTable(
  'counties',
  {
    /** GB/T 2260 county code, e.g. 431226 for 麻阳苗族自治县. */
    code: text('code').primaryKey(),
    name: text('name').notNull(),
    geom: multiPolygon('geom').notNull(),
    updatedAt: updatedAt(),
  },
  (t) => [
    gist('counties_geom_gist', t.geom),
    check('counties_code_format', sql`${t.code} ~ '^[0-9]{6}$'`),
  ],
);

export const warZones = pgTable(
  'war_zones',
  {
    id: serial('id').primaryKey(),
    /** 尧市战区, 锦和战区, 岩门战区, 高村战区, 兰里战区 */
    name: text('name').notNull().unique(),
    countyCode: text('county_code')
      .notNull()
      .references(() => counties.code),
    geom: multiPolygon('geom').notNull(),
    updatedAt: updatedAt(),
  },
  (t) => [gist('war_zones_geom_gist', t.geom)],
);

export const townships = pgTable(
  'townships',
  {
    /** 9-digit official township code (county code + 3). */
    code: text('code').primaryKey(),
    name: text('name').notNull(),
    kind: text('kind').notNull(),
    warZoneId: integer('war_zone_id')
      .notNull()
      .references(() => warZones.id),
    seat: point('seat'),
    geom: multiPolygon('geom').notNull(),
    updatedAt: updatedAt(),
  },
  (t) => [
    gist('townships_geom_gist', t.geom),
    gist('townships_seat_gist', t.seat),
    index('townships_war_zone_idx').on(t.warZoneId),
    oneOf('townships_kind_check', t.kind, TOWNSHIP_KINDS),
    check('townships_code_format', sql`${t.code} ~ '^[0-9]{9}$'`),
  ],
);

export const villages = pgTable(
  'villages',
  {
    /** 12-digit official village/community code. */
    code: text('code').primaryKey(),
    name: text('name').notNull(),
    kind: text('kind').notNull(),
    townshipCode: text('township_code')
      .notNull()
      .references(() => townships.code),
    seat: point('seat'),
    geom: multiPolygon('geom').notNull(),
    updatedAt: updatedAt(),
  },
  (t) => [
    gist('villages_geom_gist', t.geom),
    gist('villages_seat_gist', t.seat),
    index('villages_township_idx').on(t.townshipCode),
    oneOf('villages_kind_check', t.kind, VILLAGE_KINDS),
    check('villages_code_format', sql`${t.code} ~ '^[0-9]{12}$'`),
  ],
);

export const grids = pgTable(
  'grids',
  {
    /** Grid code derived from the village code (village code + 3-digit serial). */
    code: text('code').primaryKey(),
    villageCode: text('village_code')
      .notNull()
      .references(() => villages.code),
    townshipCode: text('township_code')
      .notNull()
      .references(() => townships.code),
    areaHa: doublePrecision('area_ha').notNull(),
    /** Share of the grid covered by forest, 0…1. */
    forestShare: doublePrecision('forest_share'),
    fuelType: text('fuel_type'),
    elevMinM: doublePrecision('elev_min_m'),
    elevMeanM: doublePrecision('elev_mean_m'),
    elevMaxM: doublePrecision('elev_max_m'),
    slopeMeanDeg: doublePrecision('slope_mean_deg'),
    firebreakKm: doublePrecision('firebreak_km'),
    /** Risk class 1 (low) … 5 (very high). */
    riskClass: smallint('risk_class'),
    /** True for generated demo data, so the UI can say so. */
    synthetic: boolean('synthetic').notNull().default(false),
    geom: multiPolygon('geom').notNull(),
    updatedAt: updatedAt(),
  },
  (t) => [
    gist('grids_geom_gist', t.geom),
    index('grids_village_idx').on(t.villageCode),
    index('grids_township_idx').on(t.townshipCode),
    nonNegative('grids_area_nonnegative', t.areaHa),
    nonNegative('grids_firebreak_nonnegative', t.firebreakKm),
    check('grids_forest_share_range', sql`${t.forestShare} BETWEEN 0 AND 1`),
    check('grids_risk_class_range', sql`${t.riskClass} BETWEEN 1 AND 5`),
    check('grids_slope_range', sql`${t.slopeMeanDeg} BETWEEN 0 AND 90`),
    check(
      'grids_elevation_order',
      sql`${t.elevMinM} <= ${t.elevMeanM} AND ${t.elevMeanM} <= ${t.elevMaxM}`,
    ),
  ],
);

/**
 * The geodata's version: one row, bumped by statement triggers (migration 0019) whenever the
 * areas, the asset layers or what the map draws of a crew change (its name, unit, base…),
 * never by a crew's status or position. Tile sets, reach and coverage key their caches on it:
 * one row read, where hashing the layers themselves scanned a province's 81,500 grids and
 * 22,400 crews (~200 ms) every few seconds.
 */
export const geodataVersion = pgTable(
  'geodata_version',
  {
    id: smallint('id').primaryKey(),
    version: bigint('version', { mode: 'number' }).notNull().default(1),
    changedAt: timestamp('changed_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [check('geodata_version_one_row', sql`${t.id} = 1`)],
);
