import { describe, expect, it } from 'vitest';
import { HttpError } from '../plugins/errors.ts';
import { negotiate, parseBbox, parseDatetime, refuseUnknown } from './ogc-params.ts';

function fieldOf(fn: () => unknown): [number, string | undefined] {
  try {
    fn();
  } catch (e) {
    if (e instanceof HttpError) return [e.statusCode, e.field];
    throw e;
  }
  throw new Error('did not throw');
}

describe('OGC API query parameters (OGC 17-069r4 §7.15)', () => {
  it('reads a 2D and a 3D bbox, and one that crosses the antimeridian', () => {
    expect(parseBbox('109.4,27.6,110,28.1')).toEqual([109.4, 27.6, 110, 28.1]);
    expect(parseBbox('109.4,27.6,0,110,28.1,900')).toEqual([109.4, 27.6, 110, 28.1]);
    expect(parseBbox('170,-10,-170,10')).toEqual([170, -10, -170, 10]);
  });

  it('refuses a bbox that is not four or six numbers in range, naming bbox', () => {
    for (const bad of [
      '1,2,3',
      '1,2,3,4,5',
      '1,,3,4',
      'a,b,c,d',
      '0,91,1,92',
      '181,0,182,1',
      '0,10,1,5',
    ])
      expect(
        fieldOf(() => parseBbox(bad)),
        bad,
      ).toEqual([400, 'bbox']);
  });

  it('reads instants, days and open or closed intervals', () => {
    const t = (s: string) => new Date(s);
    expect(parseDatetime('2026-03-02T05:30:00Z')).toEqual({
      start: t('2026-03-02T05:30:00Z'),
      end: t('2026-03-02T05:30:00Z'),
    });
    expect(parseDatetime('2026-03-02')).toEqual({
      start: t('2026-03-02T00:00:00Z'),
      end: t('2026-03-02T23:59:59.999Z'),
    });
    expect(parseDatetime('../2026-03-02T08:00:00+08:00')).toEqual({
      start: null,
      end: t('2026-03-02T00:00:00Z'),
    });
    expect(parseDatetime('2026-03-01T00:00:00Z/')).toEqual({
      start: t('2026-03-01T00:00:00Z'),
      end: null,
    });
  });

  it('refuses datetimes that are not RFC 3339 or run backwards, naming datetime', () => {
    for (const bad of [
      '',
      '..',
      '../..',
      'yesterday',
      '2026-02-30',
      '2026-03-02T25:00:00Z',
      'a/b/c',
      '2026-03-02/2026-03-01',
    ])
      expect(
        fieldOf(() => parseDatetime(bad)),
        bad,
      ).toEqual([400, 'datetime']);
  });

  it('names an unknown parameter', () => {
    expect(fieldOf(() => refuseUnknown('/ogc/collections?f=json&x=1', ['f']))).toEqual([400, 'x']);
    expect(() => refuseUnknown('/ogc/collections?f=json', ['f'])).not.toThrow();
  });

  it('serves JSON to f=json, to no Accept and to */*; 400 for other f, 406 for other Accept', () => {
    expect(() => negotiate('json', 'text/html', 'application/json')).not.toThrow();
    expect(() => negotiate(undefined, undefined, 'application/geo+json')).not.toThrow();
    expect(() =>
      negotiate(undefined, 'text/html, */*;q=0.1', 'application/geo+json'),
    ).not.toThrow();
    expect(() =>
      negotiate(undefined, 'application/geo+json', 'application/geo+json'),
    ).not.toThrow();
    expect(fieldOf(() => negotiate('html', undefined, 'application/json'))).toEqual([400, 'f']);
    expect(fieldOf(() => negotiate(undefined, 'text/html', 'application/json'))).toEqual([
      406,
      'Accept',
    ]);
    expect(fieldOf(() => negotiate(undefined, 'text/html, */*;q=0', 'application/json'))).toEqual([
      406,
      'Accept',
    ]);
  });
});
