/**
 * The spread engine on golden fixtures (fixtures/*.in.geojson: open them on a map). Each is
 * checked against an answer worked independently of the engine's geometry: the BehavePlus
 * ellipse (whose Rothermel rates are themselves checked against firelab behave's published
 * values in rothermel.test.ts) and the 王正非 closed forms. The .out.geojson files are the
 * engine's perimeters drawn with the input (UPDATE_FIXTURES=1 rewrites them); the test checks
 * they are current.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import type {
  Feature,
  FeatureCollection,
  LineString,
  MultiPolygon,
  Point,
  Position,
} from 'geojson';
import { describe, expect, it } from 'vitest';
import { EARTH_RADIUS_M } from '../reach/geo.ts';
import type { LineFeature } from '../reach/walk-surface.ts';
import { fuelModel } from './fuel-models.ts';
import { LAND_COVERS } from './land-cover.ts';
import { fireEllipse, surfaceFire, UNITS, windAdjustmentFactor } from './rothermel.ts';
import {
  BARRIER_FIREBREAK,
  BARRIER_RIVER,
  BARRIER_ROAD,
  DEFAULT_MOISTURE,
  moistureFromFfmc,
  perimeterMinutes,
  SpreadEngine,
  type SpreadGrid,
  type SpreadResult,
  type SpreadSettings,
} from './spread-engine.ts';
import { markLines } from './spread-grid.ts';

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
const M_PER_DEG = (EARTH_RADIUS_M * Math.PI) / 180;

interface FixtureIn extends FeatureCollection<Point | LineString, Record<string, unknown>> {
  grid: {
    bbox: [number, number, number, number];
    width: number;
    height: number;
    surface: { type: 'plane'; base: number; slopeNorth: number };
    cover: string;
  };
  settings: {
    model: 'rothermel' | 'wang';
    windMs: number;
    windFromDeg: number;
    minutes: number;
    barriers: boolean;
    wangR0MMin?: number;
  };
}

function readFixture(name: string): FixtureIn {
  return JSON.parse(fs.readFileSync(path.join(FIXTURES, `${name}.in.geojson`), 'utf8'));
}

function gridOf(fx: FixtureIn): SpreadGrid {
  const { bbox, width, height, surface, cover } = fx.grid;
  const dLat = (bbox[3] - bbox[1]) / height;
  const elevation = new Float32Array(width * height);
  for (let r = 0; r < height; r++)
    for (let c = 0; c < width; c++)
      elevation[r * width + c] =
        surface.base + surface.slopeNorth * (height - r - 0.5) * dLat * M_PER_DEG;
  const code = LAND_COVERS.find((l) => l.key === cover)?.code as number;
  const grid: SpreadGrid = {
    width,
    height,
    bbox,
    elevation,
    cover: new Uint8Array(width * height).fill(code),
    barrier: new Uint8Array(width * height),
  };
  const bits: Record<string, number> = {
    road: BARRIER_ROAD,
    river: BARRIER_RIVER,
    firebreak: BARRIER_FIREBREAK,
  };
  for (const [role, bit] of Object.entries(bits))
    markLines(grid, fx.features.filter((f) => f.properties.role === role) as LineFeature[], bit);
  return grid;
}

function settingsOf(fx: FixtureIn, over: Partial<SpreadSettings> = {}): SpreadSettings {
  const s = fx.settings;
  return {
    model: s.model,
    windMs: s.windMs,
    windFromDeg: s.windFromDeg,
    barriers: s.barriers,
    moisture: DEFAULT_MOISTURE,
    wangR0MMin: s.wangR0MMin ?? 1,
    ...over,
  };
}

const fireAt = (fx: FixtureIn) =>
  (fx.features.find((f) => f.properties.role === 'fire') as Feature<Point>).geometry
    .coordinates as [number, number];

function run(name: string, over: Partial<SpreadSettings> = {}) {
  const fx = readFixture(name);
  const engine = new SpreadEngine(gridOf(fx));
  const [lon, lat] = fireAt(fx);
  const result = engine.spread(lon, lat, fx.settings.minutes, settingsOf(fx, over));
  return { fx, engine, result, lon, lat };
}

/** Metres east and north of a point. */
const local = (lon0: number, lat0: number) => (p: Position) => [
  ((p[0] as number) - lon0) * M_PER_DEG * Math.cos((lat0 * Math.PI) / 180),
  ((p[1] as number) - lat0) * M_PER_DEG,
];
const vertices = (f: Feature<MultiPolygon>) => f.geometry.coordinates.flat(2);
const perimeter = (r: SpreadResult, minutes: number) =>
  r.perimeters.features.find((f) => f.properties.minutes === minutes) as Feature<
    MultiPolygon,
    { minutes: number; areaHa: number }
  >;

