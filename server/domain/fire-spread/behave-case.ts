/**
 * One BehavePlus-style surface case in metric units, as the `npm run behave` CLI reads and
 * writes it: moistures as fractions of oven-dry weight, midflame wind m/s, the wind's heading
 * (where it blows to) in degrees clockwise from upslope, slope as rise over run. Answers in
 * m/min, m and kW/m through `behave`'s own conversion constants.
 */
import { fuelModel } from './fuel-models.ts';
import { surfaceFire, UNITS } from './rothermel.ts';

export interface BehaveCase {
  fuelModel: string;
  d1h: number;
  d10h: number;
  d100h: number;
  liveHerb: number;
  liveWoody: number;
  midflameWindMs: number;
  windHeadingFromUpslopeDeg: number;
  slopeRatio: number;
  applyWindLimit?: boolean;
}

export interface BehaveAnswer {
  rosMmin: number;
  headingFromUpslopeDeg: number;
  lengthToWidth: number;
  flameLengthM: number;
  firelineIntensityKwM: number;
}

export class CaseError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

const NUMBER_FIELDS: Array<[keyof BehaveCase, number, number, string]> = [
  ['d1h', 0, 5, 'a fraction of oven-dry weight, e.g. 0.06'],
  ['d10h', 0, 5, 'a fraction of oven-dry weight, e.g. 0.07'],
  ['d100h', 0, 5, 'a fraction of oven-dry weight, e.g. 0.08'],
  ['liveHerb', 0, 5, 'a fraction of oven-dry weight, e.g. 0.6'],
  ['liveWoody', 0, 5, 'a fraction of oven-dry weight, e.g. 0.9'],
  ['midflameWindMs', 0, 100, 'a midflame wind speed in m/s, e.g. 2.2'],
  ['windHeadingFromUpslopeDeg', -360, 720, 'degrees clockwise from upslope, e.g. 0'],
  ['slopeRatio', 0, 20, 'rise over run, e.g. 0.3 for a 30 % slope'],
];

/** Checks one parsed JSON value; throws CaseError naming the first bad field. */
export function parseBehaveCase(value: unknown): BehaveCase {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new CaseError('(line)', 'expected a JSON object');
  const o = value as Record<string, unknown>;
  if (typeof o.fuelModel !== 'string' || !fuelModel(o.fuelModel))
    throw new CaseError(
      'fuelModel',
      `fuelModel must be a catalog key ("1"…"13", "gr1"…"sb4"), got ${JSON.stringify(o.fuelModel)}`,
    );
  for (const [field, min, max, what] of NUMBER_FIELDS) {
    const v = o[field];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max)
      throw new CaseError(
        field,
        `${field} must be ${what} (between ${min} and ${max}), got ${JSON.stringify(v)}`,
      );
  }
  if (o.applyWindLimit !== undefined && typeof o.applyWindLimit !== 'boolean')
    throw new CaseError('applyWindLimit', 'applyWindLimit must be true or false');
  return o as unknown as BehaveCase;
}

export function runBehaveCase(c: BehaveCase): BehaveAnswer {
  const fuel = fuelModel(c.fuelModel);
  if (!fuel) throw new CaseError('fuelModel', `unknown fuel model ${c.fuelModel}`);
  const fire = surfaceFire({
    fuel,
    moisture: {
      d1h: c.d1h,
      d10h: c.d10h,
      d100h: c.d100h,
      liveHerb: c.liveHerb,
      liveWoody: c.liveWoody,
    },
    midflameWindFtPerMin: c.midflameWindMs * UNITS.msToFtPerMin,
    windHeadingFromUpslopeDeg: c.windHeadingFromUpslopeDeg,
    slopeDeg: (180 / Math.PI) * Math.atan(c.slopeRatio),
    applyWindLimit: c.applyWindLimit ?? false,
  });
  return {
    rosMmin: fire.rosFtPerMin * UNITS.ftToM,
    headingFromUpslopeDeg: fire.headingFromUpslopeDeg,
    lengthToWidth: fire.lengthToWidth,
    flameLengthM: fire.flameLengthFt * UNITS.ftToM,
    firelineIntensityKwM: fire.firelineIntensity * UNITS.btuFtSToKwM,
  };
}
