/**
 * Tower coverage for this server: computed from the loaded lookouts and grids on the
 * county DEM in a worker thread, cached under the geodata-and-DEM version (a new DEM or a
 * moved tower recomputes it; nothing else does), with its map image rendered once.
 */

import { encode } from 'fast-png';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Feature, MultiPolygon } from 'geojson';
import { towerViewshed } from '../domain/lookouts/coverage.ts';
import { NOT_VISIBLE, VISIBLE } from '../domain/lookouts/viewshed.ts';
import { PALETTE, rgbOf } from '../domain/map-palette.ts';
import { type ComputedCoverage, computeTowerCoverage } from '../services/tower-coverage.ts';

export type CoverageSummary = Omit<ComputedCoverage, 'seenBy'> & {
  version: string;
  /** west, south, east, north of the coverage image, degrees. */
  bounds: [number, number, number, number];
};

export interface LookoutViewshed {
  id: string;
  version: string;
  /** west, south, east, north of the image, degrees. */
  bounds: [number, number, number, number];
  /** Share of the ground within range the tower sees. */
  seenShare: number;
  /** PNG: seen cells green, hidden grey, beyond range clear, as a data: URL. */
  image: string;
}

export interface Lookouts {
  coverage(): Promise<CoverageSummary>;
  /** One tower's viewshed within its range on the county DEM; null for an unknown tower. */
  viewshed(id: string): Promise<LookoutViewshed | null>;
  /** The coverage as an RGBA PNG on the DEM's cells (for a MapLibre image source). */
  coveragePng(): Promise<{ version: string; png: Uint8Array }>;
}

declare module 'fastify' {
  interface FastifyInstance {
    lookouts: Lookouts;
  }
}

/**
 * Forest no tower sees violet, seen by one tower lavender, by two or more green
 * (PALETTE.coverage: red is kept for fires), with the alpha falling as coverage grows.
 */
const COLOURS: [number, number, number, number][] = [
  [...rgbOf(PALETTE.coverage.none), 170],
  [...rgbOf(PALETTE.coverage.part), 130],
  [...rgbOf(PALETTE.coverage.met), 90],
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
            dem,
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

    const viewsheds = new Map<string, LookoutViewshed>();
    app.decorate('lookouts', {
      async viewshed(id: string) {
        const version = (await app.tiles.vector()).version;
        const key = `${version}:${id}`;
        const hit = viewsheds.get(key);
        if (hit) return hit;
        const tower = (await app.lookoutsRepository.towers()).find((t) => t.id === id);
        if (!tower) return null;
        const dem = await app.tiles.dem();
        const v = towerViewshed(dem, tower);
        if (!v) return null;
        const rgba = new Uint8Array(v.width * v.height * 4);
        let seen = 0;
        let inRange = 0;
        for (let k = 0; k < v.cells.length; k++) {
          const c = v.cells[k];
          if (c === VISIBLE) {
            rgba.set([26, 152, 80, 140], k * 4);
            seen++;
            inRange++;
          } else if (c === NOT_VISIBLE) {
            rgba.set([60, 60, 60, 110], k * 4);
            inRange++;
          }
        }
        const [w, , e, n] = dem.bbox;
        const degX = (e - w) / dem.width;
        const degY = (n - dem.bbox[1]) / dem.height;
        const png = encode({ width: v.width, height: v.height, data: rgba, channels: 4, depth: 8 });
        const answer: LookoutViewshed = {
          id,
          version,
          bounds: [
            w + v.col0 * degX,
            n - (v.row0 + v.height) * degY,
            w + (v.col0 + v.width) * degX,
            n - v.row0 * degY,
          ],
          seenShare: inRange > 0 ? seen / inRange : 0,
          image: `data:image/png;base64,${Buffer.from(png).toString('base64')}`,
        };
        if (viewsheds.size > 200) viewsheds.clear();
        viewsheds.set(key, answer);
        return answer;
      },
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
