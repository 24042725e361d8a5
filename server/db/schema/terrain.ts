/**
 * The loaded county's terrain: its DEM (a GeoTIFF in WGS84/CGCS2000 degrees) stored with the
 * rest of its data, so terrain tiles, contours, the reach walking surface, fire spread and
 * tower coverage follow whichever county was loaded last (server/geodata/county-loader.ts).
 * One row: a load replaces it in the same transaction as the county's areas.
 */
import { sql } from 'drizzle-orm';
import {
  check,
  customType,
  doublePrecision,
  integer,
  pgTable,
  text,
  timestamp,
} from 'drizzle-orm/pg-core';

/** The GeoTIFF's bytes, as they came (served again byte for byte by GET /api/reach/dem.tif). */
const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({
  dataType() {
    return 'bytea';
  },
});

export const countyTerrain = pgTable(
  'county_terrain',
  {
    /** The county the DEM belongs to (counties.code; the row goes when the county does). */
    countyCode: text('county_code').primaryKey(),
    /** The file it was loaded from, for messages (dem.tif, or the survey's own name). */
    fileName: text('file_name').notNull(),
    bytes: bytea('bytes').notNull(),
    /** Hex SHA-256 of `bytes`: the cache key of every consumer and the ETag of the download. */
    sha256: text('sha256').notNull(),
    width: integer('width').notNull(),
    height: integer('height').notNull(),
    /** Bounds in degrees. */
    west: doublePrecision('west').notNull(),
    south: doublePrecision('south').notNull(),
    east: doublePrecision('east').notNull(),
    north: doublePrecision('north').notNull(),
    loadedAt: timestamp('loaded_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check('county_terrain_size_positive', sql`${t.width} > 0 AND ${t.height} > 0`),
    check('county_terrain_bounds', sql`${t.west} < ${t.east} AND ${t.south} < ${t.north}`),
  ],
);
