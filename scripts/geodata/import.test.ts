import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { zipSync } from 'fflate';
import type { FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import { writeArrayBuffer } from 'geotiff';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_OUT } from './generate.ts';
import { importCounty, projectionFromPrj } from './import.ts';
import { MAYANG } from './validate.ts';

const FIXTURE = path.join(path.dirname(new URL(import.meta.url).pathname), 'fixtures/import-gk');
const dirs: string[] = [];
const tmp = (prefix: string) => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

/** A survey directory: the demo county's GeoJSON, with townships as the GK shapefile fixture. */
function surveyDir(options: { zip?: boolean; mapping?: object } = {}): string {
  const dir = tmp('survey-');
  for (const f of fs.readdirSync(DEFAULT_OUT))
    if (f.endsWith('.geojson') && f !== 'townships.geojson')
      fs.copyFileSync(path.join(DEFAULT_OUT, f), path.join(dir, f));
  fs.copyFileSync(path.join(DEFAULT_OUT, 'people.csv'), path.join(dir, 'people.csv'));
  fs.copyFileSync(path.join(DEFAULT_OUT, 'dem.tif'), path.join(dir, 'dem.tif'));
  const shapeFiles = fs.readdirSync(FIXTURE).filter((f) => f.startsWith('townships.'));
  const mapping = JSON.parse(fs.readFileSync(path.join(FIXTURE, 'mapping.json'), 'utf8'));
  if (options.zip) {
    const entries = Object.fromEntries(
      shapeFiles.map((f) => [`乡镇/${f}`, new Uint8Array(fs.readFileSync(path.join(FIXTURE, f)))]),
    );
    fs.writeFileSync(path.join(dir, '乡镇.zip'), zipSync(entries));
    mapping.layers.townships.file = '乡镇.zip';
  } else {
    for (const f of shapeFiles) fs.copyFileSync(path.join(FIXTURE, f), path.join(dir, f));
  }
  fs.writeFileSync(path.join(dir, 'mapping.json'), JSON.stringify(options.mapping ?? mapping));
  return dir;
}

const vertexSet = (g: MultiPolygon | Polygon) =>
  new Set(
    (g.type === 'Polygon' ? [g.coordinates] : g.coordinates)
      .flat(2)
      .map((p) => `${(p[0] as number).toFixed(6)},${(p[1] as number).toFixed(6)}`),
  );

