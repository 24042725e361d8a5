/**
 * Rows sent to PostgreSQL as one JSON parameter (`jsonb_to_recordset`, `jsonb_array_elements`):
 * the statement's text is the same whatever the number of rows, so it stays prepared.
 *
 * A string holding half of a UTF-16 pair (a phone that cut a note in the middle of an emoji)
 * is written by JSON.stringify as a `\ud83d` escape, which PostgreSQL's JSON parser refuses;
 * sent as a text parameter it would be stored with U+FFFD in its place. Here it is too, so a
 * report is never refused for how its note ends.
 */
import { type SQL, sql } from 'drizzle-orm';

const wellFormed = (_key: string, value: unknown) =>
  typeof value === 'string' ? value.toWellFormed() : value;

/** `value` as a jsonb parameter, every string in it well-formed. */
export function jsonParam(value: unknown): SQL {
  return sql`${JSON.stringify(value, wellFormed)}::jsonb`;
}
