/**
 * A day's wind direction as the bureau or a station export gives it: meteorological degrees
 * (where the wind blows FROM, 0 north, 90 east), 16-point compass letters, the Chinese eight
 * directions, calm; anything else named as a problem of its row and field.
 */
import { describe, expect, it } from 'vitest';
import { parseWindFrom, validateWeatherRows } from './weather-input.ts';

describe('parseWindFrom', () => {
  it('reads degrees, with 360 as north', () => {
    expect(parseWindFrom(270)).toEqual({ deg: 270 });
    expect(parseWindFrom('90')).toEqual({ deg: 90 });
    expect(parseWindFrom(' 22.5 ')).toEqual({ deg: 22.5 });
    expect(parseWindFrom(0)).toEqual({ deg: 0 });
    expect(parseWindFrom(360)).toEqual({ deg: 0 });
    expect(parseWindFrom('360')).toEqual({ deg: 0 });
  });

  it('reads the 16 compass points 22.5° apart, in any case', () => {
    const points = 'N NNE NE ENE E ESE SE SSE S SSW SW WSW W WNW NW NNW'.split(' ');
    points.forEach((p, i) => {
      expect(parseWindFrom(p)).toEqual({ deg: i * 22.5 });
    });
    expect(parseWindFrom('nne')).toEqual({ deg: 22.5 });
    expect(parseWindFrom('Sw')).toEqual({ deg: 225 });
  });

  it('reads the Chinese eight directions, with or without 风', () => {
    expect(parseWindFrom('北')).toEqual({ deg: 0 });
    expect(parseWindFrom('东北')).toEqual({ deg: 45 });
    expect(parseWindFrom('东')).toEqual({ deg: 90 });
    expect(parseWindFrom('东南风')).toEqual({ deg: 135 });
    expect(parseWindFrom('南')).toEqual({ deg: 180 });
    expect(parseWindFrom('西南')).toEqual({ deg: 225 });
    expect(parseWindFrom('西风')).toEqual({ deg: 270 });
    expect(parseWindFrom('西北')).toEqual({ deg: 315 });
  });

  it('takes calm, empty and absent as no direction', () => {
    for (const v of [undefined, null, '', '  ', 'C', 'calm', '静风'])
      expect(parseWindFrom(v)).toEqual({ deg: null });
  });

  it('refuses what is not a direction', () => {
    for (const v of [400, -1, 360.5, 'abc', 'NNNE', '北北', '12abc', '0x10', Number.NaN, true, {}])
      expect(parseWindFrom(v), String(v)).toHaveProperty('error');
  });
});

describe('validateWeatherRows with a wind direction', () => {
  const now = new Date('2026-03-01T12:00:00Z');
  const row = (windFromDeg?: unknown) => ({
    townshipCode: '431226100',
    date: '2026-03-01',
    tmaxC: 20,
    rh14Pct: 40,
    windMs: 3,
    rainMm: 0,
    ...(windFromDeg === undefined ? {} : { windFromDeg }),
  });

  it('keeps the direction, and null where none was given', () => {
    const { rows, problems } = validateWeatherRows(
      [row(270), row('NE'), row(), row('C')],
      'observation',
      now,
    );
    expect(problems).toEqual([]);
    expect(rows.map((r) => r.windFromDeg)).toEqual([270, 45, null, null]);
  });

  it('names the row and the field of every bad direction, and keeps no row', () => {
    const { rows, problems } = validateWeatherRows(
      [row(400), row(-1), row('abc'), row(90)],
      'observation',
      now,
      [2, 3, 4, 5],
    );
    expect(problems.map((p) => `${p.row}:${p.field}`)).toEqual([
      '2:windFromDeg',
      '3:windFromDeg',
      '4:windFromDeg',
    ]);
    expect(problems[0]?.message).toContain('400');
    expect(rows.map((r) => r.windFromDeg)).toEqual([90]);
  });
});
