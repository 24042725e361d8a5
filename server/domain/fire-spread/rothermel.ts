/**
 * Rothermel (1972) surface fire spread with Albini's (1976) computer formulation, as
 * BehavePlus 6 and the firelab `behave` library compute it (github.com/firelab/behave,
 * src/behave/surfaceFuelbedIntermediates.cpp, surfaceFireReactionIntensity.cpp,
 * surfaceFire.cpp, fireSize.cpp, windAdjustmentFactor.cpp). Written from those equations,
 * keeping the choices that decide the digits: the fuel particles grouped into Albini's SAVR
 * size classes for the net load, cured herbaceous load moved into a fifth dead class that
 * carries the 1 h moisture and the herbaceous SAVR, the live moisture of extinction from
 * the fine dead/live ratio (Albini 1976 p. 89, never below the dead one), wind and slope
 * vectors summed on the upslope frame, the effective wind speed recovered from the summed
 * factor, Anderson's (1983) length-to-width ratio from that wind in mi/h, Byram's fireline
 * intensity and flame length.
 *
 * Units are BehavePlus's base units: ft, ft/min, lb/ft², Btu; conversions to metric use
 * `behave`'s own constants (behaveUnits.cpp) so metric answers agree to the last digit.
 */
import type { FuelModel } from './fuel-models.ts';

/** Moisture contents, fractions of oven-dry weight. */
export interface FuelMoisture {
  d1h: number;
  d10h: number;
  d100h: number;
  liveHerb: number;
  liveWoody: number;
}

export interface SurfaceFireInput {
  fuel: FuelModel;
  moisture: FuelMoisture;
  /** Midflame wind speed, ft/min. */
  midflameWindFtPerMin: number;
  /** Direction the wind blows towards, degrees clockwise from upslope. */
  windHeadingFromUpslopeDeg: number;
  /** Slope steepness, degrees. */
  slopeDeg: number;
  /**
   * Cap the effective wind speed at 0.9·I_R (Rothermel 1972 eq. 87). BehavePlus 6 and
   * `behave` leave it off by default, following Andrews, Cruz & Rothermel (2013,
   * RMRS-RP-104); pass true to apply it.
   */
  applyWindLimit?: boolean;
}

export interface SurfaceFire {
  /** Head (maximum) rate of spread, ft/min. */
  rosFtPerMin: number;
  /** Direction of maximum spread, degrees clockwise from upslope. */
  headingFromUpslopeDeg: number;
  /** No-wind, no-slope rate of spread R0, ft/min. */
  ros0FtPerMin: number;
  backingFtPerMin: number;
  flankingFtPerMin: number;
  lengthToWidth: number;
  eccentricity: number;
  /** Effective wind speed, ft/min. */
  effectiveWindFtPerMin: number;
  windLimitExceeded: boolean;
  /** Reaction intensity, Btu/ft²/min. */
  reactionIntensity: number;
  /** Heat source I_R·ξ·(1 + φw + φs), Btu/ft²/min. */
  heatSource: number;
  /** Heat sink ρb·ε·Qig, Btu/ft³. */
  heatSink: number;
  /** Residence time 384/σ, min. */
  residenceTimeMin: number;
  /** Heat per unit area, Btu/ft². */
  heatPerUnitArea: number;
  /** Head fireline intensity (Byram), Btu/ft/s. */
  firelineIntensity: number;
  /** Head flame length (Byram 1959), ft. */
  flameLengthFt: number;
  /** Characteristic SAVR σ, ft⁻¹. */
  sigma: number;
  packingRatio: number;
  relativePackingRatio: number;
  phiWind: number;
  phiSlope: number;
  /** Moisture of extinction, dead and live, fractions. */
  deadMoistureOfExtinction: number;
  liveMoistureOfExtinction: number;
  /** Characteristic (surface-area weighted) moisture, dead and live, fractions. */
  deadMoisture: number;
  liveMoisture: number;
}

