import { describe, expect, it } from 'vitest';
import { closedRing } from './area-draw.ts';

describe('a drawn warning area', () => {
  it('is closed (first position repeated last) as the API and CAP need, rounded to 1e-6°', () => {
    const clicks = [
      [109.8012345678, 27.87],
      [109.81, 27.8712345],
      [109.805, 27.88],
    ];
    const copy = JSON.parse(JSON.stringify(clicks));
    expect(closedRing(clicks)).toEqual([
      [109.801235, 27.87],
      [109.81, 27.871235],
      [109.805, 27.88],
      [109.801235, 27.87],
    ]);
    expect(clicks).toEqual(copy);
    expect(closedRing([])).toEqual([]);
  });
});
