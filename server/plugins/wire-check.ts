/**
 * A check for the wire contract, on when WIRE_CHECK_LOG names a file: every JSON answer is
 * compared with what the handler returned, and any difference the response schema made (a
 * field dropped, a null turned into "" or 0, a string turned into a number) is appended to
 * that file as one line. The serializer changes answers silently; this says where.
 */
import fs from 'node:fs';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/** The first place two JSON values differ, as a path, or null when they are equal. */
export function firstDifference(a: unknown, b: unknown, at = '$'): string | null {
  if (a === b) return null;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object')
    return `${at}: ${JSON.stringify(a)?.slice(0, 80)} → ${JSON.stringify(b)?.slice(0, 80)}`;
  if (Array.isArray(a) !== Array.isArray(b)) return `${at}: array ≠ object`;
  const ka = Object.keys(a as object);
  const kb = Object.keys(b as object);
  for (const k of ka) {
    if (!kb.includes(k)) return `${at}.${k}: dropped`;
    const d = firstDifference(
      (a as Record<string, unknown>)[k],
      (b as Record<string, unknown>)[k],
      `${at}.${k}`,
    );
    if (d) return d;
  }
  for (const k of kb) if (!ka.includes(k)) return `${at}.${k}: added`;
  return null;
}

const expected = new WeakMap<object, unknown>();

export default fp(
  async (app: FastifyInstance) => {
    const log = process.env.WIRE_CHECK_LOG;
    if (!log) return;
    app.addHook('preSerialization', async (request, _reply, payload) => {
      if (payload !== null && typeof payload === 'object')
        expected.set(request, JSON.parse(JSON.stringify(payload)));
      return payload;
    });
    app.addHook('onSend', async (request, reply, payload) => {
      if (!expected.has(request) || typeof payload !== 'string') return payload;
      let sent: unknown;
      try {
        sent = JSON.parse(payload);
      } catch {
        return payload;
      }
      const d = firstDifference(expected.get(request), sent);
      if (d)
        fs.appendFileSync(
          log,
          `${request.method} ${request.routeOptions.url} ${reply.statusCode} ${d}\n`,
        );
      return payload;
    });
  },
  { name: 'wire-check' },
);
