/**
 * Which statements are kept prepared, on both backends (database.ts for postgres-js,
 * pglite-prepared.ts for PGlite). A kept statement is parsed once, and after five runs
 * PostgreSQL may plan it once for all parameter values (a generic plan) when that costs no
 * more than planning it for its values. Statements with many parameters (bulk inserts, long
 * id lists, whose text varies with their length) go unnamed, so few are kept.
 */
export const PREPARED_MAX_PARAMS = 64;

export function preparable(params: readonly unknown[]): boolean {
  return params.length <= PREPARED_MAX_PARAMS;
}
