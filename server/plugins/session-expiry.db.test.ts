/**
 * Sessions end on time: a bearer token unused for BEARER_IDLE_HOURS no longer signs anyone
 * in, use keeps it alive, and the minute sweep disconnects the live sockets of sessions that
 * expired or went idle.
 */
import crypto from 'node:crypto';
import { sql } from 'drizzle-orm';
import { io as connect } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../app.ts';
import type { Database } from '../db/database.ts';
import { openSmallApp, signIn } from '../testing/demo-sessions.ts';
import { testBackend } from '../testing/test-database.ts';

let database: Database;
let app: App;
let url: string;
beforeAll(async () => {
  ({ database, app } = await openSmallApp({ bearerIdleHours: 24 }));
  await app.listen({ port: 0, host: '127.0.0.1' });
  url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
}, 120_000);
afterAll(async () => {
  await app?.close();
});

const me = (token: string) =>
  app.inject({ method: 'GET', url: '/api/auth/me', headers: { authorization: `Bearer ${token}` } });

/** Moves a session's last use back by `hours`. */
async function idle(token: string, hours: number) {
  const hash = crypto.createHash('sha256').update(token).digest('hex');
  await database.query(sql`
    UPDATE sessions SET last_seen_at = now() - make_interval(hours => ${hours})
    WHERE token_hash = ${hash}`);
}

function liveSocket(token: string) {
  const socket = connect(url, {
    auth: { lastSeq: 0, token },
    transports: ['websocket'],
    reconnection: false,
  });
  const ready = new Promise<void>((resolve, reject) => {
    socket.on('connect', () => resolve());
    socket.on('connect_error', reject);
  });
  const closed = new Promise<string>((resolve) => socket.on('disconnect', resolve));
  return { socket, ready, closed };
}

describe(`session expiry (${testBackend()})`, () => {
  it('refuses a bearer token idle past BEARER_IDLE_HOURS; one in use stays signed in', async () => {
    const lapsed = await signIn(app, 'ranger');
    const used = await signIn(app, 'ranger');
    expect((await me(lapsed)).statusCode).toBe(200);
    await idle(lapsed, 25);
    await idle(used, 23);
    expect((await me(lapsed)).json().user ?? null).toBeNull();
    expect((await me(used)).json().user?.username).toBe('ranger');
    // That use moved its last use to now: another 23 hours later it is still good.
    await idle(used, 23);
    expect((await me(used)).json().user?.username).toBe('ranger');
  });

  it('disconnects the sockets of sessions that lapsed, and only those', async () => {
    const lapsed = await signIn(app, 'twp-gaocun');
    const alive = await signIn(app, 'twp-gaocun');
    const a = liveSocket(lapsed);
    const b = liveSocket(alive);
    await Promise.all([a.ready, b.ready]);
    await idle(lapsed, 30);
    expect(await app.sessionExpiry.sweep()).toBeGreaterThanOrEqual(1);
    expect(await a.closed).toBe('io server disconnect');
    await new Promise((r) => setTimeout(r, 200));
    expect(b.socket.connected).toBe(true);
    b.socket.disconnect();
  });
});