/** The Rothermel fire on the fixture's open, flat land cover and the fixture's wind. */
function rothermelOf(
  fx: FixtureIn,
  slopeDeg = 0,
  windHeadingFromUpslopeDeg = 0,
  midflameFtPerMin?: number,
) {
  const cover = LAND_COVERS.find((l) => l.key === fx.grid.cover);
  const fuel = fuelModel(cover?.fuelModel ?? '');
  if (!fuel) throw new Error('no fuel');
  const waf = windAdjustmentFactor({
    canopyCover: 0,
    canopyHeightFt: 0,
    crownRatio: 0,
    fuelbedDepthFt: fuel.depthFt,
  });
  return surfaceFire({
    fuel,
    moisture: DEFAULT_MOISTURE,
    midflameWindFtPerMin:
      midflameFtPerMin ?? (fx.settings.windMs / 1.15) * waf * UNITS.msToFtPerMin,
    windHeadingFromUpslopeDeg,
    slopeDeg,
  });
}

function outFile(name: string, fx: FixtureIn, result: SpreadResult, extra: Feature[] = []) {
  const file = path.join(FIXTURES, `${name}.out.geojson`);
  const picture = {
    type: 'FeatureCollection',
    features: [...result.perimeters.features, ...fx.features, ...extra],
  };
  if (process.env.UPDATE_FIXTURES === '1')
    fs.writeFileSync(file, `${JSON.stringify(picture, null, 1)}\n`);
  const saved = JSON.parse(fs.readFileSync(file, 'utf8')) as { features: Feature[] };
  const savedPerimeters = saved.features.filter((f) => f.geometry.type === 'MultiPolygon');
  expect(savedPerimeters.map((f) => f.properties)).toEqual(
    result.perimeters.features.map((f) => f.properties),
  );
}

describe('the effective wind speed limit (SPREAD_WIND_LIMIT)', () => {
  const GALE = { windMs: 30 };
  const capped = run('flat-grass-west-wind-ellipse', { ...GALE, windLimit: true });
  const free = run('flat-grass-west-wind-ellipse', { ...GALE, windLimit: false });
  const fx = { ...capped.fx, settings: { ...capped.fx.settings, ...GALE } };
  const uncapped = rothermelOf(fx);

  it('a 30 m/s gale over grass is beyond the limit (effective wind > 0.9 × reaction intensity)', () => {
    expect(uncapped.effectiveWindFtPerMin).toBeGreaterThan(0.9 * uncapped.reactionIntensity);
    expect(free.result.head.rosMMin).toBeCloseTo(uncapped.rosFtPerMin * UNITS.ftToM, 4);
  });

  it('capped, the head runs as a fire in a midflame wind of exactly the limit on flat ground', () => {
    // On flat ground the effective wind is the midflame wind: the capped head rate is the
    // uncapped model's at a midflame wind of 0.9 × I_R (Rothermel 1972).
    const atLimit = rothermelOf(fx, 0, 0, 0.9 * uncapped.reactionIntensity);
    expect(capped.result.head.rosMMin).toBeCloseTo(atLimit.rosFtPerMin * UNITS.ftToM, 4);
    expect(capped.result.head.rosMMin).toBeLessThan(free.result.head.rosMMin);
  });
});

