/**
 * Drills and training (issue 14 item 3) on the small county (testing/factories.ts): a drill
 * fire run through the real report and state changes never reaches the flags; a drill scored
 * against 10/20/30 per fire and per crew from hand-set times; training person-times against
 * 5,000.
 */
import crypto from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { App } from '../app.ts';
import type { Database } from '../db/database.ts';
import { dispatches, incidentEvents } from '../db/schema/index.ts';
import type { IncidentEvent } from '../domain/live-events.ts';
import { openSmallApp, requestsAs } from '../testing/demo-sessions.ts';
import { newIncident } from '../testing/factories.ts';
import { testBackend } from '../testing/test-database.ts';

let app: App;
let database: Database;
let tokens: Map<string, string>;
let gaocun = '';
/** 兰里镇: a township of another war zone than 高村镇's. */
let lanli = '';
let get: ReturnType<typeof requestsAs>['get'];
let post: ReturnType<typeof requestsAs>['post'];

beforeAll(async () => {
  const small = await openSmallApp();
  ({ app, database, tokens } = small);
  ({ get, post } = requestsAs(app, tokens));
  gaocun = small.county.townships.gaocun.code;
  lanli = small.county.townships.lanli.code;
});
afterAll(async () => {
  await app?.close();
});

/** Today's date in Beijing (UTC+8), the day the tests' fires are reported on. */
const beijingToday = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);

