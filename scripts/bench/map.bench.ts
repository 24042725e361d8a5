/**
 * Map benchmarks: vector-tile latency over a fixed set of z8–z14 tiles (cold: the tile set
 * rebuilt from the database first; warm: indexes built, tile encoded; revalidated: 304),
 * each against reading the same tile's features as GeoJSON from the database in the same
 * run; and the command page reaching `idle` with every layer against a bare MapLibre page
 * showing only the county outline.
 */
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import type { Browser } from 'playwright-core';
import { type App, buildApp } from '../../server/app.ts';
import { type Database, openDatabase } from '../../server/db/database.ts';
import { DEMO_COUNTY_DIR, loadCounty } from '../../server/geodata/county-loader.ts';
import {
  copyEmbeddedTemplate,
  ensureEmbeddedTemplate,
} from '../../server/testing/database-template.ts';
import { launchChromium } from '../e2e/browser.ts';
import { ROOT, type RunningProduct, startProduct } from '../e2e/product.ts';
import type { Benchmark, Measured } from './harness.ts';

/** Tiles around the county seat 高村 and two hill areas, at every zoom 8–14. */
export function benchTiles(): [number, number, number][] {
  const points: [number, number][] = [
    [109.8, 27.87],
    [109.62, 27.75],
    [109.93, 27.95],
  ];
  const out = new Map<string, [number, number, number]>();
  for (let z = 8; z <= 14; z++)
    for (const [lon, lat] of points) {
      const n = 2 ** z;
      const rad = (lat * Math.PI) / 180;
      const x = Math.floor(((lon + 180) / 360) * n);
      const y = Math.floor(((1 - Math.asinh(Math.tan(rad)) / Math.PI) / 2) * n);
      out.set(`${z}/${x}/${y}`, [z, x, y]);
    }
  return [...out.values()];
}

interface TileState {
  app: App;
  database: Database;
  dir: string;
  tiles: [number, number, number][];
  etags: Map<string, string>;
}

/** Every county layer's features meeting the tile, as GeoJSON text, straight from PostGIS. */
async function tileAsGeoJson(database: Database, [z, x, y]: [number, number, number]) {
  const env = sql`ST_Transform(ST_TileEnvelope(${z}, ${x}, ${y}), 4326)`;
  const layers = [
    sql`SELECT ST_AsGeoJSON(geom, 6) AS g, code AS id FROM townships WHERE geom && ${env}`,
    sql`SELECT ST_AsGeoJSON(geom, 6), code FROM villages WHERE ${z} >= 8 AND geom && ${env}`,
    sql`SELECT ST_AsGeoJSON(geom, 6), code FROM grids WHERE ${z} >= 10 AND geom && ${env}`,
    sql`SELECT ST_AsGeoJSON(geom, 6), id FROM roads WHERE ${z} >= 8 AND geom && ${env}`,
    sql`SELECT ST_AsGeoJSON(geom, 6), id FROM rivers WHERE ${z} >= 8 AND geom && ${env}`,
    sql`SELECT ST_AsGeoJSON(geom, 6), id FROM lookouts WHERE ${z} >= 10 AND geom && ${env}`,
    sql`SELECT ST_AsGeoJSON(geom, 6), id FROM water_sources WHERE ${z} >= 10 AND geom && ${env}`,
  ];
  let bytes = 0;
  for (const q of layers)
    for (const r of await database.query<{ g: string }>(q))
      bytes += Object.values(r)[0]?.length ?? 0;
  return bytes;
}

async function tileSetup(): Promise<TileState> {
  const dir = copyEmbeddedTemplate(await ensureEmbeddedTemplate(), 'bench-tiles-');
  const database = await openDatabase({ dataDir: dir });
  await loadCounty(database, DEMO_COUNTY_DIR);
  const app = await buildApp({ config: { logLevel: 'silent', bodyLimitBytes: 65536 }, database });
  await app.ready();
  const tiles = benchTiles();
  console.log(`  (${tiles.length} tiles, z8–z14, embedded database)`);
  return { app, database, dir, tiles, etags: new Map() };
}

async function tileTeardown(state: TileState) {
  await state.app.close();
  fs.rmSync(state.dir, { recursive: true, force: true });
}

/** The i-th tile of the set, cycling (the warm-up run passes i = -1). */
const tileOf = (state: TileState, i: number) =>
  state.tiles[((i % state.tiles.length) + state.tiles.length) % state.tiles.length] as [
    number,
    number,
    number,
  ];

const get = (state: TileState, [z, x, y]: [number, number, number], etag?: string) =>
  state.app.inject({
    method: 'GET',
    url: `/api/tiles/county/${z}/${x}/${y}.pbf`,
    headers: etag ? { 'if-none-match': etag } : {},
  });

const tilesWarm: Benchmark<TileState> = {
  name: 'tiles-warm',
  subject: 'vector tile, tile set built (encode one z8–z14 tile)',
  baseline: "the same tile's features as GeoJSON from the database",
  iterations: 200,
  setup: async () => {
    const state = await tileSetup();
    for (const t of state.tiles) await get(state, t);
    return state;
  },
  runSubject: (state, i) => get(state, tileOf(state, i)),
  runBaseline: (state, i) => tileAsGeoJson(state.database, tileOf(state, i)),
  teardown: tileTeardown,
};