describe('spread on flat uniform ground with a constant wind', () => {
  const { fx, result, lon, lat } = run('flat-grass-west-wind-ellipse');
  const fire = rothermelOf(fx);
  const rosM = fire.rosFtPerMin * UNITS.ftToM;
  const e = fireEllipse(fire, 60);
  const toM = local(lon, lat);

  it('the head runs downwind (east) as far as the Rothermel head rate says, within 5 %', () => {
    const xs = vertices(perimeter(result, 60)).map((p) => toM(p)[0] as number);
    const head = Math.max(...xs);
    expect(Math.abs(head - rosM * 60) / (rosM * 60)).toBeLessThan(0.05);
    expect(result.head.azimuthDeg).toBeCloseTo(90, 4);
    expect(result.head.rosMMin).toBeCloseTo(rosM, 4);
  });

  it('the one-hour area is the BehavePlus ellipse πab within 5 %', () => {
    const ellipseHa = (e.areaSqFt * 0.09290304) / 1e4;
    expect(Math.abs(perimeter(result, 60).properties.areaHa - ellipseHa) / ellipseHa).toBeLessThan(
      0.05,
    );
  });

  it('perimeters at +10/+20/+30/+60 minutes, nested in time', () => {
    expect(result.perimeters.features.map((f) => f.properties.minutes)).toEqual([10, 20, 30, 60]);
    const fs_ = result.perimeters.features;
    for (let i = 1; i < fs_.length; i++) {
      const inner = fs_[i - 1] as Feature<MultiPolygon, { minutes: number; areaHa: number }>;
      const outer = fs_[i] as Feature<MultiPolygon, { minutes: number; areaHa: number }>;
      expect(outer.properties.areaHa).toBeGreaterThan(inner.properties.areaHa);
      for (const p of vertices(inner)) expect(booleanPointInPolygon(p, outer)).toBe(true);
    }
  });

  it('matches its golden picture, the theoretical ellipse drawn beside it', () => {
    // The ellipse in polar form about its rear focus (the ignition), r = R(1 − e)/(1 − e·cos θ).
    const ring: Position[] = [];
    for (let k = 0; k <= 72; k++) {
      const th = (k / 72) * 2 * Math.PI;
      const r = (rosM * 60 * (1 - fire.eccentricity)) / (1 - fire.eccentricity * Math.cos(th));
      const x = r * Math.cos(th);
      const y = r * Math.sin(th);
      ring.push([
        Math.round((lon + x / (M_PER_DEG * Math.cos((lat * Math.PI) / 180))) * 1e6) / 1e6,
        Math.round((lat + y / M_PER_DEG) * 1e6) / 1e6,
      ]);
    }
    outFile('flat-grass-west-wind-ellipse', fx, result, [
      {
        type: 'Feature',
        properties: {
          role: 'rothermel-ellipse',
          minutes: 60,
          rosMMin: rosM,
          lengthToWidth: fire.lengthToWidth,
        },
        geometry: { type: 'LineString', coordinates: ring },
      },
    ]);
  });
});

