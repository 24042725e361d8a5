/**
 * Small builders the wire contract's schemas share: a value or null, one of a vocabulary's
 * words, an object whose fields are free (GeoJSON properties, payloads), and a success that is
 * a file or a stream rather than JSON (OpenAPI describes it by its media type).
 */
import { type TSchema, Type } from 'typebox';

export const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);

/** One word of a vocabulary (server/domain/vocabulary.ts). */
export const OneOf = <const T extends readonly (string | number)[]>(words: T) =>
  Type.Unsafe<T[number]>(Type.Union(words.map((w) => Type.Literal(w))));

/** An object whose fields are not fixed by the contract: every field is kept on the wire. */
export const OpenObject = (description?: string) =>
  Type.Object({}, { additionalProperties: true, ...(description ? { description } : {}) });

export const DateTime = Type.String({ format: 'date-time' });

/** A success that is a file or a stream: its media types, no JSON schema. */
export function Binary(description: string, ...mediaTypes: string[]) {
  return {
    description,
    content: Object.fromEntries(
      mediaTypes.map((m) => [m, { schema: { type: 'string', format: 'binary' } }]),
    ),
  };
}

/** A success that is text of a media type (CSV, XML, Atom). */
export function Text(description: string, ...mediaTypes: string[]) {
  return {
    description,
    content: Object.fromEntries(mediaTypes.map((m) => [m, { schema: { type: 'string' } }])),
  };
}

/** The media types a stored photo may have (the database checks the same list). */
export const PHOTO_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;

/** An answer with no body (204 no content, 304 not modified). */
export const NoBody = (description: string) => Type.Unsafe<void>({ description });

/** A write that has nothing to say but that it was done. */
export const Ok = Type.Object({ ok: Type.Boolean() });

/**
 * `true` when a schema's type and a domain type say the same thing, else `never`: declaring
 * `const same: Same<Schema, Domain> = true` makes a drift between them a compile error.
 */
export type Same<A, B> = [A, B] extends [B, A] ? true : never;
