/**
 * The incident log's unit of work: what a run appends is published once, in sequence order,
 * only after it has committed; a run that fails leaves no event and publishes nothing.
 */
import { type SQL, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../db/database.ts';
import type { IncidentEvent } from '../domain/live-events.ts';
import { newIncident, newNestedAreas } from '../testing/factories.ts';
import { openTestDatabase, testBackend } from '../testing/test-database.ts';
import { createIncidentLog, TOPIC_LOCKS } from './incident-log.ts';
import { createIncidentsRepository } from './incidents-repository.ts';

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
    const result = await log
      .run(async (q) => {
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
        return [a, b];
      })
      .then((held) => held.map((e) => e.seq));
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

  it('deferred writes commit with the events; one that fails fails the run, leaving neither', async () => {
    const log = createIncidentLog(database);
    const published: IncidentEvent[] = [];
    log.onCommit((events) => published.push(...events));
    const cause = async () =>
      (
        await database.query<{ cause: string | null }>(
          sql`SELECT cause FROM incidents WHERE id = ${incidentId}::uuid`,
        )
      )[0]?.cause;
    const append = (q: Parameters<Parameters<typeof log.run>[0]>[0]) =>
      q.append(incidentId, 'escalated', 'twp-1', {
        from: 'village',
        to: 'township',
        reason: '火势扩大',
        role: 'township_commander',
      });
    const before = await storedSeqs(incidentId);
    const kept = await log.run(async (q) => {
      q.defer(sql`UPDATE incidents SET cause = '雷击' WHERE id = ${incidentId}::uuid`);
      return append(q);
    });
    expect(await cause()).toBe('雷击');
    // The summary read after the deferred write carries it.
    expect(kept.incident.cause).toBe('雷击');
    expect(await storedSeqs(incidentId)).toEqual([...before, kept.seq]);
    await expect(
      log.run(async (q) => {
        q.defer(
          sql`UPDATE incidents SET cause = '烧荒' WHERE id = ${incidentId}::uuid`,
          sql`UPDATE incidents SET state = 'no such state' WHERE id = ${incidentId}::uuid`,
        );
        return append(q);
      }),
    ).rejects.toThrow();
    expect(await cause()).toBe('雷击');
    expect(await storedSeqs(incidentId)).toEqual([...before, kept.seq]);
    expect(published.map((e) => e.seq)).toEqual([kept.seq]);
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

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

describe(`the log's order on the ${testBackend()} backend: sequence order is commit order`, () => {
  it('a slow run and a fast one: replay after the last event a client saw never skips the slow one', async () => {
    const log = createIncidentLog(database);
    const incidents = createIncidentsRepository(database);
    const other = await newIncident(database, {
      firstReportedAt: new Date('2026-04-01T07:00:00Z'),
    });
    const seen = await incidents.lastSeq();
    let fastDone = false;
    let releaseSlow = () => {};
    const slowMayEnd = new Promise<void>((resolve) => {
      releaseSlow = resolve;
    });
    // The slow run writes and appends first, then waits: for the fast run to commit (the
    // server backend runs them side by side), or at most 1 s (the embedded database runs one
    // transaction at a time, so there the fast one waits for it).
    const slow = log.run(async (q) => {
      await q(sql`UPDATE incidents SET cause = '慢' WHERE id = ${incidentId}::uuid`);
      const e = await q.append(incidentId, 'state_changed', 'slow', {
        from: 'reported',
        to: 'confirmed',
        note: 'slow',
      });
      await Promise.race([slowMayEnd, sleep(1000)]);
      return e;
    });
    await sleep(50);
    const fast = await log.run((q) =>
      q.append(other, 'state_changed', 'fast', { from: 'reported', to: 'confirmed', note: 'fast' }),
    );
    fastDone = true;
    // A client replays right after the fast run committed and remembers the last event it saw.
    const firstLook = await incidents.eventsAfter(seen, { kind: 'county' });
    const last = firstLook.at(-1)?.seq ?? seen;
    releaseSlow();
    const slowEvent = await slow;
    // ... and after the slow run committed, asks for what came after.
    const secondLook = await incidents.eventsAfter(last, { kind: 'county' });
    const everything = [...firstLook, ...secondLook].map((e) => e.seq);
    expect(everything).toContain(fast.seq);
    expect(everything).toContain(slowEvent.seq);
    expect(new Set(everything).size).toBe(everything.length);
    if (testBackend() === 'server') {
      // Side by side: the fast run did not wait for the slow one, and committed first, so
      // its sequence is lower although the slow one appended first.
      expect(firstLook.map((e) => e.seq)).toEqual([fast.seq]);
      expect(slowEvent.seq).toBeGreaterThan(fast.seq);
    }
    expect(fastDone).toBe(true);
  });

  it('exclusive holds every topic asked for, once, and takes them in sorted order', async () => {
    const log = createIncidentLog(database);
    // The topic locks held or awaited now, by any connection, and whether by the asking one.
    const topicLocks = (query: (statement: SQL) => Promise<Record<string, unknown>[]>) =>
      query(sql`
        SELECT objid::bigint AS objid, granted, pid = pg_backend_pid() AS mine FROM pg_locks
        WHERE locktype = 'advisory' AND classid = ${TOPIC_LOCKS} AND objsubid = 2`) as Promise<
        { objid: number; granted: boolean; mine: boolean }[]
      >;
    const [h] = await database.query<{ a: number; b: number; c: number }>(
      sql`SELECT hashtext('t:a') AS a, hashtext('t:b') AS b, hashtext('t:c') AS c`,
    );
    const hash = h as { a: number; b: number; c: number };
    const unsigned = (n: number) => n >>> 0;
    // Within the run: all three held by its own connection, a repeated topic once.
    const held = await log.run(async (q) => {
      await q.exclusive('t:c', 't:a', 't:b', 't:a');
      return (await topicLocks(q)).filter((r) => r.mine && r.granted);
    });
    expect(held.map((r) => Number(r.objid)).sort()).toEqual(
      [hash.a, hash.b, hash.c].map(unsigned).sort(),
    );
    // ... and released with the run.
    expect(await topicLocks((s) => database.query(s))).toEqual([]);
    if (testBackend() !== 'server') return;
    // Side by side: while another run holds t:b, a run asking for c, b, a has taken t:a and
    // waits for t:b, not yet holding t:c (sorted order, so overlapping asks cannot cycle).
    let releaseB = () => {};
    const bMayEnd = new Promise<void>((resolve) => {
      releaseB = resolve;
    });
    const holder = log.run(async (q) => {
      await q.exclusive('t:b');
      await bMayEnd;
    });
    await sleep(100);
    const asker = log.run((q) => q.exclusive('t:c', 't:b', 't:a'));
    await sleep(200);
    const during = await topicLocks((s) => database.query(s));
    releaseB();
    await Promise.all([holder, asker]);
    const state = (hash: number) =>
      during
        .filter((r) => Number(r.objid) === unsigned(hash))
        .map((r) => r.granted)
        .sort();
    expect(state(hash.a)).toEqual([true]);
    expect(state(hash.b)).toEqual([false, true]);
    expect(state(hash.c)).toEqual([]);
  });

  it('sixteen runs at once: each event stored once, under the sequence its run was given', async () => {
    const log = createIncidentLog(database);
    const incidents = createIncidentsRepository(database);
    const seen = await incidents.lastSeq();
    const runs = await Promise.all(
      Array.from({ length: 16 }, (_, i) =>
        log.run(async (q) => {
          await sleep((i * 7) % 13);
          return q.append(incidentId, 'state_changed', `writer-${i}`, {
            from: 'reported',
            to: 'confirmed',
            note: String(i),
          });
        }),
      ),
    );
    const stored = await incidents.eventsAfter(seen, { kind: 'county' });
    expect(stored.map((e) => e.seq)).toEqual(runs.map((e) => e.seq).sort((a, b) => a - b));
    for (const e of runs) {
      const row = stored.find((s) => s.seq === e.seq);
      expect(row?.actor).toBe(e.actor);
      expect(e.incident?.id).toBe(incidentId);
    }
  });
});
