/**
 * The standard surface fuel models by catalog key: the 13 of Anderson (1982) / Albini (1976),
 * keys "1"…"13", and the 40 of Scott & Burgan (2005, RMRS-GTR-153, table 7), keys "gr1"…"sb4".
 *
 * Units are the ones Rothermel (1972) and BehavePlus compute in: loads lb/ft², depth ft,
 * surface-area-to-volume ratio (SAVR) ft⁻¹, heat content Btu/lb, dead moisture of extinction
 * as a fraction of oven-dry weight. The 10 h and 100 h SAVRs are fixed at 109 and 30 ft⁻¹.
 * Anderson's loads are Albini's lb/ft² values (as BehavePlus and firelab `behave`
 * fuelModels.cpp carry them); Scott & Burgan's are their published tons/acre times
 * 2000/43 560, the same conversion `behave` makes, so the maths sees the same numbers.
 * A dynamic model transfers part of its live herbaceous load to dead as it cures (Scott &
 * Burgan 2005, p. 9); all 40 Scott & Burgan models are flagged dynamic as in `behave` (it is
 * harmless for those without herbaceous load).
 */

export interface FuelModel {
  key: string;
  name: string;
  /** Fuelbed depth, ft. */
  depthFt: number;
  /** Dead fuel moisture of extinction, fraction. */
  deadMoistureOfExtinction: number;
  /** Heat content of dead and live fuel, Btu/lb. */
  heatDead: number;
  heatLive: number;
  /** Oven-dry loads, lb/ft²: 1 h, 10 h, 100 h dead; live herbaceous, live woody. */
  load1h: number;
  load10h: number;
  load100h: number;
  loadHerb: number;
  loadWoody: number;
  /** SAVR, ft⁻¹: 1 h dead, live herbaceous, live woody. */
  savr1h: number;
  savrHerb: number;
  savrWoody: number;
  dynamic: boolean;
}

/** Tons per acre to pounds per square foot, as `behave` fuelModels.cpp computes it. */
const T = 2000 / 43560;

type Row = [
  key: string,
  name: string,
  depth: number,
  mx: number,
  heat: number,
  l1: number,
  l10: number,
  l100: number,
  lh: number,
  lw: number,
  s1: number,
  sh: number,
  sw: number,
];

// Anderson (1982) table 1 via Albini (1976): loads already in lb/ft².
// biome-ignore format: one fuel model a line, as the published tables
const ANDERSON: Row[] = [
  ['1', 'Short grass', 1.0, 0.12, 8000, 0.034, 0, 0, 0, 0, 3500, 1500, 1500],
  ['2', 'Timber grass and understory', 1.0, 0.15, 8000, 0.092, 0.046, 0.023, 0.023, 0, 3000, 1500, 1500],
  ['3', 'Tall grass', 2.5, 0.25, 8000, 0.138, 0, 0, 0, 0, 1500, 1500, 1500],
  ['4', 'Chaparral', 6.0, 0.2, 8000, 0.23, 0.184, 0.092, 0, 0.23, 2000, 1500, 1500],
  ['5', 'Brush', 2.0, 0.2, 8000, 0.046, 0.023, 0, 0, 0.092, 2000, 1500, 1500],
  ['6', 'Dormant brush, hardwood slash', 2.5, 0.25, 8000, 0.069, 0.115, 0.092, 0, 0, 1750, 1500, 1500],
  ['7', 'Southern rough', 2.5, 0.4, 8000, 0.052, 0.086, 0.069, 0, 0.017, 1750, 1500, 1500],
  ['8', 'Short needle litter', 0.2, 0.3, 8000, 0.069, 0.046, 0.115, 0, 0, 2000, 1500, 1500],
  ['9', 'Long needle or hardwood litter', 0.2, 0.25, 8000, 0.134, 0.019, 0.007, 0, 0, 2500, 1500, 1500],
  ['10', 'Timber litter and understory', 1.0, 0.25, 8000, 0.138, 0.092, 0.23, 0, 0.092, 2000, 1500, 1500],
  ['11', 'Light logging slash', 1.0, 0.15, 8000, 0.069, 0.207, 0.253, 0, 0, 1500, 1500, 1500],
  ['12', 'Medium logging slash', 2.3, 0.2, 8000, 0.184, 0.644, 0.759, 0, 0, 1500, 1500, 1500],
  ['13', 'Heavy logging slash', 3.0, 0.25, 8000, 0.322, 1.058, 1.288, 0, 0, 1500, 1500, 1500],
];

