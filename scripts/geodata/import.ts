/**
 * `npm run geodata:import -- <dir> [--mapping FILE] [--out DIR] [--load] [--keep-terrain]`: takes a county's
 * own survey data — GeoJSON or Shapefile (.shp/.dbf/.prj[/.cpg], or all of them in a .zip)
 * for any layer — renames fields as the mapping file says, reprojects from the .prj
 * (CGCS2000 geographic EPSG:4490 and the CGCS2000 Gauss-Krüger zones are the usual cases) to
 * WGS84, validates the whole county, and only then writes it (to --out, default
 * geodata/imported) or loads it (--load). Every error names file, feature and field; nothing is
 * written unless everything validates.
 *
 * Mapping file (default `<dir>/mapping.json`):
 * { "layers": { "townships": { "file": "乡镇.shp", "fields": { "code": "XZDM", "name": "XZMC" } } } }
 * `fields` maps our property → the source's field; unmapped properties keep their names.
 *
 * Terrain: the county's DEM is `dem.tif` in the directory, or the file `"dem": "高程.tif"` in
 * the mapping names: a GeoTIFF in geographic degrees on EPSG:4326 or EPSG:4490 covering the
 * county (server/geodata/county-dem.ts), written out as dem.tif and loaded with the county.
 * A county without one is refused — another county's terrain is never kept by accident —
 * unless `--keep-terrain` says to keep the terrain already loaded.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { unzipSync } from 'fflate';
import type { Feature, FeatureCollection, Geometry, Position } from 'geojson';
import proj4 from 'proj4';
import * as shapefile from 'shapefile';
import { bboxOf, CountyDemError, readCountyDem } from '../../server/geodata/county-dem.ts';
import { round6 } from './geometry.ts';
import {
  COUNTY_LAYERS,
  type Expectations,
  formatReport,
  type Problem,
  validateCounty,
} from './validate.ts';

const LAYERS = COUNTY_LAYERS;
export type LayerName = (typeof LAYERS)[number];

/** Properties each layer must have after mapping. */
export const REQUIRED_FIELDS: Record<LayerName, string[]> = {
  county: ['code', 'name'],
  'war-zones': ['name'],
  townships: ['code', 'name', 'kind', 'war_zone'],
  villages: ['code', 'name', 'kind', 'township_code'],
  grids: ['code', 'village_code', 'township_code'],
  roads: ['id', 'class', 'speed_kmh'],
  rivers: ['id'],
  firebreaks: ['id'],
  lookouts: ['id', 'name', 'camera_kind', 'height_m'],
  'water-sources': ['id', 'name', 'kind'],
  'key-areas': ['id', 'name', 'kind'],
  crews: ['id', 'name', 'level', 'members'],
};

const NUMERIC = new Set([
  'speed_kmh',
  'height_m',
  'members',
  'capacity_m3',
  'range_m',
  'seat_lon',
  'seat_lat',
  'area_ha',
  'width_m',
  'length_m',
]);

interface LayerMapping {
  file?: string;
  fields?: Record<string, string>;
}

export interface ImportResult {
  problems: Problem[];
  /** Where the validated county was written (absent when nothing was written). */
  outDir?: string;
}

type Props = Record<string, unknown>;

function findSource(
  dir: string,
  layer: LayerName,
  mapping: LayerMapping | undefined,
): string | null {
  if (mapping?.file) return path.join(dir, mapping.file);
  for (const ext of ['.geojson', '.json', '.shp', '.zip']) {
    const f = path.join(dir, `${layer}${ext}`);
    if (fs.existsSync(f)) return f;
  }
  return null;
}

