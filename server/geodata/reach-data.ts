/**
 * Reads what the reach engine needs from a county folder (geodata/<county>/): the DEM,
 * roads, rivers, firebreaks, crews and water sources. Node only: the CLI (`scripts/reach.ts
 * --county DIR`), benchmarks and tests read a folder; the server reads the loaded county
 * from the database (its DEM from county_terrain, services/county-terrain.ts), and the
 * command page fetches the same from the server.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { ReachData } from '../domain/reach/reach-engine.ts';
import { readDem } from '../tiles/terrain-tiles.ts';

export async function readReachData(dir: string): Promise<ReachData> {
  const read = (name: string) =>
    JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8')).features as never;
  const dem = await readDem(path.join(dir, 'dem.tif'));
  return {
    dem,
    roads: read('roads.geojson'),
    rivers: read('rivers.geojson'),
    firebreaks: read('firebreaks.geojson'),
    crews: read('crews.geojson'),
    waterSources: read('water-sources.geojson'),
  };
}
