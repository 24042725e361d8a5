/**
 * Tile sets for the map, rebuilt when the loaded geodata changes. The geodata version is
 * checked at most every few seconds so a tile burst costs one query, not hundreds. Terrain
 * tiles depend on the DEM alone: rendered once each (up to the DEM's useful zoom) and kept
 * in an LRU keyed by the DEM's hash and z/x/y.
 */

import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { DEMO_COUNTY_DIR } from '../geodata/county-loader.ts';
import { contourLines } from '../tiles/contours.ts';
import { LruCache } from '../tiles/lru-cache.ts';
import { type Dem, readDem, terrainMaxZoom, terrainTile } from '../tiles/terrain-tiles.ts';
import { VectorTileSet } from '../tiles/vector-tiles.ts';

const VERSION_TTL_MS = 3000;
/** The county's whole pyramid to z 12 is ~100 tiles of ~100 kB: these bounds hold it. */
const TERRAIN_CACHE_ENTRIES = 2000;
const TERRAIN_CACHE_BYTES = 64 * 1024 * 1024;

export interface TerrainTile {
  /** Terrarium PNG; null when the tile lies outside the DEM. */
  png: Uint8Array | null;
  /** The DEM's hash: the tile's ETag changes when the DEM does. */
  demHash: string;
}

export interface Tiles {
  vector(): Promise<VectorTileSet>;
  dem(): Promise<Dem>;
  /** The DEM GeoTIFF the terrain tiles and the reach engine read. */
  demFile: string;
  /** Forget cached tiles now (after a geodata load in this process). */
  invalidate(): void;
  /** Deepest terrain zoom served (terrain-tiles.ts terrainMaxZoom); deeper → 404. */
  terrainMaxZoom(): Promise<number>;
  /** Terrain tile z/x/y from the cache, rendered on the first request only. */
  terrain(z: number, x: number, y: number): Promise<TerrainTile>;
  /** Terrain tiles rendered so far (tests: a re-request is served from the cache). */
  readonly stats: { terrainRenders: number };
}

declare module 'fastify' {
  interface FastifyInstance {
    tiles: Tiles;
  }
}

export default fp(
  async (app: FastifyInstance, opts: { demFile?: string }) => {
    let current: VectorTileSet | null = null;
    let checkedAt = 0;
    let demPromise: Promise<Dem> | null = null;
    const demFile = opts.demFile ?? path.join(DEMO_COUNTY_DIR, 'dem.tif');
    // Contours depend on the DEM alone: kept across database changes (≈ 1 s to trace).
    let contours: { hash: string; fc: ReturnType<typeof contourLines> } | null = null;
    const contoursOf = (dem: Dem) => {
      if (contours?.hash !== dem.hash) contours = { hash: dem.hash, fc: contourLines(dem) };
      return contours.fc;
    };
    const readDemOnce = () => {
      demPromise ??= readDem(demFile);
      return demPromise;
    };
    const terrainCache = new LruCache<Uint8Array | null>(
      TERRAIN_CACHE_ENTRIES,
      TERRAIN_CACHE_BYTES,
      (png) => (png?.byteLength ?? 0) + 64,
    );
    const stats = { terrainRenders: 0 };
    app.decorate('tiles', {
      async vector() {
        const now = Date.now();
        if (current && now - checkedAt < VERSION_TTL_MS) return current;
        const dem = await readDemOnce();
        const version = `${await app.layersRepository.version()}-${dem.hash}`;
        checkedAt = now;
        if (!current || current.version !== version) {
          current = new VectorTileSet(version, async (layer) =>
            layer === 'contours' ? contoursOf(dem) : app.layersRepository.layer(layer),
          );
        }
        return current;
      },
      dem: readDemOnce,
      demFile,
      invalidate() {
        current = null;
      },
      async terrainMaxZoom() {
        return terrainMaxZoom(await readDemOnce());
      },
      async terrain(z, x, y) {
        const dem = await readDemOnce();
        const key = `${dem.hash}/${z}/${x}/${y}`;
        let png = terrainCache.get(key);
        if (png === undefined) {
          png = terrainTile(dem, z, x, y);
          stats.terrainRenders++;
          terrainCache.set(key, png);
        }
        return { png, demHash: dem.hash };
      },
      stats,
    } satisfies Tiles);
  },
  { name: 'tiles', dependencies: ['layers-repository'] },
);
