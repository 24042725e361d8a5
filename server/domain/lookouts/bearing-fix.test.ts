import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import geodesic from 'geographiclib-geodesic';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../scripts/geodata/random.ts';
import {
  type Bearing,
  crossBearingFix,
  type Fix,
  FixError,
  trueFromMagnetic,
} from './bearing-fix.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const WGS84 = geodesic.Geodesic.WGS84;

/**
 * GeographicLib's own command-line tool (Debian `geographiclib-tools`, the C++ library) as
 * the independent engine: direct problem (lat lon azi s → lat lon) and inverse (→ azi).
 */
function geodSolve(lines: string[], inverse: boolean): number[][] {
  const out = execFileSync('GeodSolve', inverse ? ['-i', '-p', '9'] : ['-p', '9'], {
    input: `${lines.join('\n')}\n`,
    encoding: 'utf8',
  });
  return out
    .trim()
    .split('\n')
    .map((l) => l.trim().split(/\s+/).map(Number));
}

/**
 * Where bearing 1 meets bearing 2, found without our code: walk along the geodesic from
 * station 1 at azimuth θ1 and bisect on the distance s until the azimuth from station 2 to
 * that point equals θ2.
 */
function independentIntersection(b1: Bearing, b2: Bearing, bracket: [number, number]) {
  const at = (s: number) => {
    const [lat, lon] = geodSolve(
      [`${b1.lat} ${b1.lon} ${b1.azimuthDeg} ${s}`],
      false,
    )[0] as number[];
    const [azi] = geodSolve([`${b2.lat} ${b2.lon} ${lat} ${lon}`], true)[0] as number[];
    const miss = (((((azi as number) - b2.azimuthDeg) % 360) + 540) % 360) - 180;
    return { lat: lat as number, lon: lon as number, miss };
  };
  let [lo, hi] = bracket;
  const sLo = Math.sign(at(lo).miss);
  expect(Math.sign(at(hi).miss)).toBe(-sLo);
  while (hi - lo > 1e-4) {
    const mid = (lo + hi) / 2;
    if (Math.sign(at(mid).miss) === sLo) lo = mid;
    else hi = mid;
  }
  return at((lo + hi) / 2);
}

function metresBetween(a: { lat: number; lon: number }, b: { lat: number; lon: number }) {
  return WGS84.Inverse(a.lat, a.lon, b.lat, b.lon).s12 as number;
}

describe('cross-bearing fix: two bearings meet where the geodesics cross', () => {
  it.each([
    // Two towers 14 km apart on the county's east–west axis, smoke to the north-east.
    [
      { lon: 109.7, lat: 27.8, azimuthDeg: 52.3 },
      { lon: 109.84, lat: 27.81, azimuthDeg: 331.7 },
    ],
    // A sharp 25° cut: the ellipse is long along the bearings.
    [
      { lon: 109.55, lat: 27.65, azimuthDeg: 80 },
      { lon: 109.6, lat: 27.58, azimuthDeg: 55 },
    ],
    // A far one: 40 km lines.
    [
      { lon: 109.4, lat: 27.7, azimuthDeg: 10 },
      { lon: 109.9, lat: 27.75, azimuthDeg: 300 },
    ],
  ] as [Bearing, Bearing][])('%o × %o agrees with GeodSolve within 1 cm', (b1, b2) => {
    const fix = crossBearingFix([b1, b2]);
    const truth = independentIntersection(b1, b2, [100, 80_000]);
    expect(metresBetween(fix, truth)).toBeLessThan(0.01);
    // Two bearings fit exactly.
    for (const r of fix.residualsDeg) expect(Math.abs(r)).toBeLessThan(1e-6);
  });

  it('symmetric towers, mirror bearings: the smoke lies on the meridian between them', () => {
    const fix = crossBearingFix([
      { lon: 109.7, lat: 27.8, azimuthDeg: 45 },
      { lon: 109.8, lat: 27.8, azimuthDeg: 315 },
    ]);
    expect(fix.lon).toBeCloseTo(109.75, 9);
    // Crossing at right angles at equal ranges (~7 km): the ellipse is a circle of radius
    // √5.991 · σ · r = 2.448 · (0.5° in rad) · 7.0 km ≈ 150 m.
    const r = metresBetween(fix, { lon: 109.7, lat: 27.8 });
    const expected = Math.sqrt(5.991) * ((0.5 * Math.PI) / 180) * r;
    expect(fix.ellipse.semiMajorM).toBeCloseTo(expected, -0.5);
    expect(fix.ellipse.semiMinorM).toBeCloseTo(expected, -0.5);
  });

  it('the ellipse lies along the bearings when they cut sharply', () => {
    const fix = crossBearingFix([
      { lon: 109.55, lat: 27.65, azimuthDeg: 80 },
      { lon: 109.6, lat: 27.58, azimuthDeg: 55 },
    ]);
    expect(fix.ellipse.semiMajorM / fix.ellipse.semiMinorM).toBeGreaterThan(3);
    // Bearings arrive at about 80° and 55°: the long axis lies between them.
    expect(fix.ellipse.azimuthDeg).toBeGreaterThan(50);
    expect(fix.ellipse.azimuthDeg).toBeLessThan(85);
  });
});

