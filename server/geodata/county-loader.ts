/**
 * Loads a county directory (the files geodata:generate writes, or a county's own data after
 * import) into the database in ONE transaction: areas and crews are upserted by their codes
 * and ids (so incidents, users and dispatches that point at them keep pointing), rows the new
 * county no longer has are deleted, and the asset layers are replaced. Any failure rolls the
 * whole load back and the previous county stays as it was.
 *
 * The county's terrain comes with it: `dem.tif` in the directory is checked (county-dem.ts)
 * and stored in county_terrain in the same transaction, replacing the previous county's, so
 * terrain tiles, contours, reach, spread and tower coverage switch with the load. A directory
 * without a DEM is refused unless `keepTerrain` says to keep the terrain already loaded.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { getTableColumns, type SQL, sql } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import type {
  Feature,
  FeatureCollection,
  Geometry,
  LineString,
  MultiLineString,
  MultiPolygon,
  Point,
  Polygon,
} from 'geojson';
import type { Database } from '../db/database.ts';
import {
  counties,
  countyTerrain,
  crewEquipment,
  crews,
  firebreaks,
  gridRoles,
  grids,
  keyAreas,
  lookouts,
  people,
  rivers,
  roads,
  townships,
  villages,
  warZones,
  waterSources,
} from '../db/schema/index.ts';
import { bboxOf, type CountyDem, CountyDemError, readCountyDem } from './county-dem.ts';

type Props = Record<string, unknown>;

/** The demo county shipped with the product (geodata/mayang). */
export const DEMO_COUNTY_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../geodata/mayang',
);
export type LoadProgress = (layer: string, done: number, total: number) => void;

export class CountyLoadError extends Error {
  constructor(
    message: string,
    readonly file?: string,
  ) {
    super(message);
    this.name = 'CountyLoadError';
  }
}

const readLayer = (dir: string, name: string): Feature<Geometry, Props>[] => {
  const file = path.join(dir, `${name}.geojson`);
  if (!fs.existsSync(file))
    throw new CountyLoadError(`${name}.geojson is missing in ${dir}`, `${name}.geojson`);
  return (JSON.parse(fs.readFileSync(file, 'utf8')) as FeatureCollection<Geometry, Props>).features;
};

const multiPolygon = (g: Geometry): MultiPolygon =>
  g.type === 'Polygon'
    ? { type: 'MultiPolygon', coordinates: [(g as Polygon).coordinates] }
    : (g as MultiPolygon);
const multiLine = (g: Geometry): MultiLineString =>
  g.type === 'LineString'
    ? { type: 'MultiLineString', coordinates: [(g as LineString).coordinates] }
    : (g as MultiLineString);
const str = (v: unknown) => (v === null || v === undefined || v === '' ? null : String(v));
const num = (v: unknown) => (v === null || v === undefined || v === '' ? null : Number(v));

/** INSERT … ON CONFLICT (target) DO UPDATE SET every column = excluded.column, in batches. */
async function upsert<T extends PgTable>(
  tx: Database['db'],
  table: T,
  rows: T['$inferInsert'][],
  target: keyof T['$inferInsert'],
  progress: () => void,
) {
  const columns = getTableColumns(table) as Record<string, { name: string }>;
  for (let i = 0; i < rows.length; i += 100) {
    const batch = rows.slice(i, i + 100);
    const set: Record<string, SQL> = {};
    for (const key of Object.keys(batch[0] ?? {})) {
      if (key === target) continue;
      set[key] = sql.raw(`excluded."${columns[key]?.name}"`);
    }
    await tx
      .insert(table)
      .values(batch)
      .onConflictDoUpdate({
        target: (table as unknown as Record<string, never>)[target as string] as never,
        set,
      });
    progress();
  }
}

