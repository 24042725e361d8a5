import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TERRAIN_COUNTY_DIR } from '../../scripts/geodata/fixtures/make-terrain-county.ts';
import type { Database } from '../db/database.ts';
import { incidents } from '../db/schema/index.ts';
import { createAreasRepository } from '../repositories/areas-repository.ts';
import { openTestDatabase, testBackend } from '../testing/test-database.ts';
import { adoptTerrain, DEMO_COUNTY_DIR, loadCounty } from './county-loader.ts';

let database: Database;
const tmpDirs: string[] = [];
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => {
  await database?.close();
  for (const d of tmpDirs) fs.rmSync(d, { recursive: true, force: true });
});

async function count(table: string): Promise<number> {
  const [row] = await database.query<{ n: number }>(
    sql`SELECT count(*)::int AS n FROM ${sql.raw(table)}`,
  );
  return row?.n ?? -1;
}

/** The demo county with one file changed. */
function changedCopy(
  file: string,
  change: (json: { features: { properties: Record<string, unknown> }[] }) => void,
): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'load-'));
  tmpDirs.push(dir);
  for (const f of fs.readdirSync(DEMO_COUNTY_DIR))
    fs.copyFileSync(path.join(DEMO_COUNTY_DIR, f), path.join(dir, f));
  const json = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
  change(json);
  fs.writeFileSync(path.join(dir, file), JSON.stringify(json));
  return dir;
}

describe(`county loader on the ${testBackend()} backend`, () => {
  it('loads the demo county with every layer', async () => {
    const progress: string[] = [];
    const result = await loadCounty(database, DEMO_COUNTY_DIR, (layer, done, total) => {
      if (done === total) progress.push(layer);
    });
    expect(result.counts.grids).toBe(815);
    expect(await count('grids')).toBe(815);
    expect(await count('townships')).toBe(18);
    expect(await count('villages')).toBe(223);
    expect(await count('war_zones')).toBe(5);
    expect(await count('lookouts')).toBeGreaterThanOrEqual(100);
    expect(await count('crew_equipment')).toBe((await count('crews')) * 4);
    expect(progress).toEqual(expect.arrayContaining(['grids', 'roads', 'crews', 'people']));
    // Every grid has all five duties.
    const [missing] = await database.query<{ n: number }>(sql`
      SELECT count(*)::int AS n FROM grids g
      WHERE (SELECT count(DISTINCT role) FROM grid_roles r WHERE r.grid_code = g.code AND r.role <> 'folk_forest_chief') < 5`);
    expect(missing?.n).toBe(0);
    // Point-in-polygon works on the loaded areas: a township seat lies in its own township.
    const [seat] = await database.query<{ code: string; lon: number; lat: number }>(
      sql`SELECT code, ST_X(seat) AS lon, ST_Y(seat) AS lat FROM townships WHERE name = '高村镇'`,
    );
    const place = await createAreasRepository(database).placeAt(
      Number(seat?.lon),
      Number(seat?.lat),
    );
    expect(place.townshipCode).toBe(seat?.code);
    expect(place.warZoneName).toBe('高村战区');
  });

  it('stores the county’s DEM with it, and gives a county loaded before that its DEM only if it is that county', async () => {
    const sha = crypto
      .createHash('sha256')
      .update(fs.readFileSync(path.join(DEMO_COUNTY_DIR, 'dem.tif')))
      .digest('hex');
    const terrain = () =>
      database.query<{ county_code: string; sha256: string }>(
        sql`SELECT county_code, sha256 FROM county_terrain`,
      );
    expect(await terrain()).toEqual([{ county_code: '431226', sha256: sha }]);
    expect(await adoptTerrain(database, DEMO_COUNTY_DIR)).toBe('present');
    // A database from before the terrain was stored with the county.
    await database.query(sql`DELETE FROM county_terrain`);
    expect(await adoptTerrain(database, TERRAIN_COUNTY_DIR)).toBe('other-county');
    expect(await terrain()).toEqual([]);
    expect(await adoptTerrain(database, DEMO_COUNTY_DIR)).toBe('stored');
    expect(await terrain()).toEqual([{ county_code: '431226', sha256: sha }]);
  });

  it('re-running replaces the county without duplicates', async () => {
    const before = {
      grids: await count('grids'),
      people: await count('people'),
      roads: await count('roads'),
    };
    await loadCounty(database, DEMO_COUNTY_DIR);
    expect({
      grids: await count('grids'),
      people: await count('people'),
      roads: await count('roads'),
    }).toEqual(before);
  });

  it('a failing load leaves the previous county intact', async () => {
    const dir = changedCopy('grids.geojson', (fc) => {
      const last = fc.features.at(-1);
      if (last) last.properties.village_code = '431226999999'; // no such village: FK refuses
    });
    const roadsBefore = await count('roads');
    await expect(loadCounty(database, dir)).rejects.toThrow();
    expect(await count('grids')).toBe(815);
    expect(await count('roads')).toBe(roadsBefore);
  });

  it('refuses to drop a grid an incident still points at, and changes nothing', async () => {
    const [g] = await database.query<{ code: string }>(
      sql`SELECT code FROM grids ORDER BY code LIMIT 1`,
    );
    await database.db.insert(incidents).values({
      firstReportedAt: new Date(),
      location: { type: 'Point', coordinates: [109.8, 27.87] },
      gridCode: g?.code as string,
    });
    const dir = changedCopy('grids.geojson', (fc) => {
      fc.features = fc.features.filter((f) => f.properties.code !== g?.code);
    });
    await expect(loadCounty(database, dir)).rejects.toThrow();
    expect(await count('grids')).toBe(815);
  });
});
