/**
 * Report intake with many writers at once (issue 17: the log's lock covers only the events'
 * INSERT and the commit, so intakes run side by side). What the one global lock used to
 * guarantee must still hold: reports of one fire sent at once make one incident, a resend
 * racing its first send is stored once, and reports far apart are not made to wait for each
 * other's merge. The database holds no county: the fires lie in no township.
 */
import crypto from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../db/database.ts';
import { DomainError, IncidentConflict } from '../domain/errors.ts';
import { createAreasRepository, type PlaceAt } from '../repositories/areas-repository.ts';
import { createIncidentLog } from '../repositories/incident-log.ts';
import { createIncidentsRepository } from '../repositories/incidents-repository.ts';
import { openTestDatabase, testBackend } from '../testing/test-database.ts';
import { createIncidentService } from './incident-service.ts';
import type { ReportInput } from './report-intake.ts';

let database: Database;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

const service = () =>
  createIncidentService(createIncidentsRepository(database), createIncidentLog(database), {
    mergeDistanceM: 1000,
    mergeWindowMinutes: 90,
  });

function report(lon: number, lat: number, over: Partial<ReportInput> = {}): ReportInput {
  return {
    clientUuid: crypto.randomUUID(),
    source: 'ranger',
    lon,
    lat,
    accuracyM: 10,
    observedAt: new Date(),
    note: null,
    bearingDeg: null,
    reporterName: null,
    photos: [],
    ...over,
  };
}

async function submit(r: ReportInput) {
  const place = await createAreasRepository(database).placeAt(r.lon, r.lat);
  return service().submitReport(r, place, 'ranger-1', true);
}

describe(`report intake with writers at once on the ${testBackend()} backend`, () => {
  it('twelve reports of one fire sent at once (up to 800 m apart) make one incident', async () => {
    // Around a point on a cell edge of the merge grid and off it, spread over 800 m.
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) => {
        const angle = (i / 12) * 2 * Math.PI;
        const r = (i % 3) * 200;
        return submit(
          report(110.1 + (r * Math.cos(angle)) / 98_000, 27.95 + (r * Math.sin(angle)) / 110_900),
        );
      }),
    );
    const ids = new Set(results.map((r) => r.incident.id));
    expect(ids.size).toBe(1);
    expect(results.filter((r) => r.events[0]?.type === 'reported')).toHaveLength(1);
    const [id] = [...ids] as [string];
    const [n] = await database.query<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM incident_reports WHERE incident_id = ${id}::uuid`,
    );
    expect(Number(n?.n)).toBe(12);
    // The last event's summary counts every report committed before it.
    const last = results.flatMap((r) => r.events).reduce((a, b) => (a.seq > b.seq ? a : b));
    expect(last.incident.reportCount).toBe(12);
  });

  it('a resend racing its first send is stored once; the others answer with the first', async () => {
    const r = report(110.3, 27.7);
    const results = await Promise.all(Array.from({ length: 6 }, () => submit({ ...r })));
    expect(results.filter((x) => x.created)).toHaveLength(1);
    expect(new Set(results.map((x) => x.reportId)).size).toBe(1);
    const [n] = await database.query<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM incident_reports WHERE client_uuid = ${r.clientUuid}::uuid`,
    );
    expect(Number(n?.n)).toBe(1);
  });

  it('merges up to the merge distance in every direction, and not beyond', async () => {
    // Far from the other tests' fires, as far north as a Heilongjiang county, where a degree
    // east–west is cos(50°) ≈ 0.64 of one north–south.
    const [lon, lat] = [127.5, 50];
    const east = (m: number) => lon + m / (111_320 * Math.cos((lat * Math.PI) / 180));
    const north = (m: number) => lat + m / 111_230;
    const first = await submit(report(lon, lat));
    for (const [x, y] of [
      [east(950), lat],
      [east(-950), lat],
      [lon, north(950)],
      [lon, north(-950)],
    ] as const)
      expect((await submit(report(x, y))).incident.id).toBe(first.incident.id);
    for (const [x, y] of [
      [east(1050), lat],
      [lon, north(-1050)],
    ] as const)
      expect((await submit(report(x, y))).incident.id).not.toBe(first.incident.id);
  });

  it('fires 20 km apart reported at once are two incidents', async () => {
    const [a, b] = await Promise.all([submit(report(109.6, 27.6)), submit(report(109.8, 27.6))]);
    expect(a?.incident.id).not.toBe(b?.incident.id);
  });
});