async function insertAll<T extends PgTable>(
  tx: Database['db'],
  table: T,
  rows: T['$inferInsert'][],
  progress: () => void,
) {
  for (let i = 0; i < rows.length; i += 200) {
    await tx.insert(table).values(rows.slice(i, i + 200));
    progress();
  }
}

/**
 * Delete rows whose key is not in `keep` (they left the county). The keys travel as one text
 * parameter: a province's 81,500 grid codes are more than a statement's 65,535 parameters.
 */
async function deleteMissing(
  tx: Database['db'],
  tableName: string,
  column: string,
  keep: string[],
) {
  await tx.execute(
    sql`DELETE FROM ${sql.raw(tableName)}
        WHERE ${sql.raw(column)} <> ALL (string_to_array(${keep.join('\n')}, E'\n'))`,
  );
}

export interface LoadResult {
  counts: Record<string, number>;
  seconds: number;
}

export interface LoadOptions {
  /**
   * The directory has no DEM of its own: keep the terrain already loaded (it then belongs to
   * this county). Without it a directory with no dem.tif is refused.
   */
  keepTerrain?: boolean;
}

/** The DEM file of a county directory. */
export const DEM_FILE = 'dem.tif';

export async function loadCounty(
  database: Database,
  dir: string,
  progress: LoadProgress = () => {},
  options: LoadOptions = {},
): Promise<LoadResult> {
  const started = Date.now();
  const county = readLayer(dir, 'county');
  const zones = readLayer(dir, 'war-zones');
  const towns = readLayer(dir, 'townships');
  const vills = readLayer(dir, 'villages');
  const gridFs = readLayer(dir, 'grids');
  const roadFs = readLayer(dir, 'roads');
  const riverFs = readLayer(dir, 'rivers');
  const breakFs = readLayer(dir, 'firebreaks');
  const lookoutFs = readLayer(dir, 'lookouts');
  const waterFs = readLayer(dir, 'water-sources');
  const keyFs = readLayer(dir, 'key-areas');
  const crewFs = readLayer(dir, 'crews');
  const peopleRows = readPeople(path.join(dir, 'people.csv'));
  // One county, or a province of them (scripts/geodata/province.ts): the first county's
  // terrain is the DEM of the directory; war zones name their county when there are several.
  const c0 = county[0];
  if (!c0) throw new CountyLoadError('county.geojson has no feature', 'county.geojson');
  const countyCode = String(c0.properties.code);
  const countyCodes = county.map((c) => String(c.properties.code));
  const demFile = path.join(dir, DEM_FILE);
  let dem: CountyDem | null = null;
  if (!options.keepTerrain || fs.existsSync(demFile)) {
    if (!fs.existsSync(demFile))
      throw new CountyLoadError(
        `${DEM_FILE} is missing in ${dir}: a county brings its own terrain (or keep the terrain already loaded with --keep-terrain)`,
        DEM_FILE,
      );
    try {
      dem = await readCountyDem(demFile, bboxOf(coordinatesOf(c0.geometry)));
    } catch (err) {
      if (err instanceof CountyDemError) throw new CountyLoadError(err.message, err.file);
      throw err;
    }
  }

  const tick = (layer: string, total: number) => {
    let done = 0;
    progress(layer, 0, total);
    return () => progress(layer, ++done, total);
  };
  const batches = (n: number, size: number) => Math.max(1, Math.ceil(n / size));

  await database.db.transaction(async (tx) => {
    const t = tx as unknown as Database['db'];
    await upsert(
      t,
      counties,
      county.map((c) => ({
        code: String(c.properties.code),
        name: String(c.properties.name),
        geom: multiPolygon(c.geometry),
        updatedAt: new Date(),
      })),
      'code',
      tick('county', batches(county.length, 100)),
    );
    await storeTerrain(t, countyCode, dem, tick('terrain', 1));

    await upsert(
      t,
      warZones,
      zones.map((z) => ({
        name: String(z.properties.name),
        countyCode: str(z.properties.county_code) ?? countyCode,
        geom: multiPolygon(z.geometry),
        updatedAt: new Date(),
      })),
      'name',
      tick('war-zones', batches(zones.length, 100)),
    );
    const zoneIds = new Map(
      (await t.select({ id: warZones.id, name: warZones.name }).from(warZones)).map(
        (z) => [z.name, z.id] as const,
      ),
    );
    await upsert(
      t,
      townships,
      towns.map((f) => {
        const zone = zoneIds.get(String(f.properties.war_zone));
        if (zone === undefined)
          throw new CountyLoadError(
            `township ${f.properties.code}: war_zone ${f.properties.war_zone} is not in war-zones.geojson`,
            'townships.geojson',
          );
        return {
          code: String(f.properties.code),
          name: String(f.properties.name),
          kind: String(f.properties.kind),
          warZoneId: zone,
          seat: seatOf(f),
          geom: multiPolygon(f.geometry),
          updatedAt: new Date(),
        };
      }),
      'code',
      tick('townships', 1),
    );
    await upsert(
      t,
      villages,
      vills.map((f) => ({
        code: String(f.properties.code),
        name: String(f.properties.name),
        kind: String(f.properties.kind),
        townshipCode: String(f.properties.township_code),
        seat: seatOf(f),
        geom: multiPolygon(f.geometry),
        updatedAt: new Date(),
      })),
      'code',
      tick('villages', batches(vills.length, 100)),
    );
    await upsert(
      t,
      grids,
      gridFs.map((f) => {
        const p = f.properties;
        return {
          code: String(p.code),
          villageCode: String(p.village_code),
          townshipCode: String(p.township_code),
          areaHa: Number(p.area_ha ?? 0),
          forestShare: num(p.forest_share),
          fuelType: str(p.fuel_type),
          elevMinM: num(p.elev_min_m),
          elevMeanM: num(p.elev_mean_m),
          elevMaxM: num(p.elev_max_m),
          slopeMeanDeg: num(p.slope_mean_deg),
          firebreakKm: num(p.firebreak_km),
          riskClass: num(p.risk_class),
          synthetic: p.synthetic === true,
          geom: multiPolygon(f.geometry),
          updatedAt: new Date(),
        };
      }),
      'code',
      tick('grids', batches(gridFs.length, 100)),
    );

    // Asset layers are not pointed at by operational records: replace them.
    for (const name of [
      'key_areas',
      'lookouts',
      'water_sources',
      'firebreaks',
      'roads',
      'rivers',
    ]) {
      await t.execute(sql.raw(`DELETE FROM ${name}`));
    }
    await insertAll(
      t,
      roads,
      roadFs.map((f) => ({
        id: String(f.properties.id),
        name: str(f.properties.name),
        class: String(f.properties.class),
        speedKmh: Number(f.properties.speed_kmh),
        bridge: f.properties.bridge === true,
        geom: f.geometry as LineString,
      })),
      tick('roads', batches(roadFs.length, 200)),
    );
    await insertAll(
      t,
      rivers,
      riverFs.map((f) => ({
        id: String(f.properties.id),
        name: str(f.properties.name),
        streamOrder: num(f.properties.stream_order),
        geom: multiLine(f.geometry),
      })),
      tick('rivers', batches(riverFs.length, 200)),
    );
    await insertAll(
      t,
      firebreaks,
      breakFs.map((f) => ({
        id: String(f.properties.id),
        name: str(f.properties.name),
        widthM: num(f.properties.width_m),
        lengthM: num(f.properties.length_m),
        builtYear: num(f.properties.built_year),
        geom: multiLine(f.geometry),
      })),
      tick('firebreaks', 1),
    );
    await insertAll(
      t,
      lookouts,
      lookoutFs.map((f) => ({
        id: String(f.properties.id),
        name: String(f.properties.name),
        cameraKind: String(f.properties.camera_kind),
        heightM: Number(f.properties.height_m),
        rangeM: num(f.properties.range_m),
        townshipCode: str(f.properties.township_code),
        gridCode: str(f.properties.grid_code),
        geom: f.geometry as Point,
      })),
      tick('lookouts', 1),
    );
    await insertAll(
      t,
      waterSources,
      waterFs.map((f) => ({
        id: String(f.properties.id),
        name: String(f.properties.name),
        kind: String(f.properties.kind),
        capacityM3: num(f.properties.capacity_m3),
        townshipCode: str(f.properties.township_code),
        gridCode: str(f.properties.grid_code),
        geom: f.geometry as Point,
      })),
      tick('water-sources', 1),
    );
    await insertAll(
      t,
      keyAreas,
      keyFs.map((f) => ({
        id: String(f.properties.id),
        name: String(f.properties.name),
        kind: String(f.properties.kind),
        gridCode: str(f.properties.grid_code),
        geom: f.geometry,
      })),
      tick('key-areas', 1),
    );

    await upsert(
      t,
      crews,
      crewFs.map((f) => ({
        id: String(f.properties.id),
        name: String(f.properties.name),
        level: String(f.properties.level),
        unitKind: str(f.properties.unit_kind),
        members: Number(f.properties.members),
        townshipCode: str(f.properties.township_code),
        villageCode: str(f.properties.village_code),
        base: f.geometry as Point,
        updatedAt: new Date(),
      })),
      'id',
      tick('crews', batches(crewFs.length, 100)),
    );
    await t.execute(sql`DELETE FROM crew_equipment`);
    await insertAll(
      t,
      crewEquipment,
      crewFs.flatMap((f) =>
        (
          [
            ['drone', 'drones'],
            ['pump', 'pumps'],
            ['fire_truck', 'fire_trucks'],
            ['blower', 'blowers'],
          ] as const
        ).map(([kind, prop]) => ({
          crewId: String(f.properties.id),
          kind,
          count: Number(f.properties[prop] ?? 0),
        })),
      ),
      tick('crew-equipment', batches(crewFs.length * 4, 200)),
    );

    // People: grid duties are replaced; people no user or crew points at are replaced too.
    await t.execute(sql`DELETE FROM grid_roles`);
    await t.execute(sql`DELETE FROM people p WHERE NOT EXISTS (SELECT 1 FROM users u WHERE u.person_id = p.id)
      AND NOT EXISTS (SELECT 1 FROM crew_members m WHERE m.person_id = p.id)`);
    const persons = [...new Map(peopleRows.map((r) => [r.person_id, r])).values()];
    const personIds = new Map<string, number>();
    const tickPeople = tick('people', batches(persons.length, 200));
    for (let i = 0; i < persons.length; i += 200) {
      const batch = persons.slice(i, i + 200);
      const ids = await t
        .insert(people)
        .values(batch.map((p) => ({ name: p.name, phone: p.phone, villageCode: p.village_code })))
        .returning({ id: people.id });
      batch.forEach((p, k) => {
        personIds.set(p.person_id, ids[k]?.id as number);
      });
      tickPeople();
    }
    await insertAll(
      t,
      gridRoles,
      [
        ...new Map(peopleRows.map((r) => [`${r.person_id}|${r.grid_code}|${r.role}`, r])).values(),
      ].map((r) => ({
        personId: personIds.get(r.person_id) as number,
        gridCode: r.grid_code,
        role: r.role,
      })),
      tick('grid-roles', batches(peopleRows.length, 200)),
    );

    // Areas and crews the new county no longer has (fails, and rolls back, if still referenced).
    await deleteMissing(
      t,
      'crews',
      'id',
      crewFs.map((f) => String(f.properties.id)),
    );
    await deleteMissing(
      t,
      'grids',
      'code',
      gridFs.map((f) => String(f.properties.code)),
    );
    await deleteMissing(
      t,
      'villages',
      'code',
      vills.map((f) => String(f.properties.code)),
    );
    await deleteMissing(
      t,
      'townships',
      'code',
      towns.map((f) => String(f.properties.code)),
    );
    await deleteMissing(
      t,
      'war_zones',
      'name',
      zones.map((f) => String(f.properties.name)),
    );
    await deleteMissing(t, 'counties', 'code', countyCodes);
  });

  return {
    counts: {
      townships: towns.length,
      villages: vills.length,
      grids: gridFs.length,
      roads: roadFs.length,
      lookouts: lookoutFs.length,
      water_sources: waterFs.length,
      crews: crewFs.length,
      people: new Set(peopleRows.map((r) => r.person_id)).size,
    },
    seconds: (Date.now() - started) / 1000,
  };
}

