/**
 * Publicity (issue 14 item 4) on the demo county: records by a village head and a township
 * commander, coverage per village from the latest record against 100%, each reader's area,
 * and bad input named.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../app.ts';
import type { Database } from '../db/database.ts';
import { openDemoApp, requestsAs } from '../testing/demo-sessions.ts';
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
  ({ app, database, tokens } = await openDemoApp());
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
    ] as const) {
      const res = await post('/api/publicity', 'county', payload);
      expect([res.statusCode, res.json().field], JSON.stringify(payload)).toEqual([status, field]);
    }
  });
});