/** The projection of a .prj (WKT), or null for WGS84/CGCS2000 geographic (treated alike: they differ by < 1 m). */
export function projectionFromPrj(wkt: string): ((p: Position) => Position) | null {
  const geographic = /^\s*GEOGCS\[/i.test(wkt);
  if (geographic) {
    if (/WGS.?84|China.?Geodetic.?Coordinate.?System.?2000|CGCS.?2000|China_2000/i.test(wkt))
      return null;
    throw new Error(`unsupported geographic system ${wkt.slice(0, 60)}`);
  }
  const converter = proj4(wkt, 'EPSG:4326');
  return (p) => converter.forward([p[0] as number, p[1] as number]);
}

function mapCoords(g: Geometry, f: (p: Position) => Position): Geometry {
  const walk = (c: unknown): unknown =>
    typeof (c as unknown[])[0] === 'number'
      ? f(c as Position).map(round6)
      : (c as unknown[]).map(walk);
  if (g.type === 'GeometryCollection')
    return { ...g, geometries: g.geometries.map((x) => mapCoords(x, f)) };
  return { ...g, coordinates: walk(g.coordinates) } as Geometry;
}

async function readSource(
  file: string,
): Promise<{ features: Feature<Geometry, Props>[]; project: ((p: Position) => Position) | null }> {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.geojson' || ext === '.json') {
    const fc = JSON.parse(fs.readFileSync(file, 'utf8')) as FeatureCollection<Geometry, Props>;
    if (fc.type !== 'FeatureCollection') throw new Error('not a GeoJSON FeatureCollection');
    // RFC 7946: GeoJSON is WGS84.
    return { features: fc.features, project: null };
  }
  let shp: Uint8Array;
  let dbf: Uint8Array | undefined;
  let prj: string | undefined;
  let cpg: string | undefined;
  if (ext === '.zip') {
    const entries = unzipSync(fs.readFileSync(file));
    const byExt = (e: string) =>
      Object.entries(entries).find(([name]) => name.toLowerCase().endsWith(e))?.[1];
    const s = byExt('.shp');
    if (!s) throw new Error('the zip holds no .shp');
    shp = s;
    dbf = byExt('.dbf');
    const p = byExt('.prj');
    prj = p ? new TextDecoder().decode(p) : undefined;
    const c = byExt('.cpg');
    cpg = c ? new TextDecoder().decode(c) : undefined;
  } else if (ext === '.shp') {
    const base = file.slice(0, -4);
    shp = fs.readFileSync(file);
    const sibling = (e: string) =>
      [e, e.toUpperCase()].map((x) => base + x).find((f) => fs.existsSync(f));
    const dbfFile = sibling('.dbf');
    dbf = dbfFile ? fs.readFileSync(dbfFile) : undefined;
    const prjFile = sibling('.prj');
    prj = prjFile ? fs.readFileSync(prjFile, 'utf8') : undefined;
    const cpgFile = sibling('.cpg');
    cpg = cpgFile ? fs.readFileSync(cpgFile, 'utf8') : undefined;
  } else {
    throw new Error(`unsupported file type ${ext} (use .geojson, .shp or .zip)`);
  }
  if (!dbf) throw new Error('the .dbf (attributes) is missing next to the .shp');
  if (!prj) throw new Error('the .prj is missing: the coordinate system must be stated');
  // Chinese survey shapefiles are usually GBK unless a .cpg says otherwise.
  const encoding = (cpg?.trim() || 'GBK').toLowerCase().replace(/^cp936$/, 'gbk');
  const fc = (await shapefile.read(toArrayBuffer(shp), toArrayBuffer(dbf), {
    encoding,
  })) as FeatureCollection<Geometry, Props>;
  return { features: fc.features, project: projectionFromPrj(prj) };
}

function toArrayBuffer(b: Uint8Array): ArrayBuffer {
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
}

/** The county's DEM as the loader reads it (server/geodata/county-loader.ts DEM_FILE). */
const DEM_FILE = 'dem.tif';

