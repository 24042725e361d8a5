/**
 * Property-based fuzzing of POST /api/reports (fast-check): random and malformed bodies get
 * a 4xx naming a field and write nothing; nothing ever gets a 5xx.
 */
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../app.ts';
import type { Database } from '../db/database.ts';
import { openSmallApp } from '../testing/demo-sessions.ts';
import { testBackend } from '../testing/test-database.ts';

let database: Database;
let app: App;
/** Half the requests come from a signed-in ranger, half from no one. */
let rangerToken = '';
beforeAll(async () => {
  // The anonymous limits are tested elsewhere; here every request must reach validation.
  const small = await openSmallApp({
    publicReportsPerHour: 1_000_000,
    publicReportsTotalPerHour: 1_000_000,
  });
  ({ database, app } = small);
  rangerToken = small.tokens.get('ranger') as string;
});
afterAll(async () => {
  await app?.close();
});

async function written(): Promise<number> {
  const [r] = await database.query<{ n: number }>(sql`
    SELECT (SELECT count(*) FROM incident_reports) + (SELECT count(*) FROM incidents)
         + (SELECT count(*) FROM incident_events) AS n`);
  return Number(r?.n);
}

/** Almost-valid reports: each field drawn from good values and from wrong ones. */
const fieldValue = <T>(good: fc.Arbitrary<T>) =>
  fc.oneof(
    { weight: 8, arbitrary: good },
    {
      weight: 1,
      arbitrary: fc.oneof(
        fc.string(),
        fc.integer(),
        fc.double(),
        fc.boolean(),
        fc.constant(null),
        fc.object(),
      ),
    },
  );
const nearlyValid = fc.record(
  {
    clientUuid: fieldValue(fc.uuid()),
    source: fieldValue(fc.constantFrom('ranger', 'lookout', 'public', 'camera', 'satellite')),
    position: fieldValue(
      fc.record(
        {
          lon: fieldValue(fc.double({ min: 109.6, max: 109.95, noNaN: true })),
          lat: fieldValue(fc.double({ min: 27.7, max: 27.95, noNaN: true })),
          accuracyM: fieldValue(fc.double({ min: -10, max: 1e6, noNaN: true })),
        },
        { requiredKeys: ['lon', 'lat'] },
      ),
    ),
    observedAt: fieldValue(
      // From 1900 to 2100, most of them around now (a phone's queue is hours, not years).
      fc.oneof(
        fc
          .integer({ min: -100 * 3_600_000, max: 10 * 60_000 })
          .map((ms) => new Date(Date.now() + ms).toISOString()),
        fc
          .date({ min: new Date('1900-01-01'), max: new Date('2100-01-01'), noInvalidDate: true })
          .map((d) => d.toISOString()),
      ),
    ),
    note: fieldValue(fc.string({ maxLength: 3000 })),
    bearingDeg: fieldValue(fc.double({ min: -360, max: 720, noNaN: true })),
  },
  { requiredKeys: ['clientUuid', 'source', 'position', 'observedAt'] },
);

describe(`fuzzing POST /api/reports on the ${testBackend()} backend`, () => {
  it('never answers 5xx; every refusal is a 4xx with a field and writes nothing', async () => {
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          { weight: 4, arbitrary: nearlyValid },
          { weight: 1, arbitrary: fc.anything() },
          { weight: 1, arbitrary: fc.string().map((s) => ({ raw: s })) },
          { weight: 1, arbitrary: fc.json().map((s) => ({ raw: s })) },
        ),
        fc.boolean(),
        async (body, signedIn) => {
          const before = await written();
          const raw =
            typeof body === 'object' &&
            body !== null &&
            'raw' in body &&
            Object.keys(body).length === 1;
          const res = await app.inject({
            method: 'POST',
            url: '/api/reports',
            payload: raw ? String((body as { raw: string }).raw) : JSON.stringify(body),
            headers: {
              'content-type': 'application/json',
              ...(signedIn ? { authorization: `Bearer ${rangerToken}` } : {}),
            },
          });
          expect(res.statusCode).toBeLessThan(500);
          statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
          if (res.statusCode >= 400) {
            expect(res.json().error).toBeTruthy();
            if (res.statusCode !== 415)
              expect(typeof res.json().field === 'string' || res.statusCode === 400).toBe(true);
            expect(await written()).toBe(before);
          }
        },
      ),
      { numRuns: 300, seed: 20261128 },
    );
    // The generator reaches the store as well as the refusals.
    expect(statuses.get(201) ?? 0).toBeGreaterThan(0);
    expect(statuses.get(400) ?? 0).toBeGreaterThan(0);
  }, 120_000);
});
