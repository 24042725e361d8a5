/**
 * Property-based fuzz of every operation in the published OpenAPI document (fast-check):
 * at least 10,000 requests spread over all routes, as each role and as no one, on the small
 * county (testing/factories.ts, with a lookout tower and a water source for what reads them),
 * with parameters and bodies drawn from each operation's own schema — mostly plausible,
 * often hostile (NUL bytes, "Infinity", huge integers, dates in 1900 and 2099, wrong types).
 * Nothing may answer 5xx, and a write answered 4xx must leave every mutable table as it was.
 */
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../app.ts';
import type { Database } from '../db/database.ts';
import { openSmallApp } from '../testing/demo-sessions.ts';
import { newLookout, newWaterSource } from '../testing/factories.ts';
import { testBackend } from '../testing/test-database.ts';

const TOTAL_REQUESTS = Number(process.env.FUZZ_REQUESTS ?? 10_000);
/** An operation slower than this on average gets a few requests, and the rest go elsewhere. */
const SLOW_MS = 40;

interface Schema {
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  enum?: unknown[];
  const?: unknown;
  anyOf?: Schema[];
  oneOf?: Schema[];
  format?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
}
interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: Schema;
}
interface Operation {
  method: string;
  path: string;
  parameters: Parameter[];
  body?: Schema;
}

/** Values no schema should let through to SQL or arithmetic unchecked. */
const HOSTILE_STRINGS = [
  '',
  'a\u0000b',
  '\u0000',
  'Infinity',
  '-Infinity',
  'NaN',
  '1e309',
  '-1',
  '0',
  '2147483648',
  '9223372036854775808',
  '99999999999999999999999',
  '1900-01-01T00:00:00Z',
  '2099-12-31T23:59:59Z',
  '0001-01-01',
  '2026-13-45',
  "'; DROP TABLE incidents; --",
  '../../etc/passwd',
  '%00',
  '\u202e\ud800',
  '=cmd|calc',
  'x'.repeat(5000),
  '00000000-0000-0000-0000-000000000000',
];
const HOSTILE_NUMBERS = [
  -1,
  0,
  0.5,
  -0.000001,
  2 ** 31,
  -(2 ** 31) - 1,
  2 ** 53,
  2 ** 63,
  1e308,
  -1e308,
  1e-320,
];

const hostile = (): fc.Arbitrary<unknown> =>
  fc.oneof(
    fc.constantFrom<unknown>(...HOSTILE_STRINGS),
    fc.constantFrom<unknown>(...HOSTILE_NUMBERS),
    fc.constantFrom<unknown>(null, true, false, [], {}, [null], { $gt: '' }),
    fc.string({ unit: 'binary', maxLength: 40 }),
    fc.double(),
  );

const typesOf = (s: Schema): string[] =>
  Array.isArray(s.type) ? s.type : s.type ? [s.type] : s.properties ? ['object'] : [];

/** A value that fits the schema (as far as a generator can guess a pattern). */
function plausible(s: Schema, depth = 0): fc.Arbitrary<unknown> {
  if (s.const !== undefined) return fc.constant(s.const);
  if (s.enum && s.enum.length > 0) return fc.constantFrom(...s.enum);
  const alternatives = s.anyOf ?? s.oneOf;
  if (alternatives && alternatives.length > 0)
    return fc.oneof(...alternatives.map((a) => plausible(a, depth + 1)));
  const type = typesOf(s).find((t) => t !== 'null') ?? 'string';
  switch (type) {
    case 'integer':
      return fc.integer({
        min: Math.max(s.minimum ?? -1000, -(2 ** 31)),
        max: Math.min(s.maximum ?? 100_000, 2 ** 31 - 1),
      });
    case 'number':
      return fc.double({
        min: s.minimum ?? -1000,
        max: s.maximum ?? 1_000_000,
        noNaN: true,
        noDefaultInfinity: true,
      });
    case 'boolean':
      return fc.boolean();
    case 'array':
      return depth > 3
        ? fc.constant([])
        : fc.array(field(s.items ?? {}, depth + 1), { maxLength: 4 });
    case 'object': {
      if (depth > 3 || !s.properties) return fc.constant({});
      const required = new Set(s.required ?? []);
      const keys = Object.keys(s.properties);
      return fc.record(
        Object.fromEntries(
          keys.map((k) => [k, field((s.properties as Record<string, Schema>)[k] as Schema, depth)]),
        ),
        { requiredKeys: keys.filter((k) => required.has(k)) },
      );
    }
    default:
      return stringFor(s);
  }
}