/** Checks the county's DEM against its outline and stages it as dem.tif; a problem otherwise. */
async function stageDem(
  dir: string,
  demName: string | undefined,
  staging: string,
  keepTerrain: boolean,
): Promise<Problem | null> {
  const name = demName ?? DEM_FILE;
  const source = path.join(dir, name);
  if (!fs.existsSync(source)) {
    if (keepTerrain && demName === undefined) return null;
    return {
      file: name,
      feature: '-',
      field: 'dem',
      message: `the county's DEM is missing (a GeoTIFF in EPSG:4326/4490 degrees: ${DEM_FILE}, or the file "dem" names in the mapping); to keep the terrain already loaded, pass --keep-terrain`,
    };
  }
  const county = JSON.parse(fs.readFileSync(path.join(staging, 'county.geojson'), 'utf8')) as
    | FeatureCollection<Geometry>
    | undefined;
  const outline = county?.features.map((f) =>
    f.geometry && f.geometry.type !== 'GeometryCollection' ? f.geometry.coordinates : [],
  );
  try {
    await readCountyDem(source, bboxOf(outline ?? []));
  } catch (err) {
    if (!(err instanceof CountyDemError)) throw err;
    return { file: name, feature: '-', field: 'dem', message: err.message };
  }
  fs.copyFileSync(source, path.join(staging, DEM_FILE));
  return null;
}

