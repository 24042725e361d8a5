/**
 * Applies migrations/ on either backend with drizzle's migrator, which records each applied
 * migration in drizzle.__drizzle_migrations and skips it on every later start.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import type { Database } from './database.ts';

export const MIGRATIONS_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../migrations',
);

interface JournalEntry {
  idx: number;
  tag: string;
  when: number;
}

export function readJournal(dir = MIGRATIONS_DIR): JournalEntry[] {
  const journal = JSON.parse(fs.readFileSync(path.join(dir, 'meta/_journal.json'), 'utf8')) as {
    entries: JournalEntry[];
  };
  return journal.entries;
}

export interface MigrationLevel {
  /** Number of migrations applied in this database. */
  applied: number;
  /** Number of migrations this build ships. */
  available: number;
  /** Tag of the newest applied migration, e.g. "0002_append_only". */
  latest: string | null;
}

/** Apply every migration not yet applied. Returns how many were applied now. */
export async function migrate(database: Database): Promise<number> {
  const before = (await migrationLevel(database)).applied;
  const config = { migrationsFolder: MIGRATIONS_DIR };
  if (database.kind === 'embedded') {
    const { migrate: run } = await import('drizzle-orm/pglite/migrator');
    await run(database.db as never, config);
  } else {
    const { migrate: run } = await import('drizzle-orm/postgres-js/migrator');
    await run(database.db as never, config);
  }
  return (await migrationLevel(database)).applied - before;
}

export async function migrationLevel(database: Database): Promise<MigrationLevel> {
  const journal = readJournal();
  const exists = await database.query<{ present: boolean }>(
    sql`SELECT to_regclass('drizzle.__drizzle_migrations') IS NOT NULL AS present`,
  );
  if (!exists[0]?.present) return { applied: 0, available: journal.length, latest: null };
  const rows = await database.query<{ created_at: string | number }>(
    sql`SELECT created_at FROM drizzle.__drizzle_migrations ORDER BY created_at`,
  );
  // drizzle stores each migration's journal `when` as created_at; map it back to a tag.
  const applied = new Set(rows.map((r) => Number(r.created_at)));
  const appliedEntries = journal.filter((e) => applied.has(e.when));
  return {
    applied: rows.length,
    available: journal.length,
    latest: appliedEntries.at(-1)?.tag ?? null,
  };
}
