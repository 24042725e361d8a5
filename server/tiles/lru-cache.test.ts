import { describe, expect, it } from 'vitest';
import { LruCache } from './lru-cache.ts';

describe('LruCache', () => {
  it('evicts the least recently used entry beyond the count', () => {
    const c = new LruCache<string>(2, 1e9, (v) => v.length);
    c.set('a', 'x');
    c.set('b', 'y');
    c.get('a');
    c.set('c', 'z');
    expect([c.has('a'), c.has('b'), c.has('c')]).toEqual([true, false, true]);
  });

  it('evicts beyond the bytes and never holds a value larger than them', () => {
    const c = new LruCache<string>(100, 5, (v) => v.length);
    c.set('a', 'xxx');
    c.set('b', 'yyy');
    expect([c.has('a'), c.has('b'), c.totalBytes]).toEqual([false, true, 3]);
    c.set('c', 'zzzzzz');
    expect([c.has('c'), c.size]).toEqual([false, 1]);
    c.set('b', 'y');
    expect(c.totalBytes).toBe(1);
  });
});
