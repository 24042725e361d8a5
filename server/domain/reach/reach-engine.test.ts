/**
 * The reach engine on the golden fixtures (fixtures/*.in.geojson: open them on a map), each
 * checked against travel times worked out by hand from Tobler's published hiking function
 * and the fixture's geometry, not against the engine's own output. The .out.geojson files
 * are the engine's answers drawn for a person to look at (UPDATE_FIXTURES=1 rewrites them);
 * the test checks they are current.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import type { Feature, FeatureCollection, LineString, MultiPolygon, Point } from 'geojson';
import { describe, expect, it } from 'vitest';
import { EARTH_RADIUS_M, haversineM } from './geo.ts';
import { type ReachAnswer, type ReachData, ReachEngine } from './reach-engine.ts';
import { toblerKmh } from './tobler.ts';

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
const M_PER_DEG = (EARTH_RADIUS_M * Math.PI) / 180;

interface Surface {
  type: 'plane' | 'ridge';
  base: number;
  slopeEast?: number;
  height?: number;
  axisLon?: number;
  halfWidthM?: number;
}
interface FixtureIn extends FeatureCollection<Point | LineString, Record<string, unknown>> {
  dem: { bbox: [number, number, number, number]; width: number; height: number; surface: Surface };
}

function readFixture(name: string): FixtureIn {
  return JSON.parse(fs.readFileSync(path.join(FIXTURES, `${name}.in.geojson`), 'utf8'));
}

/** The fixture's terrain at a point (metres east of the west edge / of the ridge axis). */
function elevationAt(s: Surface, west: number, lon: number, lat: number): number {
  const k = M_PER_DEG * Math.cos((lat * Math.PI) / 180);
  if (s.type === 'plane') return s.base + (s.slopeEast ?? 0) * (lon - west) * k;
  const d = Math.abs(lon - (s.axisLon as number)) * k;
  const h = s.height as number;
  return s.base + Math.max(0, h - (h / (s.halfWidthM as number)) * d);
}

function dataOf(fx: FixtureIn): ReachData {
  const { bbox, width, height, surface } = fx.dem;
  const values = new Float32Array(width * height);
  const dLon = (bbox[2] - bbox[0]) / width;
  const dLat = (bbox[3] - bbox[1]) / height;
  for (let r = 0; r < height; r++)
    for (let c = 0; c < width; c++)
      values[r * width + c] = elevationAt(
        surface,
        bbox[0],
        bbox[0] + (c + 0.5) * dLon,
        bbox[3] - (r + 0.5) * dLat,
      );
  const of = (role: string) => fx.features.filter((f) => f.properties.role === role) as never[];
  return {
    dem: { bbox, width, height, values },
    roads: of('road'),
    rivers: of('river'),
    firebreaks: of('firebreak'),
    crews: of('crew'),
    waterSources: of('water'),
  };
}

const point = (fx: FixtureIn, id: string) =>
  (fx.features.find((f) => f.properties.id === id) as Feature<Point>).geometry.coordinates as [
    number,
    number,
  ];
const dist = (a: [number, number], b: [number, number]) => haversineM(a[0], a[1], b[0], b[1]);
/** Tobler (1993): 6·e^(−3.5·|s+0.05|) km/h, evaluated by hand for the slopes used here. */
const TOBLER_KMH = { flat: 5.0367, up20: 2.5012, down20: 3.5493, up30: 1.7625, down30: 2.5012 };
const offPath = (kmh: number) => (kmh * 0.6) / 3.6;
const onPath = (kmh: number) => kmh / 3.6;

function run(name: string): { fx: FixtureIn; engine: ReachEngine; answer: ReachAnswer } {
  const fx = readFixture(name);
  const engine = new ReachEngine(dataOf(fx));
  const [lon, lat] = point(fx, 'FIRE');
  return { fx, engine, answer: engine.toPoint(lon, lat) };
}

const seconds = (a: ReachAnswer, id: string) => a.crews.find((c) => c.id === id)?.seconds ?? null;

