/**
 * What sits on the ground: 瞭望台/铁塔哨兵 lookouts, 应急水源 water, 防火阻隔带 firebreaks,
 * roads, rivers and 重点区域 key areas.
 */
import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  doublePrecision,
  index,
  pgTable,
  text,
  timestamp,
} from 'drizzle-orm/pg-core';
import {
  CAMERA_KINDS,
  KEY_AREA_KINDS,
  ROAD_CLASSES,
  WATER_SOURCE_KINDS,
} from '../../domain/vocabulary.ts';
import { grids, townships } from './admin.ts';
import { nonNegative, oneOf } from './checks.ts';
import { anyGeometry, gist, lineString, multiLineString, point } from './geometry.ts';

const updatedAt = () => timestamp('updated_at', { withTimezone: true }).notNull().defaultNow();

export const lookouts = pgTable(
  'lookouts',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    cameraKind: text('camera_kind').notNull(),
    heightM: doublePrecision('height_m').notNull(),
    /** Nominal camera range, metres. */
    rangeM: doublePrecision('range_m'),
    townshipCode: text('township_code').references(() => townships.code),
    gridCode: text('grid_code').references(() => grids.code),
    geom: point('geom').notNull(),
    updatedAt: updatedAt(),
  },
  (t) => [
    gist('lookouts_geom_gist', t.geom),
    oneOf('lookouts_camera_kind_check', t.cameraKind, CAMERA_KINDS),
    check('lookouts_height_positive', sql`${t.heightM} > 0`),
    nonNegative('lookouts_range_nonnegative', t.rangeM),
  ],
);

export const waterSources = pgTable(
  'water_sources',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    kind: text('kind').notNull(),
    capacityM3: doublePrecision('capacity_m3'),
    townshipCode: text('township_code').references(() => townships.code),
    gridCode: text('grid_code').references(() => grids.code),
    geom: point('geom').notNull(),
    updatedAt: updatedAt(),
  },
  (t) => [
    gist('water_sources_geom_gist', t.geom),
    oneOf('water_sources_kind_check', t.kind, WATER_SOURCE_KINDS),
    nonNegative('water_sources_capacity_nonnegative', t.capacityM3),
  ],
);

export const firebreaks = pgTable(
  'firebreaks',
  {
    id: text('id').primaryKey(),
    name: text('name'),
    widthM: doublePrecision('width_m'),
    lengthM: doublePrecision('length_m'),
    builtYear: doublePrecision('built_year'),
    geom: multiLineString('geom').notNull(),
    updatedAt: updatedAt(),
  },
  (t) => [
    gist('firebreaks_geom_gist', t.geom),
    nonNegative('firebreaks_width_nonnegative', t.widthM),
    nonNegative('firebreaks_length_nonnegative', t.lengthM),
  ],
);

export const roads = pgTable(
  'roads',
  {
    id: text('id').primaryKey(),
    name: text('name'),
    class: text('class').notNull(),
    speedKmh: doublePrecision('speed_kmh').notNull(),
    bridge: boolean('bridge').notNull().default(false),
    geom: lineString('geom').notNull(),
    updatedAt: updatedAt(),
  },
  (t) => [
    gist('roads_geom_gist', t.geom),
    index('roads_class_idx').on(t.class),
    oneOf('roads_class_check', t.class, ROAD_CLASSES),
    check('roads_speed_range', sql`${t.speedKmh} > 0 AND ${t.speedKmh} <= 120`),
  ],
);

export const rivers = pgTable(
  'rivers',
  {
    id: text('id').primaryKey(),
    name: text('name'),
    /** Strahler order; higher is larger. */
    streamOrder: doublePrecision('stream_order'),
    geom: multiLineString('geom').notNull(),
    updatedAt: updatedAt(),
  },
  (t) => [gist('rivers_geom_gist', t.geom), nonNegative('rivers_order_nonnegative', t.streamOrder)],
);

export const keyAreas = pgTable(
  'key_areas',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    kind: text('kind').notNull(),
    gridCode: text('grid_code').references(() => grids.code),
    geom: anyGeometry('geom').notNull(),
    updatedAt: updatedAt(),
  },
  (t) => [
    gist('key_areas_geom_gist', t.geom),
    oneOf('key_areas_kind_check', t.kind, KEY_AREA_KINDS),
  ],
);
