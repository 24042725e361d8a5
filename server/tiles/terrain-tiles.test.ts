import { decode } from 'fast-png';
import { describe, expect, it } from 'vitest';
import { type Dem, decodeTerrarium, TERRAIN_TILE_SIZE, terrainTile } from './terrain-tiles.ts';

/** A 40 × 40 DEM of a slope tilted both ways, 300–500 m, over 0.1° × 0.1° near Mayang. */
const dem: Dem = {
  width: 40,
  height: 40,
  bbox: [109.75, 27.85, 109.85, 27.95],
  values: Float32Array.from(
    { length: 1600 },
    (_, i) => 300 + (i % 40) * 3 + Math.floor(i / 40) * 2,
  ),
  hash: 'test',
} as Dem;

/** Centre of pixel (px, py) of tile z/x/y, by the Web Mercator formulas. */
function lonLat(z: number, x: number, y: number, px: number, py: number) {
  const n = 2 ** z;
  const lon = ((x + (px + 0.5) / TERRAIN_TILE_SIZE) / n) * 360 - 180;
  const my = Math.PI * (1 - (2 * (y + (py + 0.5) / TERRAIN_TILE_SIZE)) / n);
  return [lon, (Math.atan(Math.sinh(my)) * 180) / Math.PI] as const;
}

describe('terrain tiles beyond the DEM', () => {
  it('are flat at the lowest elevation outside the DEM, so hillshade draws no streaks there', () => {
    // z 10: one tile holds the whole DEM and a wide margin around it.
    const z = 10;
    const x = Math.floor(((109.8 + 180) / 360) * 2 ** z);
    const lat = (27.9 * Math.PI) / 180;
    const y = Math.floor(
      ((1 - Math.log(Math.tan(lat) + 1 / Math.cos(lat)) / Math.PI) / 2) * 2 ** z,
    );
    const png = terrainTile(dem, z, x, y);
    expect(png).not.toBeNull();
    const img = decode(png as Uint8Array);
    const outside = new Set<number>();
    const inside = new Set<number>();
    const [w, s, e, n] = dem.bbox;
    for (let py = 0; py < TERRAIN_TILE_SIZE; py += 3) {
      for (let px = 0; px < TERRAIN_TILE_SIZE; px += 3) {
        const [lon, la] = lonLat(z, x, y, px, py);
        const o = (py * TERRAIN_TILE_SIZE + px) * img.channels;
        const d = img.data as Uint8Array;
        const v = Math.round(
          decodeTerrarium(d[o] as number, d[o + 1] as number, d[o + 2] as number),
        );
        if (lon < w || lon > e || la < s || la > n) outside.add(v);
        else inside.add(v);
      }
    }
    expect(outside.size).toBeGreaterThan(0);
    expect([...outside]).toEqual([300]);
    expect(inside.size).toBeGreaterThan(50);
  });
});
