import { type SQL, sql } from 'drizzle-orm';
import { type AnyPgColumn, check } from 'drizzle-orm/pg-core';

/** CHECK (column IN (...)) for a closed vocabulary from server/domain/vocabulary.ts. */
export function oneOf(name: string, column: AnyPgColumn, values: readonly (string | number)[]) {
  const list = sql.join(
    values.map((v) =>
      typeof v === 'number' ? sql.raw(String(v)) : sql.raw(`'${v.replace(/'/g, "''")}'`),
    ),
    sql`, `,
  );
  return check(name, sql`${column} IN (${list})`);
}

/** CHECK (column >= 0) for counts and measures that cannot be negative. */
export function nonNegative(name: string, column: AnyPgColumn): ReturnType<typeof check> {
  return check(name, sql`${column} >= 0` as SQL);
}
