/**
 * `npm run --silent spread -- --lon X --lat Y --minutes 30 --wind-ms 4 --wind-from-deg 270
 *  [--model rothermel|wang] [--no-barriers] [--ffmc F] [--r0 M_PER_MIN] [--county DIR]`
 *
 * Prints one GeoJSON FeatureCollection: the fire's perimeters at +10/+20/+30/+60/+120/+180
 * minutes within the horizon (and at the horizon itself), each a MultiPolygon with
 * properties { minutes, areaHa }, nested in time; a foreign member `spread` says which model
 * drew them and from what (ignition cell, wind, moisture, head rate). --wind-ms is the open
 * 10-m wind; --ffmc sets the fine dead fuel moisture from the day's FFMC (else BehavePlus's
 * D2L2 scenario); --r0 the 王正非 R0 (m/min). Without a flag, the server's settings decide as they
 * do for the map (SPREAD_MODEL, SPREAD_WANG_R0, SPREAD_BARRIERS, SPREAD_WANG_KS, SPREAD_MOISTURE,
 * SPREAD_WIND_LIMIT), so the CLI and the map draw the same fire. Bad arguments or settings: a
 * message on stderr, exit code 2.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import { type Config, loadConfig } from '../server/config/config.ts';
import {
  DEFAULT_MOISTURE,
  MAX_SPREAD_MINUTES,
  moistureFromFfmc,
  SpreadEngine,
} from '../server/domain/fire-spread/spread-engine.ts';
import { DEMO_COUNTY_DIR } from '../server/geodata/county-loader.ts';
import { readSpreadGrid } from '../server/geodata/spread-data.ts';

function fail(message: string): never {
  process.stderr.write(`spread: ${message}\n`);
  process.exit(2);
}

const OPTIONS = {
  lon: { type: 'string' },
  lat: { type: 'string' },
  minutes: { type: 'string', default: '30' },
  'wind-ms': { type: 'string', default: '0' },
  'wind-from-deg': { type: 'string', default: '0' },
  model: { type: 'string' },
  'no-barriers': { type: 'boolean', default: false },
  ffmc: { type: 'string' },
  r0: { type: 'string' },
  county: { type: 'string' },
} as const;
let args: ReturnType<typeof parseArgs<{ options: typeof OPTIONS }>>['values'];
try {
  args = parseArgs({ options: OPTIONS, allowPositionals: false }).values;
} catch (err) {
  fail((err as Error).message);
}
const num = (name: keyof typeof OPTIONS, min: number, max: number, example: string) => {
  const raw = args[name];
  const v = Number(raw);
  if (
    raw === undefined ||
    typeof raw !== 'string' ||
    raw.trim() === '' ||
    !Number.isFinite(v) ||
    v < min ||
    v > max
  )
    fail(`--${name} must be a number from ${min} to ${max}, e.g. --${name} ${example}`);
  return v;
};
const lon = num('lon', -180, 180, '109.80');
const lat = num('lat', -90, 90, '27.87');
const minutes = num('minutes', 1, MAX_SPREAD_MINUTES, '30');
const windMs = num('wind-ms', 0, 40, '4');
const windFromDeg = num('wind-from-deg', 0, 360, '270');
let settings: Config;
try {
  settings = loadConfig(process.env);
} catch (err) {
  fail((err as Error).message);
}
const model = args.model ?? settings.spreadModel;
if (model !== 'rothermel' && model !== 'wang') fail('--model must be rothermel or wang');
const base = settings.spreadMoisture ?? DEFAULT_MOISTURE;
const moisture =
  args.ffmc === undefined ? base : { ...base, d1h: moistureFromFfmc(num('ffmc', 0, 101, '88')) };
const wangR0MMin = args.r0 === undefined ? settings.spreadWangR0MMin : num('r0', 0, 100, '1.0');
const barriers = args['no-barriers'] ? false : settings.spreadBarriers;

const dir = args.county ?? DEMO_COUNTY_DIR;
const outline = JSON.parse(fs.readFileSync(path.join(dir, 'county.geojson'), 'utf8')).features[0];
if (!booleanPointInPolygon([lon, lat], outline)) fail(`(${lon}, ${lat}) lies outside the county`);
const engine = new SpreadEngine(await readSpreadGrid(dir));
let result: ReturnType<SpreadEngine['spread']>;
try {
  result = engine.spread(lon, lat, minutes, {
    model,
    windMs,
    windFromDeg,
    moisture,
    wangR0MMin,
    barriers,
    windLimit: settings.spreadWindLimit,
    covers: settings.spreadCovers,
  });
} catch (err) {
  fail((err as Error).message);
}
process.stdout.write(
  `${JSON.stringify({
    ...result.perimeters,
    spread: {
      model,
      origin: result.origin,
      ignition: result.ignition,
      minutes,
      windMs,
      windFromDeg,
      barriers,
      windLimit: settings.spreadWindLimit,
      moisture,
      ...(model === 'wang' ? { wangR0MMin } : {}),
      head: result.head,
    },
  })}\n`,
);
