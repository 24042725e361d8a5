/**
 * `npm run province:generate -- --counties N [--out DIR] [--base DIR]`: a synthetic province
 * of N counties in one county directory that `npm run geodata:load` (and loadCounty) takes
 * whole. County 0 is the base county (geodata/mayang) where it lies, with its DEM; counties
 * 1 … N−1 are copies laid on a lattice to its south and east, each with its own codes
 * (439001 …, townships, villages and grids under it), names (模拟县001 …, war zones named
 * after their county) and ids. Every county's roads get the loop-closing roads of
 * road-loops.ts, so the province's road networks have loops where the base's is a tree.
 * N = 100 gives 81,500 grids, 11,000 lookouts and 22,400 crews.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Feature, FeatureCollection, Geometry, LineString, MultiPolygon } from 'geojson';
import type { RoadProperties } from '../../server/domain/reach/road-graph.ts';
import { bboxOf } from '../../server/geodata/county-dem.ts';
import { DEFAULT_OUT } from './generate.ts';
import { loopClosingRoads } from './road-loops.ts';
import { COUNTY_LAYERS } from './validate.ts';

type Props = Record<string, unknown>;
type Layer = Feature<Geometry, Props>[];

/** The layers of a county directory, as validate.ts names them. */
export const LAYERS = COUNTY_LAYERS;

/** Lattice gap between neighbouring counties, degrees. */
const GAP_DEG = 0.05;

export interface ProvinceCounty {
  code: string;
  name: string;
  /** Offset of this county from the base, degrees. */
  dx: number;
  dy: number;
}

export interface Province {
  counties: ProvinceCounty[];
  layers: Record<(typeof LAYERS)[number], FeatureCollection<Geometry, Props>>;
  peopleCsv: string;
  /** Loop-closing roads per county. */
  loopsPerCounty: number;
}

const round6 = (v: number) => Math.round(v * 1e6) / 1e6;

function shift(coords: unknown, dx: number, dy: number): unknown {
  if (typeof (coords as number[])[0] === 'number') {
    const [x, y, ...rest] = coords as number[];
    return [round6((x as number) + dx), round6((y as number) + dy), ...rest];
  }
  return (coords as unknown[]).map((c) => shift(c, dx, dy));
}

function shiftGeometry(g: Geometry, dx: number, dy: number): Geometry {
  if (g.type === 'GeometryCollection')
    return { ...g, geometries: g.geometries.map((x) => shiftGeometry(x, dx, dy)) };
  return { ...g, coordinates: shift(g.coordinates, dx, dy) } as Geometry;
}

function readLayer(dir: string, name: string): Layer {
  return (
    JSON.parse(fs.readFileSync(path.join(dir, `${name}.geojson`), 'utf8')) as FeatureCollection<
      Geometry,
      Props
    >
  ).features;
}

/** The county codes and places of a province of n counties around `base` (its bbox). */
export function provinceCounties(
  n: number,
  baseCode: string,
  baseName: string,
  box: [number, number, number, number],
): ProvinceCounty[] {
  if (!Number.isInteger(n) || n < 1 || n > 999)
    throw new RangeError(`counties must be an integer 1…999, got ${n}`);
  const cols = Math.ceil(Math.sqrt(n));
  const stepX = box[2] - box[0] + GAP_DEG;
  const stepY = box[3] - box[1] + GAP_DEG;
  return Array.from({ length: n }, (_, k) =>
    k === 0
      ? { code: baseCode, name: baseName, dx: 0, dy: 0 }
      : {
          code: String(439000 + k),
          name: `模拟县${String(k).padStart(3, '0')}`,
          dx: round6((k % cols) * stepX),
          dy: round6(-Math.floor(k / cols) * stepY),
        },
  );
}

