/**
 * A Socket.IO handshake that fails inside the server says so in plain words: the database's
 * own error text (table names, SQL) never reaches the client.
 */
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
  ({ database, app } = await openSmallApp());
  await app.listen({ port: 0, host: '127.0.0.1' });
  url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
}, 120_000);
afterAll(async () => {
  await app?.close();
});

function handshakeError(auth: Record<string, unknown>): Promise<string> {
  const socket = connect(url, { auth, transports: ['websocket'], reconnection: false });
  return new Promise<string>((resolve, reject) => {
    socket.on('connect_error', (e) => {
      socket.disconnect();
      resolve(e.message);
    });
    socket.on('connect', () => {
      socket.disconnect();
      reject(new Error('the handshake was accepted'));
    });
  });
}

describe(`live handshake errors (${testBackend()})`, () => {
  it('answers a database failure during the handshake without its SQL text', async () => {
    const token = await signIn(app, 'twp-gaocun');
    // The session table is gone for a moment (a failed migration, a dropped connection):
    // what the database says about it must stay in the server's log.
    await database.query(sql`ALTER TABLE sessions RENAME TO sessions_away`);
    try {
      const message = await handshakeError({ lastSeq: 0, token });
      expect(message).not.toMatch(/sessions|relation|SELECT|syntax|column/i);
      expect(message).toMatch(/try again/);
    } finally {
      await database.query(sql`ALTER TABLE sessions_away RENAME TO sessions`);
    }
  });

  it('still says what was wrong with a bad handshake and an expired session', async () => {
    expect(await handshakeError({ lastSeq: -1 })).toContain('lastSeq');
    expect(await handshakeError({ lastSeq: 0, token: 'not-a-session' })).toContain('sign in');
  });
});
