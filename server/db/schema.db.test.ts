import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newNestedAreas } from '../testing/factories.ts';
import { openTestDatabase, testBackend } from '../testing/test-database.ts';
import type { Database } from './database.ts';
import { migrate, migrationLevel } from './migrate.ts';
import {
  crews,
  dispatches,
  grids,
  incidentEvents,
  incidents,
  weatherDaily,
} from './schema/index.ts';

let database: Database;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

const EXPECTED_TABLES = [
  'counties',
  'county_terrain',
  'war_zones',
  'townships',
  'villages',
  'grids',
  'people',
  'grid_roles',
  'lookouts',
  'water_sources',
  'firebreaks',
  'roads',
  'rivers',
  'key_areas',
  'crews',
  'crew_members',
  'crew_equipment',
  'crew_positions',
  'incidents',
  'incident_reports',
  'report_photos',
  'incident_events',
  'dispatches',
  'weather_observations',
  'fire_danger_forecasts',
  'warnings',
  'inspections',
  'drills',
  'trainings',
  'publicity_records',
  'users',
  'sessions',
  'audit_log',
];

/** Expect a statement to be refused by the database with the given SQLSTATE. */
async function refused(run: () => Promise<unknown>, code: string) {
  let error: unknown;
  try {
    await run();
  } catch (e) {
    error = e;
  }
  expect(error, 'statement should have been refused').toBeDefined();
  const codes: string[] = [];
  for (
    let e = error as { code?: string; cause?: unknown } | undefined;
    e;
    e = e.cause as typeof e
  ) {
    if (e.code) codes.push(e.code);
  }
  expect(codes).toContain(code);
}