/**
 * One node's intake writes the reports that arrive while a batch is being written in one
 * transaction (report-intake.ts): the first of a burst goes alone, the rest together in the
 * next. What each report would have got in its own transaction must hold for all of them.
 */
describe(`report intake in batches on the ${testBackend()} backend`, () => {
  const NOWHERE: PlaceAt = {
    inCounty: false,
    countyCode: null,
    countyName: null,
    gridCode: null,
    villageCode: null,
    villageName: null,
    townshipCode: null,
    townshipName: null,
    warZoneId: null,
    warZoneName: null,
  };

  it('answers every report of a burst, its events in the order the reports came', async () => {
    const one = service();
    // 10 km apart along a parallel: no two merge, nor share a cell of merge ground.
    const sent = Array.from({ length: 10 }, (_, i) => report(101 + i * 0.1, 31));
    const results = await Promise.all(
      sent.map((r) => one.submitReport(r, NOWHERE, 'ranger-1', true)),
    );
    expect(results.every((r) => r.created && r.events[0]?.type === 'reported')).toBe(true);
    expect(new Set(results.map((r) => r.incident.id)).size).toBe(10);
    const seqs = results.map((r) => r.events[0]?.seq as number);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(results.map((r) => r.incident.location[0])).toEqual(sent.map((r) => r.lon));
  });

  it('one report the database refuses costs the others of its batch nothing', async () => {
    const one = service();
    const sent = Array.from({ length: 6 }, (_, i) =>
      // The third names a reporter who is no user: its row breaks a foreign key.
      report(102 + i * 0.1, 31, i === 2 ? { reporterUserId: crypto.randomUUID() } : {}),
    );
    const settled = await Promise.allSettled(
      sent.map((r) => one.submitReport(r, NOWHERE, 'ranger-1', true)),
    );
    expect(settled.map((s) => s.status)).toEqual([
      'fulfilled',
      'fulfilled',
      'rejected',
      'fulfilled',
      'fulfilled',
      'fulfilled',
    ]);
    const [n] = await database.query<{ n: number }>(sql`
      SELECT count(*)::int AS n FROM incident_reports
      WHERE client_uuid = ANY (${`{${sent.map((r) => r.clientUuid).join(',')}}`}::uuid[])`);
    expect(Number(n?.n)).toBe(5);
  });

  it('a resend and a changed resend in one burst: the first answer again, then 409', async () => {
    const one = service();
    const r = report(103, 31);
    const settled = await Promise.allSettled([
      one.submitReport(r, NOWHERE, 'ranger-1', true),
      one.submitReport({ ...r }, NOWHERE, 'ranger-1', true),
      one.submitReport({ ...r, note: '另一处烟' }, NOWHERE, 'ranger-1', true),
    ]);
    const [first, again, changed] = settled;
    expect(first?.status === 'fulfilled' && first.value.created).toBe(true);
    expect(again?.status === 'fulfilled' && !again.value.created).toBe(true);
    if (first?.status === 'fulfilled' && again?.status === 'fulfilled')
      expect(again.value.reportId).toBe(first.value.reportId);
    expect(changed?.status).toBe('rejected');
    if (changed?.status === 'rejected') {
      expect(changed.reason).toBeInstanceOf(IncidentConflict);
      expect(changed.reason.field).toBe('clientUuid');
    }
  });

  it('new fires of one war zone in one batch count each other for linkage', async () => {
    await database.query(sql`
      INSERT INTO counties (code, name, geom)
      VALUES ('999901', '测试县', ST_Multi(ST_MakeEnvelope(104, 30, 105, 31, 4326)))`);
    const [zone] = await database.query<{ id: number }>(sql`
      INSERT INTO war_zones (name, county_code, geom)
      VALUES ('测试战区', '999901', ST_Multi(ST_MakeEnvelope(104, 30, 105, 31, 4326)))
      RETURNING id`);
    const place = { ...NOWHERE, inCounty: true, warZoneId: Number(zone?.id) };
    const one = service();
    // Three fires 5 km apart: the first alone, the next two in one batch after it.
    const results = await Promise.all(
      [104.1, 104.15, 104.2].map((lon) =>
        one.submitReport(report(lon, 30.5), place, 'ranger-1', true),
      ),
    );
    const suggested = results.map(
      (r) =>
        r.events.find((e) => e.type === 'escalation_suggested')?.payload as
          | { openInWarZone: number }
          | undefined,
    );
    expect(suggested.map((s) => s?.openInWarZone ?? null)).toEqual([null, 2, 3]);
  });

  it('places the reports of a batch itself when not told: one outside the county is refused, 422 naming position', async () => {
    await database.query(sql`
      INSERT INTO counties (code, name, geom)
      VALUES ('999902', '另一测试县', ST_Multi(ST_MakeEnvelope(106, 30, 107, 31, 4326)))`);
    const one = service();
    const settled = await Promise.allSettled(
      [106.2, 108.5, 106.6].map((lon) =>
        one.submitReport(report(lon, 30.5), null, 'ranger-1', true),
      ),
    );
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    const [, outside] = settled;
    if (outside?.status === 'rejected') {
      expect(outside.reason).toBeInstanceOf(DomainError);
      expect(outside.reason).toMatchObject({ status: 422, field: 'position' });
    }
    const inside = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
    expect(inside.map((r) => r.created)).toEqual([true, true]);
  });

  it('stores a note cut in the middle of an emoji, the half pair as U+FFFD', async () => {
    const one = service();
    const taken = await one.submitReport(
      report(103.5, 31, { note: '烟很大 \ud83d' }),
      NOWHERE,
      'ranger-1',
      false,
    );
    const [row] = await database.query<{ note: string }>(
      sql`SELECT note FROM incident_reports WHERE id = ${taken.reportId}`,
    );
    expect(row?.note).toBe('烟很大 \ufffd');
  });

  // PGlite has one connection: no other transaction can hold a row while a batch runs.
  it.skipIf(testBackend() === 'embedded')(
    'a report joining an incident someone holds waits alone; the others are answered meanwhile',
    async () => {
      const one = service();
      const first = await one.submitReport(report(103.7, 31), NOWHERE, 'ranger-1', true);
      let release = () => {};
      const released = new Promise<void>((resolve) => {
        release = resolve;
      });
      let locked = () => {};
      const isLocked = new Promise<void>((resolve) => {
        locked = resolve;
      });
      // A dispatch, say, holding the incident's row.
      const holder = database.transaction(async (q) => {
        await q(
          sql`SELECT id FROM incidents WHERE id = ${first.incident.id}::uuid FOR NO KEY UPDATE`,
        );
        locked();
        await released;
      });
      await isLocked;
      const joining = one.submitReport(report(103.701, 31), NOWHERE, 'ranger-1', true);
      const far = one.submitReport(report(104.5, 31.5), NOWHERE, 'ranger-1', true);
      // Answered while the row is still held (were it stuck behind the joining report, this
      // would wait for ever: the row is released only after).
      expect((await far).created).toBe(true);
      release();
      await holder;
      expect((await joining).incident.id).toBe(first.incident.id);
    },
  );
});
