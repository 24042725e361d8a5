/**
 * Demo users, one for every role, created only in demo mode on an empty user table. Their
 * password is public (README, start-up log): a county replaces them with its own accounts.
 */
import { sql } from 'drizzle-orm';
import type { Database } from '../db/database.ts';
import type { UserRole } from '../domain/vocabulary.ts';
import { createUsersRepository } from '../repositories/users-repository.ts';

export const DEMO_PASSWORD = 'fire-demo-2026';

interface DemoUser {
  username: string;
  displayName: string;
  role: UserRole;
  /** Scope, read from the loaded county. */
  scope: (q: Database['query']) => Promise<Record<string, string | number | null>>;
}

const one = async (q: Database['query'], statement: ReturnType<typeof sql>) =>
  ((await q<Record<string, string | number | null>>(statement))[0] ?? {}) as Record<
    string,
    string | number | null
  >;

const GAOCUN = '431226106';
const LANLI = '431226104';

export const DEMO_USERS: DemoUser[] = [
  {
    username: 'county',
    displayName: '县森林防火指挥中心',
    role: 'county_command',
    scope: async () => ({}),
  },
  {
    username: 'zone-gaocun',
    displayName: '高村战区指挥长',
    role: 'war_zone_commander',
    scope: (q) => one(q, sql`SELECT id AS "warZoneId" FROM war_zones WHERE name = '高村战区'`),
  },
  {
    username: 'twp-gaocun',
    displayName: '高村镇指挥长',
    role: 'township_commander',
    scope: (q) =>
      one(
        q,
        sql`SELECT code AS "townshipCode", war_zone_id AS "warZoneId" FROM townships WHERE code = ${GAOCUN}`,
      ),
  },
  {
    username: 'twp-lanli',
    displayName: '兰里镇指挥长',
    role: 'township_commander',
    scope: (q) =>
      one(
        q,
        sql`SELECT code AS "townshipCode", war_zone_id AS "warZoneId" FROM townships WHERE code = ${LANLI}`,
      ),
  },
  {
    username: 'village',
    displayName: '村支书',
    role: 'village_head',
    scope: (q) =>
      one(
        q,
        sql`SELECT code AS "villageCode", township_code AS "townshipCode" FROM villages
                 WHERE township_code = ${GAOCUN} AND kind = '村' ORDER BY code LIMIT 1`,
      ),
  },
  {
    username: 'ranger',
    displayName: '护林员',
    role: 'ranger',
    scope: (q) =>
      one(
        q,
        sql`SELECT code AS "gridCode", village_code AS "villageCode", township_code AS "townshipCode"
                 FROM grids WHERE township_code = ${GAOCUN} ORDER BY code LIMIT 1`,
      ),
  },
  {
    username: 'lookout',
    displayName: '铁塔哨兵值守员',
    role: 'lookout_operator',
    scope: async () => ({ townshipCode: GAOCUN }),
  },
  { username: 'supervisor', displayName: '县督查室', role: 'supervisor', scope: async () => ({}) },
  { username: 'viewer', displayName: '值班查看', role: 'viewer', scope: async () => ({}) },
  {
    username: 'crew-gaocun',
    displayName: '高村镇半专业扑火队(队长手机)',
    role: 'ranger',
    scope: (q) =>
      one(
        q,
        sql`SELECT id AS "crewId", township_code AS "townshipCode" FROM crews WHERE id = 'CR-T106'`,
      ),
  },
];

/** Creates the demo users when there are none; returns who was created. */
export async function seedDemoUsers(
  database: Database,
): Promise<{ username: string; displayName: string; role: string }[]> {
  const users = createUsersRepository(database);
  if ((await users.count()) > 0) return [];
  const q = database.query.bind(database) as Database['query'];
  const created = [];
  for (const u of DEMO_USERS) {
    const s = await u.scope(q);
    await users.create({
      username: u.username,
      displayName: u.displayName,
      password: DEMO_PASSWORD,
      role: u.role,
      warZoneId: s.warZoneId === undefined || s.warZoneId === null ? null : Number(s.warZoneId),
      townshipCode: (s.townshipCode as string | undefined) ?? null,
      villageCode: (s.villageCode as string | undefined) ?? null,
      gridCode: (s.gridCode as string | undefined) ?? null,
      crewId: (s.crewId as string | undefined) ?? null,
    });
    created.push({ username: u.username, displayName: u.displayName, role: u.role });
  }
  return created;
}
