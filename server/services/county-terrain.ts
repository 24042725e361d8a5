/**
 * The loaded county's terrain, read from the database once and kept while its SHA-256 stays
 * the same: every consumer (terrain tiles, contours, reach, spread, tower coverage, the DEM
 * download) asks here, so a county load — in this process or by `npm run geodata:load` in
 * another — switches all of them. The hash is looked at most every `checkEveryMs`, so a tile
 * burst costs one small query, not hundreds; the GeoTIFF is parsed only when it changed.
 */
import { HttpError } from '../plugins/errors.ts';
import { type Dem, demOf } from '../tiles/terrain-tiles.ts';

export interface Terrain {
  countyCode: string;
  fileName: string;
  /** The GeoTIFF as loaded. */
  bytes: Uint8Array;
  /** Hex SHA-256 of `bytes`. */
  sha256: string;
  dem: Dem;
}

/** 503: what needs terrain cannot be answered until a county with its DEM is loaded. */
export class TerrainMissingError extends HttpError {
  constructor() {
    super(
      503,
      'no county terrain is loaded: run `npm run geodata:load -- <dir>` with its dem.tif',
      'terrain',
    );
    this.name = 'TerrainMissingError';
  }
}

export interface TerrainSource {
  sha256(): Promise<string | null>;
  current(): Promise<Omit<Terrain, 'dem'> | null>;
}

export interface CountyTerrain {
  /** The loaded county's terrain; rejects with TerrainMissingError when there is none. */
  current(): Promise<Terrain>;
  /** Look at the stored hash on the next call (after a load in this process). */
  invalidate(): void;
}

export function countyTerrain(source: TerrainSource, checkEveryMs: number): CountyTerrain {
  let cached: { sha256: string; terrain: Promise<Terrain> } | null = null;
  let checked: { at: number; sha256: Promise<string | null> } | null = null;

  const load = async (): Promise<Terrain> => {
    const stored = await source.current();
    if (!stored) throw new TerrainMissingError();
    return { ...stored, dem: await demOf(stored.bytes) };
  };

  return {
    async current() {
      const now = Date.now();
      if (!checked || now - checked.at >= checkEveryMs) {
        checked = { at: now, sha256: source.sha256() };
        // A failed look is not kept: the next call looks again.
        const look = checked;
        look.sha256.catch(() => {
          if (checked === look) checked = null;
        });
      }
      const sha256 = await checked.sha256;
      if (sha256 === null) throw new TerrainMissingError();
      if (cached?.sha256 !== sha256) {
        const terrain = load();
        cached = { sha256, terrain };
        terrain.catch(() => {
          if (cached?.terrain === terrain) cached = null;
        });
      }
      return cached.terrain;
    },
    invalidate() {
      checked = null;
    },
  };
}
