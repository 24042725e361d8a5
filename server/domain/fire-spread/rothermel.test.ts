/**
 * The published test values of firelab `behave` (the BehavePlus 6 engine):
 * github.com/firelab/behave, src/testBehave/testBehave.cpp at commit
 * d963287f60a69fa260fd22b885f5a6fbf4e0faa3 — functions testSurfaceSingleFuelModel,
 * testLengthToWidthRatio, testEllipticalDimensions, testDirectionOfInterest,
 * testFirelineIntensity and testSimpleSurface, all from its "GS4 low moisture scenario"
 * (setSurfaceInputsForGS4LowMoistureScenario: gs4, moisture 6/7/8/60/90 %, 5 mi/h 20-ft
 * wind, 30 % slope, canopy cover 50 %, canopy height 30 ft, crown ratio 0.5).
 *
 * `behave` rounds each observed value to six decimals and compares with 1e-6; the expected
 * values are given to six decimals, so we accept 1e-6 relative or, for values under 1, half a
 * unit of the sixth decimal the value was published to.
 */
import { describe, expect, it } from 'vitest';
import { FUEL_MODELS, fuelModel } from './fuel-models.ts';
import {
  type FuelMoisture,
  fireEllipse,
  firelineIntensityAt,
  flameLengthFt,
  spreadRateAt,
  surfaceFire,
  UNITS,
  windAdjustmentFactor,
} from './rothermel.ts';

function close(observed: number, expected: number) {
  const tol = Math.max(1e-6 * Math.abs(expected), 5.000001e-7);
  expect(
    Math.abs(observed - expected),
    `observed ${observed}, expected ${expected}`,
  ).toBeLessThanOrEqual(tol);
}

const LOW: FuelMoisture = { d1h: 0.06, d10h: 0.07, d100h: 0.08, liveHerb: 0.6, liveWoody: 0.9 };

interface Case {
  fuel?: string;
  /** 20-ft wind, mi/h, reduced by the canopy's wind adjustment factor. */
  wind20Mph?: number;
  /** Direct midflame wind, mi/h. */
  midflameMph?: number;
  /** User wind adjustment factor (testSimpleSurface). */
  waf?: number;
  /** Wind direction: from upslope (upslope mode) or from north with `aspect`. */
  windDir?: number;
  aspect?: number;
  slopeDeg?: number;
  slopePercent?: number;
  canopyCover?: number;
  moisture?: FuelMoisture;
}

/** Runs one `behave` scenario; north-oriented cases turn the wind onto the upslope frame. */
function run(c: Case) {
  const fuel = fuelModel(c.fuel ?? 'gs4');
  if (!fuel) throw new Error('no fuel');
  let midflame: number;
  if (c.midflameMph !== undefined) midflame = c.midflameMph * UNITS.mphToFtPerMin;
  else {
    const waf =
      c.waf ??
      windAdjustmentFactor({
        canopyCover: c.canopyCover ?? 0.5,
        canopyHeightFt: 30,
        crownRatio: 0.5,
        fuelbedDepthFt: fuel.depthFt,
      });
    midflame = waf * (c.wind20Mph ?? 5) * UNITS.mphToFtPerMin;
  }
  const slopeDeg = c.slopeDeg ?? (180 / Math.PI) * Math.atan((c.slopePercent ?? 30) / 100);
  // behave: in north-oriented mode the wind direction is where it blows from and the aspect
  // is the downslope direction, so (wind − aspect) is the wind's heading from upslope.
  const heading = (c.windDir ?? 0) - (c.aspect ?? 0);
  return surfaceFire({
    fuel,
    moisture: c.moisture ?? LOW,
    midflameWindFtPerMin: midflame,
    windHeadingFromUpslopeDeg: heading,
    slopeDeg,
  });
}
const chainsPerHour = (ftPerMin: number) => ftPerMin * UNITS.ftPerMinToChainsPerHour;

