/**
 * Conditional GET (RFC 9110 §13.1.2): If-None-Match names one or more entity tags, or `*`,
 * and is compared weakly, so `W/"x"` matches `"x"`. A proxy or browser that sends a list or
 * a weakened tag still gets its 304 instead of the whole tile, network or DEM again.
 */
export function ifNoneMatchHits(header: string | string[] | undefined, etag: string): boolean {
  if (header === undefined) return false;
  const value = Array.isArray(header) ? header.join(',') : header;
  if (value.trim() === '*') return true;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
  const want = opaque(etag);
  // Entity tags are quoted and hold no commas or quotes inside (RFC 9110 etagc).
  return (value.match(/(?:W\/)?"[^"]*"/g) ?? []).some((tag) => opaque(tag) === want);
}