async function newDrill(who = 'county', heldOn = beijingToday()) {
  const res = await post('/api/drills', who, {
    title: '高村镇春季扑火演练',
    heldOn,
    townshipCode: gaocun,
    departments: ['林业', '应急', '消防'],
    participants: 60,
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id as string;
}

describe(`drills on the ${testBackend()} backend`, () => {
  it('keeps a drill fire run through the real system out of the flags', async () => {
    const drill = await newDrill('twp-gaocun');
    // Reported by the township's lookout, signed in.
    const report = await post('/api/reports', 'lookout', {
      clientUuid: crypto.randomUUID(),
      source: 'lookout',
      position: { lon: 109.8075, lat: 27.8695 },
      observedAt: new Date().toISOString(),
    });
    const id = report.json().incidentId as string;
    // Marked by the county before anyone confirms it; its timeline says so.
    expect(
      (await post(`/api/drills/${drill}/incidents`, 'county', { incidentId: id })).statusCode,
    ).toBe(201);
    const marked = await database.query<{ actor_label: string; payload: unknown }>(
      sql`SELECT actor_label, payload FROM incident_events
          WHERE incident_id = ${id}::uuid AND type = 'drill_marked'`,
    );
    expect(marked).toEqual([
      { actor_label: 'county', payload: { drillId: drill, title: '高村镇春季扑火演练' } },
    ]);
    for (const to of ['verifying', 'confirmed']) {
      const res = await post(`/api/incidents/${id}/transitions`, 'county', { to });
      expect(res.statusCode, res.body).toBe(200);
    }
    const [inc] = await database.query<{ first_reported_at: string; township_code: string }>(
      sql`SELECT first_reported_at, township_code FROM incidents WHERE id = ${id}::uuid`,
    );
    expect(inc?.township_code).toBe(gaocun);
    const local = new Date(new Date(inc?.first_reported_at as string).getTime() + 8 * 3_600_000);
    const flags = (
      await get(`/api/flags?month=${local.toISOString().slice(0, 7)}`, 'county')
    ).json();
    expect(flags.find((f: { code: string }) => f.code === gaocun)).toMatchObject({
      fires: 0,
      flag: 'red',
    });
    // Marked once; another township's commander may not touch the drill.
    expect(
      (await post(`/api/drills/${drill}/incidents`, 'county', { incidentId: id })).statusCode,
    ).toBe(409);
    expect(
      (await post(`/api/drills/${drill}/incidents`, 'twp-lanli', { incidentId: id })).statusCode,
    ).toBe(403);
  });

  it('scores a drill fire and each crew against 10/20/30 from the first report', async () => {
    const drill = await newDrill('county', '2026-03-20');
    const t0 = new Date('2026-03-20T02:00:00Z');
    const plus = (m: number) => new Date(t0.getTime() + m * 60_000);
    const id = await newIncident(database, {
      townshipCode: gaocun,
      firstReportedAt: t0,
      state: 'extinguished',
    });
    // On scene at 9 min (met), under control at 25 (missed), out at 28 (met).
    for (const [to, m] of [
      ['on_scene', 9],
      ['controlled', 25],
      ['extinguished', 28],
    ] as const)
      await database.db.insert(incidentEvents).values({
        incidentId: id,
        type: 'state_changed',
        actorLabel: 'test',
        at: plus(m),
        payload: { to },
      });
    // The township crew arrived at 9 min, the county's professional crew at 12.
    for (const [crewId, m] of [
      ['CR-T106', 9],
      ['CR-C01', 12],
    ] as const)
      await database.db.insert(dispatches).values({
        incidentId: id,
        crewId,
        status: 'released',
        orderedAt: plus(1),
        arrivedAt: plus(m),
        releasedAt: plus(40),
      });
    // A past drill's fire, linked as drill mode links it (marking through the API is for
    // fires not yet confirmed on the drill's day: 'who may mark what' below).
    await database.query(
      sql`INSERT INTO drill_incidents (incident_id, drill_id) VALUES (${id}::uuid, ${drill}::uuid)`,
    );

    const res = await get(`/api/drills/${drill}/report`, 'twp-gaocun');
    expect(res.statusCode, res.body).toBe(200);
    const [fire] = res.json().fires;
    expect(fire).toMatchObject({
      incidentId: id,
      arrive: { minutes: 9, target: 10, met: true },
      control: { minutes: 25, target: 20, met: false },
      extinguish: { minutes: 28, target: 30, met: true },
      met: 2,
    });
    expect(
      fire.crews.map((c: { crewId: string; arrive: { minutes: number; met: boolean } }) => [
        c.crewId,
        c.arrive.minutes,
        c.arrive.met,
      ]),
    ).toEqual([
      ['CR-C01', 12, false],
      ['CR-T106', 9, true],
    ]);
    // Per township: 高村镇's fire met arrive and out, missed control; its crew arrived in
    // time; the county unit (no township) arrived late.
    expect(res.json().townships).toEqual([
      {
        townshipCode: '431226106',
        fires: 1,
        arriveMet: 1,
        controlMet: 0,
        extinguishMet: 1,
        crews: 1,
        crewsArrivedInTime: 1,
      },
      {
        townshipCode: null,
        fires: 0,
        arriveMet: 0,
        controlMet: 0,
        extinguishMet: 0,
        crews: 1,
        crewsArrivedInTime: 0,
      },
    ]);
    expect((await get(`/api/drills/${drill}/report`, 'twp-lanli')).statusCode).toBe(403);
  });
});

describe('who may mark what as a drill (POST /api/drills/:id/incidents)', () => {
  const flagOfGaocun = async (month: string) =>
    (await get(`/api/flags?month=${month}&level=township`, 'county'))
      .json()
      .find((f: { code: string }) => f.code === gaocun);
  const drillLinks = async (id: string) =>
    (
      await database.query<{ n: number }>(sql`
        SELECT (SELECT count(*) FROM drill_incidents WHERE incident_id = ${id}::uuid)
             + (SELECT count(*) FROM incident_events WHERE incident_id = ${id}::uuid
                  AND type = 'drill_marked') AS n`)
    ).map((r) => Number(r.n))[0];

  it("never lets a township commander take his own township's fire out of its flag", async () => {
    const drill = await newDrill();
    const now = new Date();
    const month = new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 7);
    const before = await flagOfGaocun(month);
    // A real fire of 高村镇, confirmed today: it counts in the township's flag.
    const fire = await newIncident(database, {
      townshipCode: gaocun,
      firstReportedAt: now,
      state: 'confirmed',
    });
    await database.db.insert(incidentEvents).values({
      incidentId: fire,
      type: 'state_changed',
      actorLabel: 'county',
      payload: { from: 'verifying', to: 'confirmed' },
    });
    const counted = await flagOfGaocun(month);
    expect(counted.fires).toBe(before.fires + 1);

    const own = await post(`/api/drills/${drill}/incidents`, 'twp-gaocun', { incidentId: fire });
    expect(own.statusCode, own.body).toBe(403);
    expect(own.json().field).toBe('role');
    // The county may not either: a confirmed fire stays a fire.
    const county = await post(`/api/drills/${drill}/incidents`, 'county', { incidentId: fire });
    expect(county.statusCode, county.body).toBe(409);
    expect(county.json().field).toBe('incidentId');
    expect(await flagOfGaocun(month)).toEqual(counted);
    expect(await drillLinks(fire)).toBe(0);
    expect((await get(`/api/incidents/${fire}`, 'county')).json().drill).toBe(false);
  });

  it("refuses another township's fire and a fire of another day, writing nothing", async () => {
    const drill = await newDrill();
    const elsewhere = await newIncident(database, {
      townshipCode: lanli,
      firstReportedAt: new Date(),
      state: 'reported',
    });
    // 高村镇, not yet confirmed, but reported two days before the drill.
    const earlier = await newIncident(database, {
      townshipCode: gaocun,
      firstReportedAt: new Date(Date.now() - 2 * 86_400_000),
      state: 'reported',
    });
    for (const who of ['county', 'supervisor']) {
      for (const id of [elsewhere, earlier]) {
        const res = await post(`/api/drills/${drill}/incidents`, who, { incidentId: id });
        expect(res.statusCode, res.body).toBe(422);
        expect(res.json().field).toBe('incidentId');
        expect(await drillLinks(id)).toBe(0);
      }
    }
    // The same kind of fire, in the township on the drill's day, is the supervision office's to mark.
    const today = await newIncident(database, {
      townshipCode: gaocun,
      firstReportedAt: new Date(),
      state: 'verifying',
    });
    const ok = await post(`/api/drills/${drill}/incidents`, 'supervisor', { incidentId: today });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(await drillLinks(today)).toBe(2);
    const missing = await post(`/api/drills/${drill}/incidents`, 'county', {
      incidentId: crypto.randomUUID(),
    });
    expect([missing.statusCode, missing.json().field]).toEqual([404, 'incidentId']);
  });
});

describe('a drill fire on the wall and the list', () => {
  it('is labelled drill:true in /api/incidents and not counted in /api/situation', async () => {
    const drill = await newDrill();
    const open = async () => (await get('/api/situation', 'county')).json().counts.open as number;
    const before = await open();
    const report = await post('/api/reports', 'lookout', {
      clientUuid: crypto.randomUUID(),
      source: 'lookout',
      position: { lon: 109.79, lat: 27.885 },
      observedAt: new Date().toISOString(),
    });
    expect(report.statusCode, report.body).toBeLessThan(300);
    const id = report.json().incidentId as string;
    const listed = async () =>
      (
        (await get('/api/incidents', 'county')).json().incidents as { id: string; drill: boolean }[]
      ).find((i) => i.id === id);
    // Until it is marked it is a fire like any other: counted, and not labelled.
    expect(await open()).toBe(before + 1);
    expect((await listed())?.drill).toBe(false);
    expect(
      (await post(`/api/drills/${drill}/incidents`, 'county', { incidentId: id })).statusCode,
    ).toBe(201);
    expect(await open()).toBe(before);
    expect((await listed())?.drill).toBe(true);
    // The wall's feed labels its events as a drill's: the report and the marking.
    const feed = (await get('/api/situation', 'county')).json().events as {
      incidentId: string;
      type: string;
      drill?: boolean;
    }[];
    expect(
      feed
        .filter((e) => e.incidentId === id)
        .map((e) => [e.type, e.drill])
        .sort(),
    ).toEqual([
      ['drill_marked', true],
      ['reported', true],
    ]);
    expect((await get(`/api/incidents/${id}`, 'county')).json()).toMatchObject({ drill: true });
  });
});

describe('drill mode: POST /api/drills/:id/start', () => {
  it('opens the drill fire already marked as a drill, apart from a real fire on the spot, out of the flags', async () => {
    const drill = await newDrill();
    const spot = { lon: 109.812, lat: 27.862 };
    const now = new Date().toISOString();
    // A real fire reported on the same spot a moment before: the drill must not join it.
    const real = await post('/api/reports', 'lookout', {
      clientUuid: crypto.randomUUID(),
      source: 'lookout',
      position: spot,
      observedAt: now,
    });
    expect(real.statusCode, real.body).toBe(201);
    const realId = real.json().incidentId as string;
    const flagOf = async () => {
      const month = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 7);
      const flags = (await get(`/api/flags?month=${month}&level=township`, 'county')).json();
      return flags.find((f: { code: string }) => f.code === gaocun);
    };
    const flagBefore = await flagOf();
    const published: IncidentEvent[] = [];
    const spy = vi.spyOn(app.live, 'publish').mockImplementation((events) => {
      published.push(...events);
    });
    const clientUuid = crypto.randomUUID();
    const start = { clientUuid, position: spot, observedAt: now, source: 'ranger' };
    const res = await post(`/api/drills/${drill}/start`, 'twp-gaocun', start);
    spy.mockRestore();
    expect(res.statusCode, res.body).toBe(201);
    const id = res.json().incidentId as string;
    expect(id).not.toBe(realId);
    expect(res.json().incident).toMatchObject({ drill: true, state: 'reported' });
    // Its very first event already says drill: no client ever saw it as a real fire.
    expect(published.map((e) => [e.type, e.incidentId, e.incident.drill])).toContainEqual([
      'reported',
      id,
      true,
    ]);
    expect(published.every((e) => e.incident.drill)).toBe(true);
    const [link] = await database.query<{ drill_id: string }>(
      sql`SELECT drill_id FROM drill_incidents WHERE incident_id = ${id}::uuid`,
    );
    expect(link?.drill_id).toBe(drill);
    expect((await get(`/api/incidents/${realId}`, 'county')).json().drill).toBe(false);
    // The drill runs through the real states; the township's flag does not move.
    for (const to of ['verifying', 'confirmed']) {
      const t = await post(`/api/incidents/${id}/transitions`, 'county', { to });
      expect(t.statusCode, t.body).toBe(200);
    }
    expect(await flagOf()).toEqual(flagBefore);
    // A resend is the same drill fire; the UUID of a real report is refused.
    const again = await post(`/api/drills/${drill}/start`, 'twp-gaocun', start);
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json().incidentId).toBe(id);
    const stolen = await post(`/api/drills/${drill}/start`, 'county', {
      ...start,
      clientUuid: await reportUuidOf(realId),
    });
    expect(stolen.statusCode, stolen.body).toBe(409);
  });

  it('refuses a position outside the drill township, a late time and an unknown drill, writing nothing', async () => {
    const drill = await newDrill();
    const count = async () =>
      Number(
        (await database.query<{ n: number }>(sql`SELECT count(*)::int AS n FROM incidents`))[0]?.n,
      );
    const before = await count();
    const base = { clientUuid: crypto.randomUUID(), observedAt: new Date().toISOString() };
    // 兰里镇's seat (高村镇 is the drill's township): in the county, not in the township.
    const elsewhere = await post(`/api/drills/${drill}/start`, 'county', {
      ...base,
      position: { lon: 109.671981, lat: 27.805723 },
    });
    expect(elsewhere.statusCode, elsewhere.body).toBe(422);
    expect(elsewhere.json().field).toBe('position');
    const late = await post(`/api/drills/${drill}/start`, 'county', {
      ...base,
      position: { lon: 109.812, lat: 27.862 },
      observedAt: '2020-01-01T00:00:00Z',
    });
    expect(late.statusCode, late.body).toBe(422);
    expect(late.json().field).toBe('observedAt');
    const missing = await post(`/api/drills/${crypto.randomUUID()}/start`, 'county', {
      ...base,
      position: { lon: 109.812, lat: 27.862 },
    });
    expect(missing.statusCode).toBe(404);
    const bad = await post(`/api/drills/${drill}/start`, 'county', { ...base, position: {} });
    expect(bad.statusCode).toBe(400);
    expect(await count()).toBe(before);
  });
});

