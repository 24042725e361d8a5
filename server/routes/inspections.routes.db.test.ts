/**
 * 森林特护期 and the 321 rhythm (issue 14 item 2) on a small county: a period declared for
 * 高村镇, inspections recorded, the watcher on a fake clock announcing each kind once as it
 * falls overdue (command HQ after 1 day, the group after 2), findings followed to closure by
 * the township's commander, and who may do what.
 */
import { sql } from 'drizzle-orm';
import { io as connect } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../app.ts';
import type { Database } from '../db/database.ts';
import type { InspectionOverdue } from '../domain/live-events.ts';
import type { Clock } from '../services/deadline-timer.ts';
import { RhythmWatch } from '../services/rhythm-watch.ts';
import { openSmallApp, requestsAs } from '../testing/demo-sessions.ts';
import { SMALL_COUNTY } from '../testing/factories.ts';
import { testBackend } from '../testing/test-database.ts';

let app: App;
let database: Database;
let tokens: Map<string, string>;
let gaocun = '';
let tokensBy: Map<string, string>;
let get: ReturnType<typeof requestsAs>['get'];
let post: ReturnType<typeof requestsAs>['post'];

beforeAll(async () => {
  ({ app, database, tokens } = await openSmallApp());
  ({ get, post } = requestsAs(app, tokens));
  tokensBy = tokens;
  const [t] = await database.query<{ code: string }>(
    sql`SELECT code FROM townships WHERE name = '高村镇'`,
  );
  gaocun = t?.code as string;
}, 120_000);
afterAll(async () => {
  await app?.close();
});

/** A clock that stands still until told; timers are only recorded. */
function fakeClock(start: string): Clock & { set(iso: string): void } {
  let now = new Date(start);
  return {
    now: () => now,
    setTimeout: () => 0,
    clearTimeout: () => {},
    set(iso) {
      now = new Date(iso);
    },
  };
}

