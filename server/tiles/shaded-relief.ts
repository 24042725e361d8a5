/**
 * Shaded relief tiles: the county's hillshade rendered once per terrain on the server as
 * ordinary transparent PNGs, which the command map draws as a plain raster layer. A GPU
 * `hillshade` layer over raster-dem tiles costs the wall's browser a render-to-texture pass
 * per DEM tile and per frame (seconds on a software-rendered wall PC); a raster is one
 * textured quad.
 *
 * The shading is GDAL's (`gdaldem hillshade`, Horn's slope, one light from the north-west
 * 45° up): shaded-relief.test.ts compares it with gdaldem pixel by pixel. The tile then
 * draws only what differs from level ground — shadow in a dark green-grey, lit slopes in
 * white — and is transparent on level ground, so beyond the DEM, where the terrain tiles'
 * elevation blurs out to level (terrain-tiles.ts fadedElevation), the relief fades away
 * instead of streaking.
 */
import { encode } from 'fast-png';
import {
  type Dem,
  fadedElevation,
  TERRAIN_TILE_SIZE,
  terrainTileIsLevel,
} from './terrain-tiles.ts';

/** The light: azimuth clockwise from north and altitude above the horizon, in degrees. */
export const RELIEF_AZIMUTH_DEG = 315;
export const RELIEF_ALTITUDE_DEG = 45;
/**
 * Vertical exaggeration: the county's 50 m DEM seen at county zoom (≈ 100 m a pixel) reads
 * as rolling hills at 1×; 2× brings out its ridges and valleys the way the wall wants them.
 */
export const RELIEF_Z_FACTOR = 2;
/** Colour of the shadows (a dark green-grey, like the map's forest palette) and of the lit. */
const SHADOW: [number, number, number] = [0x3b, 0x4a, 0x3f];
const HIGHLIGHT: [number, number, number] = [0xff, 0xff, 0xff];
/** Strongest opacity of a shadow and of a highlight. */
const SHADOW_ALPHA = 0.6;
const HIGHLIGHT_ALPHA = 0.5;

const EARTH_RADIUS_M = 6378137;

export interface ReliefLight {
  azimuthDeg: number;
  altitudeDeg: number;
  zFactor: number;
}

export const RELIEF_LIGHT: ReliefLight = {
  azimuthDeg: RELIEF_AZIMUTH_DEG,
  altitudeDeg: RELIEF_ALTITUDE_DEG,
  zFactor: RELIEF_Z_FACTOR,
};

/**
 * Hillshade of a grid with a one-cell border: `z` holds (width + 2) × (height + 2) elevations
 * (m) row by row from the north-west, `dx(row)` and `dy` are the cells' ground size (m) east–
 * west on that row and north–south. Returns width × height values 1 … 255 as gdaldem does
 * (1 fully in shadow, 255 facing the light; level ground is 1 + 254·sin(altitude)).
 */
export function hillshade(
  z: ArrayLike<number>,
  width: number,
  height: number,
  dx: (row: number) => number,
  dy: number,
  light: ReliefLight = RELIEF_LIGHT,
): Uint8Array {
  const az = (light.azimuthDeg * Math.PI) / 180;
  const alt = (light.altitudeDeg * Math.PI) / 180;
  // Unit vector towards the light: east, north, up.
  const lx = Math.sin(az) * Math.cos(alt);
  const ly = Math.cos(az) * Math.cos(alt);
  const lz = Math.sin(alt);
  const stride = width + 2;
  const out = new Uint8Array(width * height);
  for (let row = 0; row < height; row++) {
    const ew = 8 * dx(row);
    const ns = 8 * dy;
    for (let col = 0; col < width; col++) {
      const at = (dc: number, dr: number) => z[(row + 1 + dr) * stride + col + 1 + dc] as number;
      const a = at(-1, -1);
      const b = at(0, -1);
      const c = at(1, -1);
      const d = at(-1, 0);
      const f = at(1, 0);
      const g = at(-1, 1);
      const h = at(0, 1);
      const i = at(1, 1);
      // Horn's weighted differences: rise per metre eastward and northward.
      const east = (light.zFactor * (c + 2 * f + i - (a + 2 * d + g))) / ew;
      const north = (light.zFactor * (a + 2 * b + c - (g + 2 * h + i))) / ns;
      // The surface's normal (−east, −north, 1) against the light.
      const cos = (lz - east * lx - north * ly) / Math.sqrt(1 + east * east + north * north);
      out[row * width + col] = Math.round(1 + 254 * Math.max(0, cos));
    }
  }
  return out;
}