describe('Rothermel surface fire against firelab behave testSurfaceSingleFuelModel', () => {
  const base = { windDir: 45, aspect: 95, slopeDeg: 30 };
  it('north oriented, 45° wind, 95° aspect, 5 mi/h 20-ft wind, 30° slope: 19.677584 ch/h', () => {
    close(chainsPerHour(run(base).rosFtPerMin), 19.677584);
  });
  it('live moisture of extinction 137.968551 %, characteristic live 85.874007 %, dead 6.005463 %', () => {
    const f = run(base);
    close(f.liveMoistureOfExtinction * 100, 137.968551);
    close(f.liveMoisture * 100, 85.874007);
    close(f.deadMoisture * 100, 6.005463);
  });
  it('characteristic SAVR 1631.128734 ft⁻¹ and heat source 5177.248579 Btu/ft²/min', () => {
    close(run(base).sigma, 1631.128734);
    close(run(base).heatSource, 5177.248579);
  });
  it('heat source on flat ground, north wind, 0° aspect: 1164.267376', () => {
    close(run({ windDir: 0, aspect: 0, slopeDeg: 0 }).heatSource, 1164.267376);
  });
  it('upslope wind on a 30 % slope: head 8.876216, backing 2.91614659, flanking 5.08766627 ch/h', () => {
    const f = run({ windDir: 0 });
    close(chainsPerHour(f.rosFtPerMin), 8.876216);
    close(chainsPerHour(f.backingFtPerMin), 2.91614659);
    close(chainsPerHour(f.flankingFtPerMin), 5.08766627);
    // Spread distances after 2 h, chains.
    close(f.rosFtPerMin * 120 * UNITS.ftToChains, 17.7524327);
    close(f.backingFtPerMin * 120 * UNITS.ftToChains, 5.8322932);
    close(f.flankingFtPerMin * 120 * UNITS.ftToChains, 10.17533253);
  });
  it('moisture scenarios D1L1 (3,4,5,30,60 %) and D2L3 (6,7,8,90,120 %): 15.023945 and 1.978840 ch/h', () => {
    close(
      chainsPerHour(
        run({ moisture: { d1h: 0.03, d10h: 0.04, d100h: 0.05, liveHerb: 0.3, liveWoody: 0.6 } })
          .rosFtPerMin,
      ),
      15.023945,
    );
    close(
      chainsPerHour(
        run({ moisture: { d1h: 0.06, d10h: 0.07, d100h: 0.08, liveHerb: 0.9, liveWoody: 1.2 } })
          .rosFtPerMin,
      ),
      1.97884,
    );
  });
  it('cross-slope wind (90° from upslope): 7.091665 ch/h', () => {
    close(chainsPerHour(run({ windDir: 90 }).rosFtPerMin), 7.091665);
  });
  it('north wind on a north aspect equals upslope wind: 8.876216 ch/h', () => {
    close(chainsPerHour(run({ windDir: 0, aspect: 0 }).rosFtPerMin), 8.876216);
  });
  it('45° wind, 215° aspect: 4.113265 ch/h; 45° wind, 5° aspect: 8.503960 ch/h', () => {
    close(chainsPerHour(run({ windDir: 45, aspect: 215 }).rosFtPerMin), 4.113265);
    close(chainsPerHour(run({ windDir: 45, aspect: 5 }).rosFtPerMin), 8.50396);
  });
  it('fuel model 4, 90° wind, 0° aspect, 30° slope, canopy cover 40 %: 46.631688 ch/h', () => {
    close(
      chainsPerHour(
        run({ fuel: '4', windDir: 90, aspect: 0, slopeDeg: 30, canopyCover: 0.4 }).rosFtPerMin,
      ),
      46.631688,
    );
  });
  it('non-burnable fuel spreads at 0', () => {
    expect(run({ fuel: 'nb1' }).rosFtPerMin).toBe(0);
  });
});

describe('length-to-width ratio (testLengthToWidthRatio)', () => {
  it('no wind, flat: 1.0', () => {
    expect(run({ wind20Mph: 0, slopeDeg: 0 }).lengthToWidth).toBe(1);
  });
  it('5 mi/h midflame, flat: 1.590064', () => {
    close(run({ midflameMph: 5, slopeDeg: 0 }).lengthToWidth, 1.590064);
  });
  it('45° wind, 95° aspect, 30° slope at 5 and 15 mi/h 20-ft wind: 1.375624 and 1.519936', () => {
    close(run({ windDir: 45, aspect: 95, slopeDeg: 30 }).lengthToWidth, 1.375624);
    close(run({ windDir: 45, aspect: 95, slopeDeg: 30, wind20Mph: 15 }).lengthToWidth, 1.519936);
  });
});

