/**
 * Bounds that JSON Schema validation with type coercion lets slip, checked once for every
 * route after validation and before any handler runs:
 * - a query string "Infinity" or "1e309" is coerced to a number that passes `minimum` and
 *   `maximum` (the bound is compared before coercion), and reaches SQL as `LIMIT Infinity`;
 * - an integer with no declared maximum may exceed PostgreSQL's `integer`;
 * - a date-time may name the year 1900 or 2999;
 * - a string may hold NUL characters, which PostgreSQL text cannot store.
 * Each is answered 400 naming the field, as schema errors are. Routes that validate a body
 * themselves (a report as JSON or multipart) call `assertInBounds` with their schema.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { HttpError } from './errors.ts';

/** PostgreSQL's `integer`: the widest most columns and LIMIT/OFFSET arguments take here. */
const INT_MIN = -2_147_483_648;
const INT_MAX = 2_147_483_647;
/** Dates this product stores: nothing before 1970 or after 2100 is a real observation. */
const YEAR_MIN = 1970;
const YEAR_MAX = 2100;

interface Schema {
  type?: string | string[];
  properties?: Record<string, Schema>;
  items?: Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  format?: string;
  minimum?: number;
  maximum?: number;
}

const typesOf = (s: Schema): string[] => (Array.isArray(s.type) ? s.type : s.type ? [s.type] : []);

/** The first value out of bounds under `schema`, as a dotted field path and a reason. */
export function outOfBounds(
  schema: Schema | undefined,
  value: unknown,
  path: string,
): { field: string; reason: string } | null {
  if (!schema || value === null || value === undefined) return null;
  const here = path === '' ? 'value' : path;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return { field: here, reason: 'must be a finite number' };
    if (typesOf(schema).includes('integer')) {
      const min = Math.min(schema.minimum ?? INT_MIN, INT_MIN);
      const max = Math.max(schema.maximum ?? INT_MAX, INT_MAX);
      if (value < min || value > max || !Number.isSafeInteger(value)) {
        return { field: here, reason: `must be an integer from ${INT_MIN} to ${INT_MAX}` };
      }
    }
    return null;
  }
  if (typeof value === 'string') {
    // PostgreSQL text cannot hold U+0000; refuse it here rather than fail in SQL.
    if (value.includes('\u0000')) return { field: here, reason: 'must not contain NUL characters' };
    if (schema.format === 'date-time' || schema.format === 'date') {
      const year = new Date(value).getUTCFullYear();
      if (!Number.isNaN(year) && (year < YEAR_MIN || year > YEAR_MAX)) {
        return { field: here, reason: `must be a date from ${YEAR_MIN} to ${YEAR_MAX}` };
      }
    }
    return null;
  }
  for (const alt of [...(schema.anyOf ?? []), ...(schema.oneOf ?? []), ...(schema.allOf ?? [])]) {
    const bad = outOfBounds(alt, value, path);
    if (bad) return bad;
  }
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      const bad = outOfBounds(schema.items, item, `${path}${path ? '.' : ''}${i}`);
      if (bad) return bad;
    }
    return null;
  }
  if (typeof value === 'object' && schema.properties) {
    for (const [key, sub] of Object.entries(schema.properties)) {
      const bad = outOfBounds(
        sub,
        (value as Record<string, unknown>)[key],
        path ? `${path}.${key}` : key,
      );
      if (bad) return bad;
    }
  }
  return null;
}

/** Throws the 400 for the first value of `value` out of bounds under `schema`. */
export function assertInBounds(schema: unknown, value: unknown, part: string): void {
  const bad = outOfBounds(schema as Schema, value, '');
  if (bad) throw new HttpError(400, `${part}.${bad.field} ${bad.reason}`, bad.field);
}

/** A number as people write it: digits, an optional fraction and exponent (no 0x, 0b, 0o, spaces). */
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

const numeric = (s: Schema): boolean =>
  typesOf(s).some((t) => t === 'number' || t === 'integer') ||
  [...(s.anyOf ?? []), ...(s.oneOf ?? [])].some(numeric);

/**
 * The first numeric query parameter whose text is not a decimal number. Coercion reads
 * `0x10` as 16, `0b11` as 3 and ` 7 ` as 7, so a wind from "0x10" degrees would pass as 16°;
 * the text as sent is checked here.
 */
export function nonDecimalQuery(
  schema: Schema | undefined,
  search: URLSearchParams,
): { field: string; reason: string } | null {
  for (const [key, sub] of Object.entries(schema?.properties ?? {})) {
    if (!numeric(sub)) continue;
    for (const text of search.getAll(key))
      if (!DECIMAL.test(text)) return { field: key, reason: 'must be a decimal number' };
  }
  return null;
}

function check(request: FastifyRequest): void {
  const schema = request.routeOptions.schema as
    | { querystring?: Schema; params?: Schema; body?: Schema }
    | undefined;
  if (!schema) return;
  const query = request.url.indexOf('?');
  if (schema.querystring && query >= 0) {
    const bad = nonDecimalQuery(
      schema.querystring,
      new URLSearchParams(request.url.slice(query + 1)),
    );
    if (bad) throw new HttpError(400, `querystring.${bad.field} ${bad.reason}`, bad.field);
  }
  for (const [part, value] of [
    ['querystring', request.query],
    ['params', request.params],
    ['body', request.body],
  ] as const) {
    assertInBounds(schema[part], value, part);
  }
}

export default fp(
  async (app: FastifyInstance) => {
    app.addHook('preHandler', async (request) => check(request));
  },
  { name: 'input-bounds' },
);
