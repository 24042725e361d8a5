/**
 * The map's search: names and codes in memory (domain/search-index.ts), rebuilt when the
 * geodata version moves (one row, read at most every few seconds, as the tile sets do); the
 * boxes to fly to are read for the hits alone.
 */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { SearchHit } from '../contract/cards.ts';
import { SearchIndex } from '../domain/search-index.ts';
import type { CardsRepository } from '../repositories/cards-repository.ts';
import type { LayersRepository } from '../repositories/layers-repository.ts';

const VERSION_TTL_MS = 3000;

export function createSearchService(cards: CardsRepository, layers: LayersRepository) {
  let index: { version: string; built: Promise<SearchIndex> } | null = null;
  let checkedAt = 0;

  async function current(): Promise<SearchIndex> {
    const now = Date.now();
    if (index && now - checkedAt < VERSION_TTL_MS) return index.built;
    const version = await layers.version();
    checkedAt = now;
    if (!index || index.version !== version) {
      const built = cards.searchEntries().then((entries) => new SearchIndex(entries));
      // A failed build is not kept: the next search tries again.
      built.catch(() => {
        if (index?.built === built) index = null;
      });
      index = { version, built };
    }
    return index.built;
  }

  return {
    async search(q: string, limit: number, countyCode?: string): Promise<SearchHit[]> {
      const hits = (await current()).find(q, limit, countyCode);
      if (hits.length === 0) return [];
      const boxes = await cards.searchBoxes(hits);
      return hits.flatMap((h) => {
        // Gone since the index was built (a load in between): not offered.
        const bbox = boxes.get(`${h.kind}:${h.id}`);
        return bbox ? [{ kind: h.kind, id: h.id, name: h.name, context: h.context, bbox }] : [];
      });
    },
  };
}

export type SearchService = ReturnType<typeof createSearchService>;

declare module 'fastify' {
  interface FastifyInstance {
    searchService: SearchService;
  }
}

export default fp(
  async (app: FastifyInstance) => {
    app.decorate('searchService', createSearchService(app.cardsRepository, app.layersRepository));
  },
  { name: 'search-service', dependencies: ['cards-repository', 'layers-repository'] },
);