function stringFor(s: Schema): fc.Arbitrary<string> {
  switch (s.format) {
    case 'uuid':
      return fc.uuid();
    case 'date-time':
      return fc
        .date({ min: new Date('2026-01-01'), max: new Date('2027-01-01'), noInvalidDate: true })
        .map((d) => d.toISOString());
    case 'date':
      return fc
        .date({ min: new Date('2026-01-01'), max: new Date('2027-01-01'), noInvalidDate: true })
        .map((d) => d.toISOString().slice(0, 10));
    default:
      return fc.oneof(
        fc.string({ minLength: s.minLength ?? 0, maxLength: Math.min(s.maxLength ?? 24, 64) }),
        fc.constantFrom('430626', '430626100', '高村镇', 'county', '2026-04', 'township'),
      );
  }
}

/** Mostly a plausible value, sometimes a hostile one. */
function field(s: Schema, depth = 0): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 4, arbitrary: plausible(s, depth) },
    { weight: 1, arbitrary: hostile() },
  );
}

const asText = (v: unknown): string =>
  typeof v === 'string' ? v : v !== null && typeof v === 'object' ? JSON.stringify(v) : String(v);

/** A path segment; a lone surrogate (which no URL can carry) becomes U+FFFD, as a browser does. */
const pathSegment = (v: string): string =>
  encodeURIComponent(
    v.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd'),
  );

interface FuzzRequest {
  actor: string | null;
  url: string;
  payload?: unknown;
  rawBody?: string;
}

function requestsFor(op: Operation, actors: (string | null)[]): fc.Arbitrary<FuzzRequest> {
  const pathParams = op.parameters.filter((p) => p.in === 'path');
  const queryParams = op.parameters.filter((p) => p.in === 'query');
  const pathArb = fc.tuple(
    ...pathParams.map((p) =>
      fc.oneof(
        { weight: 3, arbitrary: plausible(p.schema ?? {}) },
        { weight: 1, arbitrary: hostile() },
      ),
    ),
  );
  const queryArb = fc.tuple(
    ...queryParams.map((p) =>
      fc.option(field(p.schema ?? {}), { nil: undefined, freq: p.required ? 10 : 2 }),
    ),
  );
  const bodyArb: fc.Arbitrary<{ payload?: unknown; rawBody?: string }> = op.body
    ? fc.oneof(
        { weight: 6, arbitrary: plausible(op.body).map((payload) => ({ payload })) },
        { weight: 2, arbitrary: field(op.body).map((payload) => ({ payload })) },
        {
          weight: 1,
          arbitrary: fc
            .constantFrom('{', '{"a":', 'null', '[]', '"\u0000"', '{"__proto__":{"x":1}}')
            .map((rawBody) => ({ rawBody })),
        },
      )
    : fc.constant({});
  return fc
    .record({
      actor: fc.constantFrom(...actors),
      path: pathArb,
      query: queryArb,
      body: bodyArb,
    })
    .map(({ actor, path, query, body }) => {
      let i = 0;
      const url = op.path.replace(/\{[^}]+\}/g, () => pathSegment(asText(path[i++])));
      const qs = new URLSearchParams();
      queryParams.forEach((p, k) => {
        if (query[k] !== undefined) qs.append(p.name, asText(query[k]));
      });
      const search = qs.toString();
      return { actor, url: search ? `${url}?${search}` : url, ...body };
    });
}

let database: Database;
let app: App;
let tokens: Map<string, string>;
let operations: Operation[] = [];

beforeAll(async () => {
  // Limits on the anonymous are tested elsewhere; here requests must reach validation.
  const small = await openSmallApp({
    publicReportsPerHour: 1_000_000,
    publicReportsTotalPerHour: 1_000_000,
  });
  ({ database, app, tokens } = small);
  const gaocun = small.county.townships.gaocun.code;
  await newLookout(database, { at: [109.79, 27.88], townshipCode: gaocun });
  await newWaterSource(database, { at: [109.81, 27.86], townshipCode: gaocun });
  const spec = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as {
    paths: Record<
      string,
      Record<
        string,
        {
          parameters?: Parameter[];
          requestBody?: { content?: Record<string, { schema?: Schema }> };
        }
      >
    >;
  };
  for (const [path, item] of Object.entries(spec.paths)) {
    for (const [method, op] of Object.entries(item)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      operations.push({
        method: method.toUpperCase(),
        path,
        parameters: op.parameters ?? [],
        body: op.requestBody?.content?.['application/json']?.schema,
      });
    }
  }
  operations = operations.sort((a, b) =>
    `${a.path} ${a.method}`.localeCompare(`${b.path} ${b.method}`),
  );
}, 120_000);

afterAll(async () => {
  await app?.close();
});

