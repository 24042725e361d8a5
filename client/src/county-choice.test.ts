import { describe, expect, it } from 'vitest';
import { chosenCounty, forCounty, inChosenCounty } from './county-choice.ts';

describe('the county a province page is about', () => {
  it('is ?county= when it is a six-digit code, else none', () => {
    expect(chosenCounty('?county=439001')).toBe('439001');
    expect(chosenCounty('?wall=1&county=431226')).toBe('431226');
    expect(chosenCounty('')).toBeUndefined();
    expect(chosenCounty('?county=4390')).toBeUndefined();
    expect(chosenCounty('?county=439001%27%20OR%201')).toBeUndefined();
  });

  it('narrows the reads it is given, and nothing without a choice', () => {
    expect(forCounty('/api/situation', 'countyCode', '439001')).toBe(
      '/api/situation?countyCode=439001',
    );
    expect(forCounty('/api/incidents?open=true&limit=200', 'countyCode', '439001')).toBe(
      '/api/incidents?open=true&limit=200&countyCode=439001',
    );
    expect(forCounty('/api/county', 'code', '439001')).toBe('/api/county?code=439001');
    expect(forCounty('/api/county', 'code', undefined)).toBe('/api/county');
  });

  it('keeps a live event when its township is in the county (or when none is chosen)', () => {
    expect(inChosenCounty('439001106', '439001')).toBe(true);
    expect(inChosenCounty('431226106', '439001')).toBe(false);
    expect(inChosenCounty(null, '439001')).toBe(false);
    expect(inChosenCounty('431226106', undefined)).toBe(true);
    expect(inChosenCounty(null, undefined)).toBe(true);
  });
});
