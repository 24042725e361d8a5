/**
 * Escalations and breaches reach upward (issue 19, item 6): a raise or a missed target waits on
 * the badge of the level above until someone there acknowledges it; the level beside it, the
 * one below and the raiser himself are not alarmed; raising needs a reason that says something.
 */
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../app.ts';
import { openSmallApp, requestsAs } from '../testing/demo-sessions.ts';
import { testBackend } from '../testing/test-database.ts';

let app: App;
let api: ReturnType<typeof requestsAs>;
beforeAll(async () => {
  const demo = await openSmallApp();
  app = demo.app;
  api = requestsAs(app, demo.tokens);
});
afterAll(async () => {
  await app?.close();
});

/** A ranger's fire in 高村镇 (twp-gaocun's township, in zone-gaocun's war zone). */
async function fireInGaocun(lon: number, lat = 27.87): Promise<string> {
  const res = await api.post('/api/reports', 'ranger', {
    clientUuid: crypto.randomUUID(),
    source: 'ranger',
    position: { lon, lat },
    observedAt: new Date().toISOString(),
  });
  expect(res.statusCode).toBe(201);
  return res.json().incidentId as string;
}

type Alert = { seq: number; incidentId: string; type: string; level: string; reason: string };
const alertsOf = async (who: string): Promise<Alert[]> => {
  const res = await api.get('/api/alerts', who);
  expect(res.statusCode).toBe(200);
  return res.json().alerts as Alert[];
};
const ack = (seq: number, who: string) => api.post(`/api/alerts/${seq}/acknowledgement`, who, {});