const tilesCold: Benchmark<TileState> = {
  name: 'tiles-cold',
  subject: 'vector tile after a geodata change (tile set rebuilt from the database)',
  baseline: "the same tile's features as GeoJSON from the database",
  iterations: 7,
  setup: tileSetup,
  runSubject: async (state, i) => {
    state.app.tiles.invalidate();
    const t = tileOf(state, i * 5);
    await get(state, t);
  },
  runBaseline: (state, i) => tileAsGeoJson(state.database, tileOf(state, i * 5)),
  teardown: tileTeardown,
};

const tilesRevalidated: Benchmark<TileState> = {
  name: 'tiles-304',
  subject: 'vector tile the browser already holds (If-None-Match → 304)',
  baseline: "the same tile's features as GeoJSON from the database",
  iterations: 200,
  setup: async () => {
    const state = await tileSetup();
    for (const t of state.tiles)
      state.etags.set(t.join('/'), String((await get(state, t)).headers.etag));
    return state;
  },
  runSubject: (state, i) => {
    const t = tileOf(state, i);
    return get(state, t, state.etags.get(t.join('/')));
  },
  runBaseline: (state, i) => tileAsGeoJson(state.database, tileOf(state, i)),
  teardown: tileTeardown,
};

interface PageState {
  product: RunningProduct;
  dataDir: string;
  browser: Browser;
  close: () => Promise<void>;
}

const BARE_PAGE = `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">
<link rel="stylesheet" href="/__bench/maplibre-gl.css">
<style>html,body,#map{margin:0;height:100%}</style></head><body><div id="map"></div>
<script type="module">
import { Map, setWorkerUrl } from '/__bench/maplibre-gl.mjs';
setWorkerUrl('/__bench/maplibre-gl-worker.mjs');
const county = await fetch('/api/county').then((r) => r.json());
const map = new Map({ container: 'map', bounds: [109.4, 27.55, 110.15, 28.1],
  style: { version: 8, sources: { county: { type: 'geojson', data: county } },
    layers: [{ id: 'bg', type: 'background', paint: { 'background-color': '#eef0ea' } },
      { id: 'line', type: 'line', source: 'county', paint: { 'line-color': '#b3261e', 'line-width': 3 } }] } });
map.once('idle', () => { window.__mapIdleAt = performance.now(); });
</script></body></html>`;

/**
 * Milliseconds from navigation start to the map's first `idle`, in a fresh context, and
 * for the command page to the first frame with the county's layers and the open incidents
 * on it (`__mapShownAt`, client/src/main.ts).
 */
async function idleTime(state: PageState, url: string): Promise<Measured> {
  const context = await state.browser.newContext({ viewport: { width: 1920, height: 1080 } });
  const dist = path.join(ROOT, 'node_modules/maplibre-gl/dist');
  await context.route('**/__bench/**', (route) => {
    const name = new URL(route.request().url()).pathname.replace('/__bench/', '');
    if (name === 'bare.html') return route.fulfill({ contentType: 'text/html', body: BARE_PAGE });
    const file = path.join(dist, path.basename(name));
    return route.fulfill({
      contentType: name.endsWith('.css') ? 'text/css' : 'text/javascript',
      body: fs.readFileSync(file),
    });
  });
  const page = await context.newPage();
  await page.goto(url);
  await page.waitForFunction(
    () => (window as { __mapIdleAt?: number }).__mapIdleAt !== undefined,
    null,
    {
      timeout: 300_000,
    },
  );
  const t = await page.evaluate(() => {
    const w = window as unknown as { __mapIdleAt: number; __mapShownAt?: number };
    return { idle: w.__mapIdleAt, shown: w.__mapShownAt };
  });
  let shown = t.shown;
  if (url === state.product.url && shown === undefined) {
    // Incidents may come after the map's first idle (e.g. a slow list): wait for them too.
    await page.waitForFunction(
      () => (window as { __mapShownAt?: number }).__mapShownAt !== undefined,
      null,
      { timeout: 300_000 },
    );
    shown = await page.evaluate(() => (window as unknown as { __mapShownAt: number }).__mapShownAt);
  }
  await context.close();
  return { measuredMs: t.idle, ...(shown === undefined ? {} : { also: { shown } }) };
}

const pageIdle: Benchmark<PageState> = {
  name: 'page-idle',
  subject: 'command page with every layer → map idle (1920×1080, SwiftShader)',
  baseline: 'bare MapLibre page with only the county outline → idle',
  also: { shown: 'command page → county layers and incidents on screen' },
  iterations: 5,
  async setup() {
    const dataDir = copyEmbeddedTemplate(await ensureEmbeddedTemplate(), 'bench-page-');
    // A loaded machine may take minutes to start the product: the figures are ratios, not times.
    const product = await startProduct({ DATA_DIR: dataDir, LOG_LEVEL: 'warn' }, 600_000);
    const { browser, close } = await launchChromium();
    return { product, dataDir, browser, close };
  },
  // The page's own clock (navigation start → idle), not the browser-context set-up around it.
  runSubject: (state) => idleTime(state, state.product.url),
  runBaseline: (state) => idleTime(state, `${state.product.url}/__bench/bare.html`),
  async teardown(state) {
    await state.close();
    await state.product.stop();
    fs.rmSync(state.dataDir, { recursive: true, force: true });
  },
};

export const mapBenchmarks: Benchmark<never>[] = [
  tilesWarm,
  tilesRevalidated,
  tilesCold,
  pageIdle,
] as unknown as Benchmark<never>[];