/** `behave` behaveUnits.cpp conversion constants. */
export const UNITS = {
  msToFtPerMin: 196.8503937,
  mphToFtPerMin: 88,
  ftPerMinToMph: 0.01136363636,
  ftPerMinToChainsPerHour: 10 / 11,
  ftToM: 0.3048,
  btuFtSToKwM: 3.464140419,
  sqFtToAcres: 2.295684e-5,
  sqFtToKm2: 9.290304e-8,
  ftToChains: 0.0151515151515,
} as const;

/** Number of size classes `behave` boosts a present dead / live life state to. */
const MAX_DEAD_CLASSES = 4;
const MAX_LIVE_CLASSES = 5;
/** Oven-dry particle density, lb/ft³ (Albini 1976 p. 91). */
const PARTICLE_DENSITY = 32;
const TOTAL_SILICA = 0.0555;
const EFFECTIVE_SILICA = 0.01;

/** Albini's (1976) SAVR size-class index for the net-load weighting, or -1. */
function savrBin(savr: number): number {
  if (savr >= 1200) return 0;
  if (savr >= 192) return 1;
  if (savr >= 96) return 2;
  if (savr >= 48) return 3;
  if (savr >= 16) return 4;
  return -1;
}

/** One fuel particle class: load lb/ft², SAVR ft⁻¹, moisture fraction, heat Btu/lb. */
interface Particle {
  load: number;
  savr: number;
  moisture: number;
  heat: number;
  silica: number;
  /** Fraction of the life state's surface area. */
  frac: number;
  /** Summed fraction of the particle's SAVR size class (weights the net load). */
  sizeFrac: number;
}

/**
 * Surface-area fractions of a life state's particles. `behave` counts the classes before the
 * herbaceous transfer and, if any has load, boosts the count to the maximum: only the first
 * `classes` particles get a surface area.
 */
function lifeState(particles: Particle[], classes: number) {
  const areas = particles.map((p, i) => (i < classes ? (p.load * p.savr) / PARTICLE_DENSITY : 0));
  const area = areas.reduce((a, b) => a + b, 0);
  const binSum = [0, 0, 0, 0, 0];
  particles.forEach((p, i) => {
    p.frac = i < classes && area > 1e-7 ? (areas[i] as number) / area : 0;
    const b = savrBin(p.savr);
    if (b >= 0) binSum[b] = (binSum[b] as number) + p.frac;
  });
  for (const p of particles) {
    const b = savrBin(p.savr);
    p.sizeFrac = b >= 0 ? (binSum[b] as number) : 0;
  }
  return { particles, classes, area };
}

const particle = (
  load: number,
  savr: number,
  moisture: number,
  heat: number,
  silica: number,
): Particle => ({
  load,
  savr,
  moisture,
  heat,
  silica,
  frac: 0,
  sizeFrac: 0,
});

/**
 * What a fuel model and its moisture make of a fuelbed, before wind and slope: the
 * no-wind, no-slope spread rate and the constants the wind and slope factors need.
 * Null when the model carries no fuel (non-burnable).
 */
export interface Fuelbed {
  /** Characteristic SAVR σ, ft⁻¹. */
  sigma: number;
  packingRatio: number;
  relativePackingRatio: number;
  /** Reaction intensity, Btu/ft²/min. */
  reactionIntensity: number;
  /** Propagating flux ratio ξ. */
  xi: number;
  /** Heat sink, Btu/ft³. */
  heatSink: number;
  /** No-wind, no-slope rate of spread, ft/min. */
  ros0: number;
  /** Wind factor constants C, B, E (Rothermel 1972 eqs. 48–50). */
  C: number;
  B: number;
  E: number;
  deadMoistureOfExtinction: number;
  liveMoistureOfExtinction: number;
  deadMoisture: number;
  liveMoisture: number;
}

