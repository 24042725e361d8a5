/**
 * Single-band, north-up GeoTIFF rasters read into a grid with its georeferencing, and byte
 * rasters written back on the same grid with the source's GeoKeys copied untouched, so GDAL
 * reads the same CRS and cells (the viewshed CLI and per-lookout viewsheds, issue 16).
 *
 * Georeferencing follows the GeoTIFF 1.0 spec (OGC 19-008r4): ModelTransformation, or
 * ModelPixelScale + ModelTiepoint; a PixelIsPoint raster's tie point is a cell centre, so
 * the grid origin moves half a cell up-left, as GDAL does.
 */
import fs from 'node:fs';
import { fromArrayBuffer, writeArrayBuffer } from 'geotiff';
import { metresPerDegree, WGS84_A } from '../domain/lookouts/viewshed.ts';

export interface GeoGrid {
  width: number;
  height: number;
  /** Band 1 as read (elevation in metres for a DEM). */
  values: ArrayLike<number>;
  /** GDAL geotransform: x = gt[0] + col·gt[1], y = gt[3] + row·gt[5] (north-up only). */
  gt: [number, number, number, number, number, number];
  /** true: CRS units are degrees of longitude/latitude; false: projected metres. */
  geographic: boolean;
  /** Semi-major axis of the CRS's ellipsoid, metres. */
  semiMajorM: number;
  /** EPSG code of the CRS (GeographicTypeGeoKey or ProjectedCSTypeGeoKey), when it names one. */
  epsg: number | null;
  /** Cell value meaning "no data", when the file names one. */
  noData: number | null;
  /** The tags that carry the CRS and placement, to be written back unchanged. */
  geoTags: Record<string, unknown>;
}

export class GeoGridError extends Error {}

const GEOGRAPHIC_MODEL = 2;
const PIXEL_IS_POINT = 2;
const METRE = 9001;
/** Semi-major axes of the geographic CRSs a Chinese county survey may come in (EPSG). */
const SEMI_MAJOR_BY_EPSG: Record<number, number> = {
  4326: WGS84_A, // WGS 84
  4490: WGS84_A, // CGCS2000
  4214: 6_378_245, // Beijing 1954 (Krassowsky)
  4610: 6_378_140, // Xian 1980 (IAG 1975)
};

function toArray(v: unknown): number[] | undefined {
  if (v === undefined || v === null) return undefined;
  return Array.from(v as ArrayLike<number>, Number);
}

export async function readGeoGrid(file: string): Promise<GeoGrid> {
  let buf: Buffer;
  try {
    buf = fs.readFileSync(file);
  } catch (err) {
    throw new GeoGridError(`cannot read ${file}: ${(err as Error).message}`);
  }
  return geoGridOf(buf, file);
}

