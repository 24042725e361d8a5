/**
 * The report's receipt: the phone that sent a report learns, by the UUID it made, that its
 * report joined a fire reported earlier, when someone first acted on it, and which crew is
 * coming and when it is due.
 */
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../app.ts';
import { openSmallApp } from '../testing/demo-sessions.ts';
import { fixedRateClock } from '../testing/rate-clock.ts';
import { testBackend } from '../testing/test-database.ts';
import { ANONYMOUS_RECEIPTS_PER_MINUTE } from './receipts.routes.ts';

let app: App;
let tokens: Map<string, string>;
beforeAll(async () => {
  ({ app, tokens } = await openSmallApp({}, { rateClock: fixedRateClock }));
});
afterAll(async () => {
  await app?.close();
});

const auth = (who: string) => ({ authorization: `Bearer ${tokens.get(who)}` });
const report = (clientUuid: string, lon: number, who: string | null) =>
  app.inject({
    method: 'POST',
    url: '/api/reports',
    headers: who ? auth(who) : {},
    payload: {
      clientUuid,
      source: who ? 'ranger' : 'public',
      position: { lon, lat: 27.872 },
      observedAt: new Date().toISOString(),
    },
  });
const receiptOf = (uuid: string) =>
  app.inject({ method: 'GET', url: `/api/reports/${uuid}/receipt` });

describe(`report receipts on the ${testBackend()} backend`, () => {
  it('tells the villager his report joined the ranger’s fire, when it was acted on, and the crew coming', async () => {
    const first = crypto.randomUUID();
    const sent = await report(first, 109.806, 'ranger');
    expect(sent.statusCode).toBe(201);
    const incidentId = sent.json().incidentId as string;

    const own = await receiptOf(first);
    expect(own.statusCode).toBe(200);
    expect(own.json()).toMatchObject({
      incidentId,
      joinedFireReportedAt: null,
      state: 'reported',
      firstActionAt: null,
      crews: [],
    });
    expect(own.json().place.townshipName).toBeTruthy();

    // A villager's report 200 m away joins the fire, anonymously.
    const second = crypto.randomUUID();
    expect((await report(second, 109.808, null)).json().incidentId).toBe(incidentId);
    const joined = (await receiptOf(second)).json();
    expect(joined.incidentId).toBe(incidentId);
    expect(joined.joinedFireReportedAt).toBe(own.json().receivedAt);

    for (const to of ['verifying', 'confirmed'])
      expect(
        (
          await app.inject({
            method: 'POST',
            url: `/api/incidents/${incidentId}/transitions`,
            headers: auth('county'),
            payload: { to },
          })
        ).statusCode,
      ).toBe(200);
    const d = await app.inject({
      method: 'POST',
      url: `/api/incidents/${incidentId}/dispatches`,
      headers: auth('county'),
      payload: { crewIds: ['CR-T106'] },
    });
    expect(d.statusCode).toBeLessThan(300);
    const dispatch = (
      await app.inject({
        method: 'GET',
        url: `/api/incidents/${incidentId}/dispatches`,
        headers: auth('county'),
      })
    ).json();
    const row = (Array.isArray(dispatch) ? dispatch : dispatch.dispatches)[0];

    const after = (await receiptOf(second)).json();
    expect(after.state).toBe('dispatched');
    expect(after.firstActionAt).not.toBeNull();
    expect(after.crews).toHaveLength(1);
    expect(after.crews[0]).toMatchObject({ status: 'ordered', arrivedAt: null });
    expect(after.crews[0].name).toBe(row.crewName);
    expect(after.crews[0].orderedAt).toBe(row.orderedAt);
    // Due when ordered plus the reach engine's estimate, as the dispatch row holds them.
    expect(Date.parse(after.crews[0].dueAt) - Date.parse(after.crews[0].orderedAt)).toBeCloseTo(
      row.etaSeconds * 1000,
      -1,
    );
  });

  it('answers 404 naming clientUuid for a UUID never received, 400 for one malformed', async () => {
    const none = await receiptOf(crypto.randomUUID());
    expect([none.statusCode, none.json().field]).toEqual([404, 'clientUuid']);
    const bad = await receiptOf('not-a-uuid');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().field).toMatch(/clientUuid/);
  });

  it('limits receipts asked without sign-in per address (429 naming clientUuid); a signed-in ranger is not counted', async () => {
    const ask = (remoteAddress: string, headers: Record<string, string> = {}) =>
      app.inject({
        method: 'GET',
        url: `/api/reports/${crypto.randomUUID()}/receipt`,
        remoteAddress,
        headers,
      });
    for (let i = 0; i < ANONYMOUS_RECEIPTS_PER_MINUTE; i++)
      expect((await ask('10.7.7.7')).statusCode).toBe(404);
    const refused = await ask('10.7.7.7');
    expect([refused.statusCode, refused.json().field]).toEqual([429, 'clientUuid']);
    expect((await ask('10.7.7.7', auth('ranger'))).statusCode).toBe(404);
    expect((await ask('10.7.7.8')).statusCode).toBe(404);
  });
});
