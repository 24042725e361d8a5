import { describe, expect, it } from 'vitest';
import { ifNoneMatchHits } from './http-cache.ts';

// Cases from RFC 9110 §8.8.3.2 (weak comparison) and §13.1.2 (If-None-Match).
describe('ifNoneMatchHits', () => {
  const tag = '"reach-42"';
  it.each([
    ['"reach-42"', true],
    ['W/"reach-42"', true],
    ['"a", "reach-42"', true],
    ['"a",W/"reach-42" , "b"', true],
    ['*', true],
    ['"reach-4"', false],
    ['"reach-421"', false],
    ['reach-42', false],
    ['', false],
  ])('If-None-Match %j → %s', (header, hit) => {
    expect(ifNoneMatchHits(header, tag)).toBe(hit);
  });

  it('a weak tag of ours is matched by its strong form', () => {
    expect(ifNoneMatchHits('"x"', 'W/"x"')).toBe(true);
  });

  it('no header, no hit; repeated headers are one list', () => {
    expect(ifNoneMatchHits(undefined, tag)).toBe(false);
    expect(ifNoneMatchHits(['"a"', '"reach-42"'], tag)).toBe(true);
  });
});
