/**
 * `npm run geodata:validate [-- DIR]`: checks a county directory (default geodata/mayang)
 * before it is loaded: valid geometries, partitions without gaps or overlaps, containment,
 * the county's counts, references between files, a connected road network. Every problem
 * names file, feature and field; a summary table follows. Exit code 1 when anything is wrong.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import area from '@turf/area';
import booleanValid from '@turf/boolean-valid';
import type {
  Feature,
  FeatureCollection,
  Geometry,
  MultiPolygon,
  Polygon,
  Position,
} from 'geojson';
import { bbox, distanceM, lineLengthM, pointInPolygon } from './geometry.ts';

export interface Problem {
  file: string;
  feature: string;
  field?: string;
  message: string;
}

/** Relative area mismatch allowed between a partition and its parent (0.05%). */
export const AREA_TOLERANCE = 0.0005;
/** Spacing of the sample lattice that localises gaps and overlaps, degrees (~150 m). */
export const SAMPLE_STEP = 0.0015;
/** A seat must lie within this distance of a road vertex, metres. */
export const SEAT_TO_ROAD_M = 400;

/** The layer files of a county directory, by name (outside checks read them). */
export const COUNTY_LAYERS = [
  'county',
  'war-zones',
  'townships',
  'villages',
  'grids',
  'roads',
  'rivers',
  'firebreaks',
  'lookouts',
  'water-sources',
  'key-areas',
  'crews',
] as const;
export type Layer = (typeof COUNTY_LAYERS)[number];
const REQUIRED = COUNTY_LAYERS;
type AnyFeature = Feature<Geometry, Record<string, unknown>>;

const GRID_ROLES = ['grid_head', 'ranger', 'guide', 'village_cadre', 'supervisor'];

export interface ValidationReport {
  problems: Problem[];
  summary: { file: string; features: number; problems: number }[];
}

/** The county's own numbers; a county imported from its survey has its own (or none). */
export interface Expectations {
  townships?: number;
  zhen?: number;
  villages?: number;
  grids?: number;
  minLookouts?: number;
  minReservoirs?: number;
  minFirebreakKm?: number;
  /** War zones by name; each must contain the seat of the township it is named after. */
  warZones?: string[];
}

/** Mayang as the published account describes it (domain.md). */
export const MAYANG: Expectations = {
  townships: 18,
  zhen: 8,
  villages: 223,
  grids: 815,
  minLookouts: 100,
  minReservoirs: 30,
  minFirebreakKm: 90,
  warZones: ['尧市战区', '锦和战区', '岩门战区', '高村战区', '兰里战区'],
};

