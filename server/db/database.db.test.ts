/**
 * A transaction's pipeline (TxQuery.pipeline): statements sent together run in the order
 * given, each with its own snapshot; one that fails leaves nothing written; a pipeline that
 * commits has committed when it resolves, and the transaction takes nothing after it.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, testBackend } from '../testing/test-database.ts';
import type { Database } from './database.ts';

let database: Database;
beforeAll(async () => {
  database = await openTestDatabase();
  await database.query(sql`CREATE TABLE pipeline_notes (id int PRIMARY KEY, note text NOT NULL)`);
}, 60_000);
afterAll(async () => {
  await database?.close();
});

const notes = async () =>
  (await database.query<{ id: number }>(sql`SELECT id FROM pipeline_notes ORDER BY id`)).map((r) =>
    Number(r.id),
  );
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const KEY = 7_381_099;
/** An error's message and its causes' (drizzle wraps the driver's error on one backend). */
const messages = (err: unknown): string =>
  err instanceof Error ? `${err.message} ${messages(err.cause)}` : '';

describe(`a transaction's pipeline on the ${testBackend()} backend`, () => {
  it('runs the statements in the order given and gives each one its own rows', async () => {
    const rows = await database.transaction((q) =>
      q.pipeline([
        sql`INSERT INTO pipeline_notes VALUES (1, 'a') RETURNING id`,
        sql`SELECT count(*)::int AS n FROM pipeline_notes`,
        sql`UPDATE pipeline_notes SET note = 'b' WHERE id = 1 RETURNING note`,
        sql`SELECT note FROM pipeline_notes WHERE id = 1`,
      ]),
    );
    expect(rows).toEqual([[{ id: 1 }], [{ n: 1 }], [{ note: 'b' }], [{ note: 'b' }]]);
  });

  it('a read sent after a lock sees what the lock’s last holder committed', async () => {
    // The holder takes the lock, writes, waits a little and commits; the reader's lock and read
    // leave together while the holder still holds it. One statement for both would read
    // with a snapshot taken before the lock was granted and miss the holder's row.
    let locked = () => {};
    const holding = new Promise<void>((resolve) => {
      locked = resolve;
    });
    const holder = database.transaction(async (q) => {
      await q(sql`SELECT pg_advisory_xact_lock(${KEY})`);
      await q(sql`INSERT INTO pipeline_notes VALUES (2, 'held')`);
      locked();
      await sleep(200);
    });
    await holding;
    const [, seen] = await database.transaction((q) =>
      q.pipeline([
        sql`SELECT pg_advisory_xact_lock(${KEY})`,
        sql`SELECT count(*)::int AS n FROM pipeline_notes WHERE id = 2`,
      ]),
    );
    await holder;
    expect(seen).toEqual([{ n: 1 }]);
  });

  it('a statement that fails fails the pipeline and leaves nothing of the transaction', async () => {
    const before = await notes();
    await expect(
      database.transaction(async (q) => {
        await q(sql`INSERT INTO pipeline_notes VALUES (3, 'before the pipeline')`);
        await q.pipeline(
          [
            sql`INSERT INTO pipeline_notes VALUES (4, 'in it')`,
            sql`INSERT INTO pipeline_notes VALUES (5, NULL)`,
            sql`INSERT INTO pipeline_notes VALUES (6, 'after the failure')`,
          ],
          { commit: true },
        );
      }),
    ).rejects.toSatisfy((err) => /null value|not-null/.test(messages(err)));
    expect(await notes()).toEqual(before);
  });

  it('a committing pipeline has committed when it resolves; nothing is sent after it', async () => {
    let committedBeforeReturn: number[] = [];
    let after: unknown = null;
    const value = await database.transaction(async (q) => {
      await q.pipeline([sql`INSERT INTO pipeline_notes VALUES (7, 'committed')`], {
        commit: true,
      });
      if (testBackend() === 'server') {
        // Another connection sees the row before the transaction's work has returned.
        committedBeforeReturn = (
          await database.query<{ id: number }>(sql`SELECT id FROM pipeline_notes WHERE id = 7`)
        ).map((r) => Number(r.id));
        after = await q(sql`SELECT 1`).then(
          () => 'sent',
          (err: Error) => err.message,
        );
      }
      return 'done';
    });
    expect(value).toBe('done');
    expect(await notes()).toContain(7);
    if (testBackend() === 'server') {
      expect(committedBeforeReturn).toEqual([7]);
      expect(after).toMatch(/has committed/);
    }
  });

  it('a transaction that throws after its reads rolls back what it wrote', async () => {
    await expect(
      database.transaction(async (q) => {
        await q(sql`INSERT INTO pipeline_notes VALUES (8, 'rolled back')`);
        await q.db.execute(sql`SELECT 1`);
        throw new Error('refused');
      }),
    ).rejects.toThrow('refused');
    expect(await notes()).not.toContain(8);
  });
});
