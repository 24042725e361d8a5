/**
 * `npm run --silent reach -- --lon X --lat Y [--roads-only] [--county DIR]`
 *
 * Prints one JSON object: { "origin": [lon, lat], "crews": [{ "id", "seconds",
 * "meetsTarget" }], "isochrones": FeatureCollection (property minutes 10|20|30) }, crews
 * ranked by travel time to the point, ids as in crews.geojson, seconds null when no way was
 * found. --roads-only: the road network alone, from the road vertex nearest each crew to the
 * road vertex nearest the origin at each road's speed_kmh (comparable with pgRouting).
 * Bad arguments: a message on stderr and exit code 2.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import { ReachEngine } from '../server/domain/reach/reach-engine.ts';
import { DEMO_COUNTY_DIR } from '../server/geodata/county-loader.ts';
import { readReachData } from '../server/geodata/reach-data.ts';

function fail(message: string): never {
  process.stderr.write(`reach: ${message}\n`);
  process.exit(2);
}

let args: ReturnType<typeof parseArgs<{ options: typeof OPTIONS }>>['values'];
const OPTIONS = {
  lon: { type: 'string' },
  lat: { type: 'string' },
  'roads-only': { type: 'boolean', default: false },
  county: { type: 'string' },
} as const;
try {
  args = parseArgs({ options: OPTIONS, allowPositionals: false }).values;
} catch (err) {
  fail((err as Error).message);
}
const lon = Number(args.lon);
const lat = Number(args.lat);
if (args.lon === undefined || !Number.isFinite(lon) || lon < -180 || lon > 180)
  fail('--lon must be a longitude in degrees, e.g. --lon 109.80');
if (args.lat === undefined || !Number.isFinite(lat) || lat < -90 || lat > 90)
  fail('--lat must be a latitude in degrees, e.g. --lat 27.87');

const dir = args.county ?? DEMO_COUNTY_DIR;
const outline = JSON.parse(fs.readFileSync(path.join(dir, 'county.geojson'), 'utf8')).features[0];
if (!booleanPointInPolygon([lon, lat], outline)) fail(`(${lon}, ${lat}) lies outside the county`);
const engine = new ReachEngine(await readReachData(dir));
if (!engine.covers(lon, lat)) fail(`(${lon}, ${lat}) lies outside the county's terrain model`);
const answer = args['roads-only'] ? engine.roadsOnly(lon, lat) : engine.toPoint(lon, lat);
process.stdout.write(
  `${JSON.stringify({
    origin: answer.origin,
    crews: answer.crews.map((c) => ({ id: c.id, seconds: c.seconds, meetsTarget: c.meetsTarget })),
    isochrones: answer.isochrones,
  })}\n`,
);
