/**
 * Small factories so each test builds the data it needs (conventions.md: no shared seeded
 * database). Shapes are simple squares around a centre; sizes in degrees.
 */
import type { MultiPolygon } from 'geojson';
import type { Database } from '../db/database.ts';
import {
  counties,
  drillIncidents,
  grids,
  incidentEvents,
  incidents,
  townships,
  villages,
  warZones,
} from '../db/schema/index.ts';
import type { Actor } from '../domain/access.ts';
import type { UserRole } from '../domain/vocabulary.ts';

let serial = 0;
const next = () => ++serial;

export function square(lon: number, lat: number, half: number): MultiPolygon {
  return {
    type: 'MultiPolygon',
    coordinates: [
      [
        [
          [lon - half, lat - half],
          [lon + half, lat - half],
          [lon + half, lat + half],
          [lon - half, lat + half],
          [lon - half, lat - half],
        ],
      ],
    ],
  };
}

export async function newCounty(
  database: Database,
  over: Partial<typeof counties.$inferInsert> = {},
) {
  const row = { code: '431226', name: '麻阳苗族自治县', geom: square(109.8, 27.85, 0.25), ...over };
  await database.db.insert(counties).values(row).onConflictDoNothing();
  return row;
}

export async function newWarZone(
  database: Database,
  over: Partial<typeof warZones.$inferInsert> = {},
) {
  const [row] = await database.db
    .insert(warZones)
    .values({
      name: `测试战区${next()}`,
      countyCode: '431226',
      geom: square(109.8, 27.85, 0.2),
      ...over,
    })
    .returning({ id: warZones.id, name: warZones.name });
  return row as { id: number; name: string };
}

export async function newTownship(
  database: Database,
  over: Partial<typeof townships.$inferInsert> & { warZoneId: number },
) {
  const n = next();
  const row = {
    code: `431226${String(100 + n).padStart(3, '0')}`,
    name: `测试镇${n}`,
    kind: '镇',
    geom: square(109.8, 27.85, 0.1),
    ...over,
  };
  await database.db.insert(townships).values(row);
  return row;
}

export async function newVillage(
  database: Database,
  over: Partial<typeof villages.$inferInsert> & { townshipCode: string },
) {
  const n = next();
  const row = {
    code: `${over.townshipCode}${String(n).padStart(3, '0')}`,
    name: `测试村${n}`,
    kind: '村',
    geom: square(109.8, 27.85, 0.05),
    ...over,
  };
  await database.db.insert(villages).values(row);
  return row;
}

export async function newGrid(
  database: Database,
  over: Partial<typeof grids.$inferInsert> & { villageCode: string; townshipCode: string },
) {
  const n = next();
  const row = {
    code: `${over.villageCode}${String(n).padStart(3, '0')}`,
    areaHa: 100,
    geom: square(109.8, 27.85, 0.01),
    ...over,
  };
  await database.db.insert(grids).values(row);
  return row;
}

/** A county with one war zone, township, village and grid nested around (lon, lat). */
export async function newNestedAreas(database: Database, lon = 109.8, lat = 27.85) {
  await newCounty(database, { geom: square(lon, lat, 0.25) });
  const zone = await newWarZone(database, { geom: square(lon, lat, 0.2) });
  const township = await newTownship(database, { warZoneId: zone.id, geom: square(lon, lat, 0.1) });
  const village = await newVillage(database, {
    townshipCode: township.code,
    geom: square(lon, lat, 0.05),
  });
  const grid = await newGrid(database, {
    villageCode: village.code,
    townshipCode: township.code,
    geom: square(lon, lat, 0.01),
  });
  return { zone, township, village, grid };
}

/**
 * An incident as it stands after its life so far: `state` and, for dismissed ones, the
 * false-alarm event in its log (what the flag rules read). Placed at `location` with the
 * areas given; nothing is derived.
 */
export async function newIncident(
  database: Database,
  over: Partial<typeof incidents.$inferInsert> & {
    firstReportedAt: Date;
    dismissed?: boolean;
    drill?: boolean;
  },
) {
  const { dismissed, drill, ...values } = over;
  const [row] = await database.db
    .insert(incidents)
    .values({
      state: dismissed ? 'false_alarm' : 'confirmed',
      location: { type: 'Point', coordinates: [109.8, 27.85] },
      ...values,
    })
    .returning({ id: incidents.id });
  const id = (row as { id: string }).id;
  if (dismissed)
    await database.db.insert(incidentEvents).values({
      incidentId: id,
      type: 'state_changed',
      actorLabel: 'test',
      payload: { from: 'verifying', to: 'false_alarm' },
    });
  if (drill) await database.db.insert(drillIncidents).values({ incidentId: id });
  return id;
}

/** A signed-in user as the access rules see one: a role, and an area when given. */
export function newActor(role: UserRole, over: Partial<Actor> = {}): Actor {
  return {
    id: `00000000-0000-0000-0000-${String(next()).padStart(12, '0')}`,
    username: `${role}-${serial}`,
    displayName: role,
    role,
    warZoneId: null,
    townshipCode: null,
    villageCode: null,
    gridCode: null,
    crewId: null,
    ...over,
  };
}