export function fuelbed(fuel: FuelModel, m: FuelMoisture): Fuelbed | null {
  const deadPresent = fuel.load1h !== 0 || fuel.load10h !== 0 || fuel.load100h !== 0;
  const livePresent = fuel.loadHerb !== 0 || fuel.loadWoody !== 0;
  if (!deadPresent && !livePresent) return null;
  // Dynamic models: cure herbaceous load into a dead class (Scott & Burgan 2005 p. 9; the
  // 1.333 − 1.11·M line is BehavePlus's, kept as `behave` keeps it).
  let herbLive = fuel.loadHerb;
  let herbCured = 0;
  if (fuel.dynamic) {
    if (m.liveHerb < 0.3) {
      herbCured = herbLive;
      herbLive = 0;
    } else if (m.liveHerb <= 1.2) {
      herbCured = herbLive * (1.333 - 1.11 * m.liveHerb);
      herbLive -= herbCured;
    }
  }
  const hd = fuel.heatDead;
  const hl = fuel.heatLive;
  const si = EFFECTIVE_SILICA;
  // The cured herbaceous class burns with the 1 h moisture and the herbaceous SAVR.
  const dead = lifeState(
    [
      particle(fuel.load1h, fuel.savr1h, m.d1h, hd, si),
      particle(fuel.load10h, 109, m.d10h, hd, si),
      particle(fuel.load100h, 30, m.d100h, hd, si),
      particle(herbCured, fuel.savrHerb, m.d1h, hd, si),
      particle(0, 0, 0, hd, si),
    ],
    deadPresent ? MAX_DEAD_CLASSES : 0,
  );
  const live = lifeState(
    [
      particle(herbLive, fuel.savrHerb, m.liveHerb, hl, si),
      particle(fuel.loadWoody, fuel.savrWoody, m.liveWoody, hl, si),
      particle(0, 0, 0, hl, 0),
      particle(0, 0, 0, 0, 0),
      particle(0, 0, 0, 0, 0),
    ],
    livePresent ? MAX_LIVE_CLASSES : 0,
  );
  const fDead = dead.area / (dead.area + live.area);
  const fLive = 1 - fDead;

  // Moisture of extinction: dead from the model, live from Albini (1976) p. 89.
  const mxDead = fuel.deadMoistureOfExtinction;
  let mxLive = 0;
  if (live.classes !== 0) {
    let fineDead = 0;
    let fineDeadMoist = 0;
    for (const p of dead.particles) {
      const w = p.savr > 1e-7 ? p.load * Math.exp(-138 / p.savr) : 0;
      fineDead += w;
      fineDeadMoist += w * p.moisture;
    }
    const mfDead = fineDead > 1e-7 ? fineDeadMoist / fineDead : 0;
    let fineLive = 0;
    for (const p of live.particles.slice(0, live.classes))
      if (p.savr > 1e-7) fineLive += p.load * Math.exp(-500 / p.savr);
    const ratio = fineLive > 1e-7 ? fineDead / fineLive : 0;
    mxLive = 2.9 * ratio * (1 - mfDead / mxDead) - 0.226;
    if (mxLive < mxDead) mxLive = mxDead;
  }

  // Characteristic values weighted by surface area (Rothermel 1972 eqs. 53–57, 24).
  const weighted = (particles: Particle[]) => {
    let heat = 0;
    let silica = 0;
    let moist = 0;
    let savr = 0;
    let load = 0;
    let netLoad = 0;
    for (const p of particles) {
      if (p.savr <= 1e-7) continue;
      heat += p.frac * p.heat;
      silica += p.frac * p.silica;
      moist += p.frac * p.moisture;
      savr += p.frac * p.savr;
      load += p.load;
      netLoad += p.sizeFrac * p.load * (1 - TOTAL_SILICA);
    }
    return { heat, silica, moist, savr, load, netLoad };
  };
  const wd = weighted(dead.particles);
  const wl = weighted(live.particles);
  const sigma = fDead * wd.savr + fLive * wl.savr;
  const depth = fuel.depthFt;
  const bulkDensity = (wd.load + wl.load) / depth;
  let packingRatio = 0;
  for (const p of [...dead.particles, ...live.particles])
    packingRatio += p.load / (depth * PARTICLE_DENSITY);
  const betaOpt = 3.348 / sigma ** 0.8189; // eq. 37
  const betaRel = packingRatio / betaOpt;

  // Heat sink (eqs. 12, 14, 77).
  let heatSink = 0;
  const sink = (p: Particle, f: number) =>
    p.savr > 1e-7 ? f * p.frac * (250 + 1116 * p.moisture) * Math.exp(-138 / p.savr) : 0;
  for (const p of dead.particles) heatSink += sink(p, fDead);
  for (const p of live.particles) heatSink += sink(p, fLive);
  heatSink *= bulkDensity;
  const xi =
    sigma < 1e-7
      ? 0
      : Math.exp((0.792 + 0.681 * Math.sqrt(sigma)) * (packingRatio + 0.1)) /
        (192 + 0.2595 * sigma); // eq. 42

  // Reaction intensity (eqs. 27, 36, 38, 39; moisture damping eq. 29, mineral damping eq. 30).
  const A = 133 / sigma ** 0.7913;
  const s15 = sigma ** 1.5;
  const gammaMax = s15 / (495 + 0.0594 * s15);
  const gamma = gammaMax * betaRel ** A * Math.exp(A * (1 - betaRel));
  // etaM keeps the previous life state's moisture ratio when the extinction is 0, as `behave`.
  let rm = 0;
  const etaM = (moist: number, extinction: number) => {
    if (extinction > 0) rm = moist / extinction;
    return moist >= extinction || rm > 1 ? 0 : 1 - 2.59 * rm + 5.11 * rm * rm - 3.52 * rm * rm * rm;
  };
  const etaS = (silica: number) => {
    const d = silica ** 0.19;
    return d < 1e-6 ? 0 : Math.min(1, 0.174 / d);
  };
  const etaMDead = etaM(wd.moist, mxDead);
  const etaMLive = etaM(wl.moist, mxLive);
  const reactionIntensity =
    gamma * wd.netLoad * wd.heat * etaMDead * etaS(wd.silica) +
    gamma * wl.netLoad * wl.heat * etaMLive * etaS(wl.silica);
  return {
    sigma,
    packingRatio,
    relativePackingRatio: betaRel,
    reactionIntensity,
    xi,
    heatSink,
    ros0: heatSink < 1e-7 ? 0 : (reactionIntensity * xi) / heatSink,
    C: 7.47 * Math.exp(-0.133 * sigma ** 0.55),
    B: 0.02526 * sigma ** 0.54,
    E: 0.715 * Math.exp(-0.000359 * sigma),
    deadMoistureOfExtinction: mxDead,
    liveMoistureOfExtinction: mxLive,
    deadMoisture: wd.moist,
    liveMoisture: wl.moist,
  };
}

