/**
 * 红黄黑旗 over HTTP on a small county (issue 14 item 1): one entry per township and per
 * village, Asia/Shanghai month boundaries, false alarms, unconfirmed reports and drills never
 * counted, flags following an incident when it is confirmed, dismissed or moved, thresholds
 * from settings, and the assessment office's notes that leave the colour alone.
 */
import crypto from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../app.ts';
import type { Database } from '../db/database.ts';
import { createSupervisionRepository } from '../repositories/supervision-repository.ts';
import { openSmallApp } from '../testing/demo-sessions.ts';
import { newIncident, SMALL_COUNTY } from '../testing/factories.ts';
import { testBackend } from '../testing/test-database.ts';

let app: App;
let database: Database;
let tokens: Map<string, string>;
const as = (who: string) => ({ authorization: `Bearer ${tokens.get(who)}` });

/** Two townships of the county and a village of the first. */
let A = { code: '', name: '' };
let B = { code: '', name: '' };
let villageOfA = '';

beforeAll(async () => {
  ({ app, database, tokens } = await openSmallApp());
  const ts = await database.query<{ code: string; name: string }>(
    sql`SELECT code, name FROM townships ORDER BY code LIMIT 2`,
  );
  [A, B] = ts as [typeof A, typeof B];
  const [v] = await database.query<{ code: string }>(
    sql`SELECT code FROM villages WHERE township_code = ${A.code} ORDER BY code LIMIT 1`,
  );
  villageOfA = v?.code ?? '';
}, 120_000);
afterAll(async () => {
  await app?.close();
});

