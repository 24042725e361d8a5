/**
 * Numbers in a query string are read as the caller wrote them: hexadecimal, binary, octal or
 * padded text that coercion would turn into a number is refused, naming the field.
 */

import Fastify from 'fastify';
import { Type } from 'typebox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import errorsPlugin from './errors.ts';
import inputBounds from './input-bounds.ts';

const app = Fastify();

beforeAll(async () => {
  await app.register(errorsPlugin);
  await app.register(inputBounds);
  app.get(
    '/api/wind',
    {
      schema: {
        querystring: Type.Object({
          windFromDeg: Type.Optional(Type.Number({ minimum: 0, maximum: 360 })),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
          name: Type.Optional(Type.String()),
        }),
      },
    },
    async (request) => ({ query: request.query }),
  );
  await app.ready();
});
afterAll(() => app.close());

const get = (qs: string) => app.inject({ method: 'GET', url: `/api/wind?${qs}` });

describe('numeric query text', () => {
  it.each([
    ['windFromDeg=0x10', 'windFromDeg'],
    ['windFromDeg=0b11', 'windFromDeg'],
    ['windFromDeg=0o7', 'windFromDeg'],
    ['windFromDeg=%2016', 'windFromDeg'],
    ['limit=0x10', 'limit'],
    ['windFromDeg=90&windFromDeg=0x5a', 'windFromDeg'],
  ])('%s is refused naming %s', async (qs, field) => {
    const res = await get(qs);
    expect(res.statusCode).toBe(400);
    expect(res.json().field).toBe(field);
  });

  it.each([
    ['windFromDeg=16', 16],
    ['windFromDeg=270.5', 270.5],
    ['windFromDeg=2.7e2', 270],
    ['windFromDeg=.5', 0.5],
  ])('%s is read as %s', async (qs, deg) => {
    const res = await get(qs);
    expect(res.statusCode).toBe(200);
    expect(res.json().query.windFromDeg).toBe(deg);
  });

  it('leaves text parameters alone', async () => {
    const res = await get('name=0x10&limit=5');
    expect(res.statusCode).toBe(200);
    expect(res.json().query).toEqual({ name: '0x10', limit: 5 });
  });
});
