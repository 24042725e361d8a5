/**
 * Named prepared statements on the embedded backend. PGlite runs every query as Parse,
 * Describe statement, Bind, Describe portal, Execute, Sync: six calls into the WebAssembly
 * backend, and the Bind of an unnamed statement plans the query again each time. A report's
 * intake sends some fifteen statements the same way every time, and PGlite runs on the
 * server's one thread, so its parsing and planning delay everything else the process does
 * (the sockets a report is pushed to among them).
 *
 * Here a statement with parameters is parsed once under a name, its parameter types and row
 * description kept; each later run is Bind, Execute, Sync, and PostgreSQL may keep a generic
 * plan for it (plan_cache_mode auto: after five runs, when it costs no more than a custom
 * one). Statements without parameters (BEGIN, COMMIT, DDL, the loader's literal SQL), and
 * those with many (prepared-statements.ts: multi-row INSERTs, whose text changes with their
 * size), take PGlite's own path, and so does every new statement once MAX_STATEMENTS are
 * kept. A statement that fails is forgotten and closed; one refused because its table's
 * columns changed is run again as new when no transaction is open (in one, the refusal fails
 * the transaction, and the next one parses it afresh).
 *
 * PGlite's public API does the work (`execProtocolStream`, `protocol.serialize`,
 * `parse.parseResults`, `runExclusive`, `serializers`, `parsers`); a query outside a
 * transaction also takes `_runExclusiveTransaction`, the lock PGlite's own `query` takes so
 * that it never runs between another caller's BEGIN and COMMIT.
 */
import {
  type PGlite,
  parse,
  protocol,
  type QueryOptions,
  type Results,
  type Transaction,
} from '@electric-sql/pglite';
import { preparable } from './prepared-statements.ts';

/** At most this many statements are kept in the backend. */
export const MAX_STATEMENTS = 500;

/** PostgreSQL's refusal of a kept statement whose tables' columns have changed. */
const isStalePlan = (err: unknown) =>
  (err as { code?: unknown })?.code === '0A000' &&
  /cached plan must not change result type/.test(String((err as Error).message));

type Message = Awaited<ReturnType<PGlite['execProtocolStream']>>[number];

interface Kept {
  name: string;
  paramTypes: number[];
  /** RowDescription (or NoData) of the statement, as Describe portal answers it. */
  description: Message[];
  /** performance.now() when it was parsed. */
  parsedAt: number;
}

/**
 * A kept statement is parsed again after this long. A generic plan is made once, for the
 * tables as they were; on a server, autovacuum's ANALYZE replaces it as they grow, and PGlite
 * has no autovacuum: a plan made on the morning's empty incident tables would otherwise
 * serve the afternoon's thousands of reports.
 */
export const REPARSE_AFTER_MS = 5 * 60_000;

/**
 * The same PGlite, whose `query` (and every transaction's `query`) runs statements with
 * parameters as named prepared statements.
 */
export function withPreparedStatements(
  client: PGlite,
  { reparseAfterMs = REPARSE_AFTER_MS }: { reparseAfterMs?: number } = {},
): PGlite {
  const { serialize } = protocol;
  const kept = new Map<string, Kept>();
  let counter = 0;
  const send = (message: Uint8Array) => client.execProtocolStream(message, { syncToFs: false });

  const usable = (params: unknown[] | undefined, options: QueryOptions | undefined) =>
    params !== undefined &&
    params.length > 0 &&
    preparable(params) &&
    !options?.blob &&
    !options?.paramTypes;

  async function prepare(text: string): Promise<Kept> {
    const name = `fire_s${++counter}`;
    await send(serialize.parse({ name, text }));
    // Describe statement answers ParameterDescription, then RowDescription or NoData.
    const described = await send(serialize.describe({ type: 'S', name }));
    const paramTypes = parse.parseDescribeStatementResults(described);
    const description = described.filter((m) => m.name === 'rowDescription' || m.name === 'noData');
    return { name, paramTypes, description, parsedAt: performance.now() };
  }

  /** Drops a kept statement here and in the backend. */
  async function forget(text: string, statement: Kept): Promise<void> {
    kept.delete(text);
    await send(serialize.close({ type: 'S', name: statement.name }));
    await send(serialize.sync());
  }

  /** One run under the query mutex; the caller holds the transaction mutex or a transaction. */
  function run<T>(
    text: string,
    params: unknown[],
    options: QueryOptions | undefined,
    inTransaction: boolean,
  ): Promise<Results<T>> {
    return client.runExclusive(async () => {
      let statement = kept.get(text);
      if (statement && performance.now() - statement.parsedAt >= reparseAfterMs) {
        await forget(text, statement);
        statement = undefined;
      }
      const messages: Message[] = [];
      let failed = false;
      try {
        if (!statement) {
          statement = await prepare(text);
          kept.set(text, statement);
        }
        const types = statement.paramTypes;
        const values = params.map((value, i) => {
          if (value === null || value === undefined) return null;
          const type = types[i] as number;
          const serializer = options?.serializers?.[type] ?? client.serializers[type];
          return serializer ? serializer(value) : String(value);
        });
        messages.push(...statement.description);
        messages.push(...(await send(serialize.bind({ statement: statement.name, values }))));
        messages.push(...(await send(serialize.execute({}))));
      } catch (err) {
        failed = true;
        if (err && typeof err === 'object')
          Object.assign(err, { query: text, params, queryOptions: options });
        throw err;
      } finally {
        messages.push(...(await send(serialize.sync())));
        if (failed && statement) {
          // A statement that failed may be one the schema has changed under: parse it again.
          await forget(text, statement).catch(() => {});
        }
      }
      if (!inTransaction) await client.syncToFs();
      return parse.parseResults(messages, client.parsers, options)[0] as Results<T>;
    });
  }

  const prepared = (
    original: (text: string, params?: unknown[], options?: QueryOptions) => Promise<unknown>,
    exclusive: <R>(fn: () => Promise<R>) => Promise<R>,
    inTransaction: boolean,
    isClosed: () => boolean,
  ) =>
    async function query<T>(text: string, params?: unknown[], options?: QueryOptions) {
      if (
        !usable(params, options) ||
        (!kept.has(text) && kept.size >= MAX_STATEMENTS) ||
        isClosed()
      )
        return original(text, params, options) as Promise<Results<T>>;
      const once = () => exclusive(() => run<T>(text, params as unknown[], options, inTransaction));
      try {
        return await once();
      } catch (err) {
        // Outside a transaction nothing was done: parsed again, the statement runs as new.
        if (!inTransaction && isStalePlan(err)) return once();
        throw err;
      }
    };

  const wrapTransaction = (tx: Transaction): Transaction => {
    const query = prepared(
      tx.query.bind(tx),
      (fn) => fn(),
      true,
      () => tx.closed,
    );
    return new Proxy(tx, {
      get: (target, key, receiver) =>
        key === 'query' ? query : Reflect.get(target, key, receiver),
    });
  };

  const internals = client as unknown as {
    _runExclusiveTransaction<R>(fn: () => Promise<R>): Promise<R>;
  };
  // Built once: drizzle reads `query` for every statement it sends.
  const query = prepared(
    client.query.bind(client),
    (fn) => internals._runExclusiveTransaction(fn),
    false,
    () => client.closed,
  );
  const transaction = <R>(fn: (tx: Transaction) => Promise<R>) =>
    client.transaction((tx) => fn(wrapTransaction(tx)));
  return new Proxy(client, {
    get(target, key) {
      if (key === 'query') return query;
      if (key === 'transaction') return transaction;
      const value = Reflect.get(target, key, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