/** Writes (UPDATE_FIXTURES=1) or checks the picture of an answer. */
function outFile(name: string, fx: FixtureIn, answer: ReachAnswer) {
  const file = path.join(FIXTURES, `${name}.out.geojson`);
  const picture = {
    type: 'FeatureCollection',
    features: [
      ...answer.isochrones.features,
      ...fx.features.map((f) => {
        const c = answer.crews.find((x) => x.id === f.properties.id);
        return c
          ? {
              ...f,
              properties: {
                ...f.properties,
                seconds: c.seconds,
                meetsTarget: c.meetsTarget,
                mode: c.mode,
              },
            }
          : f;
      }),
    ],
  };
  if (process.env.UPDATE_FIXTURES === '1')
    fs.writeFileSync(file, `${JSON.stringify(picture, null, 1)}\n`);
  const saved = JSON.parse(fs.readFileSync(file, 'utf8')) as typeof picture;
  for (const c of answer.crews) {
    const f = saved.features.find((x) => (x as Feature).properties?.id === c.id) as
      | Feature
      | undefined;
    expect(f?.properties?.seconds, `${name}.out.geojson is stale (UPDATE_FIXTURES=1)`).toBeCloseTo(
      c.seconds ?? Number.NaN,
      0,
    );
  }
}

describe("Tobler's hiking function", () => {
  it('matches the published curve: 6 km/h at a 5 % descent, 5.04 on the flat, symmetric about −5 %', () => {
    expect(toblerKmh(-0.05)).toBeCloseTo(6, 6);
    expect(toblerKmh(0)).toBeCloseTo(TOBLER_KMH.flat, 3);
    expect(toblerKmh(0.2)).toBeCloseTo(TOBLER_KMH.up20, 3);
    expect(toblerKmh(-0.2)).toBeCloseTo(TOBLER_KMH.down20, 3);
    expect(toblerKmh(0.1)).toBeCloseTo(toblerKmh(-0.2), 9);
  });
});

