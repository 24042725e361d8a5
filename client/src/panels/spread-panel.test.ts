/**
 * The spread panel's wind-direction line: the direction named and in degrees, and where it came
 * from — 观测 with the station and its time (Beijing), 预报, 指挥员输入, or 假定北风.
 */
import { describe, expect, it } from 'vitest';
import { windLine } from './spread-panel.ts';

const sources = {
  wind: 'weather',
  moisture: 'fire-danger',
  windDirectionFrom: null,
} as const;
const from = {
  stationId: 'MY-A01',
  townshipCode: null,
  name: '高村镇自动站',
  date: '2026-12-01',
  // 20:00 in Beijing.
  issuedAt: '2026-12-01T12:00:00.000Z',
};

describe('windLine', () => {
  it('an observed direction names the station and the time of the observation', () => {
    const line = windLine({
      windFromDeg: 270,
      sources: { ...sources, windDirection: 'observed', windDirectionFrom: from },
    });
    expect(line).toContain('风向 西风 270°');
    expect(line).toContain('观测 高村镇自动站');
    expect(line).toContain('20:00');
  });

  it('a forecast one says so, a township row by its name', () => {
    const line = windLine({
      windFromDeg: 22.5,
      sources: {
        ...sources,
        windDirection: 'forecast',
        windDirectionFrom: { ...from, stationId: null, townshipCode: '431226100', name: '高村镇' },
      },
    });
    // 22.5° lies half-way between north and north-east: given in degrees as well as named.
    expect(line).toContain('22.5°');
    expect(line).toContain('预报 高村镇');
  });

  it('typed by the commander, or assumed from the north', () => {
    expect(windLine({ windFromDeg: 90, sources: { ...sources, windDirection: 'typed' } })).toBe(
      '风向 东风 90° (指挥员输入)',
    );
    expect(windLine({ windFromDeg: 0, sources: { ...sources, windDirection: 'assumed' } })).toBe(
      '风向 北风 0° (假定北风)',
    );
  });
});
