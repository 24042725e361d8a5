/**
 * The FWI System against the published NOR-X-424 test sequence (Wang, Anderson & Suddaby
 * 2015): every code and index of every day, run in order from FFMC 85, DMC 6, DC 15, within
 * ±0.1 of the published value.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { bui, dc, dmc, FWI_START, ffmc, fwi, fwiDay, fwiSeries, isi } from './fwi.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const COPY = path.join(here, 'fixtures/nor-x-424-daily.csv');
const SHARED = path.resolve(here, '../../../../shared/reference-data/fwi/nor-x-424-daily.csv');

function readReference(file: string) {
  const [head, ...lines] = fs.readFileSync(file, 'utf8').trim().split(/\r?\n/);
  const cols = (head as string).split(',');
  return lines.map((l) => {
    const v = l.split(',').map(Number);
    return Object.fromEntries(cols.map((c, i) => [c, v[i] as number]));
  });
}

describe('FWI System, NOR-X-424 reference sequence', () => {
  it('the copy in the repository is the shared reference file', () => {
    if (!fs.existsSync(SHARED)) return;
    expect(fs.readFileSync(COPY, 'utf8')).toBe(fs.readFileSync(SHARED, 'utf8'));
  });

  const ref = readReference(fs.existsSync(SHARED) ? SHARED : COPY);
  const days = fwiSeries(
    ref.map((r) => ({
      month: r.mth as number,
      tempC: r.temp as number,
      rhPct: r.rh as number,
      windKmh: r.ws as number,
      rainMm: r.pr as number,
    })),
  );

  it('has the whole sequence (dry spells and rain days, April to May)', () => {
    expect(ref.length).toBeGreaterThanOrEqual(30);
    expect(ref.some((r) => (r.pr as number) > 2.8)).toBe(true);
  });

  for (const key of ['ffmc', 'dmc', 'dc', 'isi', 'bui', 'fwi'] as const) {
    it(`${key} within ±0.1 on every day`, () => {
      const off = ref
        .map((r, i) => ({
          day: `${r.mth}-${r.day}`,
          want: r[key] as number,
          got: days[i]?.[key] as number,
        }))
        .filter((d) => !(Math.abs(d.got - d.want) <= 0.1));
      expect(off).toEqual([]);
    });
  }
});

describe('FWI System, rules of the equations', () => {
  it('starts from the standard codes', () => {
    expect(FWI_START).toEqual({ ffmc: 85, dmc: 6, dc: 15 });
  });

  it('FFMC stays within 0–101 in extreme weather', () => {
    expect(ffmc(101, 45, 0, 100, 0)).toBeLessThanOrEqual(101);
    expect(ffmc(0, -10, 100, 0, 200)).toBeGreaterThanOrEqual(0);
  });

  it('rain of 0.5 mm or less does not wet fine fuel (canopy interception, eq. 2)', () => {
    expect(ffmc(90, 20, 50, 10, 0.5)).toBe(ffmc(90, 20, 50, 10, 0));
    expect(ffmc(90, 20, 50, 10, 0.6)).toBeLessThan(ffmc(90, 20, 50, 10, 0));
  });

  it('DMC: rain of 1.5 mm or less is ignored; below −1.1 °C there is no drying', () => {
    expect(dmc(20, 15, 40, 1.5, 6)).toBe(dmc(20, 15, 40, 0, 6));
    expect(dmc(20, -5, 40, 0, 6)).toBe(20);
  });

  it('DC: rain of 2.8 mm or less is ignored; in winter months the day-length term can be zero', () => {
    expect(dc(100, 15, 2.8, 7)).toBe(dc(100, 15, 0, 7));
    expect(dc(100, -10, 0, 1)).toBe(100);
  });

  it('BUI is 0 when DMC and DC are 0; eq. 27a by hand: DMC 10, DC 100 → 0.8·10·100/(10+40) = 16', () => {
    expect(bui(0, 0)).toBe(0);
    expect(bui(10, 100)).toBeCloseTo(16, 10);
  });

  it('ISI grows with wind; FWI is 0 when ISI is 0', () => {
    expect(isi(90, 30)).toBeGreaterThan(isi(90, 10));
    expect(fwi(0, 50)).toBe(0);
  });

  it('does not mutate the codes it is given', () => {
    const prev = Object.freeze({ ffmc: 85, dmc: 6, dc: 15 });
    fwiDay(prev, { month: 4, tempC: 17, rhPct: 42, windKmh: 25, rainMm: 0 });
    expect(prev).toEqual({ ffmc: 85, dmc: 6, dc: 15 });
  });

  it('rejects a month outside 1–12', () => {
    expect(() => dmc(6, 20, 40, 0, 13)).toThrow(RangeError);
  });
});