/** Latitude (degrees) of a Mercator row at zoom z (in tile rows, fractional). */
function mercatorLat(z: number, tileRow: number): number {
  const my = Math.PI * (1 - (2 * tileRow) / 2 ** z);
  return (Math.atan(Math.sinh(my)) * 180) / Math.PI;
}

/**
 * Hillshade values (gdaldem's 1 … 255) of tile z/x/y's 256 × 256 pixels, from the faded
 * elevation at each pixel centre and its neighbours (those of the next tiles along the
 * edges, so neighbouring tiles join without a seam).
 */
export function reliefShade(
  dem: Dem,
  z: number,
  x: number,
  y: number,
  light: ReliefLight = RELIEF_LIGHT,
): Uint8Array {
  const size = TERRAIN_TILE_SIZE;
  const n = size + 2;
  const grid = new Float64Array(n * n);
  const lats = new Float64Array(n);
  for (let r = 0; r < n; r++) lats[r] = mercatorLat(z, y + (r - 0.5) / size);
  for (let r = 0; r < n; r++) {
    const lat = lats[r] as number;
    for (let c = 0; c < n; c++) {
      const lon = ((x + (c - 0.5) / size) / 2 ** z) * 360 - 180;
      grid[r * n + c] = fadedElevation(dem, lon, lat);
    }
  }
  // A Mercator pixel is square on the ground: 2πR·cos φ / (256·2^z) both ways.
  const pixelAt = (lat: number) =>
    (2 * Math.PI * EARTH_RADIUS_M * Math.cos((lat * Math.PI) / 180)) / (size * 2 ** z);
  const dx = (row: number) => pixelAt(lats[row + 1] as number);
  // Within one pixel row the north–south size changes by far less than a rounding step.
  const dy = pixelAt(lats[Math.floor(n / 2)] as number);
  return hillshade(grid, size, size, dx, dy, light);
}

/**
 * RGBA of one hillshade value: transparent on level ground, shadow colour below it, highlight
 * above it, each more opaque the further the slope turns from the light or towards it.
 */
export function reliefColour(shade: number, light: ReliefLight = RELIEF_LIGHT) {
  // As hillshade() rounds it: level ground is wholly transparent.
  const level = Math.round(1 + 254 * Math.sin((light.altitudeDeg * Math.PI) / 180));
  if (shade < level) {
    const a = (SHADOW_ALPHA * (level - shade)) / (level - 1);
    return [...SHADOW, Math.round(255 * a)] as [number, number, number, number];
  }
  const a = (HIGHLIGHT_ALPHA * (shade - level)) / (255 - level);
  return [...HIGHLIGHT, Math.round(255 * a)] as [number, number, number, number];
}

const transparent = encode({
  width: TERRAIN_TILE_SIZE,
  height: TERRAIN_TILE_SIZE,
  data: new Uint8Array(TERRAIN_TILE_SIZE * TERRAIN_TILE_SIZE * 4),
  channels: 4,
  depth: 8,
});

/** The shaded relief PNG (RGBA) of tile z/x/y; one shared transparent tile on level ground. */
export function reliefTile(dem: Dem, z: number, x: number, y: number): Uint8Array {
  if (terrainTileIsLevel(dem, z, x, y)) return transparent;
  const shade = reliefShade(dem, z, x, y);
  const data = new Uint8Array(shade.length * 4);
  // 255 values at most: colour each once.
  const table = Array.from({ length: 256 }, (_, v) => reliefColour(v));
  for (let p = 0; p < shade.length; p++) data.set(table[shade[p] as number] as number[], p * 4);
  return encode({
    width: TERRAIN_TILE_SIZE,
    height: TERRAIN_TILE_SIZE,
    data,
    channels: 4,
    depth: 8,
  });
}