describe('slope', () => {
  it('runs upslope faster than downslope, upslope at the Rothermel rate within 5 %', () => {
    const { fx, engine, result, lon, lat } = run('upslope-faster-than-downslope');
    const up = rothermelOf(fx, (Math.atan(0.3) * 180) / Math.PI).rosFtPerMin * UNITS.ftToM;
    // Points on cell centres straight up and down the slope, about half the hour's upslope run
    // away. Rothermel's rate is horizontal, as the DEM's distances are.
    const cells = Math.round((0.5 * up * 60) / engine.dy);
    const d = cells * engine.dy;
    const north = result.minutesAt(lon, lat + cells * engine.dLat);
    const south = result.minutesAt(lon, lat - cells * engine.dLat);
    expect(north).toBeLessThan(south);
    expect(Math.abs(north - d / up) / (d / up)).toBeLessThan(0.05);
    const northmost = Math.max(...vertices(perimeter(result, 60)).map((p) => p[1] as number));
    const southmost = Math.min(...vertices(perimeter(result, 60)).map((p) => p[1] as number));
    expect(northmost - lat).toBeGreaterThan(2 * (lat - southmost));
    outFile('upslope-faster-than-downslope', fx, result);
  });

  it('王正非: wind across the slope, each direction at R0·Ks·Kw·Kφ within 5 %', () => {
    const { fx, engine, result, lon, lat } = run('wang-crosswind-on-slope');
    const base = 1 * 2.0; // R0 1 m/min, grassland Ks 2.0
    const row = Math.floor((fx.grid.bbox[3] - lat) / engine.dLat);
    const dx = 5 * (engine.rowDx[row] as number);
    const dy = 5 * engine.dy;
    const east = dx / (base * Math.exp(0.1783 * 3));
    const northT = dy / (base * Math.exp(3.533 * 0.2 ** 1.2));
    const southT = dy / (base * Math.exp(-3.533 * 0.2 ** 1.2));
    expect(Math.abs(result.minutesAt(lon + 5 * engine.dLon, lat) - east) / east).toBeLessThan(0.05);
    expect(Math.abs(result.minutesAt(lon, lat + 5 * engine.dLat) - northT) / northT).toBeLessThan(
      0.05,
    );
    // Downslope the fire needs longer than the hour: that far south nothing has burnt.
    expect(southT).toBeGreaterThan(60);
    expect(result.minutesAt(lon, lat - 5 * engine.dLat)).toBe(Number.POSITIVE_INFINITY);
    expect(result.model).toBe('wang');
    outFile('wang-crosswind-on-slope', fx, result);
  });
});

describe('barriers', () => {
  it('a village road holds the fire; lifted, the fire crosses it', () => {
    const { fx, result, lon, lat } = run('road-holds-the-fire');
    const road = (fx.features.find((f) => f.properties.id === 'RD-1') as Feature<LineString>)
      .geometry.coordinates[0]?.[0] as number;
    const beyond = road + 0.002;
    for (const f of result.perimeters.features)
      for (const p of vertices(f)) expect(p[0] as number).toBeLessThan(road + 0.0004);
    expect(result.minutesAt(beyond, lat)).toBe(Number.POSITIVE_INFINITY);
    const lifted = run('road-holds-the-fire', { barriers: false }).result;
    expect(lifted.minutesAt(beyond, lat)).toBeLessThan(120);
    expect(
      Math.max(...vertices(perimeter(lifted, 120)).map((p) => p[0] as number)),
    ).toBeGreaterThan(beyond);
    expect(lon).toBeLessThan(road);
    outFile('road-holds-the-fire', fx, result);
  });
});

describe('settings', () => {
  it('perimeter times: the standard ones within the horizon and the horizon itself', () => {
    expect(perimeterMinutes(30)).toEqual([10, 20, 30]);
    expect(perimeterMinutes(45)).toEqual([10, 20, 30, 45]);
    expect(perimeterMinutes(180)).toEqual([10, 20, 30, 60, 120, 180]);
  });
  it('fine dead moisture from FFMC (Van Wagner 1987 eq. 1): FFMC 85 → 16.3 %, 92 → 8.6 %', () => {
    // 147.2·16/144.5 = 16.299 %; 147.2·9/151.5 = 8.745 %.
    expect(moistureFromFfmc(85)).toBeCloseTo(0.16299, 4);
    expect(moistureFromFfmc(92)).toBeCloseTo(0.08745, 4);
  });
});
