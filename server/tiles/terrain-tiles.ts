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

/** One level of the DEM's averaging pyramid: level 0 is the DEM, each next one halves it. */
interface Level {
  width: number;
  height: number;
  values: ArrayLike<number>;
}

/** Bilinear value at cell-centre coordinates (fx, fy), clamped to the level's edge. */
function bilinear(l: Level, fx: number, fy: number): number {
  const cx = Math.max(0, Math.min(l.width - 1, fx));
  const cy = Math.max(0, Math.min(l.height - 1, fy));
  const x0 = Math.floor(cx);
  const y0 = Math.floor(cy);
  const x1 = Math.min(l.width - 1, x0 + 1);
  const y1 = Math.min(l.height - 1, y0 + 1);
  const tx = cx - x0;
  const ty = cy - y0;
  const v = (x: number, y: number) => l.values[y * l.width + x] as number;
  return (
    (v(x0, y0) * (1 - tx) + v(x1, y0) * tx) * (1 - ty) +
    (v(x0, y1) * (1 - tx) + v(x1, y1) * tx) * ty
  );
}

/** Cell-centre coordinates of lon/lat in the DEM (cell (0, 0) is the north-west one). */
function demCell(dem: Dem, lon: number, lat: number): [number, number] {
  const [w, s, e, n] = dem.bbox;
  return [((lon - w) / (e - w)) * dem.width - 0.5, ((n - lat) / (n - s)) * dem.height - 0.5];
}

/** Bilinear elevation (m) at lon/lat, clamped to the DEM's edge outside it. */
export function sampleDem(dem: Dem, lon: number, lat: number): number {
  const [fx, fy] = demCell(dem, lon, lat);
  return bilinear(dem, fx, fy);
}

const pyramids = new WeakMap<Dem, Level[]>();
/**
 * The DEM averaged 2 × 2 → 1 level by level down to a single cell (the DEM's mean), built once
 * per DEM (≈ ⅓ of the DEM's size again).
 */
function pyramidOf(dem: Dem): Level[] {
  let levels = pyramids.get(dem);
  if (levels) return levels;
  let l: Level = dem;
  levels = [l];
  while (l.width > 1 || l.height > 1) {
    const below = l;
    const width = Math.ceil(below.width / 2);
    const height = Math.ceil(below.height / 2);
    const values = new Float32Array(width * height);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        let sum = 0;
        let count = 0;
        for (let sy = 2 * y; sy < Math.min(below.height, 2 * y + 2); sy++) {
          for (let sx = 2 * x; sx < Math.min(below.width, 2 * x + 2); sx++) {
            sum += below.values[sy * below.width + sx] as number;
            count++;
          }
        }
        values[y * width + x] = sum / count;
      }
    }
    l = { width, height, values };
    levels.push(l);
  }
  pyramids.set(dem, levels);
  return levels;
}

/**
 * How fast the relief fades beyond the DEM: d cells past the edge the ground is the DEM
 * averaged over ≈ 1 + FADE_RATE·d cells, so 20 cells (1 km in Mayang) out only relief wider
 * than ≈ 4 km is left, and ≈ DEM-width / FADE_RATE cells out the ground is flat.
 */
const FADE_RATE = 4;

/**
 * Elevation (m) at lon/lat: the DEM's bilinear value inside it; beyond its edge the DEM's
 * averaging pyramid sampled at the edge (trilinearly, the level growing with the distance past
 * the edge). So the ground continues from the edge with no cliff, its relief blurs out with
 * distance instead of the edge row being copied outward (hillshade streaks), and far out it is
 * flat at the DEM's mean.
 */
export function fadedElevation(dem: Dem, lon: number, lat: number): number {
  const [fx, fy] = demCell(dem, lon, lat);
  const dx = Math.max(0, -0.5 - fx, fx - (dem.width - 0.5));
  const dy = Math.max(0, -0.5 - fy, fy - (dem.height - 0.5));
  if (dx === 0 && dy === 0) return bilinear(dem, fx, fy);
  const levels = pyramidOf(dem);
  const lod = Math.min(levels.length - 1, Math.log2(1 + FADE_RATE * Math.hypot(dx, dy)));
  const at = (i: number) => {
    const scale = 2 ** i;
    return bilinear(levels[i] as Level, (fx + 0.5) / scale - 0.5, (fy + 0.5) / scale - 0.5);
  };
  const i0 = Math.floor(lod);
  const t = lod - i0;
  return t === 0 ? at(i0) : at(i0) * (1 - t) + at(i0 + 1) * t;
}

const flatTiles = new WeakMap<Dem, Uint8Array>();

/**
 * A Terrarium PNG for tile z/x/y. Beyond the DEM's edge the relief fades out
 * (fadedElevation): the edge rows smeared outward would draw hillshade streaks where there is
 * no terrain data at all, a flat plain below a cliff a hard line along the edge, and a missing
 * tile a faint line where the fading relief stops. Tiles wholly past the fade are one shared
 * level tile (hillshade draws nothing on level ground).
 */
export function terrainTile(dem: Dem, z: number, x: number, y: number): Uint8Array {
  const { mx, my, level } = levelBeyond(dem, z, x, y);
  if (level) {
    let flat = flatTiles.get(dem);
    if (!flat) {
      const [, , e, n] = dem.bbox;
      flat = encodeTile(() => fadedElevation(dem, e + 2 * mx, n + 2 * my));
      flatTiles.set(dem, flat);
    }
    return flat;
  }
  return encodeTile((px, py) => fadedElevation(dem, ...pixelLonLat(z, x, y, px, py)));
}

/** True when tile z/x/y lies wholly where the faded ground is level (past the fade). */
export function terrainTileIsLevel(dem: Dem, z: number, x: number, y: number): boolean {
  return levelBeyond(dem, z, x, y).level;
}

function levelBeyond(dem: Dem, z: number, x: number, y: number) {
  const [w, s, e, n] = dem.bbox;
  const [tw, tn] = pixelLonLat(z, x, y, -0.5, -0.5);
  const [te, ts] = pixelLonLat(z, x, y, TERRAIN_TILE_SIZE - 0.5, TERRAIN_TILE_SIZE - 0.5);
  // Past this many cells from the edge the pyramid's top, one level, is reached.
  const flatCells = (2 ** (pyramidOf(dem).length - 1) - 1) / FADE_RATE;
  const mx = (flatCells * (e - w)) / dem.width;
  const my = (flatCells * (n - s)) / dem.height;
  return { mx, my, level: te < w - mx || tw > e + mx || tn < s - my || ts > n + my };
}

function encodeTile(elevation: (px: number, py: number) => number): Uint8Array {
  const data = new Uint8Array(TERRAIN_TILE_SIZE * TERRAIN_TILE_SIZE * 3);
  for (let py = 0; py < TERRAIN_TILE_SIZE; py++) {
    for (let px = 0; px < TERRAIN_TILE_SIZE; px++) {
      const [r, g, b] = encodeTerrarium(elevation(px, py));
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
