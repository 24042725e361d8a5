/**
 * 红黄黑旗 over HTTP on the demo county (issue 14 item 1): one entry per township and per
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
import { openDemoApp } from '../testing/demo-sessions.ts';
import { newIncident } from '../testing/factories.ts';
import { testBackend } from '../testing/test-database.ts';

let app: App;
let database: Database;
let tokens: Map<string, string>;
const as = (who: string) => ({ authorization: `Bearer ${tokens.get(who)}` });

/** Two townships of the demo county and a village of the first. */
let A = { code: '', name: '' };
let B = { code: '', name: '' };
let villageOfA = '';

beforeAll(async () => {
  ({ app, database, tokens } = await openDemoApp());
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
  it('gives all 18 townships, those without fires as red, each exactly { code, name, fires, flag }', async () => {
    const list = await flags('2025-06');
    expect(list).toHaveLength(18);
    expect(new Set(list.map((f) => f.code)).size).toBe(18);
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

  it('takes its thresholds from settings (yellow from 2 fires, black from 4)', async () => {
    const repo = createSupervisionRepository(database, { yellowMin: 2, blackMin: 4 });
    const june = await repo.flags('2026-06', 'township');
    expect(june.find((f) => f.code === B.code)).toEqual({ ...B, fires: 3, flag: 'yellow' });
    const march = await repo.flags('2026-03', 'township');
    expect(march.find((f) => f.code === B.code)).toEqual({ ...B, fires: 1, flag: 'red' });
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