/**
 * The Rothermel surface fire for one fuel model, moisture, midflame wind, wind direction and
 * slope, in the direction of maximum spread, with BehavePlus's elliptical fire shape.
 */
export function surfaceFire(input: SurfaceFireInput): SurfaceFire {
  const bed = fuelbed(input.fuel, input.moisture);
  return bed ? surfaceFireOn(bed, input) : noFire(input);
}

/** The surface fire on a fuelbed already computed (the spread engine reuses one per fuel). */
export function surfaceFireOn(
  bed: Fuelbed,
  input: Omit<SurfaceFireInput, 'fuel' | 'moisture'>,
): SurfaceFire {
  const { sigma, packingRatio, reactionIntensity, xi, heatSink, ros0, C, B, E } = bed;
  const betaRel = bed.relativePackingRatio;
  // Wind and slope factors (eqs. 47–51).
  const U = input.midflameWindFtPerMin;
  const phiW = U < 1e-7 ? 0 : U ** B * C * betaRel ** -E;
  const slopeTan = Math.tan((input.slopeDeg / 180) * Math.PI);
  let phiS = 5.275 * packingRatio ** -0.3 * slopeTan * slopeTan;
  const windLimit = 0.9 * reactionIntensity;
  if (phiS > 0 && phiS > windLimit) phiS = windLimit; // as `behave` does

  // Wind and slope as vectors on the upslope frame (BehavePlus).
  const w = (input.windHeadingFromUpslopeDeg * Math.PI) / 180;
  const slopeRate = ros0 * phiS;
  const windRate = ros0 * phiW;
  const x = slopeRate + windRate * Math.cos(w);
  const y = windRate * Math.sin(w);
  let ros = ros0 + Math.sqrt(x * x + y * y);
  let heading = (Math.atan2(y, x) * 180) / Math.PI;
  if (heading < -1e-20) heading += 360;
  if (Math.abs(heading) < 0.5) heading = 0;

  let ews = 0;
  if (ros0 > 0) {
    const phiE = ros / ros0 - 1;
    ews = ((phiE * betaRel ** E) / C) ** (1 / B);
  }
  let windLimitExceeded = false;
  if (input.applyWindLimit && ews > windLimit) {
    windLimitExceeded = true;
    ews = windLimit;
    ros = ros0 * (1 + C * windLimit ** B * betaRel ** -E);
  }

  // Elliptical shape (Anderson 1983; BehavePlus fireSize.cpp).
  const ewsMph = ews * UNITS.ftPerMinToMph;
  let lw = 1;
  if (ewsMph > 1e-7)
    lw = Math.min(
      8,
      0.936 * Math.exp(0.1147 * ewsMph) + 0.461 * Math.exp(-0.0692 * ewsMph) - 0.397,
    );
  const e2 = lw * lw - 1;
  const ecc = e2 > 0 ? Math.sqrt(e2) / lw : 0;
  const backing = (ros * (1 - ecc)) / (1 + ecc);
  const flanking = (ros + backing) / lw / 2;

  const residence = sigma < 1e-7 ? 0 : 384 / sigma;
  const intensity = (ros * reactionIntensity * residence) / 60;
  return {
    rosFtPerMin: ros,
    headingFromUpslopeDeg: heading,
    ros0FtPerMin: ros0,
    backingFtPerMin: backing,
    flankingFtPerMin: flanking,
    lengthToWidth: lw,
    eccentricity: ecc,
    effectiveWindFtPerMin: ews,
    windLimitExceeded,
    reactionIntensity,
    heatSource: reactionIntensity * xi * (1 + phiS + phiW),
    heatSink,
    residenceTimeMin: residence,
    heatPerUnitArea: reactionIntensity * residence,
    firelineIntensity: intensity,
    flameLengthFt: flameLengthFt(intensity),
    sigma,
    packingRatio,
    relativePackingRatio: betaRel,
    phiWind: phiW,
    phiSlope: phiS,
    deadMoistureOfExtinction: bed.deadMoistureOfExtinction,
    liveMoistureOfExtinction: bed.liveMoistureOfExtinction,
    deadMoisture: bed.deadMoisture,
    liveMoisture: bed.liveMoisture,
  };
}

