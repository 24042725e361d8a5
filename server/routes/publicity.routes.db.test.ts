/**
 * Publicity (issue 14 item 4) on a small county: records by a village head and a township
 * commander, coverage per village (its grids' latest records summed) and per grid against
 * 100%, each reader's area, whole-village and grid records never mixed, and bad input named.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../app.ts';
import type { Database } from '../db/database.ts';
import { openSmallApp, requestsAs } from '../testing/demo-sessions.ts';
import { testBackend } from '../testing/test-database.ts';

let app: App;
let database: Database;
let get: ReturnType<typeof requestsAs>['get'];
let post: ReturnType<typeof requestsAs>['post'];
/** The demo village head's own village, and another village of 高村镇. */
let own = '';
let other = '';

beforeAll(async () => {
  let tokens: Map<string, string>;
  ({ app, database, tokens } = await openSmallApp());
  ({ get, post } = requestsAs(app, tokens));
  const [u] = await database.query<{ village_code: string; township_code: string }>(
    sql`SELECT u.village_code, v.township_code FROM users u JOIN villages v ON v.code = u.village_code
        WHERE u.username = 'village'`,
  );
  own = u?.village_code as string;
  const [o] = await database.query<{ code: string }>(
    sql`SELECT code FROM villages WHERE township_code = ${u?.township_code} AND code <> ${own}
        ORDER BY code LIMIT 1`,
  );
  other = o?.code as string;
}, 120_000);
afterAll(async () => {
  await app?.close();
});

const record = (
  villageCode: string,
  recordedOn: string,
  visited: number,
  pledges: number,
  extra = {},
) => ({
  villageCode,
  recordedOn,
  channel: '入户',
  householdsTotal: 120,
  householdsVisited: visited,
  pledgesSigned: pledges,
  ...extra,
});