/**
 * A database loaded before counties carried their terrain has a county and no DEM: when
 * `dir` holds that same county (by code), its dem.tif becomes the loaded county's terrain.
 * 'other-county': the loaded county is not `dir`'s, and its own DEM must be loaded with it.
 */
export async function adoptTerrain(
  database: Database,
  dir: string,
): Promise<'present' | 'stored' | 'other-county'> {
  const [have] = await database.query<{ n: number }>(
    sql`SELECT count(*)::int AS n FROM county_terrain`,
  );
  if (Number(have?.n) > 0) return 'present';
  const c0 = readLayer(dir, 'county')[0];
  const code = String(c0?.properties.code);
  const [loaded] = await database.query<{ code: string }>(
    sql`SELECT code FROM counties WHERE code = ${code}`,
  );
  if (!c0 || !loaded) return 'other-county';
  const dem = await readCountyDem(path.join(dir, DEM_FILE), bboxOf(coordinatesOf(c0.geometry)));
  await database.db.transaction(async (tx) => {
    await storeTerrain(tx as unknown as Database['db'], code, dem, () => {});
  });
  return 'stored';
}

const coordinatesOf = (g: Geometry): unknown =>
  g.type === 'GeometryCollection' ? g.geometries.map(coordinatesOf) : g.coordinates;

