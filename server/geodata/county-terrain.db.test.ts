/**
 * A county's terrain is its own: importing and loading the fixture county (its own small DEM,
 * heights 4000 + 7·col + 3·row m, scripts/geodata/fixtures/make-terrain-county.ts) makes the
 * terrain tiles and the DEM download the fixture's, not Mayang's; loading Mayang again switches
 * back. The tiles are read as another process's `geodata:load` would leave them: no call into
 * the server, only the few seconds its terrain look waits.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { VectorTile } from '@mapbox/vector-tile';
import { expression } from '@maplibre/maplibre-gl-style-spec';
import { sql } from 'drizzle-orm';
import { decode } from 'fast-png';
import { PbfReader } from 'pbf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FIXTURE_DEM,
  TERRAIN_COUNTY_DIR,
} from '../../scripts/geodata/fixtures/make-terrain-county.ts';
import { importCounty } from '../../scripts/geodata/import.ts';
import { type App, buildApp } from '../app.ts';
import type { Database } from '../db/database.ts';
import { openTestDatabase, testBackend } from '../testing/test-database.ts';
import { decodeTerrarium, readDem, sampleDem } from '../tiles/terrain-tiles.ts';
import { CountyLoadError, DEMO_COUNTY_DIR, loadCounty } from './county-loader.ts';

let database: Database;
let app: App;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'terrain-county-'));
beforeAll(async () => {
  database = await openTestDatabase();
  await loadCounty(database, DEMO_COUNTY_DIR);
  app = await buildApp({ config: { logLevel: 'silent', bodyLimitBytes: 65536 }, database });
  await app.ready();
});
afterAll(async () => {
  await app?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** What another process's load looks like to this server: the terrain is looked at every 3 s. */
const afterTerrainLook = () => new Promise((r) => setTimeout(r, 3200));

const Z = 11;
const n = 2 ** Z;
/** The z11 tile over the fixture county's middle. */
const [TX, TY] = ((lon: number, lat: number) => {
  const rad = (lat * Math.PI) / 180;
  return [
    Math.floor(((lon + 180) / 360) * n),
    Math.floor(((1 - Math.asinh(Math.tan(rad)) / Math.PI) / 2) * n),
  ];
})(109.72, 27.815);

/** Each pixel of the terrain tile with its lon/lat and decoded height. */
async function terrainPixels() {
  const res = await app.inject({ method: 'GET', url: `/api/tiles/terrain/${Z}/${TX}/${TY}.png` });
  expect(res.statusCode).toBe(200);
  const png = decode(res.rawPayload);
  const pixels: { lon: number; lat: number; m: number }[] = [];
  for (let py = 0; py < 256; py++)
    for (let px = 0; px < 256; px++) {
      const lon = ((TX + (px + 0.5) / 256) / n) * 360 - 180;
      const my = Math.PI * (1 - (2 * (TY + (py + 0.5) / 256)) / n);
      const o = (py * 256 + px) * png.channels;
      pixels.push({
        lon,
        lat: (Math.atan(Math.sinh(my)) * 180) / Math.PI,
        m: decodeTerrarium(
          png.data[o] as number,
          png.data[o + 1] as number,
          png.data[o + 2] as number,
        ),
      });
    }
  return pixels;
}

/** The fixture DEM's pixels whose bilinear sample lies between cell centres (no edge clamp). */
const d = FIXTURE_DEM;
const insideFixture = (p: { lon: number; lat: number }) =>
  p.lon >= d.west + d.cellDeg / 2 &&
  p.lon <= d.west + (d.width - 0.5) * d.cellDeg &&
  p.lat <= d.north - d.cellDeg / 2 &&
  p.lat >= d.north - (d.height - 0.5) * d.cellDeg;
/** The fixture's plane at lon/lat: cell centres carry 4000 + 7·col + 3·row. */
const fixtureHeight = (lon: number, lat: number) =>
  d.height_m((lon - d.west) / d.cellDeg - 0.5, (d.north - lat) / d.cellDeg - 0.5);

const sha256 = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex');

async function demDownload() {
  const res = await app.inject({ method: 'GET', url: '/api/reach/dem.tif' });
  expect(res.statusCode).toBe(200);
  return { sha: sha256(res.rawPayload), etag: res.headers.etag };
}

/** Each war zone's map colour, as MapLibre evaluates the style on the county's vector tile. */
async function zoneColours(): Promise<Map<string, string>> {
  const style = (await app.inject({ method: 'GET', url: '/api/style.json' })).json();
  const fill = style.layers.find((l: { id: string }) => l.id === 'war-zones-fill').paint[
    'fill-color'
  ];
  const colour = expression.createExpression(fill, {
    type: 'color',
    'property-type': 'data-driven',
    expression: { interpolated: false, parameters: ['zoom', 'feature'] },
  } as never);
  if (colour.result !== 'success') throw new Error('war-zone colour does not parse');
  const [x, y] = [Math.floor(TX / 8), Math.floor(TY / 8)];
  const res = await app.inject({ method: 'GET', url: `/api/tiles/county/8/${x}/${y}.pbf` });
  const zones = new VectorTile(new PbfReader(res.rawPayload)).layers.war_zones;
  const out = new Map<string, string>();
  for (let i = 0; i < (zones?.length ?? 0); i++) {
    const f = zones?.feature(i);
    const c = colour.value.evaluate({ zoom: 8 }, {
      type: 'Polygon',
      properties: f?.properties ?? {},
    } as never) as {
      r: number;
      g: number;
      b: number;
    };
    const hex = [c.r, c.g, c.b]
      .map((v) =>
        Math.round(v * 255)
          .toString(16)
          .padStart(2, '0'),
      )
      .join('');
    out.set(String(f?.properties.name), `#${hex}`.toUpperCase());
  }
  return out;
}

