/**
 * A county's DEM as the loader stores it (county_terrain) and the importer accepts it: a
 * single-band, north-up GeoTIFF in geographic degrees on WGS 84 (EPSG:4326) or CGCS2000
 * (EPSG:4490, which differs from WGS 84 by under a metre), covering the county's outline.
 * Every refusal names the file.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { GeoGridError, geoGridOf } from './geotiff-grid.ts';

export type Bbox = [number, number, number, number];

export interface CountyDem {
  /** The file's own name (dem.tif, or the survey's name for it). */
  fileName: string;
  bytes: Buffer;
  /** Hex SHA-256 of the bytes. */
  sha256: string;
  width: number;
  height: number;
  /** west, south, east, north, degrees */
  bbox: Bbox;
}

export class CountyDemError extends Error {
  constructor(
    message: string,
    readonly file: string,
  ) {
    super(message);
    this.name = 'CountyDemError';
  }
}

/** EPSG codes of the geographic CRSs a DEM may come in (degrees, WGS 84 ≈ CGCS2000). */
export const DEM_EPSG = [4326, 4490];

/** Half a metre of slack at the edges, for outlines rounded to 1e-6° (≈ 0.1 m). */
const EDGE_SLACK_DEG = 5e-6;

/** Reads and checks `file` against the county's bounding box; throws CountyDemError. */
export async function readCountyDem(file: string, county: Bbox): Promise<CountyDem> {
  const name = path.basename(file);
  if (!fs.existsSync(file)) throw new CountyDemError(`${name} is missing`, name);
  const bytes = fs.readFileSync(file);
  let grid: Awaited<ReturnType<typeof geoGridOf>>;
  try {
    grid = await geoGridOf(bytes, name);
  } catch (err) {
    const message = err instanceof GeoGridError ? err.message : (err as Error).message;
    throw new CountyDemError(message, name);
  }
  if (!grid.geographic || grid.epsg === null || !DEM_EPSG.includes(grid.epsg))
    throw new CountyDemError(
      `${name}: the DEM must be in geographic degrees on EPSG:4326 (WGS 84) or EPSG:4490 (CGCS2000), found ${grid.geographic ? 'a geographic' : 'a projected'} CRS${grid.epsg ? ` EPSG:${grid.epsg}` : ' with no EPSG code'}`,
      name,
    );
  const [x0, dx, , y0, , dy] = grid.gt;
  const bbox: Bbox = [x0, y0 + grid.height * dy, x0 + grid.width * dx, y0];
  const [w, s, e, n] = county;
  if (
    bbox[0] > w + EDGE_SLACK_DEG ||
    bbox[1] > s + EDGE_SLACK_DEG ||
    bbox[2] < e - EDGE_SLACK_DEG ||
    bbox[3] < n - EDGE_SLACK_DEG
  )
    throw new CountyDemError(
      `${name}: the DEM (${bbox.map((v) => v.toFixed(5)).join(', ')}) does not cover the county (${county.map((v) => v.toFixed(5)).join(', ')}; west, south, east, north)`,
      name,
    );
  return {
    fileName: name,
    bytes,
    sha256: crypto.createHash('sha256').update(bytes).digest('hex'),
    width: grid.width,
    height: grid.height,
    bbox,
  };
}

/** The bounding box of GeoJSON coordinates, nested to any depth. */
export function bboxOf(coordinates: unknown): Bbox {
  const box: Bbox = [
    Number.POSITIVE_INFINITY,
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
  ];
  const walk = (c: unknown) => {
    if (typeof (c as unknown[])[0] === 'number') {
      const [x, y] = c as [number, number];
      box[0] = Math.min(box[0], x);
      box[1] = Math.min(box[1], y);
      box[2] = Math.max(box[2], x);
      box[3] = Math.max(box[3], y);
    } else for (const k of c as unknown[]) walk(k);
  };
  walk(coordinates);
  return box;
}