export function validateCounty(dir: string, expect: Expectations = MAYANG): ValidationReport {
  const problems: Problem[] = [];
  const add = (file: string, feature: string, message: string, field?: string) =>
    problems.push(
      field === undefined ? { file, feature, message } : { file, feature, field, message },
    );
  const layers = {} as Record<Layer, AnyFeature[]>;

  for (const name of REQUIRED) {
    const file = `${name}.geojson`;
    const full = path.join(dir, file);
    layers[name] = [];
    if (!fs.existsSync(full)) {
      add(file, '-', 'file is missing');
      continue;
    }
    try {
      const fc = JSON.parse(fs.readFileSync(full, 'utf8')) as FeatureCollection;
      if (fc.type !== 'FeatureCollection' || !Array.isArray(fc.features))
        throw new Error('not a FeatureCollection');
      layers[name] = fc.features as AnyFeature[];
    } catch (err) {
      add(file, '-', `cannot be read as GeoJSON: ${(err as Error).message}`);
    }
  }
  const id = (_layer: Layer, f: AnyFeature, k: number) =>
    String(f.properties?.code ?? f.properties?.id ?? f.properties?.name ?? `#${k}`);

  // Geometry types and validity.
  const polygonal: Layer[] = ['county', 'war-zones', 'townships', 'villages', 'grids'];
  const lineal: Layer[] = ['roads', 'rivers', 'firebreaks'];
  const punctual: Layer[] = ['lookouts', 'water-sources', 'crews'];
  for (const layer of REQUIRED) {
    layers[layer].forEach((f, k) => {
      const file = `${layer}.geojson`;
      const t = f.geometry?.type;
      const ok =
        (polygonal.includes(layer) && (t === 'Polygon' || t === 'MultiPolygon')) ||
        (lineal.includes(layer) && (t === 'LineString' || t === 'MultiLineString')) ||
        (punctual.includes(layer) && t === 'Point') ||
        (layer === 'key-areas' && t !== undefined);
      if (!ok) {
        add(file, id(layer, f, k), `geometry type ${t ?? 'none'} is not allowed here`, 'geometry');
        return;
      }
      if (!booleanValid(f as Feature<Geometry>))
        add(file, id(layer, f, k), 'geometry is not valid (OGC simple features)', 'geometry');
    });
  }

  const county = layers.county[0] as Feature<MultiPolygon | Polygon> | undefined;
  if (!county) add('county.geojson', '-', 'no county feature');

  // Counts the county lives by.
  const townships = layers.townships as Feature<MultiPolygon, Record<string, unknown>>[];
  const villages = layers.villages as Feature<MultiPolygon, Record<string, unknown>>[];
  const grids = layers.grids as Feature<MultiPolygon, Record<string, unknown>>[];
  const zhen = townships.filter((t) => t.properties.kind === '镇').length;
  if (
    expect.townships !== undefined &&
    (townships.length !== expect.townships || (expect.zhen !== undefined && zhen !== expect.zhen))
  )
    add(
      'townships.geojson',
      '-',
      `expected ${expect.townships} townships (${expect.zhen} 镇), found ${townships.length} (${zhen} 镇)`,
    );
  if (expect.villages !== undefined && villages.length !== expect.villages)
    add(
      'villages.geojson',
      '-',
      `expected ${expect.villages} villages/communities, found ${villages.length}`,
    );
  if (expect.grids !== undefined && grids.length !== expect.grids)
    add('grids.geojson', '-', `expected exactly ${expect.grids} grids, found ${grids.length}`);
  const zoneNames = layers['war-zones'].map((z) => String(z.properties?.name));
  for (const n of expect.warZones ?? [])
    if (!zoneNames.includes(n)) add('war-zones.geojson', n, 'war zone is missing', 'name');
  const lookoutCount = layers.lookouts.length;
  if (lookoutCount < (expect.minLookouts ?? 0))
    add(
      'lookouts.geojson',
      '-',
      `expected ≥ ${expect.minLookouts} lookouts, found ${lookoutCount}`,
    );
  const reservoirs = layers['water-sources'].filter(
    (w) => w.properties?.kind === 'reservoir',
  ).length;
  if (reservoirs < (expect.minReservoirs ?? 0))
    add(
      'water-sources.geojson',
      '-',
      `expected ≥ ${expect.minReservoirs} reservoirs (kind reservoir), found ${reservoirs}`,
      'kind',
    );
  const firebreakKm =
    layers.firebreaks.reduce((s, f) => s + lineLengthM(lineCoords(f.geometry).flat()), 0) / 1000;
  if (firebreakKm < (expect.minFirebreakKm ?? 0))
    add(
      'firebreaks.geojson',
      '-',
      `expected ≥ ${expect.minFirebreakKm} km of firebreaks, found ${firebreakKm.toFixed(1)} km`,
    );

  // References between files.
  const townshipCodes = new Set(townships.map((t) => String(t.properties.code)));
  const villageByCode = new Map(villages.map((v) => [String(v.properties.code), v]));
  townships.forEach((t, k) => {
    if (!zoneNames.includes(String(t.properties.war_zone)))
      add(
        'townships.geojson',
        id('townships', t, k),
        `war_zone "${t.properties.war_zone}" is not in war-zones.geojson`,
        'war_zone',
      );
    if (!['镇', '乡'].includes(String(t.properties.kind)))
      add('townships.geojson', id('townships', t, k), 'kind must be 镇 or 乡', 'kind');
  });
  villages.forEach((v, k) => {
    if (!townshipCodes.has(String(v.properties.township_code)))
      add(
        'villages.geojson',
        id('villages', v, k),
        `township_code ${v.properties.township_code} is not in townships.geojson`,
        'township_code',
      );
  });
  const gridsByVillage = new Map<string, Feature<MultiPolygon, Record<string, unknown>>[]>();
  grids.forEach((g, k) => {
    const v = villageByCode.get(String(g.properties.village_code));
    if (!v) {
      add(
        'grids.geojson',
        id('grids', g, k),
        `village_code ${g.properties.village_code} is not in villages.geojson`,
        'village_code',
      );
      return;
    }
    if (v.properties.township_code !== g.properties.township_code)
      add(
        'grids.geojson',
        id('grids', g, k),
        `township_code ${g.properties.township_code} differs from its village's ${v.properties.township_code}`,
        'township_code',
      );
    if (!String(g.properties.code).startsWith(String(v.properties.code)))
      add('grids.geojson', id('grids', g, k), 'code must start with its village code', 'code');
    const list = gridsByVillage.get(String(v.properties.code)) ?? [];
    list.push(g);
    gridsByVillage.set(String(v.properties.code), list);
  });
  villages.forEach((v, k) => {
    if (v.properties.kind === '社区' && gridsByVillage.has(String(v.properties.code)))
      add(
        'villages.geojson',
        id('villages', v, k),
        'an urban 社区 has no forest and must have no grids',
        'kind',
      );
  });
  layers.crews.forEach((c, k) => {
    const p = c.properties ?? {};
    const tc = p.township_code;
    if (tc !== null && tc !== undefined && !townshipCodes.has(String(tc)))
      add(
        'crews.geojson',
        id('crews', c, k),
        `township_code ${tc} is not in townships.geojson`,
        'township_code',
      );
    const min = p.level === 'township' ? 30 : p.level === 'village' ? 15 : 1;
    if (typeof p.members !== 'number' || p.members < min)
      add(
        'crews.geojson',
        id('crews', c, k),
        `a ${p.level} crew needs ≥ ${min} members, has ${p.members}`,
        'members',
      );
    if (!['county', 'township', 'village'].includes(String(p.level)))
      add('crews.geojson', id('crews', c, k), 'level must be county, township or village', 'level');
  });
  for (const t of townships)
    if (
      !layers.crews.some(
        (c) =>
          c.properties?.level === 'township' && c.properties?.township_code === t.properties.code,
      )
    )
      add(
        'crews.geojson',
        String(t.properties.code),
        `township ${t.properties.name} has no township crew`,
        'township_code',
      );

  // People: every grid has each duty.
  const peopleFile = path.join(dir, 'people.csv');
  if (!fs.existsSync(peopleFile)) add('people.csv', '-', 'file is missing');
  else {
    const lines = fs.readFileSync(peopleFile, 'utf8').trim().split('\n');
    const header = (lines[0] ?? '').split(',');
    const col = (n: string) => header.indexOf(n);
    const roles = new Map<string, Set<string>>();
    const gridCodes = new Set(grids.map((g) => String(g.properties.code)));
    lines.slice(1).forEach((line, k) => {
      const c = line.split(',');
      const grid = c[col('grid_code')] ?? '';
      if (!gridCodes.has(grid))
        add(
          'people.csv',
          `line ${k + 2}`,
          `grid_code ${grid} is not in grids.geojson`,
          'grid_code',
        );
      const set = roles.get(grid) ?? new Set<string>();
      set.add(c[col('role')] ?? '');
      roles.set(grid, set);
    });
    for (const g of gridCodes) {
      const missing = GRID_ROLES.filter((r) => !roles.get(g)?.has(r));
      if (missing.length) add('people.csv', g, `grid lacks ${missing.join(', ')}`, 'role');
    }
  }

  // Partitions and containment: area sums, then a sample lattice to say where.
  if (county) {
    const countyArea = area(county);
    const sumOf = (fs: Feature<Geometry>[]) => fs.reduce((s, f) => s + area(f), 0);
    const rel = (a: number, b: number) => Math.abs(a - b) / b;
    const tSum = sumOf(townships);
    if (rel(tSum, countyArea) > AREA_TOLERANCE)
      add(
        'townships.geojson',
        '-',
        `township areas sum to ${(tSum / 1e6).toFixed(2)} km², the county is ${(countyArea / 1e6).toFixed(2)} km² (gaps or overlaps)`,
      );
    for (const t of townships) {
      const own = villages.filter((v) => v.properties.township_code === t.properties.code);
      const s = sumOf(own);
      if (rel(s, area(t)) > AREA_TOLERANCE)
        add(
          'villages.geojson',
          String(t.properties.code),
          `villages of ${t.properties.name} sum to ${(s / 1e6).toFixed(3)} km², the township is ${(area(t) / 1e6).toFixed(3)} km²`,
        );
    }
    const zSum = sumOf(layers['war-zones'] as Feature<Geometry>[]);
    if (rel(zSum, countyArea) > AREA_TOLERANCE)
      add('war-zones.geojson', '-', 'war zones do not partition the county');
    samplePartition(county.geometry, townships, villages, grids, (file, feature, message) =>
      add(file, feature, message, 'geometry'),
    );
    // War zones: each contains its namesake township.
    for (const z of layers['war-zones']) {
      const name = String(z.properties?.name);
      if (!(expect.warZones ?? []).includes(name)) continue;
      const town = townships.find((t) => `${String(t.properties.name).slice(0, 2)}战区` === name);
      const seat = town
        ? [Number(town.properties.seat_lon), Number(town.properties.seat_lat)]
        : null;
      if (!seat || !pointInPolygon(seat, z.geometry as MultiPolygon))
        add('war-zones.geojson', name, 'does not contain its namesake township seat', 'geometry');
      if (town && town.properties.war_zone !== name)
        add(
          'townships.geojson',
          String(town.properties.code),
          `namesake of ${name} is assigned to ${town.properties.war_zone}`,
          'war_zone',
        );
    }
  }

  // War zones are contiguous groups of townships (touching = sharing a boundary vertex).
  const vertexKeys = townships.map((t) => {
    const g = t.geometry as MultiPolygon | Polygon;
    const positions = g.type === 'Polygon' ? g.coordinates.flat() : g.coordinates.flat(2);
    return new Set(positions.map((p) => `${p[0]},${p[1]}`));
  });
  for (const name of zoneNames) {
    const members = townships
      .map((t, k) => ({ t, k }))
      .filter(({ t }) => t.properties.war_zone === name);
    if (members.length === 0) continue;
    const reached = new Set([members[0]?.k]);
    const queue = [members[0]?.k as number];
    while (queue.length) {
      const a = queue.shift() as number;
      for (const { k: b } of members) {
        if (reached.has(b)) continue;
        for (const key of vertexKeys[b] ?? []) {
          if (vertexKeys[a]?.has(key)) {
            reached.add(b);
            queue.push(b);
            break;
          }
        }
      }
    }
    if (reached.size !== members.length)
      add('townships.geojson', name, `the townships of ${name} are not contiguous`, 'war_zone');
  }

  // Roads: one connected network reaching every township and village seat.
  const roadVertices: Position[] = [];
  const parent = new Map<string, string>();
  const find = (k: string): string => {
    let r = k;
    while (parent.get(r) !== r) r = parent.get(r) as string;
    parent.set(k, r);
    return r;
  };
  for (const f of layers.roads) {
    for (const line of lineCoords(f.geometry)) {
      const keys = line.map((p) => `${p[0]},${p[1]}`);
      for (const k of keys) if (!parent.has(k)) parent.set(k, k);
      for (let i = 1; i < keys.length; i++)
        parent.set(find(keys[i] as string), find(keys[0] as string));
      roadVertices.push(...line);
    }
  }
  const components = new Set([...parent.keys()].map(find)).size;
  if (components !== 1)
    add('roads.geojson', '-', `road network has ${components} disconnected parts; it must be one`);
  for (const [file, list] of [
    ['townships.geojson', townships],
    ['villages.geojson', villages],
  ] as const) {
    for (const f of list) {
      const seat = [Number(f.properties.seat_lon), Number(f.properties.seat_lat)];
      const near = roadVertices.some(
        (p) =>
          Math.abs((p[0] as number) - (seat[0] as number)) < 0.006 &&
          Math.abs((p[1] as number) - (seat[1] as number)) < 0.006 &&
          distanceM(p, seat) <= SEAT_TO_ROAD_M,
      );
      if (!near)
        add(
          file,
          String(f.properties.code),
          `seat is more than ${SEAT_TO_ROAD_M} m from any road`,
          'seat',
        );
    }
  }
  layers.roads.forEach((f, k) => {
    const p = f.properties ?? {};
    if (!['county', 'township', 'village', 'forest_track'].includes(String(p.class)))
      add(
        'roads.geojson',
        id('roads', f, k),
        `class "${p.class}" is not county, township, village or forest_track`,
        'class',
      );
    if (typeof p.speed_kmh !== 'number' || p.speed_kmh <= 0 || p.speed_kmh > 120)
      add(
        'roads.geojson',
        id('roads', f, k),
        'speed_kmh must be a number in (0, 120]',
        'speed_kmh',
      );
  });

  const summary = REQUIRED.map((name) => ({
    file: `${name}.geojson`,
    features: layers[name].length,
    problems: problems.filter((p) => p.file === `${name}.geojson`).length,
  }));
  summary.push({
    file: 'people.csv',
    features: 0,
    problems: problems.filter((p) => p.file === 'people.csv').length,
  });
  return { problems, summary };
}