describe('geodata:import', () => {
  for (const zip of [false, true]) {
    it(`reads a GBK Shapefile${zip ? ' inside a zip' : ''} in CGCS2000 Gauss-Krüger CM 111E, maps its fields and reprojects to WGS84`, async () => {
      const out = path.join(tmp('out-'), 'county');
      const result = await importCounty(surveyDir({ zip }), { outDir: out, expect: MAYANG });
      expect(result.problems).toEqual([]);
      const imported = JSON.parse(
        fs.readFileSync(path.join(out, 'townships.geojson'), 'utf8'),
      ) as FeatureCollection<MultiPolygon | Polygon>;
      const original = JSON.parse(
        fs.readFileSync(path.join(DEFAULT_OUT, 'townships.geojson'), 'utf8'),
      ) as FeatureCollection<MultiPolygon>;
      expect(imported.features.map((f) => f.properties?.name).sort()).toEqual(
        original.features.map((f) => f.properties?.name).sort(),
      );
      for (const o of original.features) {
        const i = imported.features.find((f) => f.properties?.code === o.properties?.code);
        expect(i?.properties).toMatchObject({
          kind: o.properties?.kind,
          war_zone: o.properties?.war_zone,
        });
        // GDAL projected the vertices to GK; the importer projects them back exactly (to 1e-6°).
        expect(vertexSet(i?.geometry as Polygon)).toEqual(vertexSet(o.geometry));
      }
    });
  }

  it('names file, feature and field when a mapped field does not exist, and writes nothing', async () => {
    const mapping = JSON.parse(fs.readFileSync(path.join(FIXTURE, 'mapping.json'), 'utf8'));
    mapping.layers.townships.fields.code = 'XZDM_WRONG';
    const out = path.join(tmp('out-'), 'county');
    const result = await importCounty(surveyDir({ mapping }), { outDir: out });
    expect(result.problems[0]).toMatchObject({
      file: 'townships.shp',
      feature: '#1',
      field: 'code',
    });
    expect(result.problems[0]?.message).toContain('XZDM_WRONG');
    expect(fs.existsSync(out)).toBe(false);
  });

  it('refuses a Shapefile without a .prj', async () => {
    const dir = surveyDir();
    fs.rmSync(path.join(dir, 'townships.prj'));
    const result = await importCounty(dir, { outDir: path.join(tmp('out-'), 'c') });
    expect(result.problems).toContainEqual(
      expect.objectContaining({ file: 'townships.shp', field: 'prj' }),
    );
  });

  it('writes nothing when the data does not validate (a grid pointing at no village)', async () => {
    const dir = surveyDir();
    const grids = JSON.parse(fs.readFileSync(path.join(dir, 'grids.geojson'), 'utf8'));
    grids.features[0].properties.village_code = '431226000000';
    fs.writeFileSync(path.join(dir, 'grids.geojson'), JSON.stringify(grids));
    const out = path.join(tmp('out-'), 'county');
    const result = await importCounty(dir, { outDir: out });
    expect(result.problems).toContainEqual(
      expect.objectContaining({ file: 'grids.geojson', field: 'village_code' }),
    );
    expect(fs.existsSync(out)).toBe(false);
  });

  it('names a value of the wrong type', async () => {
    const dir = surveyDir();
    const crews = JSON.parse(fs.readFileSync(path.join(dir, 'crews.geojson'), 'utf8'));
    crews.features[2].properties.members = 'thirty';
    fs.writeFileSync(path.join(dir, 'crews.geojson'), JSON.stringify(crews));
    const result = await importCounty(dir, { outDir: path.join(tmp('out-'), 'c') });
    expect(result.problems).toContainEqual(
      expect.objectContaining({
        file: 'crews.geojson',
        feature: crews.features[2].properties.id,
        field: 'members',
      }),
    );
  });

  it('brings the county’s own DEM, under the name the mapping gives it, out as dem.tif', async () => {
    const dir = surveyDir();
    fs.renameSync(path.join(dir, 'dem.tif'), path.join(dir, '高程.tif'));
    const mapping = JSON.parse(fs.readFileSync(path.join(dir, 'mapping.json'), 'utf8'));
    fs.writeFileSync(
      path.join(dir, 'mapping.json'),
      JSON.stringify({ ...mapping, dem: '高程.tif' }),
    );
    const out = path.join(tmp('out-'), 'county');
    const result = await importCounty(dir, { outDir: out });
    expect(result.problems).toEqual([]);
    expect(
      Buffer.compare(
        fs.readFileSync(path.join(out, 'dem.tif')),
        fs.readFileSync(path.join(DEFAULT_OUT, 'dem.tif')),
      ),
    ).toBe(0);
  });

  it('refuses a county without a DEM, naming the file and --keep-terrain, unless told to keep the terrain loaded', async () => {
    const dir = surveyDir();
    fs.rmSync(path.join(dir, 'dem.tif'));
    const out = path.join(tmp('out-'), 'county');
    const refused = await importCounty(dir, { outDir: out });
    expect(refused.problems).toEqual([expect.objectContaining({ file: 'dem.tif', field: 'dem' })]);
    expect(refused.problems[0]?.message).toContain('--keep-terrain');
    expect(fs.existsSync(out)).toBe(false);
    const kept = await importCounty(dir, { outDir: out, keepTerrain: true });
    expect(kept.problems).toEqual([]);
    expect(fs.existsSync(path.join(out, 'dem.tif'))).toBe(false);
  });

  it('refuses a DEM that does not cover the county, and one in projected metres, naming the file', async () => {
    const dir = surveyDir();
    // The fixture county's DEM covers 0.05° × 0.04° of Mayang, not the county.
    fs.copyFileSync(path.join(FIXTURE, '../terrain-county/dem.tif'), path.join(dir, 'dem.tif'));
    const small = await importCounty(dir, { outDir: path.join(tmp('out-'), 'c') });
    expect(small.problems).toEqual([expect.objectContaining({ file: 'dem.tif', field: 'dem' })]);
    expect(small.problems[0]?.message).toContain('does not cover the county');

    // CGCS2000 / 3-degree GK CM 111E in metres (EPSG:4546): the DEM must be in degrees.
    const projected = writeArrayBuffer(new Uint16Array(4).fill(300), {
      width: 2,
      height: 2,
      ModelPixelScale: [50_000, 50_000, 0],
      ModelTiepoint: [0, 0, 0, 300_000, 3_120_000, 0],
      GTModelTypeGeoKey: 1,
      ProjectedCSTypeGeoKey: 4546,
      GTRasterTypeGeoKey: 1,
    } as never);
    fs.writeFileSync(path.join(dir, 'dem.tif'), Buffer.from(projected));
    const metres = await importCounty(dir, { outDir: path.join(tmp('out-'), 'c') });
    expect(metres.problems).toEqual([expect.objectContaining({ file: 'dem.tif', field: 'dem' })]);
    expect(metres.problems[0]?.message).toMatch(/EPSG:4326.*EPSG:4490.*projected CRS EPSG:4546/);

    fs.writeFileSync(path.join(dir, 'dem.tif'), 'not a tiff');
    const garbage = await importCounty(dir, { outDir: path.join(tmp('out-'), 'c') });
    expect(garbage.problems).toEqual([expect.objectContaining({ file: 'dem.tif', field: 'dem' })]);
  });

  it('treats CGCS2000 geographic (EPSG:4490) as WGS84 and projects GK zones with the zone in the false easting', () => {
    expect(
      projectionFromPrj(
        'GEOGCS["China Geodetic Coordinate System 2000",DATUM["China_2000",SPHEROID["CGCS2000",6378137,298.257222101]],PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433]]',
      ),
    ).toBeNull();
    // CGCS2000 / 3-degree Gauss-Kruger zone 37 (EPSG:4525): false easting 37,500,000 m, CM 111°E.
    const zone37 =
      'PROJCS["CGCS2000 / 3-degree Gauss-Kruger zone 37",GEOGCS["China Geodetic Coordinate System 2000",DATUM["China_2000",SPHEROID["CGCS2000",6378137,298.257222101]],PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],PARAMETER["latitude_of_origin",0],PARAMETER["central_meridian",111],PARAMETER["scale_factor",1],PARAMETER["false_easting",37500000],PARAMETER["false_northing",0],UNIT["metre",1]]';
    const project = projectionFromPrj(zone37);
    // On the central meridian easting is the false easting; 3,090,000 m north is ~27.92° N.
    expect(project).not.toBeNull();
    const [lon, lat] = (project as NonNullable<typeof project>)([
      37_500_000, 3_090_000,
    ]) as number[];
    expect(lon).toBeCloseTo(111, 9);
    expect(lat).toBeGreaterThan(27.9);
    expect(lat).toBeLessThan(27.95);
  });
});