describe(`schema on the ${testBackend()} backend`, () => {
  it('has every table of the data model', async () => {
    const rows = await database.query<{ table_name: string }>(
      sql`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'`,
    );
    const names = new Set(rows.map((r) => r.table_name));
    for (const t of EXPECTED_TABLES) expect(names, t).toContain(t);
  });

  it('declares every geometry column with SRID 4326 and its own type', async () => {
    const rows = await database.query<{
      f_table_name: string;
      f_geometry_column: string;
      srid: number;
      type: string;
    }>(
      sql`SELECT f_table_name, f_geometry_column, srid, type FROM geometry_columns WHERE f_table_schema = 'public'`,
    );
    expect(rows.length).toBeGreaterThanOrEqual(20);
    for (const r of rows) expect(r.srid, `${r.f_table_name}.${r.f_geometry_column}`).toBe(4326);
    const typeOf = (t: string, c: string) =>
      rows.find((r) => r.f_table_name === t && r.f_geometry_column === c)?.type;
    expect(typeOf('grids', 'geom')).toBe('MULTIPOLYGON');
    expect(typeOf('roads', 'geom')).toBe('LINESTRING');
    expect(typeOf('firebreaks', 'geom')).toBe('MULTILINESTRING');
    expect(typeOf('crew_positions', 'geom')).toBe('POINT');
  });

  it('has a GiST index on every geometry column', async () => {
    const rows = await database.query<{ tbl: string; col: string; has_gist: boolean }>(sql`
      SELECT g.f_table_name AS tbl, g.f_geometry_column AS col,
             EXISTS (
               SELECT 1 FROM pg_index i
               JOIN pg_class c ON c.oid = i.indexrelid
               JOIN pg_am am ON am.oid = c.relam
               JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
               WHERE i.indrelid = (quote_ident(g.f_table_name))::regclass
                 AND am.amname = 'gist' AND a.attname = g.f_geometry_column
             ) AS has_gist
      FROM geometry_columns g WHERE g.f_table_schema = 'public'`);
    const missing = rows.filter((r) => !r.has_gist).map((r) => `${r.tbl}.${r.col}`);
    expect(missing).toEqual([]);
  });

  it('re-running migrations applies nothing and reports the level', async () => {
    expect(await migrate(database)).toBe(0);
    const level = await migrationLevel(database);
    expect(level.applied).toBe(level.available);
    expect(level.latest).toMatch(/^\d{4}_/);
  });

  it('round-trips GeoJSON through the geometry columns', async () => {
    const { grid } = await newNestedAreas(database, 109.7, 27.7);
    const [row] = await database.db
      .select({ geom: grids.geom })
      .from(grids)
      .where(sql`${grids.code} = ${grid.code}`);
    expect(row?.geom).toEqual(grid.geom);
  });

  it('refuses values outside the check constraints', async () => {
    const { township } = await newNestedAreas(database, 109.6, 27.6);
    const base = { type: 'Point' as const, coordinates: [109.6, 27.6] };
    await refused(
      () =>
        database.db.insert(crews).values({
          id: 'c-neg',
          name: 'x',
          level: 'township',
          members: -1,
          townshipCode: township.code,
          base,
        }),
      '23514',
    );
    await refused(
      () =>
        database.db
          .insert(crews)
          .values({ id: 'c-lvl', name: 'x', level: 'province', members: 3, base }),
      '23514',
    );
    // A township crew must belong to a township.
    await refused(
      () =>
        database.db
          .insert(crews)
          .values({ id: 'c-scope', name: 'x', level: 'township', members: 30, base }),
      '23514',
    );
    await refused(
      () =>
        database.db
          .insert(incidents)
          .values({ state: 'burning', firstReportedAt: new Date(), location: base }),
      '23514',
    );
  });

  it("keeps a day's wind direction within 0 ≤ deg < 360, or null for calm", async () => {
    const { township } = await newNestedAreas(database, 109.65, 27.65);
    const row = (windFromDeg: number | null) =>
      database.db.insert(weatherDaily).values({
        kind: 'observation',
        townshipCode: township.code,
        validDate: '2026-03-01',
        issuedAt: new Date('2026-03-01T12:00:00Z'),
        tmaxC: 20,
        rh14Pct: 40,
        windMs: 3,
        rainMm: 0,
        windFromDeg,
      });
    for (const ok of [0, 90, 359.9, null]) await row(ok);
    await refused(() => row(360), '23514');
    await refused(() => row(-1), '23514');
    const stored = await database.query<{ d: number | null }>(
      sql`SELECT wind_from_deg AS d FROM weather_daily WHERE township_code = ${township.code} ORDER BY id`,
    );
    expect(stored.map((r) => (r.d === null ? null : Number(r.d)))).toEqual([0, 90, 359.9, null]);
  });

  it('keeps the incident event log append-only with one increasing sequence', async () => {
    const [inc] = await database.db
      .insert(incidents)
      .values({
        firstReportedAt: new Date(),
        location: { type: 'Point', coordinates: [109.8, 27.85] },
      })
      .returning({ id: incidents.id });
    const id = inc?.id as string;
    const events = await database.db
      .insert(incidentEvents)
      .values([
        { incidentId: id, type: 'reported', actorLabel: 'test' },
        { incidentId: id, type: 'verifying', actorLabel: 'test' },
      ])
      .returning({ seq: incidentEvents.seq });
    expect((events[1]?.seq ?? 0) > (events[0]?.seq ?? 0)).toBe(true);
    await refused(
      () => database.query(sql`UPDATE incident_events SET type = 'x' WHERE incident_id = ${id}`),
      'P0001',
    );
    await refused(
      () => database.query(sql`DELETE FROM incident_events WHERE incident_id = ${id}`),
      'P0001',
    );
    const still = await database.query<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM incident_events WHERE incident_id = ${id} AND type <> 'x'`,
    );
    expect(still[0]?.n).toBe(2);
  });

  it('lets a crew hold only one active dispatch', async () => {
    const base = { type: 'Point' as const, coordinates: [109.8, 27.85] };
    await database.db
      .insert(crews)
      .values({ id: 'county-1', name: '县专业扑火队', level: 'county', members: 40, base });
    const made = await database.db
      .insert(incidents)
      .values([
        { firstReportedAt: new Date(), location: base },
        { firstReportedAt: new Date(), location: base },
      ])
      .returning({ id: incidents.id });
    const [a, b] = made.map((r) => r.id);
    await database.db.insert(dispatches).values({ incidentId: a as string, crewId: 'county-1' });
    await refused(
      () => database.db.insert(dispatches).values({ incidentId: b as string, crewId: 'county-1' }),
      '23505',
    );
    // Once released, the crew can be sent again.
    await database.query(sql`UPDATE dispatches SET status = 'released' WHERE crew_id = 'county-1'`);
    await database.db.insert(dispatches).values({ incidentId: b as string, crewId: 'county-1' });
  });
});
