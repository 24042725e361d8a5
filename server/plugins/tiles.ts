/**
 * Tile sets for the map, rebuilt when the loaded geodata changes. The geodata version is
 * checked at most every few seconds so a tile burst costs one query, not hundreds. Terrain
 * tiles depend on the DEM alone: rendered once each (up to the DEM's useful zoom) and kept
 * in an LRU keyed by the DEM's hash and z/x/y. The DEM is the loaded county's, stored with
 * its data (county_terrain, read through services/county-terrain.ts).
 */

import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import {
  type CountyTerrain,
  countyTerrain,
  type Terrain,
  TerrainMissingError,
} from '../services/county-terrain.ts';
import { contourLines } from '../tiles/contours.ts';
import { LruCache } from '../tiles/lru-cache.ts';
import { reliefTile } from '../tiles/shaded-relief.ts';
import { type Dem, terrainMaxZoom, terrainTile } from '../tiles/terrain-tiles.ts';
import { VectorTileSet } from '../tiles/vector-tiles.ts';

const VERSION_TTL_MS = 3000;
/**
 * The county's whole pyramid to z 12 is ~100 tiles of ~100 kB, terrain and relief alike:
 * these bounds hold both.
 */
const TERRAIN_CACHE_ENTRIES = 2000;
const TERRAIN_CACHE_BYTES = 64 * 1024 * 1024;

export interface TerrainTile {
  /** Terrarium PNG (level ground, drawn as no hillshade, well beyond the DEM). */
  png: Uint8Array;
  /** The DEM's hash: the tile's ETag changes when the DEM does. */
  demHash: string;
}

export interface Tiles {
  vector(): Promise<VectorTileSet>;
  /** The loaded county's DEM (rejects with TerrainMissingError when none is loaded). */
  dem(): Promise<Dem>;
  /** The loaded county's terrain: the DEM with the GeoTIFF's bytes and SHA-256. */
  countyTerrain(): Promise<Terrain>;
  /** Forget cached tiles and look at the stored terrain again (after a load in this process). */
  invalidate(): void;
  /** Deepest terrain zoom served (terrain-tiles.ts terrainMaxZoom); deeper → 404. */
  terrainMaxZoom(): Promise<number>;
  /** Terrain tile z/x/y from the cache, rendered on the first request only. */
  terrain(z: number, x: number, y: number): Promise<TerrainTile>;
  /**
   * Shaded relief tile z/x/y (shaded-relief.ts, an RGBA PNG) from the same cache, rendered
   * once per terrain: the key holds the terrain's hash, so a new DEM renders anew.
   */
  relief(z: number, x: number, y: number): Promise<TerrainTile>;
  /** Terrain and relief tiles rendered so far (tests: a re-request is served from the cache). */
  readonly stats: { terrainRenders: number; reliefRenders: number };
}

declare module 'fastify' {
  interface FastifyInstance {
    tiles: Tiles;
  }
}

export default fp(
  async (app: FastifyInstance, opts: { terrain?: CountyTerrain }) => {
    let current: VectorTileSet | null = null;
    let checkedAt = 0;
    const terrain = opts.terrain ?? countyTerrain(app.terrainRepository, VERSION_TTL_MS);
    // Contours depend on the DEM alone: kept across database changes (≈ 1 s to trace).
    let contours: { hash: string; fc: ReturnType<typeof contourLines> } | null = null;
    const contoursOf = (dem: Dem) => {
      if (contours?.hash !== dem.hash) contours = { hash: dem.hash, fc: contourLines(dem) };
      return contours.fc;
    };
    const readDemOnce = async () => (await terrain.current()).dem;
    /** The DEM, or null when no county terrain is loaded (the vector tiles do without it). */
    const demOrNone = () =>
      readDemOnce().catch((err) => {
        if (err instanceof TerrainMissingError) return null;
        throw err;
      });
    const terrainCache = new LruCache<Uint8Array>(
      TERRAIN_CACHE_ENTRIES,
      TERRAIN_CACHE_BYTES,
      (png) => png.byteLength + 64,
    );
    const stats = { terrainRenders: 0, reliefRenders: 0 };
    /** Tile z/x/y of the DEM from the cache, keyed by the terrain's hash: rendered once. */
    const demTile = async (
      kind: 'terrain' | 'relief',
      render: (dem: Dem, z: number, x: number, y: number) => Uint8Array,
      z: number,
      x: number,
      y: number,
    ): Promise<TerrainTile> => {
      const dem = await readDemOnce();
      const key = `${kind}/${dem.hash}/${z}/${x}/${y}`;
      let png = terrainCache.get(key);
      if (png === undefined) {
        png = render(dem, z, x, y);
        stats[`${kind}Renders`]++;
        terrainCache.set(key, png);
      }
      return { png, demHash: dem.hash };
    };
    app.decorate('tiles', {
      async vector() {
        const now = Date.now();
        if (current && now - checkedAt < VERSION_TTL_MS) return current;
        const dem = await demOrNone();
        const version = `${await app.layersRepository.version()}-${dem?.hash ?? 'no-terrain'}`;
        checkedAt = now;
        if (!current || current.version !== version) {
          current = new VectorTileSet(version, async (layer) =>
            layer === 'contours'
              ? dem
                ? contoursOf(dem)
                : { type: 'FeatureCollection', features: [] }
              : app.layersRepository.layer(layer),
          );
        }
        return current;
      },
      dem: readDemOnce,
      countyTerrain: () => terrain.current(),
      invalidate() {
        current = null;
        terrain.invalidate();
      },
      async terrainMaxZoom() {
        return terrainMaxZoom(await readDemOnce());
      },
      terrain: (z, x, y) => demTile('terrain', terrainTile, z, x, y),
      relief: (z, x, y) => demTile('relief', reliefTile, z, x, y),
      stats,
    } satisfies Tiles);
  },
  { name: 'tiles', dependencies: ['layers-repository', 'terrain-repository'] },
);
