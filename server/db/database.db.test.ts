/**
 * A transaction's pipeline (TxQuery.pipeline): statements sent together run in the order
 * given, each with its own snapshot; one that fails leaves nothing written; a pipeline that
 * commits has committed when it resolves, and the transaction takes nothing after it.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, testBackend } from '../testing/test-database.ts';
import type { Database } from './database.ts';
import { MAX_STATEMENTS } from './pglite-prepared.ts';
import { PREPARED_MAX_PARAMS } from './prepared-statements.ts';

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

  it('a statement that failed fails the transaction even when the work caught its error', async () => {
    await expect(
      database.transaction(async (q) => {
        await q(sql`INSERT INTO pipeline_notes VALUES (9, 'kept?')`);
        await q(sql`INSERT INTO pipeline_notes VALUES (${10}, ${null})`).catch(() => {});
        return 'carried on';
      }),
    ).rejects.toSatisfy((err) => /null value|not-null/.test(messages(err)));
    expect(await notes()).not.toContain(9);
  });
});

describe(`prepared statements on the ${testBackend()} backend`, () => {
  it('keeps short statements prepared on the connection, long ones not', async () => {
    const kept = await database.transaction(async (q) => {
      const ids = (n: number) =>
        sql.join(
          Array.from({ length: n }, (_, i) => sql`${i}`),
          sql`, `,
        );
      await q(sql`SELECT /* few */ count(*) FROM pipeline_notes WHERE id IN (${ids(3)})`);
      await q(sql`SELECT /* many */ count(*) FROM pipeline_notes WHERE id IN (${ids(200)})`);
      return q<{ statement: string }>(
        sql`SELECT statement FROM pg_prepared_statements WHERE statement ~ '/\\* (few|many) \\*/'`,
      );
    });
    expect(kept.map((r) => /\/\* (\w+) \*\//.exec(r.statement)?.[1])).toEqual(['few']);
  });

  it('a kept statement answers as the driver’s own path does, value for value', async () => {
    const at = new Date('2026-04-03T05:06:07.089Z');
    // The same query kept (one id in the list) and not (more ids than are kept).
    const probe = (ids: number) => sql`
      SELECT ${7}::int AS i, ${'山顶有烟'}::text AS t, ${at.toISOString()}::timestamptz AS at,
             ${JSON.stringify({ smoke: [1, 2] })}::jsonb AS j, ${null}::text AS nothing,
             ${true}::boolean AS b, count(*) AS c, ${2.5}::numeric AS money,
             ST_AsText(ST_MakePoint(${109.7}, ${27.9})) AS g, ARRAY[${1}, ${2}]::int[] AS arr
      FROM pipeline_notes
      WHERE id NOT IN (${sql.join(
        Array.from({ length: ids }, (_, i) => sql`${-1 - i}`),
        sql`, `,
      )})`;
    // Seven runs of the kept one: its first, and after PostgreSQL may have gone generic.
    const kept = [];
    for (let i = 0; i < 7; i++) kept.push(await database.query(probe(1)));
    const own = await database.query(probe(PREPARED_MAX_PARAMS + 1));
    for (const rows of kept) expect(rows).toEqual(own);
    expect(own[0]).toMatchObject({ i: 7, t: '山顶有烟', nothing: null, b: true });
  });

  it('a kept statement that fails is parsed again, and the database answers after it', async () => {
    const insert = (id: number, note: string | null) =>
      database.query(sql`INSERT INTO pipeline_notes VALUES (${id}, ${note})`);
    await insert(20, 'first');
    await expect(insert(21, null)).rejects.toSatisfy((err) =>
      /null value|not-null/.test(messages(err)),
    );
    await insert(22, 'after');
    expect(await notes()).toEqual(expect.arrayContaining([20, 22]));
    expect(await notes()).not.toContain(21);
  });
});

describe.runIf(testBackend() === 'embedded')('prepared statements on PGlite', () => {
  it('a table changed under a kept statement: no error outside a transaction, one at most in one', async () => {
    await database.query(sql`CREATE TABLE drift (id int PRIMARY KEY, a text)`);
    await database.query(sql`INSERT INTO drift VALUES (1, 'x')`);
    const reading = sql`SELECT * FROM drift WHERE id = ${1}`;
    const read = () => database.query(reading);
    expect(await read()).toEqual([{ id: 1, a: 'x' }]);
    await database.query(sql`ALTER TABLE drift ADD COLUMN b int DEFAULT 5`);
    // PostgreSQL refuses a kept plan whose columns changed; outside a transaction the
    // statement is parsed again and run at once.
    expect(await read()).toEqual([{ id: 1, a: 'x', b: 5 }]);
    await database.query(sql`ALTER TABLE drift ADD COLUMN c int DEFAULT 6`);
    // In a transaction the refusal fails it; the next one has the statement parsed afresh.
    await database.transaction((q) => q(reading)).catch(() => {});
    expect(await database.transaction((q) => q(reading))).toEqual([{ id: 1, a: 'x', b: 5, c: 6 }]);
  });

  it('keeps at most MAX_STATEMENTS statements, and answers every one beyond them', async () => {
    const answers: number[] = [];
    for (let i = 0; i < MAX_STATEMENTS + 40; i++) {
      const [row] = await database.query<{ n: number }>(
        sql`SELECT ${i}::int + ${sql.raw(String(i))} AS n`,
      );
      answers.push(Number(row?.n));
    }
    expect(answers).toEqual(Array.from({ length: MAX_STATEMENTS + 40 }, (_, i) => 2 * i));
    const [held] = await database.query<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM pg_prepared_statements`,
    );
    expect(Number(held?.n)).toBeLessThanOrEqual(MAX_STATEMENTS);
  });
});

describe.runIf(testBackend() === 'server')('server transactions and their connections', () => {
  it('a connection lost in a transaction fails it, and is not handed out again', async () => {
    await expect(
      database.transaction(async (q) => {
        const [me] = await q<{ pid: number }>(sql`SELECT pg_backend_pid() AS pid`);
        await database.query(sql`SELECT pg_terminate_backend(${me?.pid})`);
        await q(sql`INSERT INTO pipeline_notes VALUES (11, 'after the loss')`);
      }),
    ).rejects.toBeTruthy();
    // More queries at once than the pool has connections, then transactions: a dead
    // connection back among the open ones would leave one of them unanswered.
    // (postgres-js 3.4 hands the first query on the reconnected connection the server's
    // stale FATAL, so one may fail; none may hang.)
    const answers = await Promise.allSettled(
      Array.from({ length: 25 }, (_, i) =>
        database.query<{ n: number }>(sql`SELECT ${i}::int AS n`),
      ),
    );
    const answered = answers.flatMap((a) => (a.status === 'fulfilled' ? [a.value[0]?.n] : []));
    expect(answered.length).toBeGreaterThanOrEqual(24);
    for (let i = 0; i < 12; i++)
      expect(await database.transaction((q) => q(sql`SELECT 1 AS one`))).toEqual([{ one: 1 }]);
    expect(await notes()).not.toContain(11);
  }, 30_000);
});
