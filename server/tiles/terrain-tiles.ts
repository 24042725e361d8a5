/**
 * Terrain tiles from the county DEM in the Terrarium encoding
 * (elevation m = R·256 + G + B/256 − 32768), which MapLibre's raster-dem source reads for
 * hillshade, contours and 3D. Rendered on request by bilinear sampling of the GeoTIFF and
 * encoded as PNG in Node.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import { encode } from 'fast-png';
import { fromArrayBuffer } from 'geotiff';

export const TERRAIN_TILE_SIZE = 256;

export interface Dem {
  width: number;
  height: number;
  /** west, south, east, north in degrees */
  bbox: [number, number, number, number];
  values: ArrayLike<number>;
  /** Content hash of the GeoTIFF: terrain tiles' ETags change when the DEM does. */
  hash: string;
}

export async function readDem(file: string): Promise<Dem> {
  return demOf(fs.readFileSync(file));
}

/** The DEM of a GeoTIFF in memory (the county's stored terrain). */
export async function demOf(buf: Uint8Array): Promise<Dem> {
  const tiff = await fromArrayBuffer(
    buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer,
  );
  const image = await tiff.getImage();
  const [band] = (await image.readRasters()) as unknown as ArrayLike<number>[];
  return {
    width: image.getWidth(),
    height: image.getHeight(),
    bbox: image.getBoundingBox() as [number, number, number, number],
    values: band as ArrayLike<number>,
    hash: crypto.createHash('sha256').update(buf).digest('hex').slice(0, 16),
  };
}

/** Bilinear elevation (m) at lon/lat, clamped to the DEM's edge outside it. */
export function sampleDem(dem: Dem, lon: number, lat: number): number {
  const [w, s, e, n] = dem.bbox;
  const fx = Math.max(0, Math.min(dem.width - 1, ((lon - w) / (e - w)) * dem.width - 0.5));
  const fy = Math.max(0, Math.min(dem.height - 1, ((n - lat) / (n - s)) * dem.height - 0.5));
  const x0 = Math.floor(fx);
  const y0 = Math.floor(fy);
  const x1 = Math.min(dem.width - 1, x0 + 1);
  const y1 = Math.min(dem.height - 1, y0 + 1);
  const tx = fx - x0;
  const ty = fy - y0;
  const v = (x: number, y: number) => dem.values[y * dem.width + x] as number;
  return (
    (v(x0, y0) * (1 - tx) + v(x1, y0) * tx) * (1 - ty) +
    (v(x0, y1) * (1 - tx) + v(x1, y1) * tx) * ty
  );
}

/**
 * The deepest zoom worth rendering: the first at which a tile pixel is no larger than a DEM
 * pixel (along both axes; a Mercator pixel spans 360°/(256·2^z) of longitude and that
 * times cos φ of latitude). Deeper tiles only interpolate the same cells: MapLibre overzooms
 * the last one when the style's raster-dem source says `maxzoom` (server/tiles/style.ts).
 * ≈ 50 m cells in Mayang → 12.
 */
export function terrainMaxZoom(dem: Pick<Dem, 'width' | 'height' | 'bbox'>): number {
  const [w, s, e, n] = dem.bbox;
  const cosLat = Math.cos((((s + n) / 2) * Math.PI) / 180);
  const lonPx = (e - w) / dem.width;
  const latPx = (n - s) / dem.height / cosLat;
  const z = Math.ceil(Math.log2(360 / (TERRAIN_TILE_SIZE * Math.min(lonPx, latPx))) - 1e-9);
  return Math.max(0, Math.min(22, z));
}

/** Web-Mercator tile pixel centre → lon/lat. */
function pixelLonLat(z: number, x: number, y: number, px: number, py: number): [number, number] {
  const n = 2 ** z;
  const lon = ((x + (px + 0.5) / TERRAIN_TILE_SIZE) / n) * 360 - 180;
  const my = Math.PI * (1 - (2 * (y + (py + 0.5) / TERRAIN_TILE_SIZE)) / n);
  return [lon, (Math.atan(Math.sinh(my)) * 180) / Math.PI];
}

export function encodeTerrarium(elevation: number): [number, number, number] {
  const v = Math.max(0, Math.min(65535.996, elevation + 32768));
  const r = Math.floor(v / 256);
  const g = Math.floor(v) % 256;
  const b = Math.floor((v - Math.floor(v)) * 256);
  return [r, g, b];
}

export function decodeTerrarium(r: number, g: number, b: number): number {
  return r * 256 + g + b / 256 - 32768;
}

const lowest = new WeakMap<Dem, number>();
/** The DEM's lowest elevation (m): the flat ground drawn beyond its edge. */
function lowestOf(dem: Dem): number {
  let m = lowest.get(dem);
  if (m === undefined) {
    m = Number.POSITIVE_INFINITY;
    for (let i = 0; i < dem.values.length; i++) m = Math.min(m, dem.values[i] as number);
    lowest.set(dem, m);
  }
  return m;
}

/**
 * A Terrarium PNG for tile z/x/y, or null when the tile lies outside the DEM. Beyond the DEM's
 * edge the ground is flat at its lowest elevation: the edge rows smeared outward would draw
 * hillshade streaks where there is no terrain data at all.
 */
export function terrainTile(dem: Dem, z: number, x: number, y: number): Uint8Array | null {
  const [w, s, e, n] = dem.bbox;
  const [tw, tn] = pixelLonLat(z, x, y, -0.5, -0.5);
  const [te, ts] = pixelLonLat(z, x, y, TERRAIN_TILE_SIZE - 0.5, TERRAIN_TILE_SIZE - 0.5);
  if (te < w || tw > e || tn < s || ts > n) return null;
  const data = new Uint8Array(TERRAIN_TILE_SIZE * TERRAIN_TILE_SIZE * 3);
  for (let py = 0; py < TERRAIN_TILE_SIZE; py++) {
    for (let px = 0; px < TERRAIN_TILE_SIZE; px++) {
      const [lon, lat] = pixelLonLat(z, x, y, px, py);
      const inside = lon >= w && lon <= e && lat >= s && lat <= n;
      const [r, g, b] = encodeTerrarium(inside ? sampleDem(dem, lon, lat) : lowestOf(dem));
      const o = (py * TERRAIN_TILE_SIZE + px) * 3;
      data[o] = r;
      data[o + 1] = g;
      data[o + 2] = b;
    }
  }
  return encode({
    width: TERRAIN_TILE_SIZE,
    height: TERRAIN_TILE_SIZE,
    data,
    channels: 3,
    depth: 8,
  });
}