async function reportUuidOf(incidentId: string): Promise<string> {
  const [r] = await database.query<{ client_uuid: string }>(
    sql`SELECT client_uuid FROM incident_reports WHERE incident_id = ${incidentId}::uuid`,
  );
  return r?.client_uuid as string;
}

describe('training person-times', () => {
  it('counts a year against the 5,000 target, per township and for county units', async () => {
    const add = (who: string, heldOn: string, personTimes: number, townshipCode?: string) =>
      post('/api/trainings', who, {
        title: '扑火技能培训',
        heldOn,
        audience: '护林员',
        personTimes,
        ...(townshipCode ? { townshipCode } : {}),
      });
    expect((await add('twp-gaocun', '2026-02-10', 1200, gaocun)).statusCode).toBe(201);
    expect((await add('supervisor', '2026-05-01', 3000)).statusCode).toBe(201);
    expect((await add('county', '2025-12-31', 900)).statusCode).toBe(201);
    expect((await add('twp-lanli', '2026-02-10', 10, gaocun)).statusCode).toBe(403);
    const res = await get('/api/trainings/summary?year=2026', 'supervisor');
    expect(res.json()).toEqual({
      year: 2026,
      county: { personTimes: 4200, target: 5000, share: 0.84, met: false },
      byTownship: [
        { townshipCode: null, personTimes: 3000 },
        { townshipCode: gaocun, personTimes: 1200 },
      ],
      // Recorded without a unit: one 未注明单位 line per township.
      byUnit: [
        { crewId: null, unitName: null, townshipCode: null, personTimes: 3000 },
        { crewId: null, unitName: null, townshipCode: gaocun, personTimes: 1200 },
      ],
    });
    expect((await get('/api/trainings/summary?year=2026', 'ranger')).statusCode).toBe(403);
    // Commanders read their own area's rows; the county's progress is the county's.
    const own = (await get('/api/trainings/summary?year=2026', 'twp-gaocun')).json();
    expect(own.byTownship).toEqual([{ townshipCode: gaocun, personTimes: 1200 }]);
    expect(own.county.personTimes).toBe(4200);
    const zone = (await get('/api/trainings/summary?year=2026', 'zone-gaocun')).json();
    expect(zone.byTownship).toEqual([{ townshipCode: gaocun, personTimes: 1200 }]);
    const lanli = (await get('/api/trainings/summary?year=2026', 'twp-lanli')).json();
    expect(lanli.byTownship).toEqual([]);
  });
});