describe('elliptical dimensions (testEllipticalDimensions), 5 mi/h midflame, flat', () => {
  const f = run({ midflameMph: 5, slopeDeg: 0 });
  it('a, b, c after 3.5869124 min: 0.628905, 1.0, 0.777482 chains; head:back 7.988029', () => {
    const e = fireEllipse(f, 3.5869124);
    close(e.aFt * UNITS.ftToChains, 0.628905);
    close(e.bFt * UNITS.ftToChains, 1.0);
    close(e.cFt * UNITS.ftToChains, 0.777482);
    close(e.headToBack, 7.988029);
  });
  it('after 1 h: 55.283555 acres, 0.223725 km², perimeter 86.71476 chains', () => {
    const e = fireEllipse(f, 60);
    close(e.areaSqFt * UNITS.sqFtToAcres, 55.283555);
    close(e.areaSqFt * UNITS.sqFtToKm2, 0.223725);
    close(e.perimeterFt * UNITS.ftToChains, 86.71476);
  });
});

describe('spread in a direction of interest (testDirectionOfInterest)', () => {
  it('perimeter mode, upslope wind, 90° from upslope: 5.596433 ft/min, flame 6.598148 ft', () => {
    const f = run({ windDir: 0 });
    const r = spreadRateAt(f, 90, true);
    close(r, 5.596433);
    close(flameLengthFt(firelineIntensityAt(f, r)), 6.598148);
  });
  it('perimeter mode: 160° of interest with 290° wind 2.766387 ch/h; 215° with 215° wind 2.818063', () => {
    close(chainsPerHour(spreadRateAt(run({ windDir: 290 }), 160, true)), 2.766387);
    close(chainsPerHour(spreadRateAt(run({ windDir: 215 }), 215, true)), 2.818063);
  });
  it('ignition-point mode, north oriented: 4.180938, 3.438243 and 2.944975 ch/h', () => {
    // Directions of interest are from north; turn them onto the upslope frame (aspect + 180).
    const at = (wind: number, aspect: number, dir: number) =>
      chainsPerHour(spreadRateAt(run({ windDir: wind, aspect }), dir - (aspect + 180)));
    close(at(280, 135, 30), 4.180938);
    close(at(0, 45, 90), 3.438243);
    close(at(280, 263, 285), 2.944975);
  });
});

describe('fireline intensity and the simple surface run', () => {
  it('upslope wind: 598.339039 Btu/ft/s = 2072.730450 kW/m', () => {
    const f = run({ windDir: 0 });
    close(f.firelineIntensity, 598.339039);
    close(f.firelineIntensity * UNITS.btuFtSToKwM, 2072.73045);
  });
  it('wind adjustment factor 1, no canopy: 34.011429 ch/h, flame 15.811421 ft, 2292.684759 Btu/ft/s', () => {
    const f = run({ waf: 1, windDir: 0, aspect: 0 });
    close(chainsPerHour(f.rosFtPerMin), 34.011429);
    close(f.flameLengthFt, 15.811421);
    close(f.firelineIntensity, 2292.684759);
  });
});

describe('catalog', () => {
  it('holds the 13 Anderson and the 40 Scott & Burgan models by key', () => {
    const keys = [...FUEL_MODELS.keys()];
    expect(keys.filter((k) => /^\d+$/.test(k))).toHaveLength(13);
    expect(keys.filter((k) => /^(gr|gs|sh|tu|tl|sb)\d$/.test(k))).toHaveLength(40);
  });
  it('does not change its input', () => {
    const fuel = fuelModel('gs4');
    if (!fuel) throw new Error('no fuel');
    const before = JSON.stringify(fuel);
    surfaceFire({
      fuel,
      moisture: LOW,
      midflameWindFtPerMin: 300,
      windHeadingFromUpslopeDeg: 30,
      slopeDeg: 20,
    });
    expect(JSON.stringify(fuel)).toBe(before);
  });
  it('applies the effective wind speed limit only when asked, and then caps the spread', () => {
    const fuel = fuelModel('8');
    if (!fuel) throw new Error('no fuel');
    const input = {
      fuel,
      moisture: LOW,
      midflameWindFtPerMin: 20 * 88,
      windHeadingFromUpslopeDeg: 0,
      slopeDeg: 0,
    };
    const free = surfaceFire(input);
    const capped = surfaceFire({ ...input, applyWindLimit: true });
    expect(free.effectiveWindFtPerMin).toBeGreaterThan(0.9 * free.reactionIntensity);
    expect(capped.windLimitExceeded).toBe(true);
    close(capped.effectiveWindFtPerMin, 0.9 * free.reactionIntensity);
    expect(capped.rosFtPerMin).toBeLessThan(free.rosFtPerMin);
  });
});