function lineCoords(g: Geometry | null): Position[][] {
  if (!g) return [];
  if (g.type === 'LineString') return [g.coordinates];
  if (g.type === 'MultiLineString') return g.coordinates;
  return [];
}

/** Count, at lattice points over the county, how many areas of each level contain them. */
function samplePartition(
  county: MultiPolygon | Polygon,
  townships: Feature<MultiPolygon, Record<string, unknown>>[],
  villages: Feature<MultiPolygon, Record<string, unknown>>[],
  grids: Feature<MultiPolygon, Record<string, unknown>>[],
  report: (file: string, feature: string, message: string) => void,
) {
  const withBox = <T extends Feature<MultiPolygon, Record<string, unknown>>>(fs: T[]) =>
    fs.map((f) => ({ f, b: bbox(f.geometry) }));
  const T = withBox(townships);
  const V = withBox(villages);
  const G = withBox(grids);
  const villageOf = new Map(villages.map((v) => [String(v.properties.code), v]));
  const [w, s, e, n] = bbox(county);
  const seen = new Set<string>();
  const once = (file: string, feature: string, message: string) => {
    const k = `${file}|${feature}|${message.slice(0, 30)}`;
    if (!seen.has(k)) {
      seen.add(k);
      report(file, feature, message);
    }
  };
  for (let y = s + SAMPLE_STEP / 2; y < n; y += SAMPLE_STEP)
    for (let x = w + SAMPLE_STEP / 2; x < e; x += SAMPLE_STEP) {
      const p: Position = [x, y];
      if (!pointInPolygon(p, county)) continue;
      const hits = (list: { f: Feature<MultiPolygon, Record<string, unknown>>; b: number[] }[]) =>
        list
          .filter(
            ({ b }) =>
              x >= (b[0] as number) &&
              x <= (b[2] as number) &&
              y >= (b[1] as number) &&
              y <= (b[3] as number),
          )
          .filter(({ f }) => pointInPolygon(p, f.geometry));
      const at = `${x.toFixed(4)},${y.toFixed(4)}`;
      const t = hits(T);
      if (t.length === 0)
        once('townships.geojson', at, 'gap: point inside the county is in no township');
      if (t.length > 1)
        once(
          'townships.geojson',
          t.map(({ f }) => f.properties.code).join('+'),
          `overlap at ${at}`,
        );
      const v = hits(V);
      if (v.length === 0)
        once('villages.geojson', at, 'gap: point inside the county is in no village');
      if (v.length > 1)
        once('villages.geojson', v.map(({ f }) => f.properties.code).join('+'), `overlap at ${at}`);
      if (
        v.length === 1 &&
        t.length === 1 &&
        v[0]?.f.properties.township_code !== t[0]?.f.properties.code
      )
        once(
          'villages.geojson',
          String(v[0]?.f.properties.code),
          `lies outside its township at ${at}`,
        );
      const g = hits(G);
      if (g.length > 1)
        once('grids.geojson', g.map(({ f }) => f.properties.code).join('+'), `overlap at ${at}`);
      if (
        g.length === 1 &&
        v.length === 1 &&
        g[0]?.f.properties.village_code !== v[0]?.f.properties.code
      ) {
        const own = villageOf.get(String(g[0]?.f.properties.village_code));
        once(
          'grids.geojson',
          String(g[0]?.f.properties.code),
          `lies outside its village ${own?.properties.name ?? ''} at ${at}`,
        );
      }
    }
}

export function formatReport(report: ValidationReport): string {
  const lines = report.problems.map(
    (p) => `✗ ${p.file} · ${p.feature}${p.field ? ` · ${p.field}` : ''}: ${p.message}`,
  );
  lines.push('', 'file                    features  problems');
  for (const r of report.summary)
    lines.push(
      `${r.file.padEnd(22)} ${String(r.features).padStart(9)} ${String(r.problems).padStart(9)}`,
    );
  lines.push(
    '',
    report.problems.length === 0
      ? '✓ county data is valid'
      : `✗ ${report.problems.length} problem(s)`,
  );
  return lines.join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const dir = path.resolve(
    process.argv[2] ??
      path.join(path.dirname(fileURLToPath(import.meta.url)), '../../geodata/mayang'),
  );
  const t0 = Date.now();
  const report = validateCounty(dir);
  console.log(formatReport(report));
  console.log(`(${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  process.exit(report.problems.length === 0 ? 0 : 1);
}
