import { Type } from '@fastify/type-provider-typebox';
import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, buildApp } from './app.ts';
import type { Database } from './db/database.ts';
import { crews } from './db/schema/index.ts';
import { newNestedAreas } from './testing/factories.ts';
import { openTestDatabase, testBackend } from './testing/test-database.ts';

let database: Database;
let app: App;
let areas: Awaited<ReturnType<typeof newNestedAreas>>;

beforeAll(async () => {
  database = await openTestDatabase();
  app = await buildApp({
    config: { logLevel: 'silent', bodyLimitBytes: 4096 },
    database,
  });
  // Routes that exist only here, to drive the shared error handling with real requests.
  app.post(
    '/test/echo',
    {
      schema: {
        body: Type.Object({ lon: Type.Number(), position: Type.Object({ lat: Type.Number() }) }),
      },
    },
    async (request) => request.body,
  );
  app.post('/test/crew', async (request) => {
    await database.db.insert(crews).values(request.body as typeof crews.$inferInsert);
    return { ok: true };
  });
  await app.ready();
  areas = await newNestedAreas(database, 109.8, 27.85);
});

afterAll(async () => {
  await app?.close(); // closes the database too
});

describe(`HTTP API on the ${testBackend()} backend`, () => {
  it('reports health: backend kind, versions and migration level', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/health' });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.backend).toBe(testBackend());
    expect(body.postgresVersion).toMatch(/^\d+\.\d+/);
    expect(body.postgisVersion).toMatch(/^3\.\d+/);
    expect(body.migrations.applied).toBe(body.migrations.available);
    expect(body.migrations.applied).toBeGreaterThanOrEqual(3);
    expect(body.countyLoaded).toBe(true);
  });

  it('answers with security headers: a same-origin CSP, no framing, nosniff, no referrer', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/health' });
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('upgrade-insecure-requests');
    expect(csp).not.toContain('tianditu');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['strict-transport-security']).toBeUndefined();
  });

  it('publishes OpenAPI and a docs page', async () => {
    const spec = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    expect(spec.openapi).toMatch(/^3\./);
    expect(Object.keys(spec.paths)).toEqual(
      expect.arrayContaining(['/api/health', '/api/county', '/api/places/at']),
    );
    // A real OpenAPI validator (the OAI schema of the document's version) accepts it.
    const validator = new Validator();
    const result = await validator.validate(spec);
    expect(result.errors ?? [], JSON.stringify(result.errors)).toEqual([]);
    expect(result.valid).toBe(true);
    // The report body is described field by field, as JSON and as multipart with photos.
    const report = spec.paths['/api/reports'].post;
    const json = report.requestBody.content['application/json'].schema;
    expect(Object.keys(json.properties)).toEqual(
      expect.arrayContaining([
        'clientUuid',
        'source',
        'position',
        'observedAt',
        'note',
        'bearingDeg',
      ]),
    );
    expect(json.required).toEqual(
      expect.arrayContaining(['clientUuid', 'source', 'position', 'observedAt']),
    );
    const multipart = report.requestBody.content['multipart/form-data'].schema;
    expect(Object.keys(multipart.properties)).toEqual(['report', 'photos']);
    // Sign-in: both schemes declared; a protected write needs one, a report takes one optionally.
    expect(Object.keys(spec.components.securitySchemes).sort()).toEqual([
      'bearerAuth',
      'cookieAuth',
    ]);
    expect(spec.paths['/api/incidents/{id}/transitions'].post.security).toEqual([
      { cookieAuth: [] },
      { bearerAuth: [] },
    ]);
    expect(report.security).toContainEqual({});
    // Every API operation says what its refusals look like: the one error shape for 4xx
    // (OGC API – Features at /ogc has its own document and exception shape).
    const withoutErrorShape: string[] = [];
    for (const [path, item] of Object.entries(spec.paths as Record<string, object>)) {
      if (!path.startsWith('/api/')) continue;
      for (const [method, op] of Object.entries(item as Record<string, { responses?: object }>)) {
        const refusal = (
          op.responses as
            | Record<string, { content?: Record<string, { schema?: { properties?: object } }> }>
            | undefined
        )?.['4XX'];
        const props = refusal?.content?.['application/json']?.schema?.properties ?? {};
        if (!['error', 'message', 'code', 'field'].every((k) => k in props))
          withoutErrorShape.push(`${method.toUpperCase()} ${path}`);
      }
    }
    expect(withoutErrorShape).toEqual([]);
    const docs = await app.inject({ method: 'GET', url: '/api/docs/' });
    expect(docs.statusCode).toBe(200);
    expect(docs.headers['content-type']).toContain('text/html');
  });

  it("describes every API operation's success answer: a JSON schema or a content type", async () => {
    const spec = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    type Media = Record<string, { schema?: Record<string, unknown> }>;
    type Op = { responses?: Record<string, { content?: Media }> };
    const undescribed: string[] = [];
    let operations = 0;
    for (const [path, item] of Object.entries(spec.paths as Record<string, Record<string, Op>>)) {
      if (!path.startsWith('/api/')) continue;
      for (const [method, op] of Object.entries(item)) {
        operations++;
        const successes = Object.entries(op.responses ?? {}).filter(([status]) =>
          /^2(\d\d|XX)$/.test(status),
        );
        // A success is described when it names at least one media type, and each JSON one
        // carries a schema with a type (an object's fields, an array's items, a value …).
        const described =
          successes.length > 0 &&
          successes.every(([status, r]) => {
            if (status === '204') return true;
            const media = Object.entries(r.content ?? {});
            return (
              media.length > 0 &&
              media.every(
                ([type, m]) =>
                  !/json/.test(type) ||
                  (m.schema !== undefined && Object.keys(m.schema).length > 0),
              )
            );
          });
        if (!described) undescribed.push(`${method.toUpperCase()} ${path}`);
      }
    }
    expect(operations).toBeGreaterThan(80);
    expect(undescribed).toEqual([]);
  });

  it('finds the grid, village, township and war zone containing a point', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/places/at?lon=109.8&lat=27.85' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      gridCode: areas.grid.code,
      villageCode: areas.village.code,
      townshipCode: areas.township.code,
      warZoneId: areas.zone.id,
      warZoneName: areas.zone.name,
    });
  });

  it('answers a point outside the county with 422 naming the field', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/places/at?lon=116.4&lat=39.9' });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ error: 'Unprocessable Entity', field: 'lon,lat' });
  });

  it('answers wrong types with 400 naming the field', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/places/at?lon=abc&lat=27.8' });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: 'Bad Request', field: 'lon' });
    const nested = await app.inject({
      method: 'POST',
      url: '/test/echo',
      payload: { lon: 1, position: { lat: 'x' } },
    });
    expect(nested.statusCode).toBe(400);
    expect(nested.json().field).toBe('position.lat');
    const missing = await app.inject({
      method: 'POST',
      url: '/test/echo',
      payload: { position: { lat: 1 } },
    });
    expect(missing.json().field).toBe('lon');
  });

  it('answers malformed JSON with 400 and oversized bodies with 413, in the one error shape', async () => {
    const bad = await app.inject({
      method: 'POST',
      url: '/test/echo',
      headers: { 'content-type': 'application/json' },
      payload: '{"lon": 1,',
    });
    expect(bad.statusCode).toBe(400);
    // The fault is the body as a whole, and the answer says so.
    expect(bad.json()).toMatchObject({ error: 'Bad Request', field: 'body' });
    expect(Object.keys(bad.json()).sort()).toEqual(['code', 'error', 'field', 'message']);
    expect(bad.json().code).toBe('invalid_input');
    const big = await app.inject({
      method: 'POST',
      url: '/test/echo',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ lon: 1, position: { lat: 1 }, pad: 'x'.repeat(10_000) }),
    });
    expect(big.statusCode).toBe(413);
    expect(big.json()).toMatchObject({ error: 'Payload Too Large', field: 'body' });
  });

  it('turns a database constraint refusal into a 4xx, not a 500', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/test/crew',
      payload: {
        id: 'neg',
        name: 'x',
        level: 'county',
        members: -5,
        base: { type: 'Point', coordinates: [109.8, 27.85] },
      },
    });
    expect(res.statusCode).toBe(422);
    expect(res.json().message).toContain('crews_members_nonnegative');
  });

  it('answers unknown API paths with a JSON 404', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/nothing-here' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ error: 'Not Found' });
  });
});
