/**
 * Values that pass schema validation with coercion but are out of any sane range: each is a
 * 400 naming the field, and nothing reaches the database.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../app.ts';
import { openSmallApp, requestsAs } from '../testing/demo-sessions.ts';
import { testBackend } from '../testing/test-database.ts';
import { outOfBounds } from './input-bounds.ts';

let app: App;
let tokens: Map<string, string>;
beforeAll(async () => {
  ({ app, tokens } = await openSmallApp());
}, 120_000);
afterAll(async () => {
  await app?.close();
});

describe('outOfBounds', () => {
  it('finds non-finite numbers, integers beyond PostgreSQL integer, far dates and NUL, by path', () => {
    const schema = {
      type: 'object',
      properties: {
        n: { type: 'number' },
        i: { type: 'integer', minimum: 1 },
        at: { type: 'string', format: 'date-time' },
        list: { type: 'array', items: { type: 'object', properties: { s: { type: 'string' } } } },
      },
    };
    expect(outOfBounds(schema, { n: Number.POSITIVE_INFINITY }, '')).toEqual({
      field: 'n',
      reason: 'must be a finite number',
    });
    expect(outOfBounds(schema, { i: 2 ** 31 }, '')?.field).toBe('i');
    expect(outOfBounds(schema, { i: 2 ** 31 - 1 }, '')).toBeNull();
    expect(outOfBounds(schema, { at: '1900-01-01T00:00:00Z' }, '')?.field).toBe('at');
    expect(outOfBounds(schema, { at: '2101-01-01T00:00:00Z' }, '')?.field).toBe('at');
    expect(outOfBounds(schema, { at: '2026-04-01T08:00:00+08:00' }, '')).toBeNull();
    expect(outOfBounds(schema, { list: [{ s: 'ok' }, { s: 'a\u0000b' }] }, '')?.field).toBe(
      'list.1.s',
    );
  });
});

describe(`out-of-range input on real routes (${testBackend()})`, () => {
  it('refuses limit=Infinity and limit=1e309 in a query string, naming limit', async () => {
    for (const limit of ['Infinity', '1e309', '-Infinity']) {
      const res = await app.inject({ method: 'GET', url: `/api/search?q=a&limit=${limit}` });
      expect(res.statusCode, limit).toBe(400);
      expect(res.json().field).toBe('limit');
    }
    expect((await app.inject({ method: 'GET', url: '/api/search?q=a&limit=5' })).statusCode).toBe(
      200,
    );
  });

  it('refuses a path id beyond PostgreSQL integer, naming id', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/war-zones/99999999999/stats' });
    expect(res.statusCode).toBe(400);
    expect(res.json().field).toBe('id');
  });

  it('refuses a GPS fix from 1900 and NUL bytes in a report, naming the field', async () => {
    const { as } = requestsAs(app, tokens);
    const fix = await app.inject({
      method: 'POST',
      url: '/api/crews/1/positions',
      headers: as('crew-gaocun'),
      payload: { lon: 109.8, lat: 27.8, recordedAt: '1900-01-01T00:00:00Z' },
    });
    expect(fix.statusCode).toBe(400);
    expect(fix.json().field).toBe('recordedAt');
    const report = await app.inject({
      method: 'POST',
      url: '/api/reports',
      headers: as('ranger'),
      payload: {
        clientUuid: crypto.randomUUID(),
        source: 'ranger',
        position: { lon: 109.8, lat: 27.8 },
        observedAt: new Date().toISOString(),
        note: 'smoke\u0000',
      },
    });
    expect(report.statusCode).toBe(400);
    expect(report.json().field).toBe('note');
  });

  it('names the body when it is not JSON or not an object', async () => {
    const { as } = requestsAs(app, tokens);
    for (const body of ['{', '[]', '"x"']) {
      const res = await app.inject({
        method: 'POST',
        url: '/api/reports',
        headers: { ...as('ranger'), 'content-type': 'application/json' },
        body,
      });
      expect(res.statusCode, body).toBe(400);
      expect(res.json().field, body).toBeDefined();
    }
  });
});
