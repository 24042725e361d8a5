/**
 * Prepared statements on a bare in-memory PGlite (no PostGIS, no schema): what is kept, when
 * it is parsed again, and that transactions keep their isolation through the wrapper.
 */
import { PGlite } from '@electric-sql/pglite';
import { afterEach, describe, expect, it } from 'vitest';
import { withPreparedStatements } from './pglite-prepared.ts';

let open: PGlite[] = [];
afterEach(async () => {
  await Promise.all(open.map((c) => c.close()));
  open = [];
});

async function fresh(options?: { reparseAfterMs?: number }) {
  const client = await PGlite.create();
  open.push(client);
  await client.exec('CREATE TABLE notes (id int PRIMARY KEY, note text NOT NULL)');
  return withPreparedStatements(client, options);
}

const keptCount = async (db: PGlite) =>
  (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_prepared_statements')).rows[0]
    ?.n;

describe('PGlite with prepared statements', () => {
  it('keeps one statement per text, and parses it again once it is old', async () => {
    const db = await fresh();
    for (let i = 1; i <= 5; i++) await db.query('INSERT INTO notes VALUES ($1, $2)', [i, `n${i}`]);
    expect(await keptCount(db)).toBe(1);

    const aging = await fresh({ reparseAfterMs: 0 });
    const names = new Set<string>();
    for (let i = 1; i <= 4; i++) {
      await aging.query('INSERT INTO notes VALUES ($1, $2)', [i, `n${i}`]);
      const [row] = (await aging.query<{ name: string }>('SELECT name FROM pg_prepared_statements'))
        .rows;
      names.add(row?.name as string);
      // The old one is closed when the new one is parsed: never more than one kept.
      expect(await keptCount(aging)).toBe(1);
    }
    expect(names.size).toBe(4);
    expect((await aging.query('SELECT id FROM notes ORDER BY id')).rows).toEqual([
      { id: 1 },
      { id: 2 },
      { id: 3 },
      { id: 4 },
    ]);
  });

  it('a transaction through the wrapper commits or rolls back whole, and others wait for it', async () => {
    const db = await fresh();
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let inside = () => {};
    const begun = new Promise<void>((resolve) => {
      inside = resolve;
    });
    const tx = db.transaction(async (t) => {
      await t.query('INSERT INTO notes VALUES ($1, $2)', [1, 'in the transaction']);
      inside();
      await held;
      await t.query('INSERT INTO notes VALUES ($1, $2)', [2, 'also']);
    });
    await begun;
    // A query from outside may not run between the transaction's statements.
    const outside = db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM notes WHERE id > $1',
      [0],
    );
    release();
    await tx;
    expect((await outside).rows).toEqual([{ n: 2 }]);

    await expect(
      db.transaction(async (t) => {
        await t.query('INSERT INTO notes VALUES ($1, $2)', [3, 'rolled back']);
        await t.query('INSERT INTO notes VALUES ($1, $2)', [4, null]);
      }),
    ).rejects.toThrow(/null value/);
    expect((await db.query('SELECT id FROM notes ORDER BY id')).rows).toEqual([
      { id: 1 },
      { id: 2 },
    ]);
    // The statement that failed is parsed again and works.
    await db.query('INSERT INTO notes VALUES ($1, $2)', [4, 'now']);
    expect((await db.query('SELECT count(*)::int AS n FROM notes')).rows).toEqual([{ n: 3 }]);
  });
});
