/**
 * The incident log's unit of work: what a run appends is published once, in sequence order,
 * only after it has committed; a run that fails leaves no event and publishes nothing.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../db/database.ts';
import type { IncidentEvent } from '../domain/live-events.ts';
import { newIncident, newNestedAreas } from '../testing/factories.ts';
import { openTestDatabase } from '../testing/test-database.ts';
import { createIncidentLog } from './incident-log.ts';

let database: Database;
let incidentId: string;
beforeAll(async () => {
  database = await openTestDatabase();
  const { township } = await newNestedAreas(database);
  incidentId = await newIncident(database, {
    firstReportedAt: new Date('2026-04-01T06:00:00Z'),
    townshipCode: township.code,
  });
}, 60_000);
afterAll(async () => {
  await database?.close();
});

const storedSeqs = async (id: string) =>
  (
    await database.query<{ seq: number }>(
      sql`SELECT seq FROM incident_events WHERE incident_id = ${id}::uuid ORDER BY seq`,
    )
  ).map((r) => Number(r.seq));

describe('incident log unit of work', () => {
  it('publishes what a run appended once, in order, after it committed, with the fire as it stands', async () => {
    const log = createIncidentLog(database);
    const published: { events: IncidentEvent[]; committed: number[] }[] = [];
    log.onCommit((events) => {
      // Read outside the transaction: at publish time the events must already be visible.
      void storedSeqs(incidentId).then((committed) => published.push({ events, committed }));
    });
    const before = await storedSeqs(incidentId);
    const result = await log.run(async (q) => {
      await q(sql`UPDATE incidents SET state = 'dispatched' WHERE id = ${incidentId}::uuid`);
      const a = await q.append(incidentId, 'crew_dispatched', 'twp-1', {
        dispatchId: '00000000-0000-0000-0000-000000000001',
        crewId: 'CR-1',
        etaSeconds: 420,
      });
      const b = await q.append(incidentId, 'state_changed', 'twp-1', {
        from: 'confirmed',
        to: 'dispatched',
        note: null,
      });
      expect(published).toHaveLength(0);
      return [a.seq, b.seq];
    });
    await expect.poll(() => published.length).toBe(1);
    const [{ events, committed }] = published as [(typeof published)[number]];
    expect(events.map((e) => e.seq)).toEqual(result);
    expect(result[1]).toBeGreaterThan(result[0] as number);
    expect(events.map((e) => e.type)).toEqual(['crew_dispatched', 'state_changed']);
    // Each event carries the incident after the run's own update.
    expect(events[1]?.incident.state).toBe('dispatched');
    expect(committed).toEqual([...before, ...result]);
  });

  it('a run that throws stores no event and publishes nothing', async () => {
    const log = createIncidentLog(database);
    const published: IncidentEvent[] = [];
    log.onCommit((events) => published.push(...events));
    const before = await storedSeqs(incidentId);
    await expect(
      log.run(async (q) => {
        await q.append(incidentId, 'escalated', 'twp-1', {
          from: 'village',
          to: 'township',
          reason: '火势扩大',
          role: 'township_commander',
        });
        throw new Error('refused after appending');
      }),
    ).rejects.toThrow('refused after appending');
    expect(await storedSeqs(incidentId)).toEqual(before);
    expect(published).toEqual([]);
  });

  it('a run that appends nothing publishes nothing', async () => {
    const log = createIncidentLog(database);
    let calls = 0;
    log.onCommit(() => {
      calls++;
    });
    expect(await log.run(async () => 42)).toBe(42);
    expect(calls).toBe(0);
  });
});