describe(`321 rhythm on the ${testBackend()} backend`, () => {
  it('announces each inspection kind once as it falls overdue, on a fake clock', async () => {
    // 1–31 March 2026 (Beijing time) for 高村镇 only.
    const period = await post('/api/protection-periods', 'county', {
      title: '2026年春季森林特护期',
      startsAt: '2026-03-01T00:00:00+08:00',
      endsAt: '2026-04-01T00:00:00+08:00',
      townshipCodes: [gaocun],
    });
    expect(period.statusCode, period.body).toBe(201);
    const hq = await post('/api/inspections', 'supervisor', {
      kind: 'command_hq',
      inspector: '县指挥部值班组',
      townshipCode: gaocun,
      inspectedAt: '2026-03-01T09:00:00+08:00',
    });
    expect(hq.statusCode, hq.body).toBe(201);

    const clock = fakeClock('2026-03-02T08:00:00+08:00');
    const pushed: InspectionOverdue[] = [];
    const watch = new RhythmWatch(app.inspectionsRepository, (o) => pushed.push(o), clock);

    // 08:00 on 2 March: the command HQ was there at 09:00 yesterday, due at 09:00 today;
    // the watcher looks again just after.
    const next = await watch.tick();
    expect(pushed).toEqual([]);
    expect(next?.toISOString()).toBe('2026-03-02T01:00:00.001Z');

    // 09:30: the command HQ is overdue in 高村镇 — announced once.
    clock.set('2026-03-02T09:30:00+08:00');
    await watch.tick();
    await watch.tick();
    expect(pushed).toEqual([
      {
        townshipCode: gaocun,
        townshipName: '高村镇',
        warZoneId: expect.any(Number),
        kind: 'command_hq',
        everyDays: 1,
        lastAt: '2026-03-01T01:00:00.000Z',
        dueAt: '2026-03-02T01:00:00.000Z',
        periodTitle: '2026年春季森林特护期',
      },
    ]);

    // The command HQ comes at 10:00; at 10:30 nothing new is overdue.
    await post('/api/inspections', 'county', {
      kind: 'command_hq',
      inspector: '县指挥部值班组',
      townshipCode: gaocun,
      inspectedAt: '2026-03-02T10:00:00+08:00',
    });
    clock.set('2026-03-02T10:30:00+08:00');
    await watch.tick();
    expect(pushed).toHaveLength(1);

    // Midnight into 3 March: two days without the inspection group.
    clock.set('2026-03-03T00:00:01+08:00');
    await watch.tick();
    expect(pushed.map((p) => [p.kind, p.dueAt, p.lastAt])).toEqual([
      ['command_hq', '2026-03-02T01:00:00.000Z', '2026-03-01T01:00:00.000Z'],
      ['inspection_group', '2026-03-02T16:00:00.000Z', null],
    ]);

    // After the period nothing is due.
    clock.set('2026-04-02T00:00:00+08:00');
    expect(await watch.tick()).toBeNull();
    expect(pushed).toHaveLength(2);
  });

  it('shows every township under a period in force now; a township commander sees his own', async () => {
    const startsAt = new Date(Date.now() - 49 * 3_600_000).toISOString();
    const endsAt = new Date(Date.now() + 30 * 86_400_000).toISOString();
    const res = await post('/api/protection-periods', 'county', {
      title: '冬春特护期',
      startsAt,
      endsAt,
    });
    expect(res.statusCode, res.body).toBe(201);
    const all = (await get('/api/rhythm', 'supervisor')).json();
    expect(all.map((t: { townshipCode: string }) => t.townshipCode).sort()).toEqual(
      Object.values(SMALL_COUNTY.townships)
        .map((t) => t.code)
        .sort(),
    );
    // 49 hours in with no inspection: the HQ (1 day) and the group (2 days) are overdue.
    const lanli = all.find((t: { townshipName: string }) => t.townshipName === '兰里镇');
    expect(lanli.kinds.map((k: { kind: string; overdue: boolean }) => [k.kind, k.overdue])).toEqual(
      [
        ['county_leader', false],
        ['inspection_group', true],
        ['command_hq', true],
      ],
    );
    expect(lanli.compliant).toBe(false);
    const own = (await get('/api/rhythm', 'twp-gaocun')).json();
    expect(own.map((t: { townshipName: string }) => t.townshipName)).toEqual(['高村镇']);
    expect((await get('/api/rhythm', 'ranger')).statusCode).toBe(403);
  });

  it('follows a finding to closure by the township’s commander', async () => {
    const found = await post('/api/inspections', 'supervisor', {
      kind: 'inspection_group',
      inspector: '县督查组',
      townshipCode: gaocun,
      findings: '防火检查站无人值守',
    });
    const id = found.json().id as string;
    const open = (await get(`/api/inspections?open=true&township=${gaocun}`, 'twp-gaocun')).json();
    expect(open.map((i: { id: string }) => i.id)).toContain(id);
    const url = `/api/inspections/${id}/rectification`;
    expect((await post(url, 'twp-lanli', { note: '已安排' })).statusCode).toBe(403);
    const done = await post(url, 'twp-gaocun', { note: '已安排专人24小时值守' });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json()).toMatchObject({ rectification: '已安排专人24小时值守' });
    expect(done.json().rectifiedAt).not.toBeNull();
    expect((await post(url, 'twp-gaocun', { note: '再次' })).statusCode).toBe(409);
    const still = (await get('/api/inspections?open=true', 'supervisor')).json();
    expect(still.map((i: { id: string }) => i.id)).not.toContain(id);
    // 兰里镇's commander does not see 高村镇's inspections.
    expect((await get('/api/inspections', 'twp-lanli')).json()).toEqual([]);
  });

  it('answers bad input with a 4xx naming the field', async () => {
    const cases: [string, string, Record<string, unknown>, number, string][] = [
      [
        '/api/inspections',
        'supervisor',
        { kind: 'mayor', inspector: 'x', townshipCode: gaocun },
        400,
        'kind',
      ],
      [
        '/api/inspections',
        'supervisor',
        { kind: 'command_hq', inspector: 'x', townshipCode: '431226999' },
        404,
        'townshipCode',
      ],
      [
        '/api/inspections',
        'supervisor',
        {
          kind: 'command_hq',
          inspector: 'x',
          townshipCode: gaocun,
          inspectedAt: '2099-01-01T00:00:00Z',
        },
        422,
        'inspectedAt',
      ],
      // The year 2999 is no date at all (400); 2099 is a date, but in the future (422).
      [
        '/api/inspections',
        'supervisor',
        {
          kind: 'command_hq',
          inspector: 'x',
          townshipCode: gaocun,
          inspectedAt: '2999-01-01T00:00:00Z',
        },
        400,
        'inspectedAt',
      ],
      [
        '/api/protection-periods',
        'county',
        { title: 't', startsAt: '2026-03-02T00:00:00Z', endsAt: '2026-03-01T00:00:00Z' },
        400,
        'endsAt',
      ],
      [
        '/api/protection-periods',
        'county',
        {
          title: 't',
          startsAt: '2026-03-01T00:00:00Z',
          endsAt: '2026-03-02T00:00:00Z',
          townshipCodes: ['431226999'],
        },
        404,
        'townshipCodes',
      ],
    ];
    for (const [url, who, payload, status, field] of cases) {
      const res = await post(url, who, payload);
      expect([res.statusCode, res.json().field], JSON.stringify(payload)).toEqual([status, field]);
    }
    expect(
      (
        await post('/api/protection-periods', 'supervisor', {
          title: 't',
          startsAt: '2026-03-01T00:00:00Z',
          endsAt: '2026-03-02T00:00:00Z',
        })
      ).statusCode,
    ).toBe(403);
  });

  it('pushes an overdue inspection live to the county and the township, not to other townships or the public', async () => {
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as { port: number };
    const sockets = ['county', 'twp-gaocun', 'twp-lanli', 'anonymous'].map((who) => {
      const token = tokensBy.get(who);
      const socket = connect(`http://127.0.0.1:${port}`, {
        auth: { lastSeq: 0, scope: { kind: 'county' }, ...(token ? { token } : {}) },
        transports: ['websocket'],
        reconnection: false,
      });
      const seen: string[] = [];
      let ready = false;
      socket.on('supervision:overdue', (o) => seen.push(`${o.townshipName}:${o.kind}`));
      socket.on('replay:done', () => {
        ready = true;
      });
      return { who, socket, seen, ready: () => ready };
    });
    const until = async (pred: () => boolean) => {
      for (let i = 0; i < 500 && !pred(); i++) await new Promise((r) => setTimeout(r, 20));
      expect(pred()).toBe(true);
    };
    try {
      await until(() => sockets.every((s) => s.ready()));
      const [lanli] = await database.query<{ code: string }>(
        sql`SELECT code FROM townships WHERE name = '兰里镇'`,
      );
      // A period for the two townships from 1 March 2026; on 3 March at noon both have gone
      // more than a day without the command HQ and two without the group.
      await post('/api/protection-periods', 'county', {
        title: '推送测试特护期',
        startsAt: '2026-03-01T00:00:00+08:00',
        endsAt: '2026-03-04T00:00:00+08:00',
        townshipCodes: [gaocun, lanli?.code],
      });
      const clock = fakeClock('2026-03-03T12:00:00+08:00');
      const watch = new RhythmWatch(
        app.inspectionsRepository,
        (o) => app.live.publishOverdue(o),
        clock,
      );
      await watch.tick();
      const [county, gaocunCmd, lanliCmd, anonymous] = sockets as [
        (typeof sockets)[0],
        (typeof sockets)[0],
        (typeof sockets)[0],
        (typeof sockets)[0],
      ];
      await until(
        () => county.seen.length >= 4 && gaocunCmd.seen.length >= 2 && lanliCmd.seen.length >= 2,
      );
      expect(gaocunCmd.seen.sort()).toEqual(['高村镇:command_hq', '高村镇:inspection_group']);
      expect(lanliCmd.seen.sort()).toEqual(['兰里镇:command_hq', '兰里镇:inspection_group']);
      expect(anonymous.seen).toEqual([]);
    } finally {
      for (const s of sockets) s.socket.close();
    }
  });
});
