/**
 * Fire-spread benchmark: a 3-hour Rothermel spread on the county DEM (perimeters at
 * +10/+20/+30/+60/+120/+180 min, a 4 m/s west wind) beside the reach answer for the same
 * point — the two halves of the race a commander reads off the card. Goal ≤ 300 ms in Node.
 */
import { LAND_COVERS, type LandCover } from '../../server/domain/fire-spread/land-cover.ts';
import {
  DEFAULT_MOISTURE,
  SpreadEngine,
  type SpreadSettings,
} from '../../server/domain/fire-spread/spread-engine.ts';
import { ReachEngine } from '../../server/domain/reach/reach-engine.ts';
import { DEMO_COUNTY_DIR } from '../../server/geodata/county-loader.ts';
import { readReachData } from '../../server/geodata/reach-data.ts';
import { readSpreadGrid } from '../../server/geodata/spread-data.ts';
import type { Benchmark } from './harness.ts';
import { firePoints } from './reach.bench.ts';

interface State {
  spread: SpreadEngine;
  reach: ReachEngine;
  points: [number, number][];
}

const at = <T>(list: T[], i: number) => list[((i % list.length) + list.length) % list.length] as T;

const WEST_WIND: SpreadSettings = {
  model: 'rothermel',
  windMs: 4,
  windFromDeg: 270,
  moisture: DEFAULT_MOISTURE,
  wangR0MMin: 1,
  barriers: true,
};

const spread3h: Benchmark<State> = {
  name: 'spread-3h',
  subject: '3-hour Rothermel spread with six perimeters on the county DEM (4 m/s wind)',
  baseline: 'the whole reach answer for the same fire point',
  iterations: 100,
  setup: async () => {
    const reach = new ReachEngine(await readReachData(DEMO_COUNTY_DIR));
    return {
      spread: new SpreadEngine(await readSpreadGrid(DEMO_COUNTY_DIR)),
      reach,
      points: firePoints(reach),
    };
  },
  runSubject: async (s, i) => s.spread.spread(...at(s.points, i), 180, WEST_WIND),
  runBaseline: async (s, i) => s.reach.toPoint(...at(s.points, i)),
};

/** Every cell as open grassland (GR3): the largest fires the county's terrain carries. */
const ALL_GRASS = LAND_COVERS.map((c) => ({ ...(LAND_COVERS[5] as LandCover), code: c.code }));

const spread3hOpen: Benchmark<State> = {
  ...spread3h,
  name: 'spread-3h-open',
  subject: '3-hour Rothermel spread as if every cell were open grassland (GR3, 4 m/s wind)',
  runSubject: async (s, i) =>
    s.spread.spread(...at(s.points, i), 180, { ...WEST_WIND, covers: ALL_GRASS }),
};

export const spreadBenchmarks: Benchmark<never>[] = [
  spread3h,
  spread3hOpen,
] as unknown as Benchmark<never>[];
