/**
 * One error shape for every failure: `{ error, message, field?, code, params? }`
 * (server/contract/errors.ts). Bad input is a 4xx that names the field; a refusal a user
 * meets carries a stable `code` the client translates; anything unexpected is logged in full
 * and answered with a 500 that leaks nothing.
 */

import { STATUS_CODES } from 'node:http';
import type { FastifyError, FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import {
  type ErrorBody,
  ErrorBodySchema,
  type ErrorCode,
  type ErrorParams,
  genericCode,
} from '../contract/errors.ts';
import { DomainError } from '../domain/errors.ts';

export type { ErrorBody };

/** Thrown by services and repositories for domain-level refusals (409, 422, 403 …). */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
    readonly field?: string,
    /** The stable code the client translates; by default the status's generic one. */
    readonly code?: ErrorCode,
    readonly params?: ErrorParams,
    /** Sent as Retry-After (seconds) with a 429 or 503: when asking again may succeed. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

interface AjvLikeError {
  instancePath?: string;
  keyword?: string;
  message?: string;
  params?: Record<string, unknown>;
}

/** `/position/lon` → `position.lon`; a missing property names itself. */
export function fieldOf(v: AjvLikeError): string | undefined {
  const base = (v.instancePath ?? '').replace(/^\//, '').replace(/\//g, '.');
  const extra =
    (v.params?.missingProperty as string | undefined) ??
    (v.params?.additionalProperty as string | undefined) ??
    // TypeBox's own compiler names them in lists.
    (v.params?.requiredProperties as string[] | undefined)?.[0] ??
    (v.params?.additionalProperties as string[] | undefined)?.[0];
  const joined = [base, extra].filter(Boolean).join('.');
  return joined === '' ? undefined : joined;
}

/** PostgreSQL SQLSTATEs that mean the request, not the server, was wrong. */
const PG_CLIENT_ERRORS: Record<string, number> = {
  '23505': 409, // unique_violation
  '23503': 422, // foreign_key_violation
  '23514': 422, // check_violation
  '23502': 422, // not_null_violation
  '22P02': 400, // invalid_text_representation
  '22023': 400, // invalid_parameter_value (e.g. bad GeoJSON for ST_GeomFromGeoJSON)
  XX000: 500,
};

function pgErrorOf(err: unknown): { code: string; constraint?: string; column?: string } | null {
  for (
    let e: unknown = err, depth = 0;
    e && depth < 4;
    e = (e as { cause?: unknown }).cause, depth++
  ) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) {
      const c = e as {
        constraint?: string;
        constraint_name?: string;
        column?: string;
        column_name?: string;
      };
      return {
        code,
        constraint: c.constraint ?? c.constraint_name,
        column: c.column ?? c.column_name,
      };
    }
  }
  return null;
}

export function errorBody(
  statusCode: number,
  message: string,
  field?: string,
  code?: ErrorCode,
  params?: ErrorParams,
): ErrorBody {
  const body: ErrorBody = {
    error: STATUS_CODES[statusCode] ?? 'Error',
    message,
    code: code ?? genericCode(statusCode),
  };
  if (field !== undefined) body.field = field;
  if (params !== undefined) body.params = params;
  return body;
}

export default fp(
  async (app: FastifyInstance) => {
    // Every API route declares the error shape for its 4xx answers (and so does the OpenAPI
    // document), unless it declares its own for a status.
    app.addHook('onRoute', (route) => {
      if (!route.url.startsWith('/api/')) return;
      route.schema = route.schema ?? {};
      const response = (route.schema.response ?? {}) as Record<string, unknown>;
      if (!('4xx' in response)) response['4xx'] = ErrorBodySchema;
      route.schema.response = response;
    });
    app.setErrorHandler((err: FastifyError, request, reply) => {
      if (err.validation && err.validation.length > 0) {
        const first = err.validation[0] as AjvLikeError;
        const where = err.validationContext ?? 'request';
        // A wrong body as a whole ("body must be object") names the body itself.
        const field = fieldOf(first) ?? where;
        const message = `${where}${field ? `.${field}` : ''} ${first.message ?? 'is invalid'}`;
        return reply.status(400).send(errorBody(400, message, field));
      }
      if (err instanceof DomainError) {
        return reply
          .status(err.status)
          .send(errorBody(err.status, err.message, err.field, err.code, err.params));
      }
      if (err instanceof HttpError) {
        if (err.retryAfterSeconds !== undefined)
          reply.header('retry-after', Math.max(1, Math.ceil(err.retryAfterSeconds)));
        return reply
          .status(err.statusCode)
          .send(errorBody(err.statusCode, err.message, err.field, err.code, err.params));
      }
      const pg = pgErrorOf(err);
      if (pg && PG_CLIENT_ERRORS[pg.code] && (PG_CLIENT_ERRORS[pg.code] ?? 500) < 500) {
        const status = PG_CLIENT_ERRORS[pg.code] as number;
        request.log.info(
          { code: pg.code, constraint: pg.constraint },
          'request refused by a database constraint',
        );
        return reply
          .status(status)
          .send(
            errorBody(
              status,
              `refused by rule ${pg.constraint ?? pg.code}`,
              pg.column ?? pg.constraint,
            ),
          );
      }
      const status = typeof err.statusCode === 'number' ? err.statusCode : 500;
      if (status >= 400 && status < 500) {
        // Fastify's own refusals of a body it cannot parse (FST_ERR_CTP_*: bad JSON, empty
        // JSON, unsupported media type, too large) are about the body.
        const field = err.code?.startsWith('FST_ERR_CTP_') ? 'body' : undefined;
        return reply.status(status).send(errorBody(status, err.message, field));
      }
      request.log.error({ err }, 'unhandled error');
      return reply.status(500).send(errorBody(500, 'internal error; the event is logged'));
    });

    app.setNotFoundHandler((request, reply) => {
      reply
        .status(404)
        .send(errorBody(404, `no route ${request.method} ${request.url.split('?')[0]}`));
    });
  },
  { name: 'errors' },
);
