/**
 * The 10/20/30 clock with a fake time source: breaches exactly at the deadlines, never
 * twice, and caught up after a restart (a new clock on the same database). The clock reads
 * incidents alone, so the database holds no county: the fires lie in no township.
 */
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../db/database.ts';
import type { IncidentEvent } from '../domain/live-events.ts';
import { createAreasRepository } from '../repositories/areas-repository.ts';
import { createIncidentLog } from '../repositories/incident-log.ts';
import { createIncidentsRepository } from '../repositories/incidents-repository.ts';
import { openTestDatabase, testBackend } from '../testing/test-database.ts';
import { BreachClock, type Clock } from './breach-clock.ts';
import { createIncidentService } from './incident-service.ts';

let database: Database;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

function fakeClock(start: Date) {
  let now = start.getTime();
  const timers: { at: number; fn: () => void }[] = [];
  const clock: Clock = {
    now: () => new Date(now),
    setTimeout: (fn, ms) => {
      const t = { at: now + ms, fn };
      timers.push(t);
      return t;
    },
    clearTimeout: (h) => {
      const i = timers.indexOf(h as never);
      if (i >= 0) timers.splice(i, 1);
    },
  };
  return {
    clock,
    /** Moves time forward, firing due timers in order. */
    advanceTo(ms: number) {
      now = ms;
    },
    pending: () => timers.map((t) => t.at),
  };
}

/** The incidents' rules over this file's database. */
const incidentService = () =>
  createIncidentService(createIncidentsRepository(database), createIncidentLog(database), {
    mergeDistanceM: 10,
    mergeWindowMinutes: 1,
  });

async function openIncident(observedAt: Date, lon = 109.8, lat = 27.87) {
  const repo = incidentService();
  const place = await createAreasRepository(database).placeAt(lon, lat);
  return repo.submitReport(
    {
      clientUuid: crypto.randomUUID(),
      source: 'ranger',
      lon,
      lat,
      accuracyM: 10,
      observedAt,
      note: null,
      bearingDeg: null,
      reporterName: null,
      photos: [],
    },
    place,
    'test',
    true,
  );
}

describe(`breach clock on the ${testBackend()} backend`, () => {
  it('breaches each target at its deadline unless reached, once, and catches up after a restart', async () => {
    const t0 = new Date('2026-03-15T06:00:00Z');
    const { incident } = await openIncident(t0);
    const repo = incidentService();
    const fake = fakeClock(t0);
    const pushed: IncidentEvent[] = [];
    const clock = new BreachClock(repo, (e) => pushed.push(...e), fake.clock);
    const mine = () =>
      pushed.flatMap((e) =>
        e.incidentId === incident.id && e.type === 'target_breached' ? [e.payload.target] : [],
      );

    fake.advanceTo(t0.getTime() + 9 * 60_000 + 59_000);
    const next = await clock.tick();
    expect(mine()).toEqual([]);
    expect(next?.toISOString()).toBe('2026-03-15T06:10:00.000Z');

    fake.advanceTo(t0.getTime() + 10 * 60_000);
    await clock.tick();
    expect(mine()).toEqual(['arrive']);
    await clock.tick();
    expect(mine()).toEqual(['arrive']);

    // The crew arrives late, the fire is controlled in time: only 'arrive' stays breached.
    for (const to of ['verifying', 'confirmed', 'dispatched', 'on_scene', 'controlled'] as const)
      await repo.transition(incident.id, to, 'test', {});
    fake.advanceTo(t0.getTime() + 25 * 60_000);
    await clock.tick();
    expect(mine()).toEqual(['arrive']);

    // "Restart": a new clock on the same database, long after the 30-minute deadline.
    const restarted: IncidentEvent[] = [];
    const clock2 = new BreachClock(repo, (e) => restarted.push(...e), fake.clock);
    fake.advanceTo(t0.getTime() + 45 * 60_000);
    const [a, b] = await Promise.all([clock2.tick(), clock.tick()]);
    expect(a === null || a > fake.clock.now()).toBe(true);
    expect(b === null || b > fake.clock.now()).toBe(true);
    const extinguish = [...pushed, ...restarted].filter(
      (e) =>
        e.incidentId === incident.id &&
        e.type === 'target_breached' &&
        e.payload.target === 'extinguish',
    );
    expect(extinguish).toHaveLength(1);
    const detail = await createIncidentsRepository(database).get(incident.id);
    expect(detail?.breached).toEqual(['arrive', 'extinguish']);
    expect(detail?.timeline.filter((e) => e.type === 'target_breached')).toHaveLength(2);
  });

  it('runs no clock for a false alarm', async () => {
    const t0 = new Date('2026-03-16T06:00:00Z');
    const { incident } = await openIncident(t0, 109.6, 27.7);
    const repo = incidentService();
    await repo.transition(incident.id, 'verifying', 'test', {});
    await repo.transition(incident.id, 'false_alarm', 'test', {});
    const fake = fakeClock(new Date(t0.getTime() + 60 * 60_000));
    const pushed: IncidentEvent[] = [];
    await new BreachClock(repo, (e) => pushed.push(...e), fake.clock).tick();
    expect(pushed.filter((e) => e.incidentId === incident.id)).toEqual([]);
  });

  it('arms its timer for the next deadline when started, and fires it', async () => {
    const repo = incidentService();
    const now = new Date();
    const { incident } = await openIncident(new Date(now.getTime() - 9 * 60_000), 109.9, 27.95);
    const fake = fakeClock(now);
    const pushed: IncidentEvent[] = [];
    const clock = new BreachClock(repo, (e) => pushed.push(...e), fake.clock);
    clock.start();
    await new Promise((r) => setTimeout(r, 300));
    // One minute to the arrive deadline.
    expect(Math.min(...fake.pending()) - now.getTime()).toBeLessThanOrEqual(60_000);
    await clock.stop();
    expect(pushed.filter((e) => e.incidentId === incident.id)).toEqual([]);
  });

  it('suggests escalation when the fire is not under control in 20 minutes', async () => {
    const t0 = new Date('2026-03-17T06:00:00Z');
    const { incident } = await openIncident(t0, 109.7, 27.65);
    const repo = incidentService();
    const fake = fakeClock(new Date(t0.getTime() + 21 * 60_000));
    const pushed: IncidentEvent[] = [];
    await new BreachClock(repo, (e) => pushed.push(...e), fake.clock).tick();
    const mine = pushed.filter((e) => e.incidentId === incident.id);
    expect(mine.map((e) => e.type)).toEqual([
      'target_breached',
      'target_breached',
      'escalation_suggested',
    ]);
    expect(mine[2]?.payload).toMatchObject({ to: 'county', reason: 'control_breached' });
  });
});
