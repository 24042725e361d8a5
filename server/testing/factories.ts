/**
 * Small factories so each test builds the data it needs (conventions.md: no shared seeded
 * database). Shapes are simple squares around a centre; sizes in degrees.
 */
import crypto from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { MultiPolygon, Point } from 'geojson';
import { writeArrayBuffer } from 'geotiff';
import type { Database } from '../db/database.ts';
import {
  counties,
  countyTerrain,
  crewEquipment,
  crews,
  dispatches,
  drillIncidents,
  gridRoles,
  grids,
  incidentEvents,
  incidents,
  lookouts,
  people,
  roads,
  townships,
  users,
  villages,
  warZones,
  waterSources,
} from '../db/schema/index.ts';
import type { Actor } from '../domain/access.ts';
import type { EQUIPMENT_KINDS, UserRole } from '../domain/vocabulary.ts';
import { DEMO_PASSWORD } from '../geodata/demo-users.ts';
import { createUsersRepository } from '../repositories/users-repository.ts';
import { box } from './shapes.ts';

export { box };

let serial = 0;
const next = () => ++serial;

export function square(lon: number, lat: number, half: number): MultiPolygon {
  return box(lon - half, lat - half, lon + half, lat + half);
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

const point = (lon: number, lat: number): Point => ({ type: 'Point', coordinates: [lon, lat] });

/** A crew at its base, with equipment counts (none given: one pump, two blowers). */
export async function newCrew(
  database: Database,
  over: Partial<Omit<typeof crews.$inferInsert, 'base'>> & {
    base: [number, number];
    equipment?: Partial<Record<(typeof EQUIPMENT_KINDS)[number], number>>;
  },
) {
  const n = next();
  const { base, equipment = { pump: 1, blower: 2 }, ...values } = over;
  const row = {
    id: `CR-X${n}`,
    name: `测试扑火队${n}`,
    level: 'county',
    members: 30,
    base: point(...base),
    ...values,
  };
  await database.db.insert(crews).values(row);
  const kinds = Object.entries(equipment).filter(([, c]) => c !== undefined);
  if (kinds.length > 0)
    await database.db
      .insert(crewEquipment)
      .values(kinds.map(([kind, count]) => ({ crewId: row.id, kind, count: count as number })));
  return row;
}

/** A road through the given points, densified so no two vertices are more than ~300 m apart. */
export async function newRoad(
  database: Database,
  points: [number, number][],
  over: Partial<Omit<typeof roads.$inferInsert, 'geom'>> = {},
) {
  const coordinates: [number, number][] = [];
  for (let i = 0; i < points.length; i++) {
    const [a, b] = [points[i] as [number, number], points[i + 1]];
    coordinates.push(a);
    if (!b) break;
    const steps = Math.ceil(Math.hypot(b[0] - a[0], b[1] - a[1]) / 0.003);
    for (let k = 1; k < steps; k++)
      coordinates.push([a[0] + ((b[0] - a[0]) * k) / steps, a[1] + ((b[1] - a[1]) * k) / steps]);
  }
  const row = {
    id: `RD-X${next()}`,
    class: 'county',
    speedKmh: 40,
    geom: { type: 'LineString' as const, coordinates },
    ...over,
  };
  await database.db.insert(roads).values(row);
  return row;
}

/**
 * The county's terrain: a small DEM (GeoTIFF, EPSG:4326, ~550 m cells) over [w, s, e, n]
 * rising gently from 200 m in the south-west, so reach, tiles and the spread model have ground.
 */
export async function newTerrain(
  database: Database,
  bbox: [number, number, number, number],
  countyCode = '431226',
) {
  const [w, s, e, n] = bbox;
  const cell = 0.005;
  const width = Math.ceil((e - w) / cell);
  const height = Math.ceil((n - s) / cell);
  const values = new Uint16Array(width * height);
  for (let row = 0; row < height; row++)
    for (let col = 0; col < width; col++)
      values[row * width + col] = 200 + col + (height - row) + ((col * 7 + row * 3) % 11);
  const bytes = Buffer.from(
    writeArrayBuffer(values, {
      width,
      height,
      ModelPixelScale: [cell, cell, 0],
      ModelTiepoint: [0, 0, 0, w, s + height * cell, 0],
      GeographicTypeGeoKey: 4326,
      GTModelTypeGeoKey: 2,
      GTRasterTypeGeoKey: 1,
    } as never),
  );
  await database.db.delete(countyTerrain);
  await database.db.insert(countyTerrain).values({
    countyCode,
    fileName: 'dem.tif',
    bytes,
    sha256: crypto.createHash('sha256').update(bytes).digest('hex'),
    width,
    height,
    west: w,
    south: s,
    east: w + width * cell,
    north: s + height * cell,
  });
}

/** A fire lookout tower (铁塔哨兵). */
export async function newLookout(
  database: Database,
  over: Partial<Omit<typeof lookouts.$inferInsert, 'geom'>> & { at: [number, number] },
) {
  const n = next();
  const { at, ...values } = over;
  const row = {
    id: `LO-X${n}`,
    name: `测试铁塔${n}`,
    cameraKind: 'dual',
    heightM: 25,
    rangeM: 5000,
    geom: point(...at),
    ...values,
  };
  await database.db.insert(lookouts).values(row);
  return row;
}

/** An emergency water source (应急水源): a reservoir of 5,000 m³ unless told. */
export async function newWaterSource(
  database: Database,
  over: Partial<Omit<typeof waterSources.$inferInsert, 'geom'>> & { at: [number, number] },
) {
  const n = next();
  const { at, ...values } = over;
  const row = {
    id: `WS-X${n}`,
    name: `测试水源${n}`,
    kind: 'reservoir',
    capacityM3: 5000,
    geom: point(...at),
    ...values,
  };
  await database.db.insert(waterSources).values(row);
  return row;
}

/** The password of every user made by newUser (signIn in demo-sessions.ts uses it). */
export const TEST_PASSWORD = DEMO_PASSWORD;

/** A user who can sign in with TEST_PASSWORD; returns the row's id. */
export async function newUser(
  database: Database,
  over: { role: UserRole; username?: string; displayName?: string } & Partial<
    Pick<Actor, 'warZoneId' | 'townshipCode' | 'villageCode' | 'gridCode' | 'crewId'>
  >,
) {
  const username = over.username ?? `${over.role.replaceAll('_', '-')}-${next()}`;
  await createUsersRepository(database).create({
    displayName: over.role,
    password: TEST_PASSWORD,
    ...over,
    username,
  });
  const [row] = await database.db
    .select({ id: users.id })
    .from(users)
    .where(eq(users.username, username));
  return { id: (row as { id: string }).id, username };
}

/** A dispatch row as it stands (direct: no reach estimate unless given). */
export async function newDispatch(database: Database, over: typeof dispatches.$inferInsert) {
  const [row] = await database.db.insert(dispatches).values(over).returning({ id: dispatches.id });
  return (row as { id: string }).id;
}

/** One township of the small county: its box splits into three villages of 2×2 grids. */
interface SmallTownshipPlan {
  code: string;
  name: string;
  zone: string;
  box: [number, number, number, number];
  seat: [number, number];
}

/**
 * A small county laid out like Mayang's centre, with Mayang's codes for what the tests name:
 * 高村镇 431226106 (高村战区) [109.75–109.85 E, 27.82–27.92 N], 兰里镇 431226104 (兰里战区)
 * [109.60–109.75, 27.74–27.87], 锦和镇 431226101 (锦和战区) [109.88–110.05, 27.82–27.96],
 * inside a county [109.55–110.10, 27.55–28.05] whose other ground belongs to no township.
 * Each township has three villages (村, west to east numbered 201, 202, 203), each of four
 * grids (the village's code and 001 south-west, 002 south-east, 003 north-west, 004
 * north-east), a grid head and a ranger on each grid. Crews: county CR-C01 (专业扑火队)
 * and CR-C02 (消防) at 高村镇's seat, township crews CR-T106, CR-T104, CR-T101 at their seats,
 * a village crew CR-V106201. One county road joins the seats and bases; a small DEM covers it.
 */
export const SMALL_COUNTY = {
  code: '431226',
  box: [109.55, 27.55, 110.1, 28.05] as [number, number, number, number],
  townships: {
    gaocun: {
      code: '431226106',
      name: '高村镇',
      zone: '高村战区',
      box: [109.75, 27.82, 109.85, 27.92],
      seat: [109.800684, 27.867794],
    },
    lanli: {
      code: '431226104',
      name: '兰里镇',
      zone: '兰里战区',
      box: [109.6, 27.74, 109.75, 27.87],
      seat: [109.671981, 27.805723],
    },
    jinhe: {
      code: '431226101',
      name: '锦和镇',
      zone: '锦和战区',
      box: [109.88, 27.82, 110.05, 27.96],
      seat: [109.934685, 27.933618],
    },
  } satisfies Record<string, SmallTownshipPlan>,
} as const;

export type SmallCounty = Awaited<ReturnType<typeof newSmallCounty>>;

/** Builds SMALL_COUNTY in the database; returns its ids and codes by name. */
export async function newSmallCounty(database: Database) {
  const c = SMALL_COUNTY;
  await newCounty(database, { geom: box(...c.box) });
  await newTerrain(database, c.box, c.code);
  const zones: Record<string, number> = {};
  const towns = {} as Record<
    keyof typeof c.townships,
    { code: string; warZoneId: number; villages: string[]; grids: string[] }
  >;
  for (const [key, t] of Object.entries(c.townships) as [
    keyof typeof c.townships,
    SmallTownshipPlan,
  ][]) {
    const zone = await newWarZone(database, { name: t.zone, geom: box(...t.box) });
    zones[t.zone] = zone.id;
    await newTownship(database, {
      code: t.code,
      name: t.name,
      warZoneId: zone.id,
      seat: point(...t.seat),
      geom: box(...t.box),
    });
    const [w, s, e, n] = t.box;
    const third = (e - w) / 3;
    const midLat = (s + n) / 2;
    const villageCodes: string[] = [];
    const gridCodes: string[] = [];
    for (const [k, [vw, ve]] of [
      [w, w + third],
      [w + third, w + 2 * third],
      [w + 2 * third, e],
    ].entries()) {
      const code = `${t.code}20${k + 1}`;
      await newVillage(database, {
        code,
        name: `${t.name.slice(0, 2)}${'西中东'[k]}村`,
        townshipCode: t.code,
        seat: point(((vw as number) + (ve as number)) / 2, midLat),
        geom: box(vw as number, s, ve as number, n),
      });
      villageCodes.push(code);
      const cw = ((ve as number) - (vw as number)) / 2;
      for (const [g, [gx, gy]] of [
        [0, 0],
        [1, 0],
        [0, 1],
        [1, 1],
      ].entries()) {
        const gridCode = `${code}00${g + 1}`;
        const gwest = (vw as number) + (gx as number) * cw;
        const gsouth = s + ((gy as number) * (n - s)) / 2;
        await newGrid(database, {
          code: gridCode,
          villageCode: code,
          townshipCode: t.code,
          areaHa: 1000,
          forestShare: 0.8,
          fuelType: '马尾松林',
          riskClass: 2,
          geom: box(gwest, gsouth, gwest + cw, gsouth + (n - s) / 2),
        });
        gridCodes.push(gridCode);
        for (const role of ['grid_head', 'ranger'] as const) {
          const [person] = await database.db
            .insert(people)
            .values({
              name: `${role === 'ranger' ? '护林员' : '网格长'}${gridCode.slice(-5)}`,
              phone: `1390000${gridCode.slice(-4)}`,
              villageCode: code,
            })
            .returning({ id: people.id });
          await database.db
            .insert(gridRoles)
            .values({ personId: (person as { id: number }).id, gridCode, role });
        }
      }
    }
    towns[key] = { code: t.code, warZoneId: zone.id, villages: villageCodes, grids: gridCodes };
  }
  const g = c.townships;
  const crewList = [
    {
      id: 'CR-C01',
      name: '县森林消防专业扑火队',
      level: 'county',
      unitKind: '专业扑火队',
      townshipCode: g.gaocun.code,
      base: [109.792486, 27.867132],
    },
    {
      id: 'CR-C02',
      name: '县消防救援大队',
      level: 'county',
      unitKind: '消防',
      townshipCode: g.gaocun.code,
      base: [109.794817, 27.868568],
    },
    {
      id: 'CR-T106',
      name: '高村镇半专业扑火队',
      level: 'township',
      unitKind: '半专业化扑火队',
      townshipCode: g.gaocun.code,
      base: [109.800994, 27.867357],
    },
    {
      id: 'CR-T104',
      name: '兰里镇半专业扑火队',
      level: 'township',
      unitKind: '半专业化扑火队',
      townshipCode: g.lanli.code,
      base: [109.672879, 27.805469],
    },
    {
      id: 'CR-T101',
      name: '锦和镇半专业扑火队',
      level: 'township',
      unitKind: '半专业化扑火队',
      townshipCode: g.jinhe.code,
      base: [109.934441, 27.933404],
    },
    {
      id: 'CR-V106201',
      name: '高村西村扑火队',
      level: 'village',
      unitKind: '村级扑火队',
      townshipCode: g.gaocun.code,
      villageCode: `${g.gaocun.code}201`,
      members: 18,
      base: [109.78, 27.86],
    },
  ] as const;
  for (const crew of crewList)
    await newCrew(database, { ...crew, base: [...crew.base] as [number, number] });
  await newRoad(
    database,
    [
      [109.672879, 27.805469],
      [109.78, 27.86],
      [109.792486, 27.867132],
      [109.794817, 27.868568],
      [109.800994, 27.867357],
      [109.934441, 27.933404],
    ],
    { id: 'RD-0001', name: '县道', class: 'county', speedKmh: 40 },
  );
  return { code: c.code, zones, townships: towns, crews: crewList.map((x) => x.id) };
}

/**
 * The users tests sign in as, one for each role, with the demo users' names and scopes in the
 * small county: county, zone-gaocun, twp-gaocun, twp-lanli, village (高村 west village),
 * ranger (its first grid), lookout (高村镇), supervisor, viewer, crew-gaocun (CR-T106's phone).
 */
export async function newSmallCountyUsers(database: Database, county: SmallCounty) {
  const gaocun = county.townships.gaocun;
  const lanli = county.townships.lanli;
  const list: Parameters<typeof newUser>[1][] = [
    { username: 'county', displayName: '县森林防火指挥中心', role: 'county_command' },
    {
      username: 'zone-gaocun',
      displayName: '高村战区指挥长',
      role: 'war_zone_commander',
      warZoneId: gaocun.warZoneId,
    },
    {
      username: 'twp-gaocun',
      displayName: '高村镇指挥长',
      role: 'township_commander',
      townshipCode: gaocun.code,
      warZoneId: gaocun.warZoneId,
    },
    {
      username: 'twp-lanli',
      displayName: '兰里镇指挥长',
      role: 'township_commander',
      townshipCode: lanli.code,
      warZoneId: lanli.warZoneId,
    },
    {
      username: 'village',
      displayName: '村支书',
      role: 'village_head',
      villageCode: gaocun.villages[0],
      townshipCode: gaocun.code,
    },
    {
      username: 'ranger',
      displayName: '护林员',
      role: 'ranger',
      gridCode: gaocun.grids[0],
      villageCode: gaocun.villages[0],
      townshipCode: gaocun.code,
    },
    {
      username: 'lookout',
      displayName: '铁塔哨兵值守员',
      role: 'lookout_operator',
      townshipCode: gaocun.code,
    },
    { username: 'supervisor', displayName: '县督查室', role: 'supervisor' },
    { username: 'viewer', displayName: '值班查看', role: 'viewer' },
    {
      username: 'crew-gaocun',
      displayName: '高村镇半专业扑火队(队长手机)',
      role: 'ranger',
      crewId: 'CR-T106',
      townshipCode: gaocun.code,
    },
  ];
  for (const u of list) await newUser(database, u);
  return list.map((u) => u.username as string);
}