function noFire(input: SurfaceFireInput): SurfaceFire {
  return {
    rosFtPerMin: 0,
    headingFromUpslopeDeg: 0,
    ros0FtPerMin: 0,
    backingFtPerMin: 0,
    flankingFtPerMin: 0,
    lengthToWidth: 1,
    eccentricity: 0,
    effectiveWindFtPerMin: 0,
    windLimitExceeded: false,
    reactionIntensity: 0,
    heatSource: 0,
    heatSink: 0,
    residenceTimeMin: 0,
    heatPerUnitArea: 0,
    firelineIntensity: 0,
    flameLengthFt: 0,
    sigma: 0,
    packingRatio: 0,
    relativePackingRatio: 0,
    phiWind: 0,
    phiSlope: 0,
    deadMoistureOfExtinction: input.fuel.deadMoistureOfExtinction,
    liveMoistureOfExtinction: 0,
    deadMoisture: 0,
    liveMoisture: 0,
  };
}

/** Byram's (1959) flame length, ft, from fireline intensity, Btu/ft/s. */
export function flameLengthFt(firelineIntensityBtuFtS: number): number {
  return firelineIntensityBtuFtS < 1e-7 ? 0 : 0.45 * firelineIntensityBtuFtS ** 0.46;
}

/** Fireline intensity (Btu/ft/s) of a fire spreading at `rosFtPerMin` with this fire's heat. */
export function firelineIntensityAt(fire: SurfaceFire, rosFtPerMin: number): number {
  return (rosFtPerMin * fire.reactionIntensity * fire.residenceTimeMin) / 60;
}

