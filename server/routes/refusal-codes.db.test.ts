/**
 * Refusals on the incident card carry a stable `code` (server/contract/errors.ts) the client
 * translates, besides the `error`, `message` and `field` that scripts read: dispatch,
 * confirm-and-dispatch (确认并调派, all or nothing), transitions, orders, the command post
 * and escalation.
 */
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../app.ts';
import { REFUSAL_CODES } from '../contract/errors.ts';
import { openSmallApp, requestsAs } from '../testing/demo-sessions.ts';
import { fixedRateClock } from '../testing/rate-clock.ts';
import { testBackend } from '../testing/test-database.ts';

let app: App;
let http: ReturnType<typeof requestsAs>;

beforeAll(async () => {
  // Fires 300 m apart stay separate incidents.
  const demo = await openSmallApp({ mergeDistanceM: 50 }, { rateClock: fixedRateClock });
  app = demo.app;
  http = requestsAs(app, demo.tokens);
}, 120_000);
afterAll(async () => {
  await app?.close();
});

let nextFire = 0;
/** A new report in 高村镇 (the demo township commander's own), each at its own place. */
async function reportedFire(): Promise<string> {
  nextFire++;
  const res = await http.post('/api/reports', 'ranger', {
    clientUuid: crypto.randomUUID(),
    source: 'ranger',
    position: { lon: 109.795 + nextFire * 0.003, lat: 27.868, accuracyM: 10 },
    observedAt: new Date().toISOString(),
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().incidentId as string;
}

async function confirmedFire(): Promise<string> {
  const id = await reportedFire();
  for (const to of ['verifying', 'confirmed'])
    expect((await http.post(`/api/incidents/${id}/transitions`, 'county', { to })).statusCode).toBe(
      200,
    );
  return id;
}

/** The refusal's body: the fields scripts read, and a code from the contract. */
function refusal(res: Awaited<ReturnType<App['inject']>>, status: number) {
  expect(res.statusCode, res.body).toBe(status);
  const body = res.json();
  expect(typeof body.error).toBe('string');
  expect(typeof body.message).toBe('string');
  expect(body.message.length).toBeGreaterThan(0);
  return body as { code: string; field?: string; params?: Record<string, unknown> };
}

describe(`refusal codes on the ${testBackend()} backend`, () => {
  it('dispatch: an unconfirmed fire, a crew outside the command, a busy crew, an unknown crew', async () => {
    const reported = await reportedFire();
    const early = refusal(
      await http.post(`/api/incidents/${reported}/dispatches`, 'twp-gaocun', {
        crewIds: ['CR-T106'],
      }),
      409,
    );
    expect(early).toMatchObject({
      code: 'dispatch.not_dispatchable_state',
      field: 'id',
      params: { state: 'reported' },
    });

    const fire = await confirmedFire();
    const lanli = refusal(
      await http.post(`/api/incidents/${fire}/dispatches`, 'twp-lanli', { crewIds: ['CR-T106'] }),
      403,
    );
    expect(lanli).toMatchObject({
      code: 'dispatch.crew_not_yours',
      field: 'crewIds',
      params: { crewId: 'CR-T106' },
    });

    const unknown = refusal(
      await http.post(`/api/incidents/${fire}/dispatches`, 'county', { crewIds: ['NO-SUCH'] }),
      422,
    );
    expect(unknown).toMatchObject({
      code: 'dispatch.crew_not_found',
      field: 'crewIds',
      params: { crewId: 'NO-SUCH' },
    });

    expect(
      (await http.post(`/api/incidents/${fire}/dispatches`, 'twp-gaocun', { crewIds: ['CR-T106'] }))
        .statusCode,
    ).toBe(201);
    const other = await confirmedFire();
    const busy = refusal(
      await http.post(`/api/incidents/${other}/dispatches`, 'county', { crewIds: ['CR-T106'] }),
      409,
    );
    expect(busy).toMatchObject({
      code: 'dispatch.crew_busy',
      field: 'crewIds',
      params: { crewId: 'CR-T106', incidentId: fire },
    });
    expect(String(busy.params?.crew)).not.toBe('');

    // The crews the county may send show which are busy, and where.
    const dispatchable = await http.get(`/api/incidents/${other}/dispatchable`, 'county');
    const t106 = dispatchable
      .json()
      .crews.find((c: { id: string }) => c.id === 'CR-T106') as Record<string, unknown>;
    expect(t106).toMatchObject({ busyIncidentId: fire, status: 'dispatched' });
  });

  it('escalation: already at that level, a role that may not raise', async () => {
    const fire = await confirmedFire();
    expect(
      (
        await http.post(`/api/incidents/${fire}/escalations`, 'twp-gaocun', {
          level: 'county',
          reason: '需要支援',
        })
      ).statusCode,
    ).toBe(201);
    const again = refusal(
      await http.post(`/api/incidents/${fire}/escalations`, 'county', {
        level: 'county',
        reason: '再次',
      }),
      409,
    );
    expect(again).toMatchObject({
      code: 'escalation.already_at_level',
      field: 'level',
      params: { level: 'county' },
    });
    const ranger = refusal(
      await http.post(`/api/incidents/${fire}/escalations`, 'ranger', {
        level: 'county',
        reason: 'x',
      }),
      403,
    );
    expect(ranger).toMatchObject({ code: 'escalation.not_allowed', field: 'level' });
  });

  it('确认并调派 confirms and dispatches in one step, or does neither', async () => {
    const busyFire = await confirmedFire();
    expect(
      (await http.post(`/api/incidents/${busyFire}/dispatches`, 'county', { crewIds: ['CR-C01'] }))
        .statusCode,
    ).toBe(201);

    const fire = await reportedFire();
    const refused = refusal(
      await http.post(`/api/incidents/${fire}/dispatches`, 'county', {
        crewIds: ['CR-C01'],
        confirm: true,
      }),
      409,
    );
    expect(refused.code).toBe('dispatch.crew_busy');
    // All or nothing: the refused crew leaves the report unconfirmed.
    expect((await http.get(`/api/incidents/${fire}`, 'county')).json().state).toBe('reported');

    // The first test's fire holds CR-T106: any free crew of the township goes.
    const free = (await http.get(`/api/incidents/${fire}/dispatchable`, 'twp-gaocun'))
      .json()
      .crews.find((c: { busyIncidentId: string | null }) => c.busyIncidentId === null);
    const sent = await http.post(`/api/incidents/${fire}/dispatches`, 'twp-gaocun', {
      crewIds: [free.id],
      confirm: true,
    });
    expect(sent.statusCode, sent.body).toBe(201);
    const detail = (await http.get(`/api/incidents/${fire}`, 'county')).json();
    expect(detail.state).toBe('dispatched');
    const steps = detail.timeline
      .filter((e: { type: string }) => e.type === 'state_changed')
      .map((e: { payload: { to: string } }) => e.payload.to);
    expect(steps).toEqual(['verifying', 'confirmed', 'dispatched']);

    // A lookout operator may confirm but not dispatch: refused by role, nothing moves.
    const another = await reportedFire();
    const lookout = refusal(
      await http.post(`/api/incidents/${another}/dispatches`, 'lookout', {
        crewIds: ['CR-T106'],
        confirm: true,
      }),
      403,
    );
    expect(lookout.code).toBe('forbidden');
    // A false alarm takes no crew, confirm or not.
    for (const to of ['verifying', 'false_alarm'])
      await http.post(`/api/incidents/${another}/transitions`, 'county', { to });
    const falseAlarm = refusal(
      await http.post(`/api/incidents/${another}/dispatches`, 'county', {
        crewIds: ['CR-C02'],
        confirm: true,
      }),
      409,
    );
    expect(falseAlarm).toMatchObject({
      code: 'dispatch.not_dispatchable_state',
      params: { state: 'false_alarm' },
    });
  });

  it('transitions: an illegal move, a state reached only by crews, a role that may not', async () => {
    const fire = await reportedFire();
    const illegal = refusal(
      await http.post(`/api/incidents/${fire}/transitions`, 'county', { to: 'controlled' }),
      409,
    );
    expect(illegal).toMatchObject({
      code: 'incident.illegal_transition',
      field: 'to',
      params: { from: 'reported', to: 'controlled' },
    });
    const byCrews = refusal(
      await http.post(`/api/incidents/${fire}/transitions`, 'county', { to: 'dispatched' }),
      409,
    );
    expect(byCrews).toMatchObject({ code: 'incident.reached_by_crews', field: 'to' });
    const ranger = refusal(
      await http.post(`/api/incidents/${fire}/transitions`, 'ranger', { to: 'verifying' }),
      403,
    );
    expect(ranger).toMatchObject({ code: 'incident.may_not_move', field: 'to' });
    const missing = refusal(
      await http.post(`/api/incidents/${crypto.randomUUID()}/transitions`, 'county', {
        to: 'verifying',
      }),
      404,
    );
    expect(missing).toMatchObject({ code: 'incident.not_found', field: 'id' });
  });

  it('orders and the command post: no crew serving, not the commander, outside the county', async () => {
    const fire = await confirmedFire();
    const noCrew = refusal(
      await http.post(`/api/incidents/${fire}/orders`, 'county', { text: '沿山脊布防' }),
      409,
    );
    expect(noCrew).toMatchObject({ code: 'order.no_crew_serving', field: 'id' });
    const lanli = refusal(
      await http.post(`/api/incidents/${fire}/orders`, 'twp-lanli', { text: '沿山脊布防' }),
      403,
    );
    expect(lanli).toMatchObject({ code: 'command.not_commander', field: 'id' });
    const outside = refusal(
      await http.post(`/api/incidents/${fire}/command-post`, 'county', {
        name: '前指',
        lon: 100,
        lat: 20,
      }),
      422,
    );
    expect(outside).toMatchObject({ code: 'command.outside_county', field: 'lon,lat' });
    const notHis = refusal(
      await http.post(`/api/incidents/${fire}/command-post`, 'twp-lanli', {
        name: '前指',
        lon: 109.8,
        lat: 27.87,
      }),
      403,
    );
    expect(notHis.code).toBe('command.not_commander');
  });

  it('other failures carry the generic code of their status', async () => {
    const fire = await confirmedFire();
    const bad = refusal(
      await http.post(`/api/incidents/${fire}/dispatches`, 'county', { crewIds: [] }),
      400,
    );
    expect(bad).toMatchObject({ code: 'invalid_input', field: 'crewIds' });
    const anonymous = await app.inject({
      method: 'POST',
      url: `/api/incidents/${fire}/dispatches`,
      payload: { crewIds: ['CR-T106'] },
    });
    expect(refusal(anonymous, 401).code).toBe('unauthorized');
    const noRoute = await app.inject({ method: 'GET', url: '/api/no-such-thing' });
    expect(refusal(noRoute, 404).code).toBe('not_found');
    // Every refusal code the card can meet is spelled the same on both sides.
    expect(new Set(REFUSAL_CODES).size).toBe(REFUSAL_CODES.length);
  });
});