describe(`publicity on the ${testBackend()} backend`, () => {
  it('gives each village its latest coverage against 100%', async () => {
    expect(
      (await post('/api/publicity', 'village', record(own, '2026-03-01', 60, 30))).statusCode,
    ).toBe(201);
    const later = await post(
      '/api/publicity',
      'village',
      record(own, '2026-03-15', 120, 120, { awarePersons: 48, surveyedPersons: 50 }),
    );
    expect(later.statusCode, later.body).toBe(201);
    expect(
      (await post('/api/publicity', 'twp-gaocun', record(other, '2026-03-10', 90, 120 - 30)))
        .statusCode,
    ).toBe(201);
    const list = (await get('/api/publicity/coverage', 'supervisor')).json();
    const [{ n } = { n: 0 }] = await database.query<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM villages`,
    );
    expect(list).toHaveLength(Number(n));
    expect(list.find((v: { villageCode: string }) => v.villageCode === own)).toMatchObject({
      recordedOn: '2026-03-15',
      visitRate: 1,
      pledgeRate: 1,
      awarenessRate: 0.96,
      complete: false,
    });
    expect(list.find((v: { villageCode: string }) => v.villageCode === other)).toMatchObject({
      visitRate: 0.75,
      pledgeRate: 0.75,
      awarenessRate: null,
      complete: false,
    });
    // The village head sees his own village only; a ranger nothing.
    const mine = (await get('/api/publicity/coverage', 'village')).json();
    expect(mine.map((v: { villageCode: string }) => v.villageCode)).toEqual([own]);
    expect((await get('/api/publicity/coverage', 'ranger')).statusCode).toBe(403);
  });

  it('sums a village recorded per grid and gives each grid its own coverage (level=grid)', async () => {
    // A village of 高村镇 with no record yet and at least two grids.
    const [g1, g2] = await database.query<{ code: string; village_code: string }>(sql`
      SELECT code, village_code FROM grids WHERE village_code = (
        SELECT g.village_code FROM grids g JOIN villages v ON v.code = g.village_code
        WHERE v.township_code = (SELECT township_code FROM villages WHERE code = ${own})
          AND g.village_code NOT IN (${own}, ${other})
        GROUP BY g.village_code HAVING count(*) >= 2 ORDER BY g.village_code LIMIT 1)
      ORDER BY code LIMIT 2`);
    const village = g1?.village_code as string;
    const perGrid = (grid: string, day: string, total: number, visited: number, pledges: number) =>
      post('/api/publicity', 'twp-gaocun', {
        ...record(village, day, visited, pledges),
        gridCode: grid,
        householdsTotal: total,
      });
    for (const res of [
      await perGrid(g1?.code as string, '2026-03-02', 50, 10, 10),
      await perGrid(g1?.code as string, '2026-03-09', 50, 50, 25),
      await perGrid(g2?.code as string, '2026-03-05', 30, 15, 30),
    ])
      expect(res.statusCode, res.body).toBe(201);
    // Grid 1 at its later record, grid 2 added: 65 of 80 visited, 55 of 80 pledged.
    const villages = (await get('/api/publicity/coverage', 'supervisor')).json();
    const v = villages.find((x: { villageCode: string }) => x.villageCode === village);
    expect(v.recordedOn).toBe('2026-03-09');
    expect(v.visitRate).toBeCloseTo(65 / 80, 12);
    expect(v.pledgeRate).toBeCloseTo(55 / 80, 12);
    const grids = (await get('/api/publicity/coverage?level=grid', 'twp-gaocun')).json();
    const of = (code: string | undefined) =>
      grids.find((x: { gridCode: string }) => x.gridCode === code);
    expect(of(g1?.code)).toMatchObject({ villageCode: village, visitRate: 1, pledgeRate: 0.5 });
    expect(of(g2?.code)).toMatchObject({ visitRate: 0.5, pledgeRate: 1 });
    // The township commander's grids are his township's only; every one of them listed.
    const [{ n } = { n: 0 }] = await database.query<{ n: number }>(sql`
      SELECT count(*)::int AS n FROM grids
      WHERE township_code = (SELECT township_code FROM villages WHERE code = ${own})`);
    expect(grids).toHaveLength(Number(n));
    // The village head's grids: his village's.
    const mine = (await get('/api/publicity/coverage?level=grid', 'village')).json();
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.every((x: { villageCode: string }) => x.villageCode === own)).toBe(true);
    expect((await get('/api/publicity/coverage?level=town', 'supervisor')).statusCode).toBe(400);
  });

  it('refuses mixing whole-village and per-grid records in one village (409 gridCode), writing nothing', async () => {
    const count = async () =>
      Number(
        (
          await database.query<{ n: number }>(sql`SELECT count(*)::int AS n FROM publicity_records`)
        )[0]?.n,
      );
    const [g] = await database.query<{ code: string }>(
      sql`SELECT code FROM grids WHERE village_code = ${own} ORDER BY code LIMIT 1`,
    );
    const before = await count();
    // The village head's village records as a whole (first test): a grid record is refused.
    const res = await post('/api/publicity', 'village', {
      ...record(own, '2026-03-20', 1, 1),
      gridCode: g?.code,
    });
    expect([res.statusCode, res.json().field]).toEqual([409, 'gridCode']);
    // And the village recorded per grid (the test before) takes no whole-village record.
    const [perGrid] = await database.query<{ village_code: string }>(
      sql`SELECT village_code FROM publicity_records WHERE grid_code IS NOT NULL LIMIT 1`,
    );
    const whole = await post(
      '/api/publicity',
      'twp-gaocun',
      record(perGrid?.village_code as string, '2026-03-20', 1, 1),
    );
    expect([whole.statusCode, whole.json().field]).toEqual([409, 'gridCode']);
    expect(await count()).toBe(before);
  });

  it('refuses other villages, other townships and impossible counts, naming the field', async () => {
    expect(
      (await post('/api/publicity', 'village', record(other, '2026-03-01', 1, 1))).statusCode,
    ).toBe(403);
    expect(
      (await post('/api/publicity', 'twp-lanli', record(own, '2026-03-01', 1, 1))).statusCode,
    ).toBe(403);
    for (const [payload, status, field] of [
      [record(own, '2026-03-01', 121, 1), 422, 'householdsVisited'],
      [record(own, '2026-03-01', 1, 121), 422, 'pledgesSigned'],
      [record(own, '2026-03-01', 1, 1, { awarePersons: 5 }), 400, 'surveyedPersons'],
      [
        record(own, '2026-03-01', 1, 1, { awarePersons: 6, surveyedPersons: 5 }),
        422,
        'awarePersons',
      ],
      [record('431226999999', '2026-03-01', 1, 1), 404, 'villageCode'],
      [record(own, '2026-03-01', 1, 1, { gridCode: `${other}001` }), 422, 'gridCode'],
      [record(own, '2026-03-01', 1, 1, { gridCode: `${own}999` }), 404, 'gridCode'],
    ] as const) {
      const res = await post('/api/publicity', 'county', payload);
      expect([res.statusCode, res.json().field], JSON.stringify(payload)).toEqual([status, field]);
    }
  });
});
