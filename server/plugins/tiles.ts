/**
 * Tile sets for the map, rebuilt when the loaded geodata changes. The geodata version is
 * checked at most every few seconds so a tile burst costs one query, not hundreds.
 */

import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { DEMO_COUNTY_DIR } from '../geodata/county-loader.ts';
import { contourLines } from '../tiles/contours.ts';
import { type Dem, readDem } from '../tiles/terrain-tiles.ts';
import { VectorTileSet } from '../tiles/vector-tiles.ts';

const VERSION_TTL_MS = 3000;

export interface Tiles {
  vector(): Promise<VectorTileSet>;
  dem(): Promise<Dem>;
  /** The DEM GeoTIFF the terrain tiles and the reach engine read. */
  demFile: string;
  /** Forget cached tiles now (after a geodata load in this process). */
  invalidate(): void;
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
    });
  },
  { name: 'tiles', dependencies: ['layers-repository'] },
);
