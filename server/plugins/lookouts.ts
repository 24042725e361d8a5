/**
 * Tower coverage for this server: computed from the loaded lookouts and grids on the
 * county DEM in a worker thread, cached under the geodata-and-DEM version (a new DEM or a
 * moved tower recomputes it; nothing else does), with its map image rendered once.
 */

import { encode } from 'fast-png';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Feature, MultiPolygon } from 'geojson';
import { type ComputedCoverage, computeTowerCoverage } from '../services/tower-coverage.ts';

export type CoverageSummary = Omit<ComputedCoverage, 'seenBy'> & {
  version: string;
  /** west, south, east, north of the coverage image, degrees. */
  bounds: [number, number, number, number];
};

export interface Lookouts {
  coverage(): Promise<CoverageSummary>;
  /** The coverage as an RGBA PNG on the DEM's cells (for a MapLibre image source). */
  coveragePng(): Promise<{ version: string; png: Uint8Array }>;
}

declare module 'fastify' {
  interface FastifyInstance {
    lookouts: Lookouts;
  }
}

/** Unseen forest red, seen by one tower amber, by two or more green (ColorBrewer RdYlGn). */
const COLOURS: [number, number, number, number][] = [
  [215, 48, 39, 170],
  [253, 174, 97, 130],
  [26, 152, 80, 90],
];

export function coverageImage(seenBy: Int16Array, width: number, height: number): Uint8Array {
  const rgba = new Uint8Array(width * height * 4);
  for (let k = 0; k < seenBy.length; k++) {
    const n = seenBy[k] as number;
    if (n < 0) continue;
    rgba.set(COLOURS[Math.min(2, n)] as number[], k * 4);
  }
  return encode({ width, height, data: rgba, channels: 4, depth: 8 });
}

export default fp(
  async (app: FastifyInstance) => {
    let cached: {
      version: string;
      result: Promise<{ summary: CoverageSummary; png: Promise<Uint8Array> }>;
    } | null = null;

    const current = async () => {
      const version = (await app.tiles.vector()).version;
      if (cached?.version !== version) {
        const result = (async () => {
          const [dem, towers, grids] = await Promise.all([
            app.tiles.dem(),
            app.lookoutsRepository.towers(),
            app.layersRepository.layer('grids'),
          ]);
          const computed = await computeTowerCoverage(
            app.tiles.demFile,
            towers,
            grids.features as Feature<MultiPolygon, { code: string }>[],
          );
          const { seenBy, ...rest } = computed;
          return {
            summary: { ...rest, version, bounds: dem.bbox },
            png: (async () => coverageImage(seenBy, dem.width, dem.height))(),
          };
        })();
        cached = { version, result };
        // A failed run is not kept: the next request tries again.
        result.catch(() => {
          if (cached?.result === result) cached = null;
        });
      }
      return cached;
    };

    app.decorate('lookouts', {
      async coverage() {
        return (await (await current()).result).summary;
      },
      async coveragePng() {
        const c = await current();
        return { version: c.version, png: await (await c.result).png };
      },
    } satisfies Lookouts);
  },
  { name: 'lookouts', dependencies: ['tiles', 'layers-repository', 'lookouts-repository'] },
);
