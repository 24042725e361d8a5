/** The danger of a series of days, and inverse-distance weighting, checked by hand. */
import { describe, expect, it } from 'vitest';
import { dangerSeries, distanceKm, idw } from './danger-series.ts';
import { validateWeatherRows } from './weather-input.ts';

const day = (date: string, rainMm = 0) => ({
  date,
  tmaxC: 22,
  rh14Pct: 30,
  windMs: 4.0,
  rainMm,
  issuedAt: `${date}T12:00:00Z`,
});
const settings = { system: 'lyt1172' as const, gByMonth: Array(12).fill(0) };

describe('dangerSeries', () => {
  it('counts dry days through the series: the 5th dry day of the worked weather is 72, 三级', () => {
    const out = dangerSeries(
      ['2026-03-01', '2026-03-02', '2026-03-03', '2026-03-04', '2026-03-05'].map((d) => day(d)),
      settings,
    );
    expect(out.map((d) => d.components.C)).toEqual([5, 10, 15, 20, 25]);
    expect(out[4]).toMatchObject({ index: 72, level: 3, lytLevel: 3 });
  });
  it('a day of rain sets C to 0; a missing day starts the count again', () => {
    const out = dangerSeries(
      [day('2026-03-01'), day('2026-03-02', 0.1), day('2026-03-03'), day('2026-03-05')],
      settings,
    );
    expect(out.map((d) => d.components.C)).toEqual([5, 0, 5, 5]);
  });
  it('G of the month is subtracted; the FWI setting takes the FWI level', () => {
    const g = Array(12).fill(0);
    g[2] = 10;
    expect(dangerSeries([day('2026-03-01')], { system: 'lyt1172', gByMonth: g })[0]?.index).toBe(
      16 + 16 + 5 + 15 - 10,
    );
    const f = dangerSeries([day('2026-03-01')], { system: 'fwi', gByMonth: g })[0];
    expect(f?.level).toBe(f?.fwiLevel);
  });
});

describe('idw', () => {
  it('takes the station value at the station, the mean halfway between two', () => {
    const a = { at: [109.7, 27.8] as [number, number], value: 10 };
    const b = { at: [109.9, 27.8] as [number, number], value: 20 };
    expect(idw([109.7, 27.8], [a, b])).toBe(10);
    expect(idw([109.8, 27.8], [a, b])).toBeCloseTo(15, 6);
    // A quarter of the way: weights 1/d² = 16 : 16/9 → (16·10 + 16/9·20) / (16 + 16/9) = 11
    expect(idw([109.75, 27.8], [a, b])).toBeCloseTo(11, 2);
  });
  it('distance: 0.1° of latitude is about 11.1 km', () => {
    expect(distanceKm([109.8, 27.8], [109.8, 27.9])).toBeCloseTo(11.12, 1);
  });
});

describe('validateWeatherRows', () => {
  const now = new Date('2026-03-05T04:00:00Z'); // 12:00 in Beijing
  it('defaults an observation issue time to 20:00 Beijing time, or now for today', () => {
    const { rows } = validateWeatherRows(
      [
        { stationId: 'S1', date: '2026-03-04', tmaxC: 1, rh14Pct: 50, windMs: 1, rainMm: 0 },
        { stationId: 'S1', date: '2026-03-05', tmaxC: 1, rh14Pct: 50, windMs: 1, rainMm: 0 },
      ],
      'observation',
      now,
    );
    expect(rows.map((r) => r.issuedAt)).toEqual([
      '2026-03-04T12:00:00.000Z',
      '2026-03-05T04:00:00.000Z',
    ]);
  });
  it('refuses an observation of tomorrow, a time without an offset, an unknown field', () => {
    const { problems } = validateWeatherRows(
      [
        { stationId: 'S1', date: '2026-03-06', tmaxC: 1, rh14Pct: 50, windMs: 1, rainMm: 0 },
        {
          stationId: 'S1',
          date: '2026-03-04',
          issuedAt: '2026-03-04T20:00:00',
          tmaxC: 1,
          rh14Pct: 50,
          windMs: 1,
          rainMm: 0,
        },
        {
          stationId: 'S1',
          date: '2026-03-04',
          tmaxC: 1,
          rh14Pct: 50,
          windMs: 1,
          rainMm: 0,
          snow: 3,
        },
      ],
      'observation',
      now,
      [2, 3, 4],
    );
    expect(problems.map((p) => `${p.row}:${p.field}`)).toEqual(['2:date', '3:issuedAt', '4:snow']);
  });
  it('says so when the body is not a list of rows', () => {
    expect(validateWeatherRows({}, 'forecast', now).problems[0]?.field).toBe('rows');
    expect(validateWeatherRows([], 'forecast', now).problems[0]?.message).toBe('has no rows');
  });
});
