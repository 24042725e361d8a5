import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { buildApp } from './app.ts';
import { openTestDatabase } from './testing/test-database.ts';

describe('graceful close', () => {
  it('stops accepting, finishes in-flight requests, then closes the database', async () => {
    const database = await openTestDatabase();
    const app = await buildApp({ config: { logLevel: 'silent', bodyLimitBytes: 4096 }, database });
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => {
      release = r;
    });
    app.get('/test/slow', async () => {
      await gate;
      const [row] = await database.query<{ v: number }>(sql`SELECT 42 AS v`);
      return { v: row?.v };
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;

    const inFlight = fetch(`${base}/test/slow`);
    await new Promise((r) => setTimeout(r, 100));
    const closing = app.close();
    await new Promise((r) => setTimeout(r, 100));
    // Closing: new work is refused while the in-flight request is still running — the
    // connection itself once the listener has stopped, or (while close's hooks still run on a
    // busy machine) a 503 from the closing server.
    const fresh = await fetch(`${base}/api/health`).then(
      (r) => r.status,
      () => 'refused',
    );
    expect([503, 'refused']).toContain(fresh);
    release();
    const res = await inFlight;
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ v: 42 });
    await closing;
    await expect(database.query(sql`SELECT 1`)).rejects.toThrow();
  });
});