export async function importCounty(
  dir: string,
  opts: {
    mappingFile?: string;
    outDir: string;
    expect?: Expectations;
    /** No DEM in the directory: keep the terrain already loaded instead of refusing. */
    keepTerrain?: boolean;
  },
): Promise<ImportResult> {
  const problems: Problem[] = [];
  const mappingPath = opts.mappingFile ?? path.join(dir, 'mapping.json');
  let mapping: Partial<Record<LayerName, LayerMapping>> = {};
  let demName: string | undefined;
  if (fs.existsSync(mappingPath)) {
    try {
      const parsed = JSON.parse(fs.readFileSync(mappingPath, 'utf8')) as {
        layers?: typeof mapping;
        dem?: unknown;
      };
      mapping = parsed.layers ?? {};
      if (parsed.dem !== undefined) {
        if (typeof parsed.dem !== 'string' || parsed.dem === '')
          problems.push({
            file: path.basename(mappingPath),
            feature: '-',
            field: 'dem',
            message: 'must be the DEM file name, e.g. "高程.tif"',
          });
        else demName = parsed.dem;
      }
    } catch (err) {
      return {
        problems: [
          {
            file: path.basename(mappingPath),
            feature: '-',
            message: `cannot be read: ${(err as Error).message}`,
          },
        ],
      };
    }
    for (const key of Object.keys(mapping))
      if (!(LAYERS as readonly string[]).includes(key))
        problems.push({
          file: path.basename(mappingPath),
          feature: key,
          field: 'layers',
          message: `unknown layer; layers are ${LAYERS.join(', ')}`,
        });
  }

  const staging = fs.mkdtempSync(path.join(os.tmpdir(), 'county-import-'));
  try {
    for (const layer of LAYERS) {
      const m = mapping[layer];
      const source = findSource(dir, layer, m);
      const label = source ? path.basename(source) : `${layer}.*`;
      if (!source || !fs.existsSync(source)) {
        problems.push({
          file: label,
          feature: '-',
          message: `no file for layer ${layer} (looked for ${layer}.geojson, .shp, .zip${m?.file ? ` and ${m.file}` : ''})`,
        });
        continue;
      }
      let read: Awaited<ReturnType<typeof readSource>>;
      try {
        read = await readSource(source);
      } catch (err) {
        problems.push({
          file: label,
          feature: '-',
          field: /prj|coordinate/.test((err as Error).message) ? 'prj' : undefined,
          message: (err as Error).message,
        } as Problem);
        continue;
      }
      const fields = m?.fields ?? {};
      const out: Feature<Geometry, Props>[] = [];
      read.features.forEach((f, k) => {
        const src = f.properties ?? {};
        const props: Props = {};
        const renamed = new Set(Object.values(fields));
        for (const [key, value] of Object.entries(src)) if (!renamed.has(key)) props[key] = value;
        for (const [ours, theirs] of Object.entries(fields)) {
          if (!(theirs in src)) {
            problems.push({
              file: label,
              feature: `#${k + 1}`,
              field: ours,
              message: `mapped field ${theirs} does not exist in the source`,
            });
            continue;
          }
          props[ours] = src[theirs];
        }
        const featureId = String(props.code ?? props.id ?? props.name ?? `#${k + 1}`);
        for (const req of REQUIRED_FIELDS[layer]) {
          const v = props[req];
          if (v === undefined || v === null || v === '')
            problems.push({
              file: label,
              feature: featureId,
              field: req,
              message: 'required value is missing',
            });
        }
        for (const key of Object.keys(props)) {
          if (!NUMERIC.has(key) || props[key] === null || props[key] === undefined) continue;
          const n = Number(props[key]);
          if (!Number.isFinite(n))
            problems.push({
              file: label,
              feature: featureId,
              field: key,
              message: `must be a number, got ${JSON.stringify(props[key])}`,
            });
          else props[key] = n;
        }
        if (!f.geometry) {
          problems.push({
            file: label,
            feature: featureId,
            field: 'geometry',
            message: 'feature has no geometry',
          });
          return;
        }
        const geometry = read.project ? mapCoords(f.geometry, read.project) : f.geometry;
        out.push({ type: 'Feature', properties: props, geometry });
      });
      fs.writeFileSync(
        path.join(staging, `${layer}.geojson`),
        JSON.stringify({ type: 'FeatureCollection', features: out }),
      );
    }
    const people = path.join(dir, 'people.csv');
    if (fs.existsSync(people)) fs.copyFileSync(people, path.join(staging, 'people.csv'));
    if (problems.length > 0) return { problems };

    const report = validateCounty(staging, opts.expect ?? {});
    const demProblem = await stageDem(dir, demName, staging, opts.keepTerrain === true);
    if (report.problems.length > 0 || demProblem)
      return { problems: [...report.problems, ...(demProblem ? [demProblem] : [])] };

    fs.rmSync(opts.outDir, { recursive: true, force: true });
    fs.mkdirSync(path.dirname(opts.outDir), { recursive: true });
    fs.cpSync(staging, opts.outDir, { recursive: true });
    return { problems: [], outDir: opts.outDir };
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const args = process.argv.slice(2);
  const flag = (name: string) => {
    const k = args.indexOf(name);
    return k >= 0 ? args[k + 1] : undefined;
  };
  const dir = args.find(
    (a, i) => !a.startsWith('--') && !['--mapping', '--out'].includes(args[i - 1] ?? ''),
  );
  if (!dir) {
    console.error(
      'usage: npm run geodata:import -- <dir> [--mapping FILE] [--out DIR] [--load] [--keep-terrain]',
    );
    process.exit(2);
  }
  const outDir = path.resolve(
    flag('--out') ??
      path.join(path.dirname(fileURLToPath(import.meta.url)), '../../geodata/imported'),
  );
  const mappingArg = flag('--mapping');
  const keepTerrain = args.includes('--keep-terrain');
  const result = await importCounty(path.resolve(dir), {
    mappingFile: mappingArg ? path.resolve(mappingArg) : undefined,
    outDir,
    keepTerrain,
  });
  if (result.problems.length > 0) {
    console.error(formatReport({ problems: result.problems, summary: [] }));
    console.error('nothing was written');
    process.exit(1);
  }
  console.log(`✓ validated and written to ${outDir}`);
  if (args.includes('--load')) {
    const { loadConfig, loadEnvFile } = await import('../../server/config/config.ts');
    const { openDatabase } = await import('../../server/db/database.ts');
    const { migrate } = await import('../../server/db/migrate.ts');
    const { loadCounty } = await import('../../server/geodata/county-loader.ts');
    loadEnvFile('.env');
    const config = loadConfig();
    const database = await openDatabase({
      databaseUrl: config.databaseUrl,
      dataDir: config.dataDir,
    });
    try {
      await migrate(database);
      const loaded = await loadCounty(
        database,
        outDir,
        (layer, done, total) => {
          if (done === total) console.log(`  ${layer} ✓`);
        },
        { keepTerrain },
      );
      console.log(`载入完成 (loaded in ${loaded.seconds.toFixed(1)} s)`, loaded.counts);
    } finally {
      await database.close();
    }
  }
}