/** Standard normal draws from a seeded uniform source (Box–Muller). */
function gaussian(rand: () => number): () => number {
  return () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
}

function inside(fix: Fix, truth: { lat: number; lon: number }): boolean {
  const g = WGS84.Inverse(fix.lat, fix.lon, truth.lat, truth.lon);
  const s = g.s12 as number;
  const az = ((g.azi1 as number) * Math.PI) / 180;
  const e = s * Math.sin(az);
  const n = s * Math.cos(az);
  const alpha = (fix.ellipse.azimuthDeg * Math.PI) / 180;
  const u = e * Math.sin(alpha) + n * Math.cos(alpha); // along the major axis
  const v = e * Math.cos(alpha) - n * Math.sin(alpha);
  return (u / fix.ellipse.semiMajorM) ** 2 + (v / fix.ellipse.semiMinorM) ** 2 <= 1;
}

describe('cross-bearing fix: three noisy bearings, Monte Carlo', () => {
  const truth = { lon: 109.78, lat: 27.86 };
  const towers = [
    { lon: 109.7, lat: 27.8 },
    { lon: 109.88, lat: 27.83 },
    { lon: 109.77, lat: 27.95 },
  ];
  const trueAzimuths = towers.map(
    (t) => WGS84.Inverse(t.lat, t.lon, truth.lat, truth.lon).azi1 as number,
  );

  it.each([
    ['equal errors of 0.5°', [0.5, 0.5, 0.5], 16],
    ['unequal errors 0.3°, 0.8°, 1.5°', [0.3, 0.8, 1.5], 17],
  ])(
    '%s: the 95-percent ellipse holds 95 ± 2 percent of the true points',
    (_name, sigmas, seed) => {
      const normal = gaussian(seededRandom(seed as number));
      const trials = 4000;
      let held = 0;
      for (let k = 0; k < trials; k++) {
        const bearings = towers.map((t, i) => ({
          ...t,
          azimuthDeg: (trueAzimuths[i] as number) + normal() * (sigmas[i] as number),
          sigmaDeg: sigmas[i] as number,
        }));
        if (inside(crossBearingFix(bearings), truth)) held++;
      }
      // Binomial standard error at n = 4000 is 0.34 %: ±2 % is ~6 of them.
      expect(Math.abs(held / trials - 0.95)).toBeLessThanOrEqual(0.02);
    },
  );

  it('weights follow each bearing’s error: a sloppy bearing moves the fix less', () => {
    const bearings = towers.map((t, i) => ({ ...t, azimuthDeg: trueAzimuths[i] as number }));
    (bearings[2] as Bearing).azimuthDeg += 2; // the third is 2° off
    const trusted = crossBearingFix(bearings, { sigmaDeg: 0.5 });
    const doubted = crossBearingFix(
      bearings.map((b, i) => ({ ...b, sigmaDeg: i === 2 ? 3 : 0.5 })),
    );
    expect(metresBetween(doubted, truth)).toBeLessThan(metresBetween(trusted, truth) / 3);
  });
});

