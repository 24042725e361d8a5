/**
 * The fire-spread engine for this server, built from the loaded county (forest grids with
 * their fuel types, roads, rivers, firebreaks from the database; the DEM of the terrain
 * tiles) with the villages, key areas and roads a fire can reach, rebuilt when the geodata
 * changes.
 */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { type SpreadPlace, spreadPlaces } from '../domain/fire-spread/places.ts';
import { SpreadEngine } from '../domain/fire-spread/spread-engine.ts';
import { buildSpreadGrid } from '../domain/fire-spread/spread-grid.ts';

export interface Spread {
  engine(): Promise<{ engine: SpreadEngine; places: SpreadPlace[] }>;
}

declare module 'fastify' {
  interface FastifyInstance {
    spread: Spread;
  }
}

export default fp(
  async (app: FastifyInstance) => {
    let built: {
      version: string;
      engine: Promise<{ engine: SpreadEngine; places: SpreadPlace[] }>;
    } | null = null;
    app.decorate('spread', {
      async engine() {
        const version = (await app.tiles.vector()).version;
        if (built?.version !== version) {
          const layer = async (name: Parameters<typeof app.layersRepository.layer>[0]) =>
            (await app.layersRepository.layer(name)).features as never;
          built = {
            version,
            engine: (async () => {
              const roads = await layer('roads');
              const engine = new SpreadEngine(
                buildSpreadGrid(await app.tiles.dem(), {
                  grids: await layer('grids'),
                  roads,
                  rivers: await layer('rivers'),
                  firebreaks: await layer('firebreaks'),
                }),
              );
              const places = spreadPlaces(engine, {
                villages: await layer('village_labels'),
                keyAreas: await layer('key_areas'),
                roads,
              });
              return { engine, places };
            })(),
          };
        }
        return built.engine;
      },
    } satisfies Spread);
  },
  { name: 'spread', dependencies: ['tiles', 'layers-repository'] },
);
