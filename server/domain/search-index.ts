/**
 * The map's search (GET /api/search) over names and codes held in memory: townships, then
 * villages, then grids, then crews, each kind in name order, a hit where the name contains
 * the query (townships, villages and crews also by their exact code or id). A province's
 * 127,000 names are one packed string per kind, searched with indexOf in name order, so a
 * query stops at the `limit`-th hit instead of sorting every match (a name common to a
 * hundred counties): ~1 ms where LIKE over the tables took ~100 ms.
 */

export const SEARCH_KINDS = ['township', 'village', 'grid', 'crew'] as const;
export type SearchKind = (typeof SEARCH_KINDS)[number];

export interface SearchEntry {
  kind: SearchKind;
  id: string;
  name: string;
  /** The township or war zone the card names beside the hit. */
  context: string;
  /** Code of the county the entry belongs to (six digits), '' when none. */
  county: string;
}

/** Names are joined with a character no query holds (input-bounds.ts refuses NUL). */
const SEP = '\u0000';

interface KindIndex {
  entries: SearchEntry[];
  haystack: string;
  /** Offset of each entry's name in the haystack. */
  starts: Int32Array;
  byId: Map<string, number>;
}

const byName = (a: SearchEntry, b: SearchEntry) =>
  a.name < b.name ? -1 : a.name > b.name ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;

function indexKind(entries: SearchEntry[]): KindIndex {
  const sorted = [...entries].sort(byName);
  const starts = new Int32Array(sorted.length);
  let at = 0;
  for (const [i, e] of sorted.entries()) {
    starts[i] = at;
    at += e.name.length + SEP.length;
  }
  return {
    entries: sorted,
    haystack: sorted.map((e) => e.name).join(SEP),
    starts,
    byId: new Map(sorted.map((e, i) => [e.id, i])),
  };
}

/** The entry whose name holds offset `at` (the last start at or before it). */
function entryAt(starts: Int32Array, at: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((starts[mid] as number) <= at) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

export class SearchIndex {
  private readonly kinds: Map<SearchKind, KindIndex>;
  readonly size: number;

  constructor(entries: SearchEntry[]) {
    this.kinds = new Map(
      SEARCH_KINDS.map((k) => [k, indexKind(entries.filter((e) => e.kind === k))]),
    );
    this.size = entries.length;
  }

  /**
   * At most `limit` hits, townships first, each kind in name order; `county`: only entries
   * of that county.
   */
  find(query: string, limit: number, county?: string): SearchEntry[] {
    const out: SearchEntry[] = [];
    if (query.length === 0 || query.includes(SEP)) return out;
    for (const kind of SEARCH_KINDS) {
      const want = limit - out.length;
      if (want <= 0) break;
      const k = this.kinds.get(kind) as KindIndex;
      const hits: number[] = [];
      let from = 0;
      while (hits.length < want) {
        const at = k.haystack.indexOf(query, from);
        if (at < 0) break;
        const i = entryAt(k.starts, at);
        const e = k.entries[i] as SearchEntry;
        if (county === undefined || e.county === county) hits.push(i);
        // On to the next entry: one hit per entry.
        from = (k.starts[i] as number) + e.name.length + SEP.length;
      }
      // Townships, villages and crews are found by their exact code or id as well.
      const exact = kind === 'grid' ? undefined : k.byId.get(query);
      if (
        exact !== undefined &&
        !hits.includes(exact) &&
        (county === undefined || k.entries[exact]?.county === county)
      ) {
        hits.push(exact);
        hits.sort((a, b) => a - b);
        if (hits.length > want) hits.length = want;
      }
      for (const i of hits) out.push(k.entries[i] as SearchEntry);
    }
    return out;
  }
}