/** The county's DEM replaces the previous county's; null: the terrain loaded stays, now this county's. */
async function storeTerrain(
  tx: Database['db'],
  countyCode: string,
  dem: CountyDem | null,
  progress: () => void,
) {
  if (dem === null) {
    const kept = await tx
      .update(countyTerrain)
      .set({ countyCode })
      .returning({ sha: countyTerrain.sha256 });
    if (kept.length === 0)
      throw new CountyLoadError(
        `${DEM_FILE} is missing and there is no terrain loaded to keep`,
        DEM_FILE,
      );
  } else {
    await tx.delete(countyTerrain);
    const [w, s, e, n] = dem.bbox;
    await tx.insert(countyTerrain).values({
      countyCode,
      fileName: dem.fileName,
      bytes: dem.bytes,
      sha256: dem.sha256,
      width: dem.width,
      height: dem.height,
      west: w,
      south: s,
      east: e,
      north: n,
    });
  }
  progress();
}

function seatOf(f: Feature<Geometry, Props>): Point | null {
  const lon = num(f.properties.seat_lon);
  const lat = num(f.properties.seat_lat);
  return lon === null || lat === null ? null : { type: 'Point', coordinates: [lon, lat] };
}

interface PersonRow {
  person_id: string;
  name: string;
  phone: string;
  role: string;
  grid_code: string;
  village_code: string;
}

function readPeople(file: string): PersonRow[] {
  if (!fs.existsSync(file)) return [];
  const [head, ...lines] = fs.readFileSync(file, 'utf8').trim().split(/\r?\n/);
  const cols = (head ?? '').split(',');
  return lines.map((line) => {
    const cells = line.split(',');
    return Object.fromEntries(cols.map((c, i) => [c, cells[i] ?? ''])) as unknown as PersonRow;
  });
}
