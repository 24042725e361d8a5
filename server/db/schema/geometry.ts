/**
 * PostGIS geometry columns for drizzle. drizzle's built-in `geometry()` emits
 * `geometry(point)` for every type and drops the SRID (design.md), so the column type is
 * spelled out here: `geometry(MultiPolygon,4326)` and so on.
 *
 * Values are GeoJSON geometries on the TypeScript side. Writes go through
 * ST_GeomFromGeoJSON; reads arrive from the driver as hex EWKB and are decoded with wkx.
 */

import { sql } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import { customType, index } from 'drizzle-orm/pg-core';
import type { Geometry, LineString, MultiLineString, MultiPolygon, Point } from 'geojson';
import wkx from 'wkx';

export const SRID = 4326;

type GeometryKind = 'Point' | 'LineString' | 'MultiLineString' | 'MultiPolygon' | 'Geometry';

function geometryColumn<T extends Geometry>(kind: GeometryKind) {
  return customType<{ data: T; driverData: string }>({
    dataType() {
      return `geometry(${kind},${SRID})`;
    },
    toDriver(value: T) {
      return sql`ST_SetSRID(ST_GeomFromGeoJSON(${JSON.stringify(value)}), ${sql.raw(String(SRID))})`;
    },
    fromDriver(value: string): T {
      return wkx.Geometry.parse(Buffer.from(value, 'hex')).toGeoJSON() as T;
    },
  });
}

export const point = geometryColumn<Point>('Point');
export const lineString = geometryColumn<LineString>('LineString');
export const multiLineString = geometryColumn<MultiLineString>('MultiLineString');
export const multiPolygon = geometryColumn<MultiPolygon>('MultiPolygon');
export const anyGeometry = geometryColumn<Geometry>('Geometry');

/** A GiST index on a geometry column; every geometry column gets one (design.md). */
export function gist(name: string, column: AnyPgColumn) {
  return index(name).using('gist', column);
}