export function buildProvince(n: number, baseDir = DEFAULT_OUT): Province {
  const base = Object.fromEntries(LAYERS.map((l) => [l, readLayer(baseDir, l)])) as Record<
    (typeof LAYERS)[number],
    Layer
  >;
  const c0 = base.county[0];
  if (!c0) throw new Error(`county.geojson in ${baseDir} has no feature`);
  const baseCode = String(c0.properties.code);
  const counties = provinceCounties(
    n,
    baseCode,
    String(c0.properties.name),
    bboxOf(base.county.map((f) => (f.geometry as MultiPolygon).coordinates)),
  );
  const loops = loopClosingRoads(base.roads as unknown as Feature<LineString, RoadProperties>[]);
  const baseRoads = [...base.roads, ...(loops as unknown as Layer)];
  const zoneNames = new Set(base['war-zones'].map((z) => String(z.properties.name)));
  const codeRe = new RegExp(`^${baseCode}(\\d{3}|\\d{6}|\\d{9})$`);

  const layers = Object.fromEntries(
    LAYERS.map((l) => [l, { type: 'FeatureCollection', features: [] as Layer }]),
  ) as unknown as Province['layers'];
  const people: string[] = [];
  const [head, ...rows] = fs
    .readFileSync(path.join(baseDir, 'people.csv'), 'utf8')
    .trim()
    .split(/\r?\n/);
  const cols = (head ?? '').split(',');

  for (const c of counties) {
    const first = c.code === baseCode;
    const recode = (v: unknown): unknown => {
      if (typeof v !== 'string' || first) return v;
      if (v.includes(',')) return v.split(',').map(recode).join(',');
      const m = codeRe.exec(v);
      if (m) return c.code + m[1];
      if (zoneNames.has(v)) return `${c.name}${v}`;
      return v;
    };
    for (const l of LAYERS) {
      const out = layers[l].features as Layer;
      for (const f of l === 'roads' ? baseRoads : base[l]) {
        const p: Props = {};
        for (const [k, v] of Object.entries(f.properties)) p[k] = recode(v);
        if (!first && typeof p.id === 'string') p.id = `${c.code}-${p.id}`;
        if (l === 'war-zones') p.county_code = c.code;
        if (l === 'county') {
          p.code = c.code;
          p.name = c.name;
          p.synthetic = !first;
        }
        if (typeof p.seat_lon === 'number') p.seat_lon = round6(p.seat_lon + c.dx);
        if (typeof p.seat_lat === 'number') p.seat_lat = round6(p.seat_lat + c.dy);
        out.push({
          type: 'Feature',
          properties: p,
          geometry: shiftGeometry(f.geometry, c.dx, c.dy),
        });
      }
    }
    for (const row of rows) {
      const cells = row.split(',');
      people.push(
        cols
          .map((col, i) => {
            const v = cells[i] ?? '';
            if (first) return v;
            return col === 'person_id' ? `${c.code}-${v}` : (recode(v) as string);
          })
          .join(','),
      );
    }
  }
  return {
    counties,
    layers,
    peopleCsv: `${[head, ...people].join('\n')}\n`,
    loopsPerCounty: loops.length,
  };
}

export function writeProvince(n: number, outDir: string, baseDir = DEFAULT_OUT) {
  const p = buildProvince(n, baseDir);
  fs.mkdirSync(outDir, { recursive: true });
  for (const [name, layer] of Object.entries(p.layers))
    fs.writeFileSync(path.join(outDir, `${name}.geojson`), `${JSON.stringify(layer)}\n`);
  fs.writeFileSync(path.join(outDir, 'people.csv'), p.peopleCsv);
  // County 0 lies where the base does: the base's terrain is its terrain.
  fs.copyFileSync(path.join(baseDir, 'dem.tif'), path.join(outDir, 'dem.tif'));
  const counts = Object.fromEntries(
    Object.entries(p.layers).map(([k, v]) => [k, v.features.length]),
  );
  fs.writeFileSync(
    path.join(outDir, 'SOURCES.md'),
    `# Synthetic province of ${n} counties\n\nGenerated by \`npm run province:generate -- --counties ${n}\` from ${path.relative(outDir, baseDir) || baseDir}. County 0 is the base county in its place (with ${p.loopsPerCounty} loop-closing village roads added to its roads); counties 1…${n - 1} are copies on a lattice with their own codes (439001…) and names (模拟县001…). **Everything is synthetic** and must not be used to fight a real fire.\n\n${Object.entries(
      counts,
    )
      .map(([k, v]) => `- ${k}: ${v}`)
      .join('\n')}\n`,
  );
  return { counties: p.counties, stats: { loopsPerCounty: p.loopsPerCounty, ...counts } };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const arg = (name: string) => {
    const k = process.argv.indexOf(name);
    return k >= 0 ? process.argv[k + 1] : undefined;
  };
  const n = Number(arg('--counties') ?? 100);
  if (!Number.isInteger(n) || n < 1 || n > 999) {
    console.error(`--counties must be an integer 1…999, got ${arg('--counties')}`);
    process.exit(2);
  }
  const out = path.resolve(arg('--out') ?? `geodata/province-${n}`);
  const t0 = Date.now();
  const { stats } = writeProvince(n, out, path.resolve(arg('--base') ?? DEFAULT_OUT));
  console.log(`wrote ${out} in ${((Date.now() - t0) / 1000).toFixed(1)} s`, stats);
}
