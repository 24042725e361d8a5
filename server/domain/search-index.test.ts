import { describe, expect, it } from 'vitest';
import { type SearchEntry, SearchIndex } from './search-index.ts';

const e = (
  kind: SearchEntry['kind'],
  id: string,
  name: string,
  county = '431226',
): SearchEntry => ({
  kind,
  id,
  name,
  context: '',
  county,
});

const entries: SearchEntry[] = [
  e('crew', 'CR-C01', '高村镇扑火队'),
  e('village', '431226106201', '高村村'),
  e('village', '431226106202', '高坪村'),
  e('village', '439001106201', '高村村', '439001'),
  e('township', '431226106', '高村镇'),
  e('township', '439001106', '高村镇', '439001'),
  e('grid', '431226106201001', '431226106201001'),
  e('grid', '431226106202001', '431226106202001'),
  e('village', '431226101001', '东街社区'),
  e('village', '431226101002', '村村通100%'),
];
const index = new SearchIndex(entries);
const ids = (hits: SearchEntry[]) => hits.map((h) => h.id);

describe('search index', () => {
  it('townships first, then villages, grids and crews; each kind in name order, then id', () => {
    expect(ids(index.find('高村', 12))).toEqual([
      '431226106',
      '439001106',
      '431226106201',
      '439001106201',
      'CR-C01',
    ]);
  });

  it('stops at the limit, across kinds', () => {
    // 高坪村 before 高村村: 坪 (U+576A) sorts before 村 (U+6751).
    expect(ids(index.find('高', 3))).toEqual(['431226106', '439001106', '431226106202']);
    expect(ids(index.find('高', 1))).toEqual(['431226106']);
  });

  it('one county only when asked', () => {
    expect(ids(index.find('高村', 12, '439001'))).toEqual(['439001106', '439001106201']);
    expect(index.find('高村', 12, '430000')).toEqual([]);
  });

  it('finds grids by part of the code, areas and crews by exact code or id', () => {
    expect(ids(index.find('106202', 12))).toEqual(['431226106202001']);
    expect(ids(index.find('431226101001', 12))).toEqual(['431226101001']);
    expect(ids(index.find('CR-C01', 12))).toEqual(['CR-C01']);
    // A part of a village's code is not a hit (only grids are searched by part of the code).
    expect(index.find('22610100', 12)).toEqual([]);
  });

  it('one hit per entry, never a match spanning two names, wildcards are text', () => {
    // 村村 twice in 村村通: still one hit; 村高 would span "…村" + "高…" if names were glued.
    expect(ids(index.find('村村', 12))).toEqual(['431226101002', '431226106201', '439001106201']);
    expect(index.find('村高', 12)).toEqual([]);
    expect(index.find('区村', 12)).toEqual([]);
    expect(ids(index.find('100%', 12))).toEqual(['431226101002']);
    expect(index.find('%', 12).length).toBe(1);
    expect(index.find('_', 12)).toEqual([]);
    expect(index.find('', 12)).toEqual([]);
  });
});