describe(`training per unit on the ${testBackend()} backend`, () => {
  // 2024: no other test of this file records a training that year.
  const training = (who: string, over: Record<string, unknown>) =>
    post('/api/trainings', who, {
      title: '扑火技能培训',
      heldOn: '2024-03-15',
      audience: '扑火队员',
      personTimes: 10,
      ...over,
    });
  const count2024 = async () =>
    Number(
      (
        await database.query<{ n: number }>(
          sql`SELECT count(*)::int AS n FROM trainings WHERE extract(year FROM held_on) = 2024`,
        )
      )[0]?.n,
    );

  it('refuses an unknown crew, a blank or doubled unit and a unit outside its township, naming the field', async () => {
    const cases: [string, Record<string, unknown>, number, string][] = [
      ['county', { crewId: 'CR-NOPE' }, 400, 'crewId'],
      ['supervisor', { unitName: '   ', townshipCode: gaocun }, 400, 'unitName'],
      ['supervisor', { unitName: '', townshipCode: gaocun }, 400, 'unitName'],
      [
        'county',
        { crewId: 'CR-T106', unitName: '高村镇中学', townshipCode: gaocun },
        400,
        'unitName',
      ],
      // A school, a village's 护林员队: named in their township.
      ['supervisor', { unitName: '高村镇中学' }, 400, 'townshipCode'],
      // 高村镇's crew trained, said to be another township's.
      ['county', { crewId: 'CR-T106', townshipCode: lanli }, 422, 'townshipCode'],
    ];
    for (const [who, over, status, field] of cases) {
      const res = await training(who, over);
      expect([res.statusCode, res.json().field], JSON.stringify(over)).toEqual([status, field]);
    }
    // 兰里镇's commander may not record the training of 高村镇's crew.
    expect((await training('twp-lanli', { crewId: 'CR-T106' })).statusCode).toBe(403);
    // A role that records no training is refused as such before its unit is looked at: it
    // learns nothing of which crews exist, and its mistakes in the unit are not the point.
    for (const who of ['viewer', 'ranger', 'village', 'zone-gaocun'])
      for (const over of [{ crewId: 'CR-NOPE' }, { crewId: 'CR-T106', townshipCode: lanli }]) {
        const res = await training(who, over);
        expect([res.statusCode, res.json().field], `${who} ${JSON.stringify(over)}`).toEqual([
          403,
          'role',
        ]);
      }
    expect(await count2024()).toBe(0);
  });

  it('totals person-times per unit trained, with records without a unit as 未注明单位', async () => {
    const ok = async (who: string, over: Record<string, unknown>) => {
      const res = await training(who, over);
      expect(res.statusCode, res.body).toBe(201);
      return res.json();
    };
    // The township's own crew twice; its township comes from the crew.
    const first = await ok('twp-gaocun', { crewId: 'CR-T106', personTimes: 30 });
    expect(first).toMatchObject({
      crewId: 'CR-T106',
      unitName: '高村镇半专业扑火队',
      townshipCode: gaocun,
      townshipName: '高村镇',
      personTimes: 30,
    });
    await ok('twp-gaocun', { crewId: 'CR-T106', personTimes: 45, heldOn: '2024-09-01' });
    // A school named twice (spaces around the name are not another unit).
    await ok('supervisor', { unitName: '高村镇中学', townshipCode: gaocun, personTimes: 200 });
    await ok('county', { unitName: ' 高村镇中学 ', townshipCode: gaocun, personTimes: 100 });
    // A county unit: no township.
    await ok('county', { crewId: 'CR-C01', personTimes: 50 });
    // As before units were kept.
    await ok('twp-gaocun', { townshipCode: gaocun, personTimes: 20 });

    const res = await get('/api/trainings/summary?year=2024', 'supervisor');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.county).toEqual({ personTimes: 445, target: 5000, share: 0.089, met: false });
    expect(body.byUnit).toEqual([
      { crewId: null, unitName: '高村镇中学', townshipCode: gaocun, personTimes: 300 },
      { crewId: 'CR-T106', unitName: '高村镇半专业扑火队', townshipCode: gaocun, personTimes: 75 },
      { crewId: 'CR-C01', unitName: '县森林消防专业扑火队', townshipCode: null, personTimes: 50 },
      { crewId: null, unitName: null, townshipCode: gaocun, personTimes: 20 },
    ]);
    // The township's commander: his township's units, not the county's.
    const own = (await get('/api/trainings/summary?year=2024', 'twp-gaocun')).json();
    expect(own.byUnit.map((u: { personTimes: number }) => u.personTimes)).toEqual([300, 75, 20]);
    // The list, newest first, with each record's unit.
    const list = (await get('/api/trainings?year=2024', 'supervisor')).json();
    expect(list).toHaveLength(6);
    expect(list[0]).toMatchObject({ heldOn: '2024-09-01', unitName: '高村镇半专业扑火队' });
    expect(list.filter((t: { unitName: string | null }) => t.unitName === null)).toHaveLength(1);
    expect((await get('/api/trainings?year=2024', 'ranger')).statusCode).toBe(403);
  });
});
