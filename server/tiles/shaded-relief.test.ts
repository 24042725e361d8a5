import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { decode } from 'fast-png';
import { fromArrayBuffer } from 'geotiff';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_COUNTY_DIR } from '../geodata/county-loader.ts';
import { TEST_DEM_BBOX, TEST_DEM_CELL, testDem, tileAt } from '../testing/tile-math.ts';
import { RELIEF_LIGHT, reliefShade, reliefTile } from './shaded-relief.ts';
import { type Dem, readDem } from './terrain-tiles.ts';

const DEM_FILE = path.join(DEMO_COUNTY_DIR, 'dem.tif');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'relief-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

async function readBand(file: string): Promise<ArrayLike<number>> {
  const buf = fs.readFileSync(file);
  const tiff = await fromArrayBuffer(
    buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer,
  );
  const [band] = (await (await tiff.getImage()).readRasters()) as unknown as ArrayLike<number>[];
  return band as ArrayLike<number>;
}

/**
 * GDAL's own hillshade of tile z/x/y: the DEM warped by gdalwarp (bilinear) onto the tile's
 * Web Mercator pixels plus a one-pixel border, shaded by `gdaldem hillshade` with the same
 * light; a Mercator metre is cos φ metres on the ground, which `-s` tells gdaldem.
 */
async function gdalShade(z: number, x: number, y: number, azimuthDeg: number) {
  const half = Math.PI * 6378137;
  const size = (2 * half) / 2 ** z;
  const px = size / 256;
  const west = -half + x * size;
  const north = half - y * size;
  const lat = Math.atan(Math.sinh(Math.PI * (1 - (2 * (y + 0.5)) / 2 ** z)));
  const warped = path.join(tmp, `dem-${z}-${x}-${y}.tif`);
  const shaded = path.join(tmp, `shade-${z}-${x}-${y}-${azimuthDeg}.tif`);
  execFileSync('gdalwarp', [
    '-q',
    '-overwrite',
    '-t_srs',
    'EPSG:3857',
    '-te',
    ...[west - px, north - size - px, west + size + px, north + px].map(String),
    '-ts',
    '258',
    '258',
    '-r',
    'bilinear',
    DEM_FILE,
    warped,
  ]);
  execFileSync('gdaldem', [
    'hillshade',
    '-q',
    warped,
    shaded,
    '-az',
    String(azimuthDeg),
    '-alt',
    String(RELIEF_LIGHT.altitudeDeg),
    '-z',
    String(RELIEF_LIGHT.zFactor),
    '-s',
    String(Math.cos(lat)),
  ]);
  const band = await readBand(shaded);
  // gdaldem leaves the border pixels (no full 3 × 3 window) empty: the tile is the inside.
  return Array.from({ length: 256 * 256 }, (_, i) => {
    const r = Math.floor(i / 256);
    return band[(r + 1) * 258 + (i % 256) + 1] as number;
  });
}

function differences(a: ArrayLike<number>, b: ArrayLike<number>) {
  const d = Array.from({ length: a.length }, (_, i) =>
    Math.abs((a[i] as number) - (b[i] as number)),
  );
  d.sort((p, q) => p - q);
  return {
    mean: d.reduce((s, v) => s + v, 0) / d.length,
    p99: d[Math.floor(d.length * 0.99)] as number,
    max: d[d.length - 1] as number,
  };
}

