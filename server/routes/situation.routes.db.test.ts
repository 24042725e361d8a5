/**
 * GET /api/situation (issue 19, item 3): the wall's counts over the reader's incidents, crews
 * on duty and committed, and the feed of the latest events as anyone may see them; incident
 * summaries carry the crews sent and the time of the last action.
 */
import crypto from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../app.ts';
import type { Situation } from '../contract/situation.ts';
import type { Database } from '../db/database.ts';
import type { IncidentSummary } from '../domain/live-events.ts';
import { openSmallApp, requestsAs } from '../testing/demo-sessions.ts';

let app: App;
let database: Database;
let api: ReturnType<typeof requestsAs>;
let fire = '';
let report = '';

beforeAll(async () => {
  const demo = await openSmallApp();
  ({ app, database } = demo);
  api = requestsAs(app, demo.tokens);
  // A lookout's fire in 高村镇, confirmed and a crew sent; a villager's report elsewhere.
  const sent = await api.post('/api/reports', 'lookout', {
    clientUuid: crypto.randomUUID(),
    source: 'lookout',
    position: { lon: 109.805, lat: 27.87 },
    observedAt: new Date().toISOString(),
  });
  fire = sent.json().incidentId;
  for (const to of ['verifying', 'confirmed'])
    expect(
      (await api.post(`/api/incidents/${fire}/transitions`, 'county', { to })).statusCode,
    ).toBe(200);
  const d = await api.post(`/api/incidents/${fire}/dispatches`, 'county', {
    crewIds: ['CR-T106'],
  });
  expect(d.statusCode, d.body).toBeLessThan(300);
  const pub = await app.inject({
    method: 'POST',
    url: '/api/reports',
    payload: {
      clientUuid: crypto.randomUUID(),
      source: 'public',
      position: { lon: 109.6, lat: 27.75 },
      observedAt: new Date().toISOString(),
      note: 'a private note',
    },
  });
  report = pub.json().incidentId;
  expect(report).not.toBe(fire);
});
afterAll(async () => {
  await app?.close();
});

describe('GET /api/situation', () => {
  it('counts the open fires by state and level, the crews committed, and feeds the latest events', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/situation' });
    expect(res.statusCode, res.body).toBe(200);
    const s = res.json() as Situation;
    expect(s.counts.open).toBe(2);
    expect(s.counts.byState.dispatched).toBe(1);
    expect(s.counts.byState.reported).toBe(1);
    expect(s.counts.byLevel.village + s.counts.byLevel.township + s.counts.byLevel.county).toBe(2);
    expect(s.counts.stale).toBe(0);
    expect(s.counts.breaches).toEqual({ arrive: 0, control: 0, extinguish: 0 });
    expect(s.crews.committed).toBe(1);
    expect(s.crews.onDuty).toBeGreaterThanOrEqual(s.crews.committed);
    // Newest first; the last one is the villager's report.
    expect(s.events[0]?.incidentId).toBe(report);
    expect(s.events[0]?.type).toBe('reported');
    expect(s.lastEventAt).toBe(s.events[0]?.at);
    const change = s.events.find((e) => e.type === 'state_changed' && e.to === 'dispatched');
    expect(change?.from).toBe('confirmed');
    // What anyone may see: no actor, no notes, no crews.
    expect(res.body).not.toContain('a private note');
    expect(res.body).not.toContain('CR-T106');
    expect(res.body).not.toContain('"actor');
  });

  it('counts a fire nobody acted on for an hour as stale, and its missed targets', async () => {
    // The villager's report seen two hours ago, and nobody has acted on it since.
    await database.query(sql`
      UPDATE incidents SET first_reported_at = first_reported_at - interval '2 hours'
      WHERE id = ${report}::uuid`);
    const s = (await app.inject({ method: 'GET', url: '/api/situation' })).json() as Situation;
    expect(s.counts.stale).toBe(1);
    expect(s.counts.breaches).toEqual({ arrive: 1, control: 1, extinguish: 1 });
  });

  it("counts only the reader's own area for a township commander", async () => {
    const all = (await app.inject({ method: 'GET', url: '/api/situation' })).json() as Situation;
    const own = (await api.get('/api/situation', 'twp-lanli')).json() as Situation;
    expect(own.counts.open).toBeLessThanOrEqual(all.counts.open);
    const list = (await api.get('/api/incidents?open=true', 'twp-lanli')).json() as {
      incidents: IncidentSummary[];
    };
    expect(own.counts.open).toBe(list.incidents.length);
  });
});

describe('incident summaries', () => {
  it('carry the crews sent and the last action, which further reports do not move', async () => {
    const list = (await api.get('/api/incidents?open=true', 'county')).json() as {
      incidents: IncidentSummary[];
    };
    const f = list.incidents.find((i) => i.id === fire) as IncidentSummary;
    expect(f.crewsSent).toBe(1);
    const before = f.lastActionAt;
    expect(Date.parse(before)).toBeGreaterThanOrEqual(Date.parse(f.firstReportedAt));
    await api.post('/api/reports', 'lookout', {
      clientUuid: crypto.randomUUID(),
      source: 'lookout',
      position: { lon: 109.8051, lat: 27.8701 },
      observedAt: new Date().toISOString(),
    });
    const again = (await api.get('/api/incidents?open=true', 'county')).json() as {
      incidents: IncidentSummary[];
    };
    const g = again.incidents.find((i) => i.id === fire) as IncidentSummary;
    expect(g.reportCount).toBe(2);
    expect(g.lastActionAt).toBe(before);
    const r = again.incidents.find((i) => i.id === report) as IncidentSummary;
    expect(r.crewsSent).toBe(0);
    // Nobody acted on the villager's report: its last action is its report.
    expect(r.lastActionAt).toBe(r.firstReportedAt);
  });
});