describe('golden fixtures', () => {
  it('river-bridge: the only way over the river is the bridge', () => {
    const { fx, engine, answer } = run('river-bridge');
    const crew = point(fx, 'CREW-WEST');
    const fire = point(fx, 'FIRE');
    const bridge = (fx.features.find((f) => f.properties.id === 'BR-1') as Feature<LineString>)
      .geometry.coordinates as [number, number][];
    const [bw, be] = [bridge[0] as [number, number], bridge[1] as [number, number]];
    const byHand =
      (dist(crew, bw) + dist(be, fire)) / offPath(TOBLER_KMH.flat) +
      dist(bw, be) / onPath(TOBLER_KMH.flat);
    const t = seconds(answer, 'CREW-WEST') as number;
    // An 8-connected grid walks at most 8.2 % farther than the straight legs.
    expect(t).toBeGreaterThan(0.99 * byHand);
    expect(t).toBeLessThan(1.09 * byHand);
    // Straight across would take a third of that.
    expect(t).toBeGreaterThan(2.5 * (dist(crew, fire) / offPath(TOBLER_KMH.flat)));
    expect(answer.crews[0]?.mode).toBe('walk');
    // Without the bridge nobody crosses.
    const noBridge = dataOf({
      ...fx,
      features: fx.features.filter((f) => f.properties.id !== 'BR-1'),
    });
    const cut = new ReachEngine(noBridge).toPoint(...fire);
    expect(seconds(cut, 'CREW-WEST')).toBeNull();
    expect(engine.covers(...fire)).toBe(true);
    outFile('river-bridge', fx, answer);
  });

  it('uphill-downhill: the same distance takes 42 % longer uphill at 20 %', () => {
    const { fx, answer } = run('uphill-downhill');
    const fire = point(fx, 'FIRE');
    const below = point(fx, 'CREW-BELOW');
    const above = point(fx, 'CREW-ABOVE');
    // On this grid the straight row is the least-cost way (8-connected steps cannot zig-zag
    // to a gentler grade that pays off at 20 %), so the times are exact up to the sphere.
    const up = dist(below, fire) / offPath(TOBLER_KMH.up20);
    const down = dist(above, fire) / offPath(TOBLER_KMH.down20);
    expect(seconds(answer, 'CREW-BELOW')).toBeCloseTo(up, -1);
    expect(seconds(answer, 'CREW-ABOVE')).toBeCloseTo(down, -1);
    expect(Math.abs((seconds(answer, 'CREW-BELOW') as number) - up) / up).toBeLessThan(0.005);
    expect(Math.abs((seconds(answer, 'CREW-ABOVE') as number) - down) / down).toBeLessThan(0.005);
    expect(answer.crews.map((c) => c.id)).toEqual(['CREW-ABOVE', 'CREW-BELOW']);
    outFile('uphill-downhill', fx, answer);
  });

  it('ridge-vs-road: the crew twice as far away by road arrives first', () => {
    const { fx, answer } = run('ridge-vs-road');
    const fire = point(fx, 'FIRE');
    const across = point(fx, 'CREW-ACROSS-RIDGE');
    const byRoad = point(fx, 'CREW-BY-ROAD');
    const s = fx.dem.surface;
    const k = M_PER_DEG * Math.cos((fire[1] * Math.PI) / 180);
    const half = s.halfWidthM as number;
    const flatWest = ((s.axisLon as number) - across[0]) * k - half;
    const flatEast = (fire[0] - (s.axisLon as number)) * k - half;
    const overRidge =
      (flatWest + flatEast) / offPath(TOBLER_KMH.flat) +
      half / offPath(TOBLER_KMH.up30) +
      half / offPath(TOBLER_KMH.down30);
    const road = (fx.features.find((f) => f.properties.id === 'RD-1') as Feature<LineString>)
      .geometry.coordinates as [number, number][];
    let roadM = 0;
    for (let i = 1; i < road.length; i++)
      roadM += dist(road[i - 1] as [number, number], road[i] as [number, number]);
    const roadEnd = road[road.length - 1] as [number, number];
    const drive = roadM / (35 / 3.6) + dist(roadEnd, fire) / offPath(TOBLER_KMH.flat);

    expect(dist(byRoad, fire)).toBeGreaterThan(2 * dist(across, fire));
    expect(answer.crews.map((c) => c.id)).toEqual(['CREW-BY-ROAD', 'CREW-ACROSS-RIDGE']);
    const tRoad = seconds(answer, 'CREW-BY-ROAD') as number;
    const tRidge = seconds(answer, 'CREW-ACROSS-RIDGE') as number;
    expect(Math.abs(tRoad - drive) / drive).toBeLessThan(0.01);
    // The ridge top is sampled at cell centres: within 2 %.
    expect(Math.abs(tRidge - overRidge) / overRidge).toBeLessThan(0.02);
    expect(answer.crews.find((c) => c.id === 'CREW-BY-ROAD')?.mode).toBe('road');

    // Isochrones: nested, the fire inside the 10-minute area, the road crew inside 20 only.
    const iso = (m: number) =>
      answer.isochrones.features.find((f) => f.properties.minutes === m) as Feature<MultiPolygon>;
    expect(answer.isochrones.features.map((f) => f.properties.minutes)).toEqual([10, 20, 30]);
    expect(booleanPointInPolygon(fire, iso(10))).toBe(true);
    expect(tRoad).toBeGreaterThan(600);
    expect(tRoad).toBeLessThan(1200);
    expect(booleanPointInPolygon(byRoad, iso(10))).toBe(false);
    expect(booleanPointInPolygon(byRoad, iso(20))).toBe(true);
    expect(booleanPointInPolygon(across, iso(30))).toBe(false);
    outFile('ridge-vs-road', fx, answer);
  });
});

describe('crews to a point within a horizon (a spreading fire’s places)', () => {
  it('gives the hand-worked road and ridge times, and leaves out a crew beyond the horizon', () => {
    const { fx, engine, answer } = run('ridge-vs-road');
    const [lon, lat] = point(fx, 'FIRE');
    const tRoad = seconds(answer, 'CREW-BY-ROAD') as number;
    const tRidge = seconds(answer, 'CREW-ACROSS-RIDGE') as number;
    // Checked above against Tobler and the road speed worked by hand: 10–20 min by road.
    expect(tRoad).toBeLessThan(tRidge);
    const both = engine.crewsTo(lon, lat, tRidge + 1);
    expect(both.map((c) => [c.id, c.seconds])).toEqual([
      ['CREW-BY-ROAD', tRoad],
      ['CREW-ACROSS-RIDGE', tRidge],
    ]);
    // A horizon between the two: only the road crew, at the same time (the walk to its road
    // lies inside the horizon, so a shorter walk loses nothing).
    const one = engine.crewsTo(lon, lat, (tRoad + tRidge) / 2);
    expect(one.map((c) => [c.id, c.seconds])).toEqual([['CREW-BY-ROAD', tRoad]]);
    expect(engine.crewsTo(lon, lat, tRoad - 1)).toEqual([]);
  });
});
