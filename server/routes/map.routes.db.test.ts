import { VectorTile } from '@mapbox/vector-tile';
import { sql } from 'drizzle-orm';
import { decode } from 'fast-png';
import { PbfReader } from 'pbf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, buildApp } from '../app.ts';
import type { Database } from '../db/database.ts';
import { DEMO_COUNTY_DIR, loadCounty } from '../geodata/county-loader.ts';
import { openTestDatabase, testBackend } from '../testing/test-database.ts';
import { tileAt } from '../testing/tile-math.ts';
import { decodeTerrarium, readDem, sampleDem } from '../tiles/terrain-tiles.ts';

let database: Database;
let app: App;
beforeAll(async () => {
  database = await openTestDatabase();
  await loadCounty(database, DEMO_COUNTY_DIR);
  app = await buildApp({ config: { logLevel: 'silent', bodyLimitBytes: 65536 }, database });
  await app.ready();
});
afterAll(async () => {
  await app?.close();
});

async function getTile(z: number, x: number, y: number) {
  const res = await app.inject({ method: 'GET', url: `/api/tiles/county/${z}/${x}/${y}.pbf` });
  return {
    res,
    tile: res.statusCode === 200 ? new VectorTile(new PbfReader(res.rawPayload)) : null,
  };
}

describe(`map tiles on the ${testBackend()} backend`, () => {
  it('serves a style whose every source is this server', async () => {
    const res = await app.inject({
      method: 'GET',
      url: '/api/style.json',
      headers: { host: 'fire.local:3000' },
    });
    expect(res.statusCode).toBe(200);
    const style = res.json();
    const urls = Object.values(style.sources as Record<string, { tiles: string[] }>).flatMap(
      (s) => s.tiles,
    );
    expect(urls.length).toBeGreaterThanOrEqual(2);
    for (const u of urls) expect(u.startsWith('http://fire.local:3000/api/tiles/')).toBe(true);
    expect(style.glyphs).toBeUndefined();
    expect(style.sprite).toBeUndefined();
    expect(style.sources.terrain.encoding).toBe('terrarium');
    // The DEM's ~50 m cells: tiles beyond z 12 would only interpolate them.
    expect(style.sources.terrain.maxzoom).toBe(12);
    expect(style.sources['terrain-3d'].maxzoom).toBe(12);
  });

  it('adds the Tianditu basemap only when a key is configured', async () => {
    const withKey = await buildApp({
      config: { logLevel: 'silent', bodyLimitBytes: 65536, tiandituKey: 'a'.repeat(32) },
      // The second app shares the test's database and must not close it.
      database: { ...database, close: async () => {} },
    });
    const style = (await withKey.inject({ method: 'GET', url: '/api/style.json' })).json();
    await withKey.close();
    expect(style.sources.tianditu.tiles[0]).toMatch(
      /^https:\/\/t0\.tianditu\.gov\.cn\/img_w\/.*tk=a{32}$/,
    );
    expect(style.layers[1].id).toBe('online-imagery');
    const offline = (await app.inject({ method: 'GET', url: '/api/style.json' })).json();
    expect(offline.sources.tianditu).toBeUndefined();
    expect(JSON.stringify(offline)).not.toContain('tianditu.gov.cn');
  });

  it('puts in a z12 tile exactly the townships PostGIS says meet it, with their attributes', async () => {
    const [seat] = await database.query<{ lon: number; lat: number }>(
      sql`SELECT ST_X(seat) AS lon, ST_Y(seat) AS lat FROM townships WHERE name = '高村镇'`,
    );
    const z = 12;
    const [x, y] = tileAt(Number(seat?.lon), Number(seat?.lat), z);
    const { res, tile } = await getTile(z, x, y);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/x-protobuf');
    const layers = Object.keys(tile?.layers ?? {});
    expect(layers).toEqual(
      expect.arrayContaining(['townships', 'villages', 'grids', 'roads', 'county', 'war_zones']),
    );
    const townships = tile?.layers.townships;
    const inTile = new Set<string>();
    for (let i = 0; i < (townships?.length ?? 0); i++) {
      const f = townships?.feature(i);
      inTile.add(String(f?.properties.code));
      expect(f?.properties.name).toBeTruthy();
      expect(f?.properties.war_zone).toMatch(/战区$/);
    }
    const codes = async (margin: number) =>
      new Set(
        (
          await database.query<{ code: string }>(sql`
            SELECT code FROM townships
            WHERE ST_Intersects(geom, ST_Transform(ST_TileEnvelope(${z}, ${x}, ${y}, margin => ${margin}), 4326))`)
        ).map((r) => r.code),
      );
    const inner = await codes(-0.05);
    const outer = await codes(64 / 4096);
    for (const c of inner) expect(inTile).toContain(c);
    for (const c of inTile) expect(outer).toContain(c);
  });

  it('clips geometry to the tile plus its buffer', async () => {
    const [x, y] = tileAt(109.8, 27.87, 13);
    const { tile } = await getTile(13, x, y);
    const grids = tile?.layers.grids;
    expect(grids?.length).toBeGreaterThan(0);
    for (let i = 0; i < (grids?.length ?? 0); i++) {
      for (const ring of grids?.feature(i).loadGeometry() ?? [])
        for (const p of ring) {
          expect(p.x).toBeGreaterThanOrEqual(-64);
          expect(p.x).toBeLessThanOrEqual(4096 + 64);
          expect(p.y).toBeGreaterThanOrEqual(-64);
          expect(p.y).toBeLessThanOrEqual(4096 + 64);
        }
    }
  });

  it('keeps grids out of low-zoom tiles and answers empty tiles with 204', async () => {
    const [x, y] = tileAt(109.8, 27.87, 8);
    const { tile } = await getTile(8, x, y);
    expect(Object.keys(tile?.layers ?? {})).not.toContain('grids');
    // Township names travel as one anchor point each, with the name to draw.
    const labels = tile?.layers.township_labels;
    expect(labels?.length).toBeGreaterThan(0);
    expect(labels?.feature(0).type).toBe(1); // Point
    expect(String(labels?.feature(0).properties.name)).toMatch(/[镇乡]$/);
    const far = await getTile(12, 0, 0);
    expect(far.res.statusCode).toBe(204);
  });

  it('carries DEM contour lines from z11 whose vertices lie at their elevation', async () => {
    const dem = await readDem(`${DEMO_COUNTY_DIR}/dem.tif`);
    const z = 12;
    const [x, y] = tileAt(109.75, 27.8, z);
    const { tile } = await getTile(z, x, y);
    const contours = tile?.layers.contours;
    expect(contours?.length).toBeGreaterThan(0);
    const n = 2 ** z;
    let worst = 0;
    for (let i = 0; i < (contours?.length ?? 0); i++) {
      const f = contours?.feature(i);
      const elevation = Number(f?.properties.elevation_m);
      expect(elevation % 50).toBe(0);
      for (const line of f?.loadGeometry() ?? [])
        for (const p of line) {
          if (p.x < 0 || p.y < 0 || p.x > 4096 || p.y > 4096) continue;
          const lon = ((x + p.x / 4096) / n) * 360 - 180;
          const lat =
            (Math.atan(Math.sinh(Math.PI * (1 - (2 * (y + p.y / 4096)) / n))) * 180) / Math.PI;
          worst = Math.max(worst, Math.abs(sampleDem(dem, lon, lat) - elevation));
        }
    }
    // Tile quantisation (≈ 2.4 m at z12) and simplification move a vertex a few metres sideways.
    expect(worst).toBeLessThan(20);
    const low = await getTile(10, ...tileAt(109.75, 27.8, 10));
    expect(Object.keys(low.tile?.layers ?? {})).not.toContain('contours');
  });

  it('revalidates with ETag and changes it when the county is reloaded', async () => {
    const [x, y] = tileAt(109.8, 27.87, 11);
    const first = await getTile(11, x, y);
    const etag = first.res.headers.etag as string;
    const again = await app.inject({
      method: 'GET',
      url: `/api/tiles/county/11/${x}/${y}.pbf`,
      headers: { 'if-none-match': etag },
    });
    expect(again.statusCode).toBe(304);
    // A proxy that weakens the tag, or a cache that sends several, still revalidates.
    for (const header of [`W/${etag}`, `"old", ${etag}`]) {
      const cached = await app.inject({
        method: 'GET',
        url: `/api/tiles/county/11/${x}/${y}.pbf`,
        headers: { 'if-none-match': header },
      });
      expect(cached.statusCode, header).toBe(304);
    }
    await loadCounty(database, DEMO_COUNTY_DIR);
    await new Promise((r) => setTimeout(r, 3200)); // the version is re-read every 3 s
    const after = await getTile(11, x, y);
    expect(after.res.headers.etag).not.toBe(etag);
  });

  it('keeps the geodata version (tile and reach caches) through crews moving and changing state', async () => {
    const before = await app.layersRepository.version();
    // What a dispatch and a GPS fix write: the crew's status and its updated_at, a position.
    await database.query(sql`UPDATE crews SET status = 'en_route', updated_at = now() + interval '1 second'
                             WHERE id = (SELECT min(id) FROM crews)`);
    await database.query(sql`INSERT INTO crew_positions (crew_id, recorded_at, geom)
                             SELECT min(id), now(), ST_SetSRID(ST_MakePoint(109.8, 27.87), 4326) FROM crews`);
    expect(await app.layersRepository.version()).toBe(before);
    // A crew's base is geodata: moving it changes the version.
    await database.query(sql`UPDATE crews SET base = ST_Translate(base, 0.001, 0)
                             WHERE id = (SELECT min(id) FROM crews)`);
    expect(await app.layersRepository.version()).not.toBe(before);
    await database.query(sql`UPDATE crews SET base = ST_Translate(base, -0.001, 0), status = 'standby'
                             WHERE id = (SELECT min(id) FROM crews)`);
    // Every geodata layer, by a statement of any kind (the triggers of migration 0019).
    for (const edit of [
      sql`UPDATE grids SET risk_class = risk_class WHERE code = (SELECT min(code) FROM grids)`,
      sql`UPDATE villages SET name = name WHERE code = (SELECT min(code) FROM villages)`,
      sql`DELETE FROM key_areas WHERE id = 'none'`,
    ]) {
      const was = await app.layersRepository.version();
      await database.query(edit);
      expect(await app.layersRepository.version()).not.toBe(was);
    }
  });

  it('serves Terrarium terrain tiles that decode to the DEM', async () => {
    const [x, y] = tileAt(109.8, 27.87, 11);
    const res = await app.inject({ method: 'GET', url: `/api/tiles/terrain/11/${x}/${y}.png` });
    expect(res.statusCode).toBe(200);
    const png = decode(res.rawPayload);
    expect(png.width).toBe(256);
    const dem = await readDem(`${DEMO_COUNTY_DIR}/dem.tif`);
    // Centre pixel of the tile.
    const n = 2 ** 11;
    const lon = ((x + 128.5 / 256) / n) * 360 - 180;
    const lat = (Math.atan(Math.sinh(Math.PI * (1 - (2 * (y + 128.5 / 256)) / n))) * 180) / Math.PI;
    const o = (128 * 256 + 128) * png.channels;
    const got = decodeTerrarium(
      png.data[o] as number,
      png.data[o + 1] as number,
      png.data[o + 2] as number,
    );
    expect(Math.abs(got - sampleDem(dem, lon, lat))).toBeLessThan(0.01);
    expect(got).toBeGreaterThan(100);
    expect(got).toBeLessThan(1300);
  });

  it('refuses terrain tiles deeper than the DEM resolution with 404 naming z', async () => {
    const [x, y] = tileAt(109.8, 27.87, 13);
    const res = await app.inject({ method: 'GET', url: `/api/tiles/terrain/13/${x}/${y}.png` });
    expect(res.statusCode).toBe(404);
    expect(res.json().field).toBe('z');
    expect(res.json().message).toContain('12');
    const [x12, y12] = tileAt(109.8, 27.87, 12);
    const ok = await app.inject({ method: 'GET', url: `/api/tiles/terrain/12/${x12}/${y12}.png` });
    expect(ok.statusCode).toBe(200);
  });

  it('renders a terrain tile once and serves the re-request from the cache', async () => {
    const [x, y] = tileAt(109.7, 27.9, 10);
    const url = `/api/tiles/terrain/10/${x}/${y}.png`;
    const before = app.tiles.stats.terrainRenders;
    const first = await app.inject({ method: 'GET', url });
    expect(app.tiles.stats.terrainRenders).toBe(before + 1);
    // Without If-None-Match (a second client): the same bytes, not rendered again.
    const second = await app.inject({ method: 'GET', url });
    expect(second.statusCode).toBe(200);
    expect(second.rawPayload.equals(first.rawPayload)).toBe(true);
    expect(app.tiles.stats.terrainRenders).toBe(before + 1);
  });

  it('draws the hillshade from shaded relief tiles rendered once per terrain', async () => {
    const style = (await app.inject({ method: 'GET', url: '/api/style.json' })).json();
    const layer = style.layers.find((l: { id: string }) => l.id === 'hillshade');
    expect(layer.type).toBe('raster');
    expect(style.sources[layer.source].tiles[0]).toContain('/api/tiles/relief/');
    expect(style.sources[layer.source].maxzoom).toBe(12);
    const [x, y] = tileAt(109.7, 27.9, 11);
    const url = `/api/tiles/relief/11/${x}/${y}.png`;
    const before = app.tiles.stats.reliefRenders;
    const first = await app.inject({ method: 'GET', url });
    expect(first.statusCode).toBe(200);
    expect(first.headers['content-type']).toBe('image/png');
    const png = decode(first.rawPayload);
    expect([png.width, png.height, png.channels]).toEqual([256, 256, 4]);
    // Hills: some pixels shaded, some lit, in different colours.
    const colours = new Set<string>();
    for (let p = 0; p < 256 * 256; p++)
      if ((png.data[p * 4 + 3] as number) > 20) colours.add(String(png.data[p * 4]));
    expect(colours.size).toBeGreaterThanOrEqual(2);
    // The ETag names the terrain: a client revalidates to a 304 without a render.
    const etag = String(first.headers.etag);
    const terrain = await app.tiles.countyTerrain();
    expect(etag).toContain(terrain.sha256.slice(0, 16));
    const again = await app.inject({ method: 'GET', url, headers: { 'if-none-match': etag } });
    expect(again.statusCode).toBe(304);
    const second = await app.inject({ method: 'GET', url });
    expect(second.rawPayload.equals(first.rawPayload)).toBe(true);
    expect(app.tiles.stats.reliefRenders).toBe(before + 1);
    const deep = await app.inject({ method: 'GET', url: '/api/tiles/relief/13/0/0.png' });
    expect(deep.statusCode).toBe(404);
    expect(deep.json().field).toBe('z');
  });

  it('refuses tile coordinates outside the zoom level, naming the field', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/tiles/county/3/9/0.pbf' });
    expect(res.statusCode).toBe(400);
    expect(res.json().field).toBe('x');
  });
});
