/**
 * `npm run --silent fix -- --bearing LON,LAT,DEG [--bearing …] [--sigma-deg 0.5]`
 *
 * Prints one JSON object: { "lon", "lat", "ellipse": { "semiMajorM", "semiMinorM",
 * "azimuthDeg" } } — where the bearings of one smoke meet (two: their geodesic
 * intersection; three or more: the weighted least-squares point) and its 95 % error ellipse
 * (major axis azimuth clockwise from true north). Each bearing is a station's longitude and
 * latitude (degrees WGS84) and the true-north azimuth of the smoke from it, in degrees; an
 * optional fourth number is that bearing's own standard error. --sigma-deg: the standard
 * error of the others (default 0.5°). --magnetic-declination D: the bearings were read on a
 * compass; true = magnetic + D (east positive). Bad arguments: a message on stderr, exit 2.
 */
import {
  type Bearing,
  crossBearingFix,
  DEFAULT_SIGMA_DEG,
  FixError,
  trueFromMagnetic,
} from '../server/domain/lookouts/bearing-fix.ts';
import { cliFail, parseCli } from './cli-args.ts';

const fail: (message: string) => never = cliFail('fix');

const OPTIONS = {
  bearing: { type: 'string', multiple: true },
  'sigma-deg': { type: 'string' },
  'magnetic-declination': { type: 'string' },
} as const;
const args = parseCli(fail, OPTIONS);

const numberArg = (name: string, text: string | undefined, fallback: number) => {
  if (text === undefined) return fallback;
  const v = Number(text);
  if (text.trim() === '' || !Number.isFinite(v)) fail(`--${name} must be a number of degrees`);
  return v;
};
const sigmaDeg = numberArg('sigma-deg', args['sigma-deg'], DEFAULT_SIGMA_DEG);
const declination = numberArg('magnetic-declination', args['magnetic-declination'], 0);

const bearings: Bearing[] = (args.bearing ?? []).map((text, i) => {
  const parts = text.split(',').map((p) => p.trim());
  const nums = parts.map(Number);
  if (
    (parts.length !== 3 && parts.length !== 4) ||
    parts.some((p) => p === '') ||
    nums.some((n) => !Number.isFinite(n))
  )
    fail(`--bearing #${i + 1} "${text}" must be LON,LAT,DEG or LON,LAT,DEG,SIGMA_DEG`);
  const [lon, lat, deg, sigma] = nums as [number, number, number, number | undefined];
  const azimuthDeg =
    args['magnetic-declination'] !== undefined ? trueFromMagnetic(deg, declination) : deg;
  return sigma === undefined ? { lon, lat, azimuthDeg } : { lon, lat, azimuthDeg, sigmaDeg: sigma };
});

try {
  const fix = crossBearingFix(bearings, { sigmaDeg });
  process.stdout.write(`${JSON.stringify({ lon: fix.lon, lat: fix.lat, ellipse: fix.ellipse })}\n`);
} catch (err) {
  if (err instanceof FixError) fail(`${err.field}: ${err.message}`);
  throw err;
}