describe('cross-bearing fix: input', () => {
  it('refuses one bearing, parallel bearings and bearings that meet behind a station, naming the field', () => {
    const field = (f: () => unknown) => {
      try {
        f();
      } catch (err) {
        expect(err).toBeInstanceOf(FixError);
        return (err as FixError).field;
      }
      return 'no error';
    };
    expect(field(() => crossBearingFix([{ lon: 109.7, lat: 27.8, azimuthDeg: 10 }]))).toBe(
      'bearings',
    );
    expect(
      field(() =>
        crossBearingFix([
          { lon: 109.7, lat: 27.8, azimuthDeg: 0 },
          { lon: 109.8, lat: 27.8, azimuthDeg: 0 },
        ]),
      ),
    ).toBe('bearings');
    expect(
      field(() =>
        crossBearingFix([
          { lon: 109.7, lat: 27.8, azimuthDeg: 225 },
          { lon: 109.8, lat: 27.8, azimuthDeg: 135 },
        ]),
      ),
    ).toMatch(/^bearings\[\d\]\.azimuthDeg$/);
    expect(
      field(() =>
        crossBearingFix([
          { lon: 109.7, lat: 97.8, azimuthDeg: 45 },
          { lon: 109.8, lat: 27.8, azimuthDeg: 315 },
        ]),
      ),
    ).toBe('bearings[0].lat');
  });

  it('does not modify its input', () => {
    const bearings = [
      { lon: 109.7, lat: 27.8, azimuthDeg: 45 },
      { lon: 109.8, lat: 27.8, azimuthDeg: 315, sigmaDeg: 1 },
    ];
    const copy = JSON.stringify(bearings);
    crossBearingFix(bearings);
    expect(JSON.stringify(bearings)).toBe(copy);
  });

  it('magnetic to true north: true = magnetic + declination (east positive)', () => {
    expect(trueFromMagnetic(100, -3.5)).toBeCloseTo(96.5, 12);
    expect(trueFromMagnetic(1, -3)).toBeCloseTo(358, 12);
    expect(trueFromMagnetic(359, 2)).toBeCloseTo(1, 12);
  });
});

describe('fix CLI', () => {
  const run = (args: string[]) => {
    try {
      const stdout = execFileSync('npx', ['tsx', 'scripts/fix.ts', ...args], {
        cwd: ROOT,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      return { status: 0, stdout, stderr: '' };
    } catch (err) {
      const e = err as { status: number; stdout: string; stderr: string };
      return e;
    }
  };

  it('prints lon, lat and the ellipse, nothing else', () => {
    const { status, stdout } = run([
      ...[
        '--bearing',
        '109.70,27.80,52.3',
        '--bearing',
        '109.84,27.81,331.7',
        '--sigma-deg',
        '0.5',
      ],
    ]);
    expect(status).toBe(0);
    const answer = JSON.parse(stdout);
    expect(Object.keys(answer).sort()).toEqual(['ellipse', 'lat', 'lon']);
    expect(Object.keys(answer.ellipse).sort()).toEqual(['azimuthDeg', 'semiMajorM', 'semiMinorM']);
    const same = crossBearingFix([
      { lon: 109.7, lat: 27.8, azimuthDeg: 52.3 },
      { lon: 109.84, lat: 27.81, azimuthDeg: 331.7 },
    ]);
    expect(answer.lon).toBeCloseTo(same.lon, 9);
    expect(answer.lat).toBeCloseTo(same.lat, 9);
  });

  it('a malformed bearing: exit 2 and the bearing named on stderr', () => {
    const bad = run(['--bearing', '109.70,27.80', '--bearing', '109.84,27.81,331.7']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--bearing #1/);
    expect(bad.stdout).toBe('');
  });
});