type Flag = { code: string; name: string; fires: number; flag: string };
async function flags(month: string, level = 'township', who = 'county'): Promise<Flag[]> {
  const res = await app.inject({
    method: 'GET',
    url: `/api/flags?month=${month}&level=${level}`,
    headers: as(who),
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}
const of = (list: Flag[], code: string) => list.find((f) => f.code === code);

/** The county command centre moves an incident along its states. */
const transition = (id: string, to: string) =>
  app.inject({
    method: 'POST',
    url: `/api/incidents/${id}/transitions`,
    headers: as('county'),
    payload: { to },
  });

/** A lookout's smoke report now: its incident, township and Beijing-time month. */
async function reportFire(lon: number, lat: number) {
  const report = await app.inject({
    method: 'POST',
    url: '/api/reports',
    headers: as('lookout'),
    payload: {
      clientUuid: crypto.randomUUID(),
      source: 'lookout',
      position: { lon, lat },
      observedAt: new Date().toISOString(),
    },
  });
  expect(report.statusCode, report.body).toBe(201);
  const id = report.json().incidentId as string;
  const [inc] = await database.query<{ township_code: string; first_reported_at: string }>(
    sql`SELECT township_code, first_reported_at FROM incidents WHERE id = ${id}::uuid`,
  );
  // Worked out here rather than with the code under test: UTC+8, first seven characters.
  const local = new Date(new Date(inc?.first_reported_at as string).getTime() + 8 * 3_600_000);
  return { id, home: inc?.township_code as string, month: local.toISOString().slice(0, 7) };
}

describe(`flags on the ${testBackend()} backend`, () => {
  it('gives every township, those without fires as red, each exactly { code, name, fires, flag }', async () => {
    const list = await flags('2025-06');
    const codes = Object.values(SMALL_COUNTY.townships).map((t) => t.code);
    expect(list.map((f) => f.code).sort()).toEqual(codes.sort());
    for (const f of list) {
      expect(Object.keys(f).sort()).toEqual(['code', 'fires', 'flag', 'name']);
      expect(f).toMatchObject({ fires: 0, flag: 'red' });
    }
    expect(of(list, A.code)?.name).toBe(A.name);
    const supervisor = await flags('2025-06', 'township', 'supervisor');
    expect(supervisor).toEqual(list);
  });

  it('counts a fire at 2026-03-31T16:30Z (00:30 on 1 April in Mayang) in April, one at 15:59Z in March', async () => {
    await newIncident(database, {
      townshipCode: A.code,
      villageCode: villageOfA,
      firstReportedAt: new Date('2026-03-31T16:30:00Z'),
    });
    await newIncident(database, {
      townshipCode: B.code,
      firstReportedAt: new Date('2026-03-31T15:59:00Z'),
    });
    const april = await flags('2026-04');
    const march = await flags('2026-03');
    expect(of(april, A.code)).toEqual({ ...A, fires: 1, flag: 'yellow' });
    expect(of(april, B.code)).toEqual({ ...B, fires: 0, flag: 'red' });
    expect(of(march, A.code)).toEqual({ ...A, fires: 0, flag: 'red' });
    expect(of(march, B.code)).toEqual({ ...B, fires: 1, flag: 'yellow' });
    // The rest of the county had no fire either month.
    expect(april.filter((f) => f.flag !== 'red').map((f) => f.code)).toEqual([A.code]);
    // 2026-04-30T16:00Z is already 1 May in Mayang.
    await newIncident(database, {
      townshipCode: A.code,
      firstReportedAt: new Date('2026-04-30T16:00:00Z'),
    });
    expect(of(await flags('2026-04'), A.code)?.fires).toBe(1);
    expect(of(await flags('2026-05'), A.code)?.fires).toBe(1);
  });

  it('goes yellow at 2 and black at 3; false alarms, unconfirmed reports and drills never count', async () => {
    const at = (d: number) => new Date(Date.UTC(2026, 5, d, 2)); // June 2026, 10:00 Beijing
    await newIncident(database, { townshipCode: B.code, firstReportedAt: at(1) });
    await newIncident(database, {
      townshipCode: B.code,
      firstReportedAt: at(2),
      state: 'closed',
      closedAt: at(3),
    });
    expect(of(await flags('2026-06'), B.code)).toEqual({ ...B, fires: 2, flag: 'yellow' });
    await newIncident(database, { townshipCode: B.code, firstReportedAt: at(4), dismissed: true });
    await newIncident(database, {
      townshipCode: B.code,
      firstReportedAt: at(5),
      dismissed: true,
      state: 'closed',
      closedAt: at(5),
    });
    await newIncident(database, {
      townshipCode: B.code,
      firstReportedAt: at(6),
      state: 'reported',
    });
    await newIncident(database, {
      townshipCode: B.code,
      firstReportedAt: at(7),
      state: 'verifying',
    });
    await newIncident(database, {
      townshipCode: B.code,
      firstReportedAt: at(8),
      state: 'extinguished',
      drill: true,
    });
    expect(of(await flags('2026-06'), B.code)).toEqual({ ...B, fires: 2, flag: 'yellow' });
    await newIncident(database, {
      townshipCode: B.code,
      firstReportedAt: at(9),
      state: 'on_scene',
    });
    expect(of(await flags('2026-06'), B.code)).toEqual({ ...B, fires: 3, flag: 'black' });
  });

  it('judges the month it is read in by the settings (yellow from 2 fires, black from 4), and keeps them', async () => {
    const at = (d: number) => new Date(Date.UTC(2025, 9, d, 2)); // October 2025, 10:00 Beijing
    for (const d of [1, 2, 3])
      await newIncident(database, { townshipCode: B.code, firstReportedAt: at(d) });
    const repo = createSupervisionRepository(database, { yellowMin: 2, blackMin: 4 });
    // Read on 20 October 2025 under those settings: October is the current month.
    const october = await repo.flags('2025-10', 'township', at(20));
    expect(october.find((f) => f.code === B.code)).toEqual({ ...B, fires: 3, flag: 'yellow' });
    // October past, the app's settings (1 and 3) do not recolour it.
    expect(of(await flags('2025-10'), B.code)).toEqual({ ...B, fires: 3, flag: 'yellow' });
  });

  it('gives one entry per village at level=village, the fire in its village', async () => {
    const [{ n } = { n: 0 }] = await database.query<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM villages`,
    );
    const list = await flags('2026-04', 'village');
    expect(list).toHaveLength(Number(n));
    expect(list.filter((f) => f.fires > 0)).toEqual([
      expect.objectContaining({ code: villageOfA, fires: 1, flag: 'yellow' }),
    ]);
  });

  it('follows a live incident: not counted while reported, counted once confirmed, gone when moved', async () => {
    const { id, home, month } = await reportFire(109.805, 27.87);
    const fires = async (code: string) => of(await flags(month), code)?.fires;
    const before = (await fires(home)) as number;
    const move = (to: string) => transition(id, to);
    expect((await move('verifying')).statusCode).toBe(200);
    expect(await fires(home)).toBe(before);
    expect((await move('confirmed')).statusCode).toBe(200);
    expect(await fires(home)).toBe(before + 1);
    // Moved to another township (its place corrected): the count moves with it.
    const other = home === A.code ? B.code : A.code;
    const otherBefore = (await fires(other)) as number;
    await database.query(sql`UPDATE incidents SET township_code = ${other} WHERE id = ${id}::uuid`);
    expect(await fires(home)).toBe(before);
    expect(await fires(other)).toBe(otherBefore + 1);
  });

  it('never counts a report dismissed as a false alarm', async () => {
    const { id, home, month } = await reportFire(109.62, 27.78);
    const before = of(await flags(month), home)?.fires;
    for (const to of ['verifying', 'false_alarm', 'closed']) {
      const res = await transition(id, to);
      expect(res.statusCode, res.body).toBe(200);
    }
    expect(of(await flags(month), home)?.fires).toBe(before);
  });

  it('answers bad input with a 400 naming the field', async () => {
    for (const [url, field] of [
      ['/api/flags?month=2026-13', 'month'],
      // Before the year 100 a date's year is read as 19xx: the history of 0000-01 came back
      // as 1897-02…1900-01, and those months were written into the flag history.
      ['/api/flags/history?to=0000-01&months=36', 'to'],
      ['/api/flags/history?to=0099-12', 'to'],
      ['/api/flags?month=1999-12', 'month'],
      ['/api/flags?month=2026-04&level=county', 'level'],
      ['/api/flags', 'month'],
    ] as const) {
      const res = await app.inject({ method: 'GET', url, headers: as('county') });
      expect(res.statusCode, url).toBe(400);
      expect(res.json().field, url).toBe(field);
    }
  });

  it('shows the history of past months, oldest first', async () => {
    const res = await app.inject({
      method: 'GET',
      url: '/api/flags/history?to=2026-06&months=4',
      headers: as('supervisor'),
    });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json() as { months: { month: string; flags: Flag[] }[] };
    expect(body.months.map((m) => m.month)).toEqual(['2026-03', '2026-04', '2026-05', '2026-06']);
    expect(body.months.map((m) => of(m.flags, B.code)?.flag)).toEqual([
      'yellow',
      'red',
      'red',
      'black',
    ]);
    expect(body.months.map((m) => of(m.flags, A.code)?.fires)).toEqual([0, 1, 1, 0]);
  });
});

/** The stored history row of a month's township or village, as the table holds it. */
async function historyRow(month: string, level: string, code: string) {
  const [row] = await database.query<Record<string, unknown>>(sql`
    SELECT fires, flag, yellow_min, black_min, computed_at FROM flag_history
    WHERE month = ${month} AND level = ${level} AND area_code = ${code}`);
  return row
    ? {
        fires: Number(row.fires),
        flag: row.flag,
        yellowMin: Number(row.yellow_min),
        blackMin: Number(row.black_min),
      }
    : undefined;
}

describe(`flag history on the ${testBackend()} backend`, () => {
  it('keeps a past month judged by its thresholds when the settings change; the current month follows them', async () => {
    // February 2025: two confirmed fires in A, yellow under the default 1 and 3.
    for (const d of [3, 4])
      await newIncident(database, {
        townshipCode: A.code,
        firstReportedAt: new Date(Date.UTC(2025, 1, d, 2)),
      });
    // This month (Beijing time, worked out here): two in B, yellow under 1 and 3 too.
    const now = new Date();
    const current = new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 7);
    const currentBefore = of(await flags(current), B.code)?.fires as number;
    for (let i = 0; i < 2; i++)
      await newIncident(database, { townshipCode: B.code, firstReportedAt: now });
    expect(of(await flags('2025-02'), A.code)).toEqual({ ...A, fires: 2, flag: 'yellow' });
    expect(await historyRow('2025-02', 'township', A.code)).toEqual({
      fires: 2,
      flag: 'yellow',
      yellowMin: 1,
      blackMin: 3,
    });
    const fires = currentBefore + 2;
    expect(of(await flags(current), B.code)?.fires).toBe(fires);

    // The county now reads yellow from 3 fires and black from 5 (the settings changed).
    const changed = createSupervisionRepository(database, { yellowMin: 3, blackMin: 5 });
    const feb = await changed.flags('2025-02', 'township');
    expect(feb.find((f) => f.code === A.code)).toEqual({ ...A, fires: 2, flag: 'yellow' });
    expect((await historyRow('2025-02', 'township', A.code))?.yellowMin).toBe(1);
    const thisMonth = await changed.flags(current, 'township');
    const expected = fires >= 5 ? 'black' : fires >= 3 ? 'yellow' : 'red';
    expect(thisMonth.find((f) => f.code === B.code)).toEqual({ ...B, fires, flag: expected });
    expect(await historyRow(current, 'township', B.code)).toEqual({
      fires,
      flag: expected,
      yellowMin: 3,
      blackMin: 5,
    });
    // A past month nobody had computed takes the settings of its first computation and keeps them.
    await newIncident(database, {
      townshipCode: A.code,
      firstReportedAt: new Date(Date.UTC(2024, 10, 5, 2)),
    });
    expect((await changed.flags('2024-11', 'township')).find((f) => f.code === A.code)?.flag).toBe(
      'red',
    );
    expect(of(await flags('2024-11'), A.code)).toEqual({ ...A, fires: 1, flag: 'red' });

    // The history endpoint gives each month with its own thresholds, one area with `code`.
    const res = await app.inject({
      method: 'GET',
      url: `/api/flags/history?to=2025-02&months=4&code=${A.code}`,
      headers: as('supervisor'),
    });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json() as {
      months: { month: string; thresholds: unknown; flags: Flag[] }[];
    };
    expect(body.months.map((m) => [m.month, m.thresholds, m.flags.map((f) => f.flag)])).toEqual([
      ['2024-11', { yellowMin: 3, blackMin: 5 }, ['red']],
      ['2024-12', { yellowMin: 1, blackMin: 3 }, ['red']],
      ['2025-01', { yellowMin: 1, blackMin: 3 }, ['red']],
      ['2025-02', { yellowMin: 1, blackMin: 3 }, ['yellow']],
    ]);
    // Back to the app's settings for the current month, for the tests after.
    await flags(current);
  });

  it('rewrites the history of its month when an incident is confirmed, dismissed or moved', async () => {
    // Two places a few kilometres from the other tests' reports, so no report joins another's fire.
    const [one, two] = [
      [109.84, 27.83],
      [110.0, 27.94],
    ];
    const { id, home, month } = await reportFire(...(one as [number, number]));
    const other = home === A.code ? B.code : A.code;
    const before = of(await flags(month), home)?.fires as number;
    const otherBefore = of(await flags(month), other)?.fires as number;
    expect((await historyRow(month, 'township', home))?.fires).toBe(before);
    expect((await transition(id, 'verifying')).statusCode).toBe(200);
    expect((await transition(id, 'confirmed')).statusCode).toBe(200);
    await flags(month);
    expect((await historyRow(month, 'township', home))?.fires).toBe(before + 1);
    const [inc] = await database.query<{ village_code: string | null }>(
      sql`SELECT village_code FROM incidents WHERE id = ${id}::uuid`,
    );
    if (inc?.village_code) {
      await flags(month, 'village');
      expect((await historyRow(month, 'village', inc.village_code))?.fires).toBeGreaterThan(0);
    }
    // Moved to the other township (its place corrected): both townships' rows change.
    await database.query(sql`UPDATE incidents SET township_code = ${other} WHERE id = ${id}::uuid`);
    await flags(month);
    expect((await historyRow(month, 'township', home))?.fires).toBe(before);
    expect((await historyRow(month, 'township', other))?.fires).toBe(otherBefore + 1);
    // A report dismissed as a false alarm leaves its township's count as it was.
    const second = await reportFire(...(two as [number, number]));
    const count = of(await flags(second.month), second.home)?.fires as number;
    for (const to of ['verifying', 'false_alarm'])
      expect((await transition(second.id, to)).statusCode).toBe(200);
    await flags(second.month);
    expect((await historyRow(second.month, 'township', second.home))?.fires).toBe(count);
  });

  it('forgets a confirmed fire later ruled out, and moves one to the month it was seen in', async () => {
    // A fire recorded as confirmed, then found to have been a false alarm after all.
    const id = await newIncident(database, {
      townshipCode: B.code,
      firstReportedAt: new Date('2025-08-10T02:00:00Z'),
    });
    expect(of(await flags('2025-08'), B.code)?.fires).toBe(1);
    await database.query(sql`UPDATE incidents SET state = 'false_alarm' WHERE id = ${id}::uuid`);
    await database.query(sql`
      INSERT INTO incident_events (incident_id, type, actor_label, payload)
      VALUES (${id}::uuid, 'state_changed', 'test', '{"from":"verifying","to":"false_alarm"}'::jsonb)`);
    await flags('2025-08');
    expect(await historyRow('2025-08', 'township', B.code)).toMatchObject({
      fires: 0,
      flag: 'red',
    });
    // Its clock moved back a month (an earlier report): September's row gives it up to August.
    const moved = await newIncident(database, {
      townshipCode: B.code,
      firstReportedAt: new Date('2025-09-01T02:00:00Z'),
    });
    expect(of(await flags('2025-09'), B.code)?.fires).toBe(1);
    await database.query(
      sql`UPDATE incidents SET first_reported_at = '2025-08-31T02:00:00Z' WHERE id = ${moved}::uuid`,
    );
    await flags('2025-09');
    await flags('2025-08');
    expect((await historyRow('2025-09', 'township', B.code))?.fires).toBe(0);
    expect((await historyRow('2025-08', 'township', B.code))?.fires).toBe(1);
  });

  it('files a fire at 23:59 on the last day (Beijing) in that month and one at 00:01 in the next', async () => {
    // 30 April 2025 23:59 in Mayang is 15:59Z; 1 May 00:01 is 16:01Z on 30 April.
    await newIncident(database, {
      townshipCode: A.code,
      firstReportedAt: new Date('2025-04-30T15:59:00Z'),
    });
    for (const i of [0, 1])
      await newIncident(database, {
        townshipCode: A.code,
        firstReportedAt: new Date(`2025-04-30T16:0${i + 1}:00Z`),
      });
    await flags('2025-04');
    await flags('2025-05');
    expect(await historyRow('2025-04', 'township', A.code)).toMatchObject({
      fires: 1,
      flag: 'yellow',
    });
    expect(await historyRow('2025-05', 'township', A.code)).toMatchObject({
      fires: 2,
      flag: 'yellow',
    });
  });

  it('never counts a drill in the history', async () => {
    for (const state of ['confirmed', 'extinguished', 'closed'] as const)
      await newIncident(database, {
        townshipCode: A.code,
        firstReportedAt: new Date('2025-07-08T02:00:00Z'),
        state,
        ...(state === 'closed' ? { closedAt: new Date('2025-07-08T06:00:00Z') } : {}),
        drill: true,
      });
    expect(of(await flags('2025-07'), A.code)).toEqual({ ...A, fires: 0, flag: 'red' });
    expect(await historyRow('2025-07', 'township', A.code)).toEqual({
      fires: 0,
      flag: 'red',
      yellowMin: 1,
      blackMin: 3,
    });
  });

  it('settles the month when a fire is confirmed, before anyone reads the flags', async () => {
    // The stored row as it stands (another test may have read this month); nothing below
    // reads the flags, so only the confirmation can change it.
    const month = '2024-11';
    const [first, second] = await Promise.all(
      [5, 6].map((d) =>
        newIncident(database, {
          townshipCode: A.code,
          firstReportedAt: new Date(Date.UTC(2024, 10, d, 2)),
          state: 'verifying',
        }),
      ),
    );
    const before = (await historyRow(month, 'township', A.code))?.fires ?? 0;
    await app.incidentService.transition(first as string, 'confirmed', 'county', {});
    await app.flagHistorySettling();
    expect((await historyRow(month, 'township', A.code))?.fires).toBe(before + 1);
    // The other one ruled out: the month keeps that count.
    await app.incidentService.transition(second as string, 'false_alarm', 'county', {});
    await app.flagHistorySettling();
    expect((await historyRow(month, 'township', A.code))?.fires).toBe(before + 1);
  });
});

describe('assessment office notes', () => {
  it('records a note from the supervision office; the computed colour stays', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/flags/annotations',
      headers: as('supervisor'),
      payload: { month: '2026-06', level: 'township', code: B.code, note: '雷击火，建议不扣分' },
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({
      code: B.code,
      note: '雷击火，建议不扣分',
      month: '2026-06',
    });
    expect(of(await flags('2026-06'), B.code)).toEqual({ ...B, fires: 3, flag: 'black' });
    const list = await app.inject({
      method: 'GET',
      url: '/api/flags/annotations?month=2026-06',
      headers: as('county'),
    });
    expect(list.json().map((a: { code: string; note: string }) => [a.code, a.note])).toEqual([
      [B.code, '雷击火，建议不扣分'],
    ]);
  });

  it('refuses notes from others, on unknown areas, future months and blank notes', async () => {
    const post = (who: string, payload: Record<string, unknown>) =>
      app.inject({ method: 'POST', url: '/api/flags/annotations', headers: as(who), payload });
    const ok = { month: '2026-06', level: 'township', code: A.code, note: '核实' };
    expect((await post('county', ok)).statusCode).toBe(403);
    const unknown = await post('supervisor', { ...ok, code: '431226999' });
    expect([unknown.statusCode, unknown.json().field]).toEqual([404, 'code']);
    const future = await post('supervisor', { ...ok, month: '2999-01' });
    expect([future.statusCode, future.json().field]).toEqual([422, 'month']);
    const blank = await post('supervisor', { ...ok, note: '   ' });
    expect([blank.statusCode, blank.json().field]).toEqual([400, 'note']);
  });
});

describe('commanders read their own area (issue 14 item 7)', () => {
  const read = async (url: string, who: string) => {
    const res = await app.inject({ method: 'GET', url, headers: as(who) });
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };

  it("gives a township commander his township's flags and a war-zone commander his zone's, as the county sees them", async () => {
    const [g] = await database.query<{ code: string; war_zone_id: number }>(
      sql`SELECT code, war_zone_id FROM townships WHERE name = '高村镇'`,
    );
    const zone = (
      await database.query<{ code: string }>(
        sql`SELECT code FROM townships WHERE war_zone_id = ${g?.war_zone_id} ORDER BY code`,
      )
    ).map((t) => t.code);
    // 高村战区 holds 高村镇 alone in the demo county.
    expect(zone).toEqual([g?.code]);
    const county = await flags('2026-06');
    expect(await flags('2026-06', 'township', 'twp-gaocun')).toEqual([of(county, g?.code ?? '')]);
    expect(await flags('2026-06', 'township', 'zone-gaocun')).toEqual(
      county.filter((f) => zone.includes(f.code)),
    );
    const villages = (
      await database.query<{ code: string }>(
        sql`SELECT code FROM villages WHERE township_code = ${g?.code} ORDER BY code`,
      )
    ).map((v) => v.code);
    const mine = await flags('2026-06', 'village', 'twp-gaocun');
    expect(mine.map((f) => f.code).sort()).toEqual(villages);
    const history = await read('/api/flags/history?to=2026-06&months=2', 'twp-gaocun');
    for (const m of history.months as { flags: Flag[] }[])
      expect(m.flags.map((f) => f.code)).toEqual([g?.code]);
    const notes = (await read('/api/flags/annotations?month=2026-06', 'county')) as Flag[];
    expect(await read('/api/flags/annotations?month=2026-06', 'twp-gaocun')).toEqual(
      notes.filter((n) => n.code === g?.code),
    );
  });

  it("gives a township commander his township's assessment line; the county's total stays", async () => {
    const [g] = await database.query<{ code: string }>(
      sql`SELECT code FROM townships WHERE name = '高村镇'`,
    );
    const county = await read('/api/assessments?period=2026-06', 'supervisor');
    const own = await read('/api/assessments?period=2026-06', 'twp-gaocun');
    expect(own.townships).toEqual(
      county.townships.filter((t: { code: string }) => t.code === g?.code),
    );
    expect(own.cadres.map((c: { code: string }) => c.code)).toEqual([g?.code]);
    expect(own.county).toEqual(county.county);
    expect(
      (
        await app.inject({
          method: 'GET',
          url: '/api/assessments?period=2026-06',
          headers: as('viewer'),
        })
      ).statusCode,
    ).toBe(403);
  });
});
