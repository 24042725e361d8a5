import { describe, expect, it } from 'vitest';
import { scaleStyleValue } from './wall-scale.ts';

describe('map labels and icons scaled for the wall', () => {
  it('scales a number', () => {
    expect(scaleStyleValue(10, 1.6)).toBe(16);
  });

  it('scales the outputs of a zoom curve, never its zooms', () => {
    const curve = ['interpolate', ['linear'], ['zoom'], 8, 13, 12, 18];
    expect(scaleStyleValue(curve, 2)).toEqual(['interpolate', ['linear'], ['zoom'], 8, 26, 12, 36]);
    expect(curve).toEqual(['interpolate', ['linear'], ['zoom'], 8, 13, 12, 18]);
    expect(scaleStyleValue(['step', ['zoom'], 10, 12, 14], 2)).toEqual([
      'step',
      ['zoom'],
      20,
      12,
      28,
    ]);
  });

  it('scales the branches of a match and a case, and their fallback', () => {
    expect(scaleStyleValue(['match', ['get', 'level'], 'village', 0.8, 1], 1.5)).toEqual([
      'match',
      ['get', 'level'],
      'village',
      1.2,
      1.5,
    ]);
    expect(scaleStyleValue(['case', ['get', 'big'], 20, 10], 2)).toEqual([
      'case',
      ['get', 'big'],
      40,
      20,
    ]);
  });

  it('wraps any other expression, and scales legacy stops', () => {
    expect(scaleStyleValue(['get', 'size'], 2)).toEqual(['*', ['get', 'size'], 2]);
    expect(
      scaleStyleValue(
        {
          stops: [
            [8, 10],
            [12, 14],
          ],
        },
        2,
      ),
    ).toEqual({
      stops: [
        [8, 20],
        [12, 28],
      ],
    });
  });
});