describe(`a county's own terrain on the ${testBackend()} backend`, () => {
  it('imports the fixture county and finds its DEM heights in the terrain tile, not Mayang’s', async () => {
    const mayang = (await terrainPixels()).filter(insideFixture);
    expect(mayang.length).toBeGreaterThan(100);
    // Mayang there: hills of a few hundred metres.
    expect(Math.max(...mayang.map((p) => p.m))).toBeLessThan(1300);

    const out = path.join(tmp, 'fixture');
    const imported = await importCounty(TERRAIN_COUNTY_DIR, { outDir: out });
    expect(imported.problems).toEqual([]);
    await loadCounty(database, out);
    await afterTerrainLook();

    const pixels = (await terrainPixels()).filter(insideFixture);
    expect(pixels.length).toBe(mayang.length);
    let worst = 0;
    for (const p of pixels) worst = Math.max(worst, Math.abs(p.m - fixtureHeight(p.lon, p.lat)));
    // Terrarium keeps 1/256 m.
    expect(worst).toBeLessThan(0.01);
    expect(Math.min(...pixels.map((p) => p.m))).toBeGreaterThan(4000);

    const [row] = await database.query<{ county_code: string; width: number; height: number }>(
      sql`SELECT county_code, width, height FROM county_terrain`,
    );
    expect(row).toEqual({ county_code: '439901', width: 50, height: 40 });
  });

  it('GDAL reads the fixture DEM’s heights as the plane it was written to be', async () => {
    const { execFileSync } = await import('node:child_process');
    const file = path.join(TERRAIN_COUNTY_DIR, 'dem.tif');
    for (const [col, row] of [
      [0, 0],
      [49, 39],
      [25, 19],
    ] as const) {
      const text = execFileSync('gdallocationinfo', ['-valonly', file, String(col), String(row)], {
        encoding: 'utf8',
      });
      expect(Number(text.trim())).toBe(d.height_m(col, row));
    }
  });

  it('serves the fixture county’s DEM bytes at /api/reach/dem.tif, its SHA-256 the ETag', async () => {
    const want = sha256(fs.readFileSync(path.join(TERRAIN_COUNTY_DIR, 'dem.tif')));
    const got = await demDownload();
    expect(got.sha).toBe(want);
    expect(got.etag).toBe(`"${want}"`);
    const again = await app.inject({
      method: 'GET',
      url: '/api/reach/dem.tif',
      headers: { 'if-none-match': `"${want}"` },
    });
    expect(again.statusCode).toBe(304);
  });

  it('colours the fixture county’s two war zones apart, by their order', async () => {
    const colours = await zoneColours();
    expect([...colours.keys()].sort()).toEqual(['东岭战区', '西坡战区']);
    // Loaded in file order: 西坡 first, 东岭 second (PALETTE.warZones' first two).
    expect(colours.get('西坡战区')).toBe('#E69F00');
    expect(colours.get('东岭战区')).toBe('#56B4E9');
  });

  it('loading Mayang again switches the terrain, the download and the zone colours back', async () => {
    await loadCounty(database, DEMO_COUNTY_DIR);
    await afterTerrainLook();
    const dem = await readDem(path.join(DEMO_COUNTY_DIR, 'dem.tif'));
    const pixels = (await terrainPixels()).filter(insideFixture);
    let worst = 0;
    for (const p of pixels) worst = Math.max(worst, Math.abs(p.m - sampleDem(dem, p.lon, p.lat)));
    expect(worst).toBeLessThan(0.01);
    expect(Math.max(...pixels.map((p) => p.m))).toBeLessThan(1300);
    expect((await demDownload()).sha).toBe(
      sha256(fs.readFileSync(path.join(DEMO_COUNTY_DIR, 'dem.tif'))),
    );
    // Mayang's five zones keep the colours they had when the style named them.
    expect(Object.fromEntries(await zoneColours())).toMatchObject({
      尧市战区: '#E69F00',
      锦和战区: '#56B4E9',
      岩门战区: '#009E73',
    });
  });

  it('refuses a county with no DEM and keeps the terrain loaded; --keep-terrain keeps it for the new county', async () => {
    const bare = path.join(tmp, 'bare');
    fs.cpSync(TERRAIN_COUNTY_DIR, bare, { recursive: true });
    fs.rmSync(path.join(bare, 'dem.tif'));
    const refused = loadCounty(database, bare);
    await expect(refused).rejects.toThrow(CountyLoadError);
    await expect(refused).rejects.toThrow(/dem\.tif is missing/);
    const mayangSha = sha256(fs.readFileSync(path.join(DEMO_COUNTY_DIR, 'dem.tif')));
    const [before] = await database.query<{ county_code: string; sha256: string }>(
      sql`SELECT county_code, sha256 FROM county_terrain`,
    );
    expect(before).toEqual({ county_code: '431226', sha256: mayangSha });

    await loadCounty(database, bare, undefined, { keepTerrain: true });
    const rows = await database.query<{ county_code: string; sha256: string }>(
      sql`SELECT county_code, sha256 FROM county_terrain`,
    );
    expect(rows).toEqual([{ county_code: '439901', sha256: mayangSha }]);
  });
});
