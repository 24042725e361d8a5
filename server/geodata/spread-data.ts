/**
 * Reads what the spread engine needs from a county folder (geodata/<county>/): the DEM, the
 * forest grids with their fuel types, roads, rivers and firebreaks. Node only: the CLI,
 * benchmarks and tests read a folder; the server reads the loaded county from the database
 * (its DEM from county_terrain, services/county-terrain.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { SpreadGrid } from '../domain/fire-spread/spread-engine.ts';
import { buildSpreadGrid } from '../domain/fire-spread/spread-grid.ts';
import { readDem } from '../tiles/terrain-tiles.ts';

export async function readSpreadGrid(dir: string): Promise<SpreadGrid> {
  const read = (name: string) =>
    JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8')).features as never;
  return buildSpreadGrid(await readDem(path.join(dir, 'dem.tif')), {
    grids: read('grids.geojson'),
    roads: read('roads.geojson'),
    rivers: read('rivers.geojson'),
    firebreaks: read('firebreaks.geojson'),
  });
}
