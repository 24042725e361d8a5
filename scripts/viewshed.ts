/**
 * `npm run --silent viewshed -- --dem FILE --x X --y Y --height 25 --radius 5000 --out OUT.tif`
 *
 * Writes OUT.tif: a byte GeoTIFF on FILE's grid and CRS with 1 where a lookout at (X, Y)
 * — in FILE's CRS, like gdal_viewshed's -ox/-oy — standing --height metres above the ground
 * sees the ground, 0 where it does not and 255 beyond --radius metres. Earth curvature with
 * refraction coefficient 1/7 (gdal_viewshed's -cc 0.85714). FILE may be geographic
 * (degrees; distances then in metres on the ellipsoid at the observer's latitude) or
 * projected in metres. Optional: --target-height M (default 0), --refraction K (default
 * 1/7). Prints nothing; bad arguments or files: a message on stderr and exit code 2.
 */
import fs from 'node:fs';
import { viewshed } from '../server/domain/lookouts/viewshed.ts';
import {
  byteGeoTiff,
  cellMetres,
  cellOf,
  GeoGridError,
  readGeoGrid,
} from '../server/geodata/geotiff-grid.ts';
import { cliFail, parseCli } from './cli-args.ts';

const fail: (message: string) => never = cliFail('viewshed');

const OPTIONS = {
  dem: { type: 'string' },
  x: { type: 'string' },
  y: { type: 'string' },
  height: { type: 'string' },
  radius: { type: 'string' },
  out: { type: 'string' },
  'target-height': { type: 'string' },
  refraction: { type: 'string' },
} as const;
const args = parseCli(fail, OPTIONS);

function num(name: keyof typeof OPTIONS, fallback?: number, min = Number.NEGATIVE_INFINITY) {
  const text = args[name];
  if (text === undefined) {
    if (fallback !== undefined) return fallback;
    fail(`--${name} is required`);
  }
  const v = Number(text);
  if (text.trim() === '' || !Number.isFinite(v) || v < min)
    fail(`--${name} must be a number${min > Number.NEGATIVE_INFINITY ? ` ≥ ${min}` : ''}`);
  return v;
}

if (!args.dem) fail('--dem FILE (a GeoTIFF DEM) is required');
if (!args.out) fail('--out FILE is required');
const x = num('x');
const y = num('y');
const observerHeightM = num('height', undefined, 0);
const radiusM = num('radius', 0, 0);
const targetHeightM = num('target-height', 0, 0);
const refractionK = num('refraction', 1 / 7);

try {
  const grid = await readGeoGrid(args.dem);
  const at = cellOf(grid, x, y);
  const col = Math.floor(at.col);
  const row = Math.floor(at.row);
  if (col < 0 || row < 0 || col >= grid.width || row >= grid.height)
    fail(`observer (${x}, ${y}) lies outside ${args.dem}`);
  const cells = viewshed({
    elevation: grid.values,
    width: grid.width,
    height: grid.height,
    cellM: cellMetres(grid, y),
    col,
    row,
    observerHeightM,
    targetHeightM,
    radiusM,
    refractionK,
    semiMajorM: grid.semiMajorM,
  });
  fs.writeFileSync(args.out, byteGeoTiff(grid, cells));
} catch (err) {
  if (err instanceof GeoGridError) fail(err.message);
  fail(`cannot write ${args.out}: ${(err as Error).message}`);
}
