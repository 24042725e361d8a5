/**
 * One code path, two backends (design.md): DATABASE_URL set → PostgreSQL/PostGIS through the
 * `postgres` driver; unset → embedded PGlite with its PostGIS extension under DATA_DIR.
 * Everything above this file sees the same drizzle database and the same `query` helper.
 */

import fs from 'node:fs';
import path from 'node:path';
import type { SQL } from 'drizzle-orm';
import { type PgDatabase, PgDialect, type PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { withPreparedStatements } from './pglite-prepared.ts';
import { preparable } from './prepared-statements.ts';
import * as schema from './schema/index.ts';

export type AppDatabase = PgDatabase<PgQueryResultHKT, typeof schema>;
export type BackendKind = 'embedded' | 'server';

export interface Database {
  kind: BackendKind;
  db: AppDatabase;
  /** Run raw SQL and return its rows on either backend. */
  query<T extends Record<string, unknown>>(statement: SQL): Promise<T[]>;
  /** Runs `fn` in one transaction; its `query` sees and writes inside it. */
  transaction<R>(fn: (query: TxQuery) => Promise<R>): Promise<R>;
  close(): Promise<void>;
  /**
   * Try to take a session-level advisory lock on its own connection, held until released
   * or the connection drops (a node that dies frees it). Null: another session holds it.
   * Embedded: always granted, PGlite being one process's database.
   */
  leaderLock?(key: number): Promise<HeldLock | null>;
}

export interface HeldLock {
  /** Is the connection holding the lock still up? (false → the lock is gone). */
  alive(): Promise<boolean>;
  release(): Promise<void>;
}

/**
 * A transaction's handle: call it with raw SQL (PostGIS, aggregates), or build plain reads and
 * writes of typed columns with `q.db`, the drizzle query builder bound to the same transaction.
 */
export type TxQuery = (<T extends Record<string, unknown>>(statement: SQL) => Promise<T[]>) & {
  db: AppDatabase;
  /**
   * Sends the statements one after another without waiting for each answer: on the server
   * backend all of them leave in one round trip, and the database runs them in the order
   * given, each with its own snapshot (a read after a lock sees what the lock's last holder
   * committed). The first that fails fails the rest. Their rows, in the same order.
   *
   * `commit`: the pipeline is the transaction's last word and ends with its COMMIT. On the
   * server backend the COMMIT leaves with the statements, so a lock taken among them is held
   * only while the database runs them, not while their answers travel back and wait for a
   * busy event loop to send COMMIT. Nothing may be sent in the transaction after it. On the
   * embedded backend the transaction commits when its work returns, as every other does.
   */
  pipeline(statements: readonly SQL[], options?: { commit?: boolean }): Promise<Row[][]>;
};

type Row = Record<string, unknown>;

/** A statement and what its rows mean: what `pipelined` sends together. */
export interface Step<T> {
  statement: SQL;
  read(rows: Row[]): T;
}

/** Sends the steps in one pipeline (TxQuery.pipeline) and reads each one's rows. */
export async function pipelined<S extends readonly Step<unknown>[]>(
  q: TxQuery,
  ...steps: S
): Promise<{ -readonly [K in keyof S]: S[K] extends Step<infer T> ? T : never }> {
  const results = await q.pipeline(steps.map((s) => s.statement));
  return steps.map((s, i) => s.read(results[i] ?? [])) as {
    -readonly [K in keyof S]: S[K] extends Step<infer T> ? T : never;
  };
}

/** One statement after another, each awaited: the pipeline of a backend that has none. */
function oneByOne(run: (statement: SQL) => Promise<Row[]>): TxQuery['pipeline'] {
  return async (statements) => {
    const out: Row[][] = [];
    for (const s of statements) out.push(await run(s));
    return out;
  };
}

/** A handle like a transaction's that runs each statement on its own (for reads). */
export function autocommit(database: Database): TxQuery {
  const q = <T extends Record<string, unknown>>(statement: SQL) => database.query<T>(statement);
  return Object.assign(q, { db: database.db, pipeline: oneByOne(q) });
}

/** The handle `transaction` gives its work, over one drizzle transaction. */
function txHandle(tx: { execute(statement: SQL): Promise<unknown> }): TxQuery & {
  failure: () => unknown;
} {
  let failure: unknown = null;
  const q = async <T extends Record<string, unknown>>(statement: SQL) => {
    try {
      return rowsOf<T>(await tx.execute(statement));
    } catch (err) {
      failure ??= err;
      throw err;
    }
  };
  // A drizzle transaction is a drizzle database confined to the transaction.
  return Object.assign(q, {
    db: tx as unknown as AppDatabase,
    pipeline: oneByOne(q),
    failure: () => failure,
  });
}

/**
 * The embedded backend's transaction: drizzle's, failed by any statement that failed, even
 * when the work caught the error (COMMIT of an aborted transaction rolls back without one).
 */
function embeddedTransaction<R>(
  db: { transaction<T>(fn: (tx: never) => Promise<T>): Promise<T> },
  fn: (q: TxQuery) => Promise<R>,
): Promise<R> {
  return db.transaction(async (tx: { execute(statement: SQL): Promise<unknown> }) => {
    const q = txHandle(tx);
    const result = await fn(q);
    const failed = q.failure();
    if (failed) throw failed;
    return result;
  });
}

/** What the server backend's transactions use of a postgres-js client. */
interface ServerDriver {
  reserve(): Promise<ReservedDriver>;
}
interface ReservedDriver {
  unsafe(
    text: string,
    args?: unknown[],
    options?: Record<string, unknown>,
  ): PromiseLike<Iterable<Row>> & { execute(): PromiseLike<Iterable<Row>> };
  release(): void;
}

/**
 * A transaction of the server backend on a connection reserved for it, BEGIN and COMMIT sent
 * by hand (postgres-js's own `begin` returns the connection to the pool as soon as the server
 * says no transaction is open, so it cannot carry a COMMIT in a pipeline: TxQuery.pipeline).
 * BEGIN leaves with the work's first statements; whatever fails rolls the whole back, and a
 * statement that failed fails the transaction even if the work caught its error. A
 * connection lost on the way is neither rolled back nor handed back (the driver has it among
 * its closed ones). `q.db`, the query builder, is made on first use (building drizzle costs
 * ~0.4 ms).
 *
 * One hazard stays with prepared statements: when the server refuses a kept statement because
 * a table it reads changed type under it (a migration run by another node while this one
 * serves), postgres-js prepares it again and re-sends it after whatever was pipelined behind
 * it, a COMMIT included. Hence: stop every node before a migration (README, two nodes).
 */
async function serverTransaction<R>(
  client: ServerDriver,
  dbOn: (reserved: ReservedDriver) => AppDatabase,
  fn: (q: TxQuery) => Promise<R>,
): Promise<R> {
  const reserved = await client.reserve();
  /** COMMIT sent in a pipeline; or the transaction over: nothing more may be sent. */
  let closed: string | null = null;
  /** The first statement that failed: the transaction is aborted, whatever the work did. */
  let failure: unknown = null;
  /** The connection itself failed: it is gone, not to be rolled back nor handed back. */
  let lost = false;
  const heard = <T>(sent: PromiseLike<T>): Promise<T> =>
    Promise.resolve(sent).catch((err: unknown) => {
      failure ??= err;
      if (isConnectionError(err)) lost = true;
      throw err;
    });
  const send = (statement: SQL) => {
    if (closed) throw new Error(`the transaction ${closed}: nothing more may be sent in it`);
    const { sql: text, params } = pgDialect.sqlToQuery(statement);
    return heard(reserved.unsafe(text, params, { prepare: preparable(params) }).execute());
  };
  try {
    const begun = heard(reserved.unsafe('BEGIN').execute());
    // Heard here if the work fails first (then the work's own error is the one thrown).
    begun.catch(() => {});
    const q = async <T extends Record<string, unknown>>(statement: SQL) =>
      [...(await send(statement))] as T[];
    const pipeline: TxQuery['pipeline'] = async (statements, options) => {
      const sent = statements.map(send);
      if (options?.commit) {
        sent.push(heard(reserved.unsafe('COMMIT').execute()));
        closed = 'has committed';
      }
      // All awaited together: a failure of one never goes unheard.
      const results = await Promise.all(sent);
      return results.slice(0, statements.length).map((rows) => [...rows]);
    };
    let db: AppDatabase | undefined;
    const handle = Object.assign(q, { pipeline }) as TxQuery;
    Object.defineProperty(handle, 'db', {
      get: () => {
        db ??= dbOn(reserved);
        return db;
      },
    });
    const result = await fn(handle);
    await begun;
    // A statement failed and the work went on (caught it): COMMIT would roll back quietly.
    if (failure) throw failure;
    if (!closed) await heard(reserved.unsafe('COMMIT'));
    return result;
  } catch (err) {
    // After a COMMIT that went through, ROLLBACK finds no transaction and says so harmlessly.
    if (!lost) await Promise.resolve(reserved.unsafe('ROLLBACK')).catch(() => {});
    throw err;
  } finally {
    closed = 'is over';
    // A lost connection is already among the driver's closed ones; handing it back would put
    // it among the open ones, and the next query on it would never be answered.
    if (!lost) reserved.release();
  }
}

/**
 * postgres-js's own errors for a connection that closed, ended, was destroyed or timed out,
 * and the socket's (ECONNRESET…), which carry `errno`, and the server's FATAL ones (session
 * terminated); not the server's errors of a statement nor the driver's refusals of one.
 */
function isConnectionError(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  // The server ending the session (terminated, shut down: FATAL) closes the connection too.
  const severity = (err as { severity?: unknown }).severity;
  return 'errno' in err || severity === 'FATAL' || severity === 'PANIC';
}

const pgDialect = new PgDialect();

const INT8_OID = 20;
/** An int8 as a number when exact (every count and sequence here), else its text. */
export function parseInt8(text: string): number | string {
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : text;
}

/** postgres-js returns an array of rows, PGlite `{ rows }`. */
function rowsOf<T>(result: unknown): T[] {
  return (Array.isArray(result) ? [...result] : (result as { rows: T[] }).rows) as T[];
}

export interface OpenOptions {
  /** PostgreSQL connection string; absent → embedded. */
  databaseUrl?: string | undefined;
  /** Embedded data directory (PGlite files live in `<dataDir>/pglite`). */
  dataDir?: string;
  /** Server pool size. */
  maxConnections?: number;
}

export class DatabaseLockedError extends Error {
  constructor(dir: string, pid: number) {
    super(`The embedded database at ${dir} is in use by process ${pid}; stop it first.`);
    this.name = 'DatabaseLockedError';
  }
}

export async function openDatabase(options: OpenOptions): Promise<Database> {
  if (options.databaseUrl) return openServer(options.databaseUrl, options.maxConnections ?? 10);
  if (!options.dataDir)
    throw new Error('openDatabase: dataDir is required for the embedded backend');
  return openEmbedded(path.join(options.dataDir, 'pglite'));
}

/**
 * The driver with parameterised statements prepared once per connection and reused (those
 * `preparable` says: prepared-statements.ts).
 * drizzle asks postgres-js for unnamed statements, and an unnamed statement with parameters
 * costs two round trips (Parse and Describe, then Bind and Execute): under load each round
 * trip waits its turn on the event loop, and the intake's locks are held across them
 * (issue 17: writes that scale). A prepared statement is one round trip from its second use.
 * The statements are kept per connection by postgres-js and go with it (connections are
 * recycled after 30–60 minutes).
 */
function preparing<S extends object>(client: S): S {
  const driver = client as unknown as PreparingDriver;
  return new Proxy(client, {
    get(target, prop, receiver) {
      if (prop === 'unsafe')
        return (text: string, args?: unknown[], options?: Record<string, unknown>) =>
          driver.unsafe(text, args, { ...options, prepare: preparable(args ?? []) });
      if (prop === 'begin')
        return (...args: unknown[]) => {
          const fn = args[args.length - 1] as (tx: object) => unknown;
          return driver.begin(...args.slice(0, -1), (tx: object) => fn(preparing(tx)));
        };
      return Reflect.get(target, prop, receiver);
    },
  });
}

/** What `preparing` calls of a postgres-js client (its own type is generic over options). */
interface PreparingDriver {
  unsafe(text: string, args?: unknown[], options?: Record<string, unknown>): unknown;
  begin(...args: unknown[]): unknown;
}

async function openServer(url: string, max: number): Promise<Database> {
  const { default: postgres } = await import('postgres');
  const { drizzle } = await import('drizzle-orm/postgres-js');
  // Notices ("extension already exists, skipping") are expected during migration.
  const client = postgres(url, { max, onnotice: () => {} });
  const db = drizzle(preparing(client), { schema });
  // The query builder on a transaction's reserved connection: drizzle's database and session
  // made over it with the dialect and relational schema drizzle() built once (drizzle() itself
  // would build them again, ~0.4 ms, and set the driver's type parsers, set already).
  const built = db as unknown as {
    dialect: PgDialect;
    _: { fullSchema: unknown; schema: unknown; tableNamesMap: unknown };
  };
  const relational = {
    fullSchema: built._.fullSchema,
    schema: built._.schema,
    tableNamesMap: built._.tableNamesMap,
  };
  const { PostgresJsDatabase, PostgresJsSession } = await import('drizzle-orm/postgres-js');
  const boundTo = (reserved: ReservedDriver) =>
    new PostgresJsDatabase(
      built.dialect,
      new PostgresJsSession(preparing(reserved) as never, built.dialect, relational as never, {}),
      relational as never,
    ) as unknown as AppDatabase;
  // Rows look the same on both backends: PGlite gives int8 (counts, sequences) as numbers,
  // postgres-js as strings; here as numbers too while exact. JSON is parsed by both.
  client.options.parsers[INT8_OID] = parseInt8;
  return {
    kind: 'server',
    db: db as unknown as AppDatabase,
    async query<T extends Record<string, unknown>>(statement: SQL) {
      const result = await db.execute(statement);
      return [...result] as unknown as T[];
    },
    transaction: (fn) => serverTransaction(client as unknown as ServerDriver, boundTo, fn),
    async close() {
      await client.end({ timeout: 5 });
    },
    async leaderLock(key) {
      // Its own connection, outside the pool: the lock lives exactly as long as it does.
      const conn = postgres(url, { max: 1, idle_timeout: 0, onnotice: () => {} });
      let pid: number;
      try {
        const [row] =
          await conn`SELECT pg_try_advisory_lock(${key}) AS ok, pg_backend_pid() AS pid`;
        if (!row?.ok) {
          await conn.end({ timeout: 5 });
          return null;
        }
        pid = Number(row.pid);
      } catch (err) {
        await conn.end({ timeout: 5 }).catch(() => {});
        throw err;
      }
      return {
        async alive() {
          // The driver reconnects silently; a new session does not hold the lock.
          try {
            const [row] = await conn`SELECT pg_backend_pid() AS pid`;
            return Number(row?.pid) === pid;
          } catch {
            return false;
          }
        },
        async release() {
          // Closing the session releases its advisory locks.
          await conn.end({ timeout: 5 }).catch(() => {});
        },
      };
    },
  };
}

async function openEmbedded(dir: string): Promise<Database> {
  fs.mkdirSync(dir, { recursive: true });
  const releaseLock = acquireLock(dir);
  try {
    const { PGlite } = await import('@electric-sql/pglite');
    const { postgis } = await import('@electric-sql/pglite-postgis');
    const { drizzle } = await import('drizzle-orm/pglite');
    const client = await PGlite.create({ dataDir: dir, extensions: { postgis } });
    const db = drizzle(withPreparedStatements(client), { schema });
    return {
      kind: 'embedded',
      db: db as unknown as AppDatabase,
      async query<T extends Record<string, unknown>>(statement: SQL) {
        const result = await db.execute(statement);
        return result.rows as T[];
      },
      transaction: (fn) => embeddedTransaction(db as never, fn),
      async leaderLock() {
        return { alive: async () => !client.closed, release: async () => {} };
      },
      async close() {
        try {
          await client.close();
        } finally {
          releaseLock();
        }
      },
    };
  } catch (err) {
    releaseLock();
    throw err;
  }
}

/**
 * PGlite is one process's database: a second process opening the same files corrupts them.
 * A pid file refuses that; a stale file left by a killed process is taken over.
 */
function acquireLock(dir: string): () => void {
  const lockPath = path.join(dir, '..', 'pglite.lock');
  try {
    const pid = Number(fs.readFileSync(lockPath, 'utf8'));
    if (pid && pid !== process.pid && isAlive(pid)) throw new DatabaseLockedError(dir, pid);
  } catch (err) {
    if (err instanceof DatabaseLockedError) throw err;
  }
  fs.writeFileSync(lockPath, String(process.pid));
  return () => {
    try {
      if (fs.readFileSync(lockPath, 'utf8') === String(process.pid)) fs.unlinkSync(lockPath);
    } catch {
      // already gone
    }
  };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