/**
 * Rate of spread (ft/min) in a direction `bearingFromUpslopeDeg` (clockwise from upslope).
 * `fromPerimeter` (BehavePlus's "fire perimeter" mode, the normal to the ellipse) uses
 * Catchpole et al. (1982); otherwise the rate along a ray from the ignition point (the
 * "ignition point" mode, the ellipse in polar form about its rear focus).
 */
export function spreadRateAt(
  fire: SurfaceFire,
  bearingFromUpslopeDeg: number,
  fromPerimeter = false,
): number {
  if (!fire.rosFtPerMin) return 0;
  let d = bearingFromUpslopeDeg % 360;
  if (d < 0) d += 360;
  let beta = Math.abs(fire.headingFromUpslopeDeg - d);
  if (beta > 180) beta = 360 - beta;
  const r = (beta * Math.PI) / 180;
  if (!fromPerimeter)
    return (fire.rosFtPerMin * (1 - fire.eccentricity)) / (1 - fire.eccentricity * Math.cos(r));
  const f = (fire.rosFtPerMin + fire.backingFtPerMin) / 2;
  const g = fire.rosFtPerMin - f;
  const h = fire.flankingFtPerMin;
  return g * Math.cos(r) + Math.sqrt(f * f * Math.cos(r) ** 2 + h * h * Math.sin(r) ** 2);
}

/**
 * The free-burning ellipse after `minutes` (BehavePlus fireSize.cpp): semi-axes a (across)
 * and b (along), c the centre's distance ahead of the ignition point, ft; area ft²;
 * perimeter ft (Ramanujan's series as `behave` uses it); head-to-back ratio (Alexander 1985).
 */
export function fireEllipse(fire: SurfaceFire, minutes: number) {
  const b = ((fire.rosFtPerMin + fire.backingFtPerMin) / 2) * minutes;
  const part = Math.sqrt(fire.lengthToWidth ** 2 - 1);
  const a = b / fire.lengthToWidth;
  const c = b - fire.backingFtPerMin * minutes;
  const h = (a - b) ** 2 / (a + b) ** 2;
  return {
    aFt: a,
    bFt: b,
    cFt: c,
    areaSqFt: Math.PI * a * b,
    perimeterFt: a + b > 1e-7 ? Math.PI * (a + b) * (1 + h / 4 + (h * h) / 64) : 0,
    headToBack: (fire.lengthToWidth + part) / (fire.lengthToWidth - part),
  };
}

/**
 * Wind adjustment factor from 20-ft to midflame wind (Albini & Baughman 1979; Andrews 2012,
 * RMRS-GTR-266, eqs. 4–6; `behave` windAdjustmentFactor.cpp with crown ratio). Canopy cover
 * and crown ratio fractions, heights ft.
 */
export function windAdjustmentFactor(p: {
  canopyCover: number;
  canopyHeightFt: number;
  crownRatio: number;
  fuelbedDepthFt: number;
}): number {
  const crownFraction = (p.crownRatio * p.canopyCover) / 3;
  const unsheltered = p.canopyCover < 1e-7 || crownFraction < 0.05 || p.canopyHeightFt < 6;
  if (unsheltered)
    return p.fuelbedDepthFt > 1e-7
      ? 1.83 / Math.log((20 + 0.36 * p.fuelbedDepthFt) / (0.13 * p.fuelbedDepthFt))
      : 0;
  const h = p.canopyHeightFt;
  return 0.555 / (Math.sqrt(crownFraction * h) * Math.log((20 + 0.36 * h) / (0.13 * h)));
}
