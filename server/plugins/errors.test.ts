/**
 * The error plugin answers a rule's refusal (DomainError and its kinds) for every route, in
 * the one error shape: status, field at fault, stable code and params; nothing else leaks.
 */
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { DomainError, IncidentConflict } from '../domain/errors.ts';
import { FixError } from '../domain/lookouts/bearing-fix.ts';
import errorsPlugin, { HttpError } from './errors.ts';

/** The answer to a GET of an /api route (which declares the error shape) that throws `err`. */
async function answer(err: Error) {
  const app = Fastify();
  await app.register(errorsPlugin);
  app.get('/api/x', async () => {
    throw err;
  });
  const res = await app.inject({ method: 'GET', url: '/api/x' });
  await app.close();
  return { status: res.statusCode, body: res.json() };
}

describe('error plugin: refusals by the rules', () => {
  it('answers a conflict with its status, field, code and params', async () => {
    const { status, body } = await answer(
      new IncidentConflict('crew CR-1 is busy', 'crewIds', 409, 'dispatch.crew_busy', {
        crew: 'CR-1',
      }),
    );
    expect(status).toBe(409);
    expect(body).toEqual({
      error: 'Conflict',
      message: 'crew CR-1 is busy',
      field: 'crewIds',
      code: 'dispatch.crew_busy',
      params: { crew: 'CR-1' },
    });
  });

  it('gives a refusal without its own code the status’s generic one', async () => {
    const { status, body } = await answer(new FixError('bearings never meet', 'bearings'));
    expect(status).toBe(422);
    expect(body.field).toBe('bearings');
    expect(typeof body.code).toBe('string');
    expect(body.code).not.toBe('');
    expect(body).not.toHaveProperty('params');
  });

  it('keeps each status: 403 and 404 are not turned into 409 or 500', async () => {
    expect((await answer(new DomainError('not yours', 'seq', 403))).status).toBe(403);
    expect((await answer(new DomainError('no such fire', 'id', 404))).status).toBe(404);
  });
});

describe('error plugin: the declared error shape', () => {
  it('declares the error shape for 4xx on every /api route, and keeps a refusal’s extra fields', async () => {
    const app = Fastify();
    await app.register(errorsPlugin);
    let declared: unknown;
    app.addHook('onRoute', (route) => {
      if (route.url === '/api/weather') declared = route.schema?.response;
    });
    app.post('/api/weather', async (_request, reply) =>
      reply.status(422).send({
        error: 'Unprocessable Entity',
        message: 'row 1 windFromDeg: not a direction',
        field: 'rows[0].windFromDeg',
        code: 'unprocessable',
        problems: [{ row: 1, field: 'windFromDeg' }],
      }),
    );
    const res = await app.inject({ method: 'POST', url: '/api/weather', payload: {} });
    await app.close();
    expect(Object.keys(declared as object)).toContain('4xx');
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({
      field: 'rows[0].windFromDeg',
      problems: [{ row: 1, field: 'windFromDeg' }],
    });
  });
});

describe('error plugin: when to ask again', () => {
  it('sends Retry-After with a refusal that knows it, and none otherwise', async () => {
    const app = Fastify();
    await app.register(errorsPlugin);
    app.get('/api/busy', async () => {
      throw new HttpError(503, 'the printer is busy', 'id', undefined, undefined, 60);
    });
    app.get('/api/gone', async () => {
      throw new HttpError(404, 'no such drill', 'id');
    });
    const busy = await app.inject({ method: 'GET', url: '/api/busy' });
    const gone = await app.inject({ method: 'GET', url: '/api/gone' });
    await app.close();
    expect(busy.statusCode).toBe(503);
    expect(busy.headers['retry-after']).toBe('60');
    expect(busy.json().field).toBe('id');
    expect(gone.headers['retry-after']).toBeUndefined();
  });
});