describe('shaded relief against gdaldem hillshade on the county DEM', () => {
  // z 12, the deepest terrain zoom: tile pixels (≈ 34 m) finer than the DEM's ≈ 50 m cells,
  // so gdalwarp's bilinear is plain interpolation, as the server's is.
  const z = 12;

  it.each([
    ['hills south-west of 高村', 109.7, 27.85],
    ['ridges in the north-east', 109.93, 27.95],
  ])('matches GDAL pixel by pixel (%s)', async (_, lon, lat) => {
    const dem = await readDem(DEM_FILE);
    const [x, y] = tileAt(lon, lat, z);
    const ours = reliefShade(dem, z, x, y);
    const gdal = await gdalShade(z, x, y, RELIEF_LIGHT.azimuthDeg);
    // Relief, not a flat tile: GDAL's values spread over a good part of the range.
    expect(Math.max(...gdal) - Math.min(...gdal)).toBeGreaterThan(60);
    const d = differences(ours, gdal);
    expect(d.mean).toBeLessThan(1.5);
    expect(d.p99).toBeLessThanOrEqual(4);
    expect(d.max).toBeLessThanOrEqual(10);
  });

  it('would tell a light from the wrong side apart', async () => {
    const dem = await readDem(DEM_FILE);
    const [x, y] = tileAt(109.7, 27.85, z);
    const wrong = await gdalShade(z, x, y, RELIEF_LIGHT.azimuthDeg - 180);
    expect(differences(reliefShade(dem, z, x, y), wrong).mean).toBeGreaterThan(10);
  });
});

const BBOX = TEST_DEM_BBOX;
const CELL = TEST_DEM_CELL;

/** Alpha of every pixel of a relief tile with its centre's longitude and latitude. */
function alphas(dem: Dem, z: number, x: number, y: number) {
  const img = decode(reliefTile(dem, z, x, y));
  expect(img.channels).toBe(4);
  const out: { lon: number; lat: number; alpha: number }[] = [];
  for (let py = 0; py < 256; py++)
    for (let px = 0; px < 256; px++) {
      const lon = ((x + (px + 0.5) / 256) / 2 ** z) * 360 - 180;
      const my = Math.PI * (1 - (2 * (y + (py + 0.5) / 256)) / 2 ** z);
      const lat = (Math.atan(Math.sinh(my)) * 180) / Math.PI;
      out.push({ lon, lat, alpha: img.data[(py * 256 + px) * 4 + 3] as number });
    }
  return out;
}

describe('shaded relief tiles', () => {
  const z = 12;
  const [x, y] = tileAt(BBOX[2], 27.9, z);

  it('are transparent on level ground', () => {
    const flat = testDem(() => 420);
    for (const p of alphas(flat, z, x, y)) expect(p.alpha).toBe(0);
  });

  it('fade out beyond the DEM instead of streaking its edge outward', () => {
    // East–west ridges two rows wide: copied outward past the east edge they would streak.
    const ridges = testDem((_, row) => 300 + 100 * (Math.floor(row / 2) % 2));
    // This tile and the next one east, which reaches 30 cells beyond the edge.
    const all = [...alphas(ridges, z, x, y), ...alphas(ridges, z, x + 1, y)];
    const within = (p: { lat: number }) => p.lat > BBOX[1] + CELL && p.lat < BBOX[3] - CELL;
    const inside = all.filter((p) => within(p) && p.lon < BBOX[2] - CELL);
    const beyond = (cells: number) =>
      all.filter((p) => within(p) && p.lon > BBOX[2] + cells * CELL);
    const strongest = (ps: { alpha: number }[]) => Math.max(...ps.map((p) => p.alpha));
    // The ridges are drawn inside…
    expect(strongest(inside)).toBeGreaterThan(60);
    // …a cell past the edge, where the ground has blurred out, barely…
    expect(strongest(beyond(1))).toBeLessThan(strongest(inside) / 10);
    // …and not at all once it is level.
    expect(beyond(8).length).toBeGreaterThan(1000);
    expect(strongest(beyond(8))).toBe(0);
  });

  it('are wholly transparent far beyond the DEM', () => {
    const ridges = testDem((_, row) => 300 + 100 * (Math.floor(row / 2) % 2));
    const [fx, fy] = tileAt(BBOX[2] + 1, 27.9, z);
    for (const p of alphas(ridges, z, fx, fy)) expect(p.alpha).toBe(0);
  });
});