// Scott & Burgan (2005) table 7: loads in tons/acre (converted below).
// biome-ignore format: one fuel model a line, as the published tables
const SCOTT_BURGAN: Row[] = [
  ['gr1', 'Short, sparse dry climate grass', 0.4, 0.15, 8000, 0.1, 0, 0, 0.3, 0, 2200, 2000, 1500],
  ['gr2', 'Low load, dry climate grass', 1.0, 0.15, 8000, 0.1, 0, 0, 1.0, 0, 2000, 1800, 1500],
  ['gr3', 'Low load, very coarse, humid climate grass', 2.0, 0.3, 8000, 0.1, 0.4, 0, 1.5, 0, 1500, 1300, 1500],
  ['gr4', 'Moderate load, dry climate grass', 2.0, 0.15, 8000, 0.25, 0, 0, 1.9, 0, 2000, 1800, 1500],
  ['gr5', 'Low load, humid climate grass', 1.5, 0.4, 8000, 0.4, 0, 0, 2.5, 0, 1800, 1600, 1500],
  ['gr6', 'Moderate load, humid climate grass', 1.5, 0.4, 9000, 0.1, 0, 0, 3.4, 0, 2200, 2000, 1500],
  ['gr7', 'High load, dry climate grass', 3.0, 0.15, 8000, 1.0, 0, 0, 5.4, 0, 2000, 1800, 1500],
  ['gr8', 'High load, very coarse, humid climate grass', 4.0, 0.3, 8000, 0.5, 1.0, 0, 7.3, 0, 1500, 1300, 1500],
  ['gr9', 'Very high load, humid climate grass', 5.0, 0.4, 8000, 1.0, 1.0, 0, 9.0, 0, 1800, 1600, 1500],
  ['gs1', 'Low load, dry climate grass-shrub', 0.9, 0.15, 8000, 0.2, 0, 0, 0.5, 0.65, 2000, 1800, 1800],
  ['gs2', 'Moderate load, dry climate grass-shrub', 1.5, 0.15, 8000, 0.5, 0.5, 0, 0.6, 1.0, 2000, 1800, 1800],
  ['gs3', 'Moderate load, humid climate grass-shrub', 1.8, 0.4, 8000, 0.3, 0.25, 0, 1.45, 1.25, 1800, 1600, 1600],
  ['gs4', 'High load, humid climate grass-shrub', 2.1, 0.4, 8000, 1.9, 0.3, 0.1, 3.4, 7.1, 1800, 1600, 1600],
  ['sh1', 'Low load, dry climate shrub', 1.0, 0.15, 8000, 0.25, 0.25, 0, 0.15, 1.3, 2000, 1800, 1600],
  ['sh2', 'Moderate load, dry climate shrub', 1.0, 0.15, 8000, 1.35, 2.4, 0.75, 0, 3.85, 2000, 1800, 1600],
  ['sh3', 'Moderate load, humid climate shrub', 2.4, 0.4, 8000, 0.45, 3.0, 0, 0, 6.2, 1600, 1800, 1400],
  ['sh4', 'Low load, humid climate timber-shrub', 3.0, 0.3, 8000, 0.85, 1.15, 0.2, 0, 2.55, 2000, 1800, 1600],
  ['sh5', 'High load, dry climate shrub', 6.0, 0.15, 8000, 3.6, 2.1, 0, 0, 2.9, 750, 1800, 1600],
  ['sh6', 'Low load, humid climate shrub', 2.0, 0.3, 8000, 2.9, 1.45, 0, 0, 1.4, 750, 1800, 1600],
  ['sh7', 'Very high load, dry climate shrub', 6.0, 0.15, 8000, 3.5, 5.3, 2.2, 0, 3.4, 750, 1800, 1600],
  ['sh8', 'High load, humid climate shrub', 3.0, 0.4, 8000, 2.05, 3.4, 0.85, 0, 4.35, 750, 1800, 1600],
  ['sh9', 'Very high load, humid climate shrub', 4.4, 0.4, 8000, 4.5, 2.45, 0, 1.55, 7.0, 750, 1800, 1500],
  ['tu1', 'Low load, dry climate timber-grass-shrub', 0.6, 0.2, 8000, 0.2, 0.9, 1.5, 0.2, 0.9, 2000, 1800, 1600],
  ['tu2', 'Moderate load, humid climate timber-shrub', 1.0, 0.3, 8000, 0.95, 1.8, 1.25, 0, 0.2, 2000, 1800, 1600],
  ['tu3', 'Moderate load, humid climate timber-grass-shrub', 1.3, 0.3, 8000, 1.1, 0.15, 0.25, 0.65, 1.1, 1800, 1600, 1400],
  ['tu4', 'Dwarf conifer with understory', 0.5, 0.12, 8000, 4.5, 0, 0, 0, 2.0, 2300, 1800, 2000],
  ['tu5', 'Very high load, dry climate timber-shrub', 1.0, 0.25, 8000, 4.0, 4.0, 3.0, 0, 3.0, 1500, 1800, 750],
  ['tl1', 'Low load compact conifer litter', 0.2, 0.3, 8000, 1.0, 2.2, 3.6, 0, 0, 2000, 1800, 1600],
  ['tl2', 'Low load broadleaf litter', 0.2, 0.25, 8000, 1.4, 2.3, 2.2, 0, 0, 2000, 1800, 1600],
  ['tl3', 'Moderate load conifer litter', 0.3, 0.2, 8000, 0.5, 2.2, 2.8, 0, 0, 2000, 1800, 1600],
  ['tl4', 'Small downed logs', 0.4, 0.25, 8000, 0.5, 1.5, 4.2, 0, 0, 2000, 1800, 1600],
  ['tl5', 'High load conifer litter', 0.6, 0.25, 8000, 1.15, 2.5, 4.4, 0, 0, 2000, 1800, 1600],
  ['tl6', 'Moderate load broadleaf litter', 0.3, 0.25, 8000, 2.4, 1.2, 1.2, 0, 0, 2000, 1800, 1600],
  ['tl7', 'Large downed logs', 0.4, 0.25, 8000, 0.3, 1.4, 8.1, 0, 0, 2000, 1800, 1600],
  ['tl8', 'Long-needle litter', 0.3, 0.35, 8000, 5.8, 1.4, 1.1, 0, 0, 1800, 1800, 1600],
  ['tl9', 'Very high load broadleaf litter', 0.6, 0.35, 8000, 6.65, 3.3, 4.15, 0, 0, 1800, 1800, 1600],
  ['sb1', 'Low load activity fuel', 1.0, 0.25, 8000, 1.5, 3.0, 11.0, 0, 0, 2000, 1800, 1600],
  ['sb2', 'Moderate load activity fuel or low load blowdown', 1.0, 0.25, 8000, 4.5, 4.25, 4.0, 0, 0, 2000, 1800, 1600],
  ['sb3', 'High load activity fuel or moderate load blowdown', 1.2, 0.25, 8000, 5.5, 2.75, 3.0, 0, 0, 2000, 1800, 1600],
  ['sb4', 'High load blowdown', 2.7, 0.25, 8000, 5.25, 3.5, 5.25, 0, 0, 2000, 1800, 1600],
];