/** The grid of a GeoTIFF already in memory; `file` names it in errors. */
export async function geoGridOf(buf: Uint8Array, file: string): Promise<GeoGrid> {
  let image: Awaited<ReturnType<Awaited<ReturnType<typeof fromArrayBuffer>>['getImage']>>;
  try {
    const tiff = await fromArrayBuffer(
      buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer,
    );
    image = await tiff.getImage();
  } catch (err) {
    throw new GeoGridError(`${file} is not a readable GeoTIFF: ${(err as Error).message}`);
  }
  const dir = image.fileDirectory;
  const load = async (tag: string) =>
    dir.hasTag(tag as never) ? await dir.loadValue(tag as never) : undefined;
  const transformation = toArray(await load('ModelTransformation'));
  const scale = toArray(await load('ModelPixelScale'));
  const tiepoint = toArray(await load('ModelTiepoint'));
  const keyDirectory = toArray(await load('GeoKeyDirectory'));
  const asciiParams = (await load('GeoAsciiParams')) as string | undefined;
  const doubleParams = toArray(await load('GeoDoubleParams'));
  const noDataText = (await load('GDAL_NODATA')) as string | undefined;
  const keys = (image.getGeoKeys() ?? {}) as Record<string, unknown>;

  let gt: GeoGrid['gt'];
  if (transformation) {
    const [a, b, , d, e, f, , h] = transformation as number[];
    if (b !== 0 || e !== 0) throw new GeoGridError(`${file}: rotated rasters are not supported`);
    gt = [d as number, a as number, 0, h as number, 0, f as number];
  } else if (scale && tiepoint) {
    const [i, j, , x, y] = tiepoint as number[];
    const [sx, sy] = scale as number[];
    gt = [
      (x as number) - (i as number) * (sx as number),
      sx as number,
      0,
      (y as number) + (j as number) * (sy as number),
      0,
      -(sy as number),
    ];
  } else {
    throw new GeoGridError(`${file} has no georeferencing (ModelTransformation or tie point)`);
  }
  if (keys.GTRasterTypeGeoKey === PIXEL_IS_POINT) {
    gt[0] -= gt[1] / 2;
    gt[3] -= gt[5] / 2;
  }
  const geographic = keys.GTModelTypeGeoKey === GEOGRAPHIC_MODEL;
  if (!geographic) {
    const unit = keys.ProjLinearUnitsGeoKey;
    if (unit !== undefined && unit !== METRE)
      throw new GeoGridError(`${file}: projected CRS units must be metres (EPSG:9001)`);
  }
  const semiMajorM =
    typeof keys.GeogSemiMajorAxisGeoKey === 'number'
      ? keys.GeogSemiMajorAxisGeoKey
      : (SEMI_MAJOR_BY_EPSG[keys.GeographicTypeGeoKey as number] ?? WGS84_A);

  const [band] = (await image.readRasters({ samples: [0] })) as unknown as ArrayLike<number>[];
  const geoTags: Record<string, unknown> = {};
  if (transformation) geoTags.ModelTransformation = transformation;
  if (scale) geoTags.ModelPixelScale = scale;
  if (tiepoint) geoTags.ModelTiepoint = tiepoint;
  if (keyDirectory) geoTags.GeoKeyDirectory = keyDirectory;
  if (asciiParams) geoTags.GeoAsciiParams = asciiParams;
  if (doubleParams) geoTags.GeoDoubleParams = doubleParams;
  const noData = noDataText !== undefined ? Number(noDataText) : null;
  return {
    width: image.getWidth(),
    height: image.getHeight(),
    values: band as ArrayLike<number>,
    gt,
    geographic,
    semiMajorM,
    epsg: Number(geographic ? keys.GeographicTypeGeoKey : keys.ProjectedCSTypeGeoKey) || null,
    noData: noData !== null && Number.isFinite(noData) ? noData : null,
    geoTags,
  };
}

/** Fractional cell position (column, row) of a point given in the grid's CRS. */
export function cellOf(grid: GeoGrid, x: number, y: number): { col: number; row: number } {
  return { col: (x - grid.gt[0]) / grid.gt[1], row: (y - grid.gt[3]) / grid.gt[5] };
}

/**
 * Metres of one column step and one row step. Projected grids: the cell size. Geographic
 * grids: the ellipsoid's metres per degree at latitude `latDeg`.
 */
export function cellMetres(grid: GeoGrid, latDeg: number): { x: number; y: number } {
  if (!grid.geographic) return { x: Math.abs(grid.gt[1]), y: Math.abs(grid.gt[5]) };
  const m = metresPerDegree(latDeg, grid.semiMajorM);
  return { x: Math.abs(grid.gt[1]) * m.x, y: Math.abs(grid.gt[5]) * m.y };
}

/** A byte GeoTIFF on `grid`'s cells and CRS (its geo tags copied as read). */
export function byteGeoTiff(grid: GeoGrid, cells: Uint8Array): Buffer {
  const ab = writeArrayBuffer(cells, {
    width: grid.width,
    height: grid.height,
    ...grid.geoTags,
    // geotiff.js's writer stamps EPSG:4326 over a file that names neither of these keys; the
    // copied GeoKeyDirectory is what gets written, so an empty key only stops the stamp.
    ProjectedCSTypeGeoKey: undefined,
  } as never);
  return Buffer.from(ab);
}