describe(`upward alerts on the ${testBackend()} backend`, () => {
  it('a raise to county alarms the county and the war zone until one of them acknowledges', async () => {
    const id = await fireInGaocun(109.805);
    const raised = await api.post(`/api/incidents/${id}/escalations`, 'twp-gaocun', {
      level: 'county',
      reason: '火势向林区蔓延',
    });
    expect(raised.statusCode).toBe(201);
    const seq = raised.json().seq as number;

    const county = (await alertsOf('county')).find((a) => a.seq === seq);
    expect(county).toMatchObject({
      incidentId: id,
      type: 'escalated',
      level: 'county',
      reason: '火势向林区蔓延',
      actor: 'twp-gaocun',
      townshipName: expect.stringContaining('高村'),
    });
    expect((await alertsOf('zone-gaocun')).map((a) => a.seq)).toContain(seq);
    // Not the raiser himself, not another township, not a reader without command.
    for (const who of ['twp-gaocun', 'twp-lanli', 'viewer', 'village'])
      expect((await alertsOf(who)).map((a) => a.seq)).not.toContain(seq);

    // Another township's commander may not acknowledge it for the county.
    const wrong = await ack(seq, 'twp-lanli');
    expect(wrong.statusCode).toBe(403);
    expect(wrong.json()).toMatchObject({ field: 'seq', code: 'alert.not_yours' });

    const done = await ack(seq, 'county');
    expect(done.statusCode).toBe(201);
    expect(done.json()).toMatchObject({
      type: 'alert_acknowledged',
      actor: 'county',
      incidentId: id,
      payload: { seq, level: 'county' },
    });
    // Gone from every badge at that level; a second acknowledgement says who did it first.
    for (const who of ['county', 'zone-gaocun'])
      expect((await alertsOf(who)).map((a) => a.seq)).not.toContain(seq);
    const again = await ack(seq, 'zone-gaocun');
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({
      code: 'alert.already_acknowledged',
      params: { by: 'county', at: expect.stringMatching(/^\d\d:\d\d$/) },
    });
  });

  it('a missed target alarms the level above the fire’s: a village fire the township, a township fire the county', async () => {
    const id = await fireInGaocun(109.79);
    // The breach clock at 11 minutes: the 10-minute arrival target is missed.
    const [arrive] = await app.incidentService.recordBreaches(
      id,
      new Date(Date.now() + 11 * 60_000),
    );
    expect(arrive?.type).toBe('target_breached');
    const township = (await alertsOf('twp-gaocun')).find((a) => a.seq === arrive?.seq);
    expect(township).toMatchObject({
      type: 'target_breached',
      level: 'township',
      target: 'arrive',
    });
    expect((await alertsOf('county')).map((a) => a.seq)).not.toContain(arrive?.seq);
    // The county may not acknowledge what is the township's to see.
    expect((await ack(arrive?.seq as number, 'county')).statusCode).toBe(403);

    // Raised to the township; at 21 minutes control is missed too: now the county hears it.
    expect(
      (
        await api.post(`/api/incidents/${id}/escalations`, 'village', {
          level: 'township',
          reason: '村级力量不足',
        })
      ).statusCode,
    ).toBe(201);
    const later = await app.incidentService.recordBreaches(id, new Date(Date.now() + 21 * 60_000));
    const control = later.find((e) => e.type === 'target_breached');
    expect(control?.payload.target).toBe('control');
    expect((await alertsOf('county')).find((a) => a.seq === control?.seq)).toMatchObject({
      level: 'county',
      target: 'control',
    });
    // The earlier breach stays the township's, as it was when it happened.
    expect((await alertsOf('twp-gaocun')).map((a) => a.seq)).toContain(arrive?.seq);
    expect((await alertsOf('twp-gaocun')).map((a) => a.seq)).not.toContain(control?.seq);
    // The village head's raise to the township alarms the township commander.
    expect(
      (await alertsOf('twp-gaocun')).some((a) => a.type === 'escalated' && a.incidentId === id),
    ).toBe(true);

    // A fire ruled out is nobody's alarm any more.
    for (const to of ['verifying', 'false_alarm'])
      expect(
        (await api.post(`/api/incidents/${id}/transitions`, 'twp-gaocun', { to })).statusCode,
      ).toBe(200);
    expect((await alertsOf('twp-gaocun')).some((a) => a.incidentId === id)).toBe(false);
    expect((await alertsOf('county')).some((a) => a.incidentId === id)).toBe(false);
  });

  it("a drill's missed target is on the county's badge as a drill's, never as a real alarm", async () => {
    const drill = await api.post('/api/drills', 'county', {
      title: '高村镇扑火演练',
      heldOn: new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10),
      townshipCode: '431226106',
      participants: 40,
    });
    expect(drill.statusCode, drill.body).toBe(201);
    const started = await api.post(`/api/drills/${drill.json().id}/start`, 'twp-gaocun', {
      clientUuid: crypto.randomUUID(),
      position: { lon: 109.82, lat: 27.86 },
      observedAt: new Date().toISOString(),
    });
    expect(started.statusCode, started.body).toBe(201);
    const drillFire = started.json().incidentId as string;
    const realFire = await fireInGaocun(109.77, 27.88);
    // Both raised to the county; both miss the 10-minute arrival there.
    for (const id of [drillFire, realFire])
      expect(
        (
          await api.post(`/api/incidents/${id}/escalations`, 'twp-gaocun', {
            level: 'county',
            reason: '演练升级',
          })
        ).statusCode,
      ).toBe(201);
    const breachOf = async (id: string) =>
      (await app.incidentService.recordBreaches(id, new Date(Date.now() + 11 * 60_000))).find(
        (e) => e.type === 'target_breached',
      );
    const drillBreach = await breachOf(drillFire);
    const realBreach = await breachOf(realFire);
    const county = await alertsOf('county');
    const drillAlerts = county.filter((a) => a.incidentId === drillFire);
    expect(
      drillAlerts.map((a) => [a.type, (a as Alert & { drill: boolean }).drill]).sort(),
    ).toEqual([
      ['escalated', true],
      ['target_breached', true],
    ]);
    expect(drillAlerts.map((a) => a.seq)).toContain(drillBreach?.seq);
    // The county's real alarms: the real fire's, and none of the drill's.
    const real = county.filter((a) => !(a as Alert & { drill: boolean }).drill);
    expect(real.map((a) => a.seq)).toContain(realBreach?.seq);
    expect(real.some((a) => a.incidentId === drillFire)).toBe(false);
  });

  it('refuses what is not an alert, a bad sequence, no sign-in, and a raise without a reason', async () => {
    const id = await fireInGaocun(109.8, 27.85);
    const events = (await api.get(`/api/incidents/${id}`, 'county')).json().timeline as {
      seq: number;
      type: string;
    }[];
    const reported = events.find((e) => e.type === 'reported');
    const notAlert = await ack(reported?.seq as number, 'county');
    expect(notAlert.statusCode).toBe(404);
    expect(notAlert.json()).toMatchObject({ field: 'seq', code: 'alert.not_found' });
    for (const bad of ['abc', '0', '1.5', '99999999999999999999']) {
      const res = await ack(bad as unknown as number, 'county');
      expect(res.statusCode, bad).toBe(400);
      expect(res.json().field, bad).toBe('seq');
    }
    expect((await app.inject({ method: 'GET', url: '/api/alerts' })).statusCode).toBe(401);
    expect(
      (await app.inject({ method: 'POST', url: `/api/alerts/1/acknowledgement`, payload: {} }))
        .statusCode,
    ).toBe(401);
    // Spaces are no reason: 400 naming it, and the fire stays where it was.
    const blank = await api.post(`/api/incidents/${id}/escalations`, 'twp-gaocun', {
      level: 'county',
      reason: '   ',
    });
    expect(blank.statusCode).toBe(400);
    expect(blank.json().field).toBe('reason');
    expect((await api.get(`/api/incidents/${id}`, 'county')).json().escalationLevel).toBe(
      'village',
    );
  });
});