// Scott & Burgan's non-burnable classes: no load, so no spread.
// biome-ignore format: one fuel model a line, as the published tables
const NON_BURNABLE: Row[] = [
  ['nb1', 'Urban/developed', 1, 0.1, 8000, 0, 0, 0, 0, 0, 1500, 1500, 1500],
  ['nb2', 'Snow/ice', 1, 0.1, 8000, 0, 0, 0, 0, 0, 1500, 1500, 1500],
  ['nb3', 'Agricultural', 1, 0.1, 8000, 0, 0, 0, 0, 0, 1500, 1500, 1500],
  ['nb8', 'Open water', 1, 0.1, 8000, 0, 0, 0, 0, 0, 1500, 1500, 1500],
  ['nb9', 'Bare ground', 1, 0.1, 8000, 0, 0, 0, 0, 0, 1500, 1500, 1500],
];

function model(row: Row, loadFactor: number, dynamic: boolean): FuelModel {
  const [key, name, depthFt, mx, heat, l1, l10, l100, lh, lw, s1, sh, sw] = row;
  return {
    key,
    name,
    depthFt,
    deadMoistureOfExtinction: mx,
    heatDead: heat,
    heatLive: heat,
    load1h: l1 * loadFactor,
    load10h: l10 * loadFactor,
    load100h: l100 * loadFactor,
    loadHerb: lh * loadFactor,
    loadWoody: lw * loadFactor,
    savr1h: s1,
    savrHerb: sh,
    savrWoody: sw,
    dynamic,
  };
}

/** Every standard model by its catalog key ("1"…"13", "gr1"…"sb4", and "nb1"…"nb9"). */
export const FUEL_MODELS: ReadonlyMap<string, FuelModel> = new Map(
  [
    ...ANDERSON.map((r) => model(r, 1, false)),
    ...SCOTT_BURGAN.map((r) => model(r, T, true)),
    ...NON_BURNABLE.map((r) => model(r, 1, false)),
  ].map((m) => [m.key, m]),
);

/** The model for a catalog key (case-insensitive), or undefined. */
export function fuelModel(key: string): FuelModel | undefined {
  return FUEL_MODELS.get(key.trim().toLowerCase());
}