/** Tables a request can change, and rows that a refused request must not touch. */
const MUTABLE_TABLES = [
  'cameras',
  'camera_alarms',
  'command_posts',
  'orders',
  'order_receipts',
  'crews',
  'crew_positions',
  'incidents',
  'incident_reports',
  'report_photos',
  'incident_events',
  'dispatches',
  'inspections',
  'drills',
  'drill_incidents',
  'trainings',
  'publicity_records',
  'flag_annotations',
  'protection_periods',
  'weather_stations',
  'weather_daily',
  'weather_observations',
  'fire_danger_forecasts',
  'warnings',
  'people',
  'grid_roles',
];

/** A digest of every row of every mutable table: any insert, update or delete changes it. */
async function fingerprint(): Promise<string> {
  const parts = MUTABLE_TABLES.map(
    (t) =>
      sql`SELECT ${t}::text AS t, count(*)::text AS n, coalesce(sum(hashtext(x::text)::bigint), 0)::text AS h FROM ${sql.identifier(t)} x`,
  );
  const rows = await database.query<{ t: string; n: string; h: string }>(
    sql.join(parts, sql` UNION ALL `),
  );
  return rows.map((r) => `${r.t}:${r.n}:${r.h}`).join(' ');
}

describe(`every OpenAPI operation under fuzz (${testBackend()})`, () => {
  it(`answers ${TOTAL_REQUESTS}+ generated requests over all routes and roles with no 5xx and no partial write`, async () => {
    expect(operations.length).toBeGreaterThan(40);
    const roles = [...tokens.keys()];
    const failures: string[] = [];
    const partial: string[] = [];
    /** 400s that do not name the field at fault. */
    const unnamed: string[] = [];
    const byStatus = new Map<number, number>();
    const meanMs = new Map<Operation, number>();
    let sent = 0;

    const send = async (op: Operation, req: FuzzRequest) => {
      const write = op.method !== 'GET';
      const before = write ? await fingerprint() : '';
      const token = req.actor ? tokens.get(req.actor) : undefined;
      const res = await app.inject({
        method: op.method as 'GET',
        url: req.url,
        // Spread over addresses so per-address limits rarely stand between a request and
        // the code under test (a 429 is a 4xx and would pass, but tests nothing).
        remoteAddress: `10.9.${Math.floor(sent / 250) % 250}.${sent % 250}`,
        headers: {
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(req.rawBody !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        ...(req.rawBody !== undefined
          ? { body: req.rawBody }
          : req.payload !== undefined && op.body
            ? { payload: req.payload as object }
            : {}),
      });
      sent++;
      byStatus.set(res.statusCode, (byStatus.get(res.statusCode) ?? 0) + 1);
      const what = `${op.method} ${req.url.slice(0, 160)} as ${req.actor ?? 'anonymous'}`;
      if (res.statusCode === 400 && typeof res.json().field !== 'string') {
        unnamed.push(`${what}: ${res.body.slice(0, 160)}`);
      }
      if (res.statusCode >= 500) {
        failures.push(`${res.statusCode} ${what}: ${res.body.slice(0, 200)}`);
      } else if (write && res.statusCode >= 400 && (await fingerprint()) !== before) {
        partial.push(`${res.statusCode} ${what}`);
      }
    };

    // Sign-out ends the token it is sent with: only the anonymous fuzz those.
    const actorsOf = (op: Operation) =>
      op.path.startsWith('/api/auth/logout') ? [null] : [null, ...roles];
    const perOperation = Math.ceil(TOTAL_REQUESTS / operations.length);
    for (const [index, op] of operations.entries()) {
      const samples = fc.sample(requestsFor(op, actorsOf(op)), {
        numRuns: perOperation,
        seed: 4242 + index,
      });
      const t0 = performance.now();
      let done = 0;
      for (const req of samples) {
        await send(op, req);
        done++;
        // A costly operation (a PDF, a coverage audit) is sampled, not hammered.
        if (done >= 12 && (performance.now() - t0) / done > SLOW_MS) break;
      }
      meanMs.set(op, (performance.now() - t0) / done);
    }
    // What costly operations left unspent goes to the cheap ones, with fresh seeds.
    const cheap = operations.filter((op) => (meanMs.get(op) ?? 0) <= SLOW_MS);
    for (let round = 0; sent < TOTAL_REQUESTS; round++) {
      const op = cheap[round % cheap.length] as Operation;
      const [req] = fc.sample(requestsFor(op, actorsOf(op)), { numRuns: 1, seed: 9000 + round });
      if (req) await send(op, req);
    }
    console.info(
      `fuzzed ${sent} requests over ${operations.length} operations; answers by status ${JSON.stringify(Object.fromEntries([...byStatus].sort((a, b) => a[0] - b[0])))}`,
    );
    expect(sent).toBeGreaterThanOrEqual(TOTAL_REQUESTS);
    expect(failures).toEqual([]);
    expect(partial).toEqual([]);
    expect(unnamed).toEqual([]);
  }, 900_000);
});
