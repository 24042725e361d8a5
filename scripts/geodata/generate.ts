/**
 * `npm run geodata:generate [-- --seed N] [--out DIR]`: writes the demo county to
 * geodata/mayang/. The same seed gives byte-identical files.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SingleBar } from 'cli-progress';
import { writeArrayBuffer } from 'geotiff';
import { generateMayang } from './mayang.ts';
import type { Raster } from './raster.ts';
import { sourcesMarkdown } from './sources-md.ts';

export const DEFAULT_SEED = 431226;
export const DEFAULT_OUT = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../geodata/mayang',
);

/**
 * Unsigned 16-bit metres, north-up, EPSG:4326: readable by geotiff.js and GDAL. (geotiff.js's
 * writer encodes Uint16 but not Int16; the county has no ground below sea level.)
 */
export function demGeoTiff(dem: Raster): Buffer {
  const values = new Uint16Array(dem.size);
  for (let i = 0; i < dem.size; i++) values[i] = Math.max(0, Math.round(dem.data[i] as number));
  const sx = (dem.box.east - dem.box.west) / dem.width;
  const sy = (dem.box.north - dem.box.south) / dem.height;
  const ab = writeArrayBuffer(values, {
    width: dem.width,
    height: dem.height,
    ModelPixelScale: [sx, sy, 0],
    ModelTiepoint: [0, 0, 0, dem.box.west, dem.box.north, 0],
    GeographicTypeGeoKey: 4326,
    GTModelTypeGeoKey: 2,
    GTRasterTypeGeoKey: 1,
  } as never);
  return Buffer.from(ab);
}

export function writeCounty(seed: number, outDir: string, quiet = false): Record<string, number> {
  const bar = quiet
    ? null
    : new SingleBar({ format: '生成县域数据 {bar} {value}/{total} {step}', hideCursor: true });
  bar?.start(11, 0, { step: '' });
  const county = generateMayang(seed, (step, done) => bar?.update(done, { step }));
  bar?.stop();
  fs.mkdirSync(outDir, { recursive: true });
  for (const [name, layer] of Object.entries(county.layers)) {
    fs.writeFileSync(path.join(outDir, `${name}.geojson`), `${JSON.stringify(layer)}\n`);
  }
  fs.writeFileSync(path.join(outDir, 'people.csv'), county.peopleCsv);
  fs.writeFileSync(path.join(outDir, 'dem.tif'), demGeoTiff(county.dem));
  fs.writeFileSync(path.join(outDir, 'SOURCES.md'), sourcesMarkdown(seed, county.stats));
  return county.stats;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const arg = (name: string) => {
    const k = process.argv.indexOf(name);
    return k >= 0 ? process.argv[k + 1] : undefined;
  };
  const seedArg = arg('--seed');
  const seed = seedArg === undefined ? DEFAULT_SEED : Number(seedArg);
  if (!Number.isInteger(seed) || seed < 0) {
    console.error(`--seed must be a non-negative integer, got ${seedArg}`);
    process.exit(2);
  }
  const out = path.resolve(arg('--out') ?? DEFAULT_OUT);
  const t0 = Date.now();
  const stats = writeCounty(seed, out);
  console.log(
    `wrote ${path.relative(process.cwd(), out) || out} in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
    stats,
  );
}
