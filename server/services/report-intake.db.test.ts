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
import { createAreasRepository } from '../repositories/areas-repository.ts';
import { createIncidentLog } from '../repositories/incident-log.ts';
import { createIncidentsRepository } from '../repositories/incidents-repository.ts';
import { openTestDatabase, testBackend } from '../testing/test-database.ts';
import { createIncidentService, type ReportInput } from './incident-service.ts';

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
