import { decode } from 'fast-png';
import { describe, expect, it } from 'vitest';
import { TEST_DEM_BBOX, TEST_DEM_CELL, testDem } from '../testing/tile-math.ts';
import { type Dem, decodeTerrarium, TERRAIN_TILE_SIZE, terrainTile } from './terrain-tiles.ts';

const BBOX = TEST_DEM_BBOX;
const CELL = TEST_DEM_CELL;
const demOf = testDem;

/** Centre of pixel (px, py) of tile z/x/y, by the Web Mercator formulas. */
function lonLat(z: number, x: number, y: number, px: number, py: number) {
  const n = 2 ** z;
  const lon = ((x + (px + 0.5) / TERRAIN_TILE_SIZE) / n) * 360 - 180;
  const my = Math.PI * (1 - (2 * (y + (py + 0.5) / TERRAIN_TILE_SIZE)) / n);
  return [lon, (Math.atan(Math.sinh(my)) * 180) / Math.PI] as const;
}

function tileOf(lon: number, lat: number, z: number): [number, number] {
  const r = (lat * Math.PI) / 180;
  return [
    Math.floor(((lon + 180) / 360) * 2 ** z),
    Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * 2 ** z),
  ];
}

/** Every pixel of tile z/x/y with its centre and decoded elevation. */
function pixels(dem: Dem, z: number, x: number, y: number) {
  const png = terrainTile(dem, z, x, y);
  expect(png).not.toBeNull();
  const img = decode(png as Uint8Array);
  const d = img.data as Uint8Array;
  const out: { lon: number; lat: number; m: number }[] = [];
  for (let py = 0; py < TERRAIN_TILE_SIZE; py++) {
    for (let px = 0; px < TERRAIN_TILE_SIZE; px++) {
      const [lon, lat] = lonLat(z, x, y, px, py);
      const o = (py * TERRAIN_TILE_SIZE + px) * img.channels;
      out.push({
        lon,
        lat,
        m: decodeTerrarium(d[o] as number, d[o + 1] as number, d[o + 2] as number),
      });
    }
  }
  return out;
}

describe('terrain tiles at the DEM edge', () => {
  // z 12: a tile of ≈ 0.088°, straddling the DEM's east edge at 27.9° N.
  const z = 12;
  const [x, y] = tileOf(BBOX[2], 27.9, z);

  it('keep the DEM heights inside it', () => {
    // A plane: bilinear interpolation between cell centres gives the plane itself.
    const plane = demOf((col, row) => 300 + 3 * col + 2 * row);
    const inside = pixels(plane, z, x, y).filter(
      (p) =>
        p.lon >= BBOX[0] + CELL / 2 &&
        p.lon <= BBOX[2] - CELL / 2 &&
        p.lat >= BBOX[1] + CELL / 2 &&
        p.lat <= BBOX[3] - CELL / 2,
    );
    expect(inside.length).toBeGreaterThan(1000);
    for (const p of inside) {
      const col = (p.lon - BBOX[0]) / CELL - 0.5;
      const row = (BBOX[3] - p.lat) / CELL - 0.5;
      expect(p.m).toBeCloseTo(300 + 3 * col + 2 * row, 1);
    }
  });

  it('are flat beyond it instead of copying its edge column outward, so hillshade draws no streaks', () => {
    // East–west ridges two rows wide: 300 m, 400 m, 300 m … — copied outward they would streak.
    const ridges = demOf((_, row) => 300 + 100 * (Math.floor(row / 2) % 2));
    const all = pixels(ridges, z, x, y);
    const within = (p: { lat: number }) => p.lat > BBOX[1] && p.lat < BBOX[3];
    const edge = all.filter((p) => within(p) && p.lon > BBOX[2] - CELL / 2 && p.lon < BBOX[2]);
    // The edge column itself keeps both ridge heights…
    expect(Math.min(...edge.map((p) => p.m))).toBeCloseTo(300, 1);
    expect(Math.max(...edge.map((p) => p.m))).toBeCloseTo(400, 1);
    // …and a cell or more beyond it the ground is level at the DEM's mean, 350 m.
    const beyond = all.filter((p) => within(p) && p.lon > BBOX[2] + CELL);
    expect(beyond.length).toBeGreaterThan(1000);
    for (const p of beyond) expect(p.m).toBeCloseTo(350, 1);
  });

  it('continue from the edge without a cliff and fade to flat far beyond it', () => {
    const plane = demOf((col, row) => 300 + 3 * col + 2 * row);
    const row = pixels(plane, z, x, y).filter(
      (p) => Math.abs(p.lat - 27.9) < 0.0002 && p.lon > BBOX[2],
    );
    // Just past the edge: the edge's height (col 31 at 27.9° is 300 + 93 + 2·15.5 = 424 m).
    const next = row.reduce((a, b) => (a.lon < b.lon ? a : b));
    expect(Math.abs(next.m - 424)).toBeLessThan(3);
    // 8 cells out the pyramid's top (the DEM's mean, 300 + 3·15.5 + 2·15.5 = 377.5 m) is reached.
    for (const p of row.filter((q) => q.lon > BBOX[2] + 8 * CELL))
      expect(p.m).toBeCloseTo(377.5, 1);
  });

  it('are level far beyond the DEM, so hillshade stops nowhere with a line', () => {
    const ridges = demOf((_, row) => 300 + 100 * (Math.floor(row / 2) % 2));
    const [fx, fy] = tileOf(BBOX[2] + 1, 27.9, z);
    for (const p of pixels(ridges, z, fx, fy)) expect(p.m).toBeCloseTo(350, 1);
  });
});
