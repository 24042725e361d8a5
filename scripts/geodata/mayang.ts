/**
 * Generates the demo county: real outline and real township/village names and codes, with
 * synthetic terrain, boundaries, grids, rivers, roads, assets, crews and people. Pure
 * function of the seed: no clock, no Math.random, no I/O (generate.ts writes the files).
 */

import FlatQueue from 'flatqueue';
import type {
  Feature,
  FeatureCollection,
  Geometry,
  LineString,
  MultiPolygon,
  Point,
  Position,
} from 'geojson';
import { createNoise2D } from 'simplex-noise';
import { csvRow } from '../../server/domain/csv.ts';
import { chaikin, distanceM, lineLengthM, pointInPolygon, round6, roundLine } from './geometry.ts';
import {
  buildSites,
  grow,
  regionShape,
  type Sites,
  siteDistance,
  tidy,
  unionOfCells,
} from './partition.ts';
import { between, fork, intBetween, pick, shuffled } from './random.ts';
import type { Box, Raster } from './raster.ts';
import { TOWNSHIP_SEATS, WAR_ZONES } from './seats.ts';
import { COUNTY_CODE, readCountyOutline, readTownships, readVillages } from './sources.ts';
import { buildTerrain, fineDem, type Terrain } from './terrain.ts';

export const GRID_TARGET = 815;

type Props = Record<string, string | number | boolean | null>;
const fc = <G extends Geometry>(features: Feature<G, Props>[]): FeatureCollection<G, Props> => ({
  type: 'FeatureCollection',
  features,
});
const pt = (x: number, y: number): Point => ({
  type: 'Point',
  coordinates: [round6(x), round6(y)],
});

export interface GeneratedCounty {
  layers: Record<string, FeatureCollection<Geometry, Props>>;
  peopleCsv: string;
  dem: Raster;
  stats: Record<string, number>;
}

export type Progress = (step: string, done: number, total: number) => void;

/**
 * Rivers and roads are traced cell by cell over the model DEM, which leaves ruler-straight
 * runs (D8 directions) that real rivers and roads never have. Every traced vertex is moved by
 * a smooth noise field that depends on position only: a junction cell moves the same way in
 * every line through it, so rivers still meet and the road network stays connected.
 */
export type Displace = (p: [number, number]) => [number, number];

function displacementField(seed: number, amplitudeM = 75, wavelengthM = 520): Displace {
  const nx = createNoise2D(fork(seed, 'wiggle-x'));
  const ny = createNoise2D(fork(seed, 'wiggle-y'));
  const fx = 111_000 * Math.cos((27.8 * Math.PI) / 180);
  const fy = 111_000;
  return ([lon, lat]) => {
    const u = (lon * fx) / wavelengthM;
    const v = (lat * fy) / wavelengthM;
    const dx = amplitudeM * (0.75 * nx(u, v) + 0.25 * nx(u * 2.7, v * 2.7));
    const dy = amplitudeM * (0.75 * ny(u, v) + 0.25 * ny(u * 2.7, v * 2.7));
    return [lon + dx / fx, lat + dy / fy];
  };
}

const STEPS = [
  'terrain',
  'sites',
  'townships',
  'villages',
  'grids',
  'rivers',
  'roads',
  'assets',
  'crews',
  'people',
  'attributes',
];

export function generateMayang(seed: number, progress: Progress = () => {}): GeneratedCounty {
  let stepNo = 0;
  const step = (name: string) => progress(name, stepNo++, STEPS.length);

  const outline = readCountyOutline();
  const countyGeom = outline.geometry;
  const townships = readTownships();
  const villages = readVillages();
  const box: Box = { west: 109.4, south: 27.52, east: 110.11, north: 28.045 };

  step('terrain');
  const terrain = buildTerrain(box, seed);
  const model = terrain.model;

  step('sites');
  const sites = buildSites(box, 0.0025, fork(seed, 'sites'), model, (p) =>
    pointInPolygon(p, countyGeom),
  );
  const riverSite = new Uint8Array(sites.n);
  for (let i = 0; i < sites.n; i++) {
    riverSite[i] =
      terrain.riverDistance.sample(sites.x[i] as number, sites.y[i] as number) < 130 ? 1 : 0;
  }
  const slopeAt = (x: number, y: number) => model.slopeDeg(Math.max(0, model.cellAt(x, y)));
  const cellInside = cellsInside(sites, countyGeom);

  // ---- townships ---------------------------------------------------------------------
  step('townships');
  const nearestSite = (
    x: number,
    y: number,
    ok: (i: number) => boolean = (i) => sites.inside[i] === 1,
  ) => {
    let best = -1;
    let bd = Infinity;
    // Sites lie on a jittered lattice; scan a window around the point.
    for (let i = 0; i < sites.n; i++) {
      const d = ((sites.x[i] as number) - x) ** 2 + (((sites.y[i] as number) - y) * 1.1) ** 2;
      if (d < bd && ok(i)) {
        bd = d;
        best = i;
      }
    }
    return best;
  };
  const villageCount = (code: string) => villages.filter((v) => v.parent === code).length;
  const meanVillages = villages.length / townships.length;
  const townshipSeeds = townships.map((t) => {
    const [x, y] = TOWNSHIP_SEATS[t.name] as [number, number];
    if (t.name === '高村镇') return nearestSite(x, y);
    // The seat moves to gentle, low ground within ~1.2 km.
    let best = nearestSite(x, y);
    let bestScore = Infinity;
    for (let i = 0; i < sites.n; i++) {
      if (!sites.inside[i]) continue;
      const d = distanceM([x, y], [sites.x[i] as number, sites.y[i] as number]);
      if (d > 1200) continue;
      const score =
        (sites.z[i] as number) +
        12 * slopeAt(sites.x[i] as number, sites.y[i] as number) +
        d * 0.05;
      if (score < bestScore) {
        bestScore = score;
        best = i;
      }
    }
    return best;
  });
  const townshipLabel = grow(sites, townshipSeeds, {
    climbCost: 5,
    riverCost: 300,
    isRiver: riverSite,
    weights: townships.map((t) => (meanVillages / villageCount(t.code)) ** 0.4),
  });
  const membersOf = (label: Int32Array, k: number, restrict?: (i: number) => boolean) => {
    const out: number[] = [];
    for (let i = 0; i < sites.n; i++) if (label[i] === k && (!restrict || restrict(i))) out.push(i);
    return out;
  };
  const shapeOf = (members: number[]): MultiPolygon =>
    members.every((i) => cellInside[i])
      ? tidy(unionOfCells(sites, members))
      : regionShape(sites, members, countyGeom);

  const townshipMembers = townships.map((_, k) => membersOf(townshipLabel, k));
  const townshipShapes = townshipMembers.map((m) => regionShape(sites, m, countyGeom));

  // War zones: contiguous groups grown over township adjacency from the namesakes.
  const adjacency = townships.map(() => new Set<number>());
  for (let i = 0; i < sites.n; i++) {
    if (!sites.inside[i]) continue;
    for (const j of sites.delaunay.neighbors(i)) {
      const a = townshipLabel[i] as number;
      const b = townshipLabel[j] as number;
      if (sites.inside[j] && a !== b && a >= 0 && b >= 0) {
        adjacency[a]?.add(b);
        adjacency[b]?.add(a);
      }
    }
  }
  const zoneOf = new Array<number>(townships.length).fill(-1);
  const frontier: number[] = [];
  WAR_ZONES.forEach((z, k) => {
    const t = townships.findIndex((x) => x.name === z.township);
    zoneOf[t] = k;
    frontier.push(t);
  });
  while (frontier.length > 0) {
    const t = frontier.shift() as number;
    for (const u of [...(adjacency[t] ?? [])].sort((a, b) => a - b)) {
      if (zoneOf[u] === -1) {
        zoneOf[u] = zoneOf[t] as number;
        frontier.push(u);
      }
    }
  }
  const warZoneShapes = WAR_ZONES.map((_, k) =>
    regionShape(
      sites,
      townshipMembers.flatMap((m, t) => (zoneOf[t] === k ? m : [])),
      countyGeom,
    ),
  );

  // ---- villages ----------------------------------------------------------------------
  step('villages');
  const villageLabel = new Int32Array(sites.n).fill(-1);
  const villageSeat = new Array<number>(villages.length).fill(-1);
  const rVillage = fork(seed, 'villages');
  townships.forEach((t, tk) => {
    const own = villages.map((v, k) => ({ v, k })).filter(({ v }) => v.parent === t.code);
    const seatSite = townshipSeeds[tk] as number;
    const candidates = (townshipMembers[tk] ?? []).filter((i) => sites.inside[i]);
    const areaM2 = candidates.length * 0.0025 * 0.00225 * sites.mPerDeg.x * sites.mPerDeg.y;
    const taken: number[] = [];
    // 社区 sit in the town around the seat; 村 on gentle low ground spread over the township.
    const communities = own.filter(({ v }) => v.kind === '社区');
    const byDistance = [...candidates].sort(
      (a, b) => siteDistance(sites, a, seatSite) - siteDistance(sites, b, seatSite) || a - b,
    );
    for (const { k } of communities) {
      const s =
        byDistance.find((i) => taken.every((j) => siteDistance(sites, i, j) > 350)) ?? seatSite;
      villageSeat[k] = s;
      taken.push(s);
    }
    const villagesOnly = own.filter(({ v }) => v.kind === '村');
    let spacing = 0.8 * Math.sqrt(areaM2 / Math.max(1, villagesOnly.length));
    const scored = candidates
      .map((i) => ({
        i,
        s:
          (sites.z[i] as number) +
          10 * slopeAt(sites.x[i] as number, sites.y[i] as number) +
          rVillage() * 60,
      }))
      .sort((a, b) => a.s - b.s || a.i - b.i);
    let placed = 0;
    while (placed < villagesOnly.length) {
      for (const { i } of scored) {
        if (placed >= villagesOnly.length) break;
        if (taken.every((j) => siteDistance(sites, i, j) > spacing)) {
          villageSeat[villagesOnly[placed]?.k as number] = i;
          taken.push(i);
          placed++;
        }
      }
      spacing *= 0.8;
    }
    const inTownship = new Uint8Array(sites.n);
    for (const i of townshipMembers[tk] ?? []) inTownship[i] = 1;
    const label = grow(
      sites,
      own.map(({ k }) => villageSeat[k] as number),
      {
        climbCost: 4,
        riverCost: 1200,
        isRiver: riverSite,
        allowed: inTownship,
        weights: own.map(({ v }) => (v.kind === '社区' ? 3.5 : 1)),
      },
    );
    for (const i of townshipMembers[tk] ?? []) {
      const l = label[i] as number;
      // A point the spreading did not reach (cut off by the township edge) joins the seat's village.
      villageLabel[i] = l >= 0 ? (own[l]?.k as number) : (own[0]?.k as number);
    }
  });
  const villageMembers = villages.map((_, k) => membersOf(villageLabel, k));
  const villageShapes = villageMembers.map((m) => shapeOf(m));

  // ---- forest and grids --------------------------------------------------------------
  step('grids');
  const forest = new Uint8Array(sites.n);
  for (let i = 0; i < sites.n; i++) {
    const v = villageLabel[i] as number;
    if (v < 0 || villages[v]?.kind !== '村') continue;
    const seatDist = siteDistance(sites, i, villageSeat[v] as number);
    const slope = slopeAt(sites.x[i] as number, sites.y[i] as number);
    const nearRiver =
      terrain.riverDistance.sample(sites.x[i] as number, sites.y[i] as number) < 250;
    forest[i] =
      seatDist > 380 && !nearRiver && (slope >= 5 || (sites.z[i] as number) > 280) ? 1 : 0;
  }
  const forestInside = villages.map(
    (_, k) => (villageMembers[k] ?? []).filter((i) => forest[i] && sites.inside[i]).length,
  );
  const gridCounts = allocate(forestInside, GRID_TARGET);
  const gridLabel = new Int32Array(sites.n).fill(-1);
  const gridCodes: string[] = [];
  const gridVillage: number[] = [];
  villages.forEach((v, k) => {
    const n = gridCounts[k] as number;
    if (n === 0) return;
    const forestPts = (villageMembers[k] ?? []).filter((i) => forest[i]);
    const insidePts = forestPts.filter((i) => sites.inside[i]);
    let seeds = farthestPoints(sites, insidePts, n);
    const allowed = new Uint8Array(sites.n);
    for (const i of forestPts) allowed[i] = 1;
    let label = grow(sites, seeds, { climbCost: 1, allowed });
    for (let it = 0; it < 3; it++) {
      seeds = seeds.map(
        (s, g) =>
          medoid(
            sites,
            insidePts.filter((i) => label[i] === g),
          ) ?? s,
      );
      label = grow(sites, seeds, { climbCost: 1, allowed });
    }
    const first = gridCodes.length;
    for (let g = 0; g < n; g++) {
      gridCodes.push(`${v.code}${String(g + 1).padStart(3, '0')}`);
      gridVillage.push(k);
    }
    for (const i of forestPts) {
      const l = label[i] as number;
      gridLabel[i] = first + (l >= 0 ? l : nearestSeed(sites, i, seeds));
    }
  });
  const gridMembers = gridCodes.map((_, g) => membersOf(gridLabel, g));
  const gridShapes = gridMembers.map((m) => shapeOf(m));

  // ---- rivers ------------------------------------------------------------------------
  step('rivers');
  const displace = displacementField(seed);
  const rivers = traceRivers(terrain, countyGeom, villages, villageSeat, sites, displace);

  // ---- roads -------------------------------------------------------------------------
  step('roads');
  const seatXY = (i: number): [number, number] => [sites.x[i] as number, sites.y[i] as number];
  const roadNet = new RoadNetwork(model, terrain, countyGeom, displace);
  const gaocun = townships.findIndex((t) => t.name === '高村镇');
  roadNet.addSeat(seatXY(townshipSeeds[gaocun] as number));
  const order = townships
    .map((_, k) => k)
    .filter((k) => k !== gaocun)
    .sort(
      (a, b) =>
        siteDistance(sites, townshipSeeds[a] as number, townshipSeeds[gaocun] as number) -
        siteDistance(sites, townshipSeeds[b] as number, townshipSeeds[gaocun] as number),
    );
  for (const k of order)
    roadNet.connect(seatXY(townshipSeeds[k] as number), townships[k]?.kind === '镇' ? 0 : 1);
  villages.forEach((_, k) => {
    roadNet.connect(seatXY(villageSeat[k] as number), 2);
  });

  // ---- assets ------------------------------------------------------------------------
  step('assets');
  const rAssets = fork(seed, 'assets');
  const gridAt = (i: number) => gridLabel[i] as number;
  const lookoutSites = pickSpread(
    sites,
    [...Array(sites.n).keys()]
      .filter((i) => sites.inside[i] && forest[i] && isLocalMax(sites, i))
      .sort((a, b) => (sites.z[b] as number) - (sites.z[a] as number) || a - b),
    110,
    2200,
  );
  const lookouts = lookoutSites.map((i, n) =>
    feature(pt(sites.x[i] as number, sites.y[i] as number), {
      id: `LO-${String(n + 1).padStart(3, '0')}`,
      name: `${villages[villageLabel[i] as number]?.name.replace(/(村|社区)$/, '')}铁塔哨兵`,
      camera_kind: pick(rAssets, ['dual', 'dual', 'thermal', 'visible']),
      height_m: intBetween(rAssets, 25, 45),
      range_m: intBetween(rAssets, 5, 8) * 1000,
      elevation_m: Math.round(sites.z[i] as number),
      township_code: townships[townshipLabel[i] as number]?.code ?? null,
      grid_code: gridCodes[gridAt(i)] ?? null,
    }),
  );
  // Forest tracks up to every second lookout: crews and patrols drive as far as they can.
  lookoutSites.forEach((i, n) => {
    if (n % 2 === 0) roadNet.connect(seatXY(i), 3);
  });

  const streamSites = [...Array(sites.n).keys()].filter((i) => {
    if (!sites.inside[i] || !forest[i]) return false;
    const c = model.cellAt(sites.x[i] as number, sites.y[i] as number);
    const acc = terrain.accumulation[c] as number;
    return acc >= 25 && acc <= 600;
  });
  // Shuffled first: site order runs across the county, and taking candidates in that order put
  // every reservoir in one corner (one war zone held all 34).
  const reservoirSites = pickSpread(
    sites,
    shuffled(fork(seed, 'reservoir-order'), streamSites),
    34,
    2500,
  );
  const waterFeatures: Feature<Point, Props>[] = reservoirSites.map((i, n) =>
    feature(pt(sites.x[i] as number, sites.y[i] as number), {
      id: `WS-R${String(n + 1).padStart(3, '0')}`,
      name: `${villages[villageLabel[i] as number]?.name.replace(/(村|社区)$/, '')}应急蓄水池`,
      kind: 'reservoir',
      capacity_m3: intBetween(rAssets, 2, 15) * 100,
      township_code: townships[townshipLabel[i] as number]?.code ?? null,
      grid_code: gridCodes[gridAt(i)] ?? null,
    }),
  );
  const pondSites = pickSpread(
    sites,
    [...Array(sites.n).keys()].filter(
      (i) =>
        sites.inside[i] &&
        !forest[i] &&
        riverSite[i] === 0 &&
        slopeAt(sites.x[i] as number, sites.y[i] as number) < 4,
    ),
    30,
    2500,
  );
  pondSites.forEach((i, n) => {
    waterFeatures.push(
      feature(pt(sites.x[i] as number, sites.y[i] as number), {
        id: `WS-P${String(n + 1).padStart(3, '0')}`,
        name: `${villages[villageLabel[i] as number]?.name.replace(/(村|社区)$/, '')}山塘`,
        kind: 'pond',
        capacity_m3: intBetween(rAssets, 20, 200) * 100,
        township_code: townships[townshipLabel[i] as number]?.code ?? null,
        grid_code: gridCodes[gridAt(i)] ?? null,
      }),
    );
  });
  rivers.intakes.forEach(([x, y], n) => {
    const i = nearestSiteFast(sites, x, y);
    waterFeatures.push(
      feature(pt(x, y), {
        id: `WS-S${String(n + 1).padStart(3, '0')}`,
        name: `${rivers.nameAt(x, y)}取水点`,
        kind: 'stream',
        capacity_m3: null,
        township_code: townships[townshipLabel[i] as number]?.code ?? null,
        grid_code: gridCodes[gridAt(i)] ?? null,
      }),
    );
  });

  // Firebreaks (防火阻隔带) along ridge crests between neighbouring lookouts.
  const firebreaks: Feature<LineString, Props>[] = [];
  let firebreakM = 0;
  const usedPairs = new Set<string>();
  for (let a = 0; a < lookoutSites.length && firebreakM < 96_000; a++) {
    const ia = lookoutSites[a] as number;
    const near = lookoutSites
      .map((ib, b) => ({ ib, b, d: siteDistance(sites, ia, ib) }))
      .filter(({ b, d }) => b !== a && d > 1500 && d < 4200)
      .sort((p, q) => p.d - q.d)
      .slice(0, 1);
    for (const { ib, b } of near) {
      const k = a < b ? `${a}-${b}` : `${b}-${a}`;
      if (usedPairs.has(k)) continue;
      usedPairs.add(k);
      const line = ridgePath(model, countyGeom, seatXY(ia), seatXY(ib));
      if (!line) continue;
      const len = lineLengthM(line);
      firebreakM += len;
      firebreaks.push(
        feature({ type: 'LineString', coordinates: line } as LineString, {
          id: `FB-${String(firebreaks.length + 1).padStart(3, '0')}`,
          name: `${lookouts[a]?.properties.name?.toString().replace('铁塔哨兵', '')}防火阻隔带`,
          width_m: intBetween(rAssets, 10, 20),
          length_m: Math.round(len),
          built_year: intBetween(rAssets, 2019, 2024),
        }),
      );
    }
  }

  // Key areas (重点区域).
  const keyAreas: Feature<Geometry, Props>[] = [];
  const addKey = (g: Geometry, kind: string, name: string, i: number) =>
    keyAreas.push(
      feature(g, {
        id: `KA-${String(keyAreas.length + 1).padStart(3, '0')}`,
        name,
        kind,
        grid_code: gridCodes[gridAt(i)] ?? null,
        township_code: townships[townshipLabel[i] as number]?.code ?? null,
      }),
    );
  villages.forEach((v, k) => {
    if (v.kind !== '村' || k % 3 !== 0) return;
    // A grave hill on the slope above the village (清明 and 冬至 are its fire days).
    const cand = (villageMembers[k] ?? []).filter(
      (i) =>
        forest[i] && sites.inside[i] && siteDistance(sites, i, villageSeat[k] as number) < 1500,
    );
    const i = cand[Math.floor(rAssets() * cand.length)];
    if (i === undefined) return;
    addKey(shapeOf([i]), 'grave_hill', `${v.name}坟山`, i);
  });
  villages.forEach((v, k) => {
    if (v.kind !== '村' || k % 4 !== 1) return;
    const cand = (villageMembers[k] ?? []).filter(
      (i) =>
        sites.inside[i] &&
        forest[i] &&
        sites.delaunay.neighbors(i) &&
        [...sites.delaunay.neighbors(i)].some((j) => !forest[j]),
    );
    const i = cand[Math.floor(rAssets() * cand.length)];
    if (i === undefined) return;
    addKey(pt(sites.x[i] as number, sites.y[i] as number), 'hamlet', `${v.name}林边院落`, i);
  });
  townships.forEach((t, tk) => {
    const i = townshipSeeds[tk] as number;
    addKey(
      pt(sites.x[i] as number, sites.y[i] as number),
      'school',
      `${t.name.replace(/(镇|乡)$/, '')}中心学校`,
      i,
    );
  });
  for (const [name, t] of [
    ['锦江风光带', '高村镇'],
    ['尧市古村落', '尧市镇'],
    ['岩门古建筑群', '岩门镇'],
    ['楠木桥景区', '锦和镇'],
  ] as const) {
    const tk = townships.findIndex((x) => x.name === t);
    const start = townshipSeeds[tk] as number;
    const cluster = [start, ...sites.delaunay.neighbors(start)].filter((i) => sites.inside[i]);
    addKey(shapeOf(cluster), 'scenic_spot', name, start);
  }
  const powerLines: [string, string][] = [
    ['高村镇', '尧市镇'],
    ['高村镇', '江口墟镇'],
    ['兰里镇', '郭公坪镇'],
  ];
  for (const [from, to] of powerLines) {
    const a = townshipSeeds[townships.findIndex((x) => x.name === from)] as number;
    const b = townshipSeeds[townships.findIndex((x) => x.name === to)] as number;
    const line = towerLine(seatXY(a), seatXY(b), rAssets);
    addKey(
      { type: 'LineString', coordinates: line },
      'power_line',
      `${from.slice(0, 2)}—${to.slice(0, 2)}输电线路走廊`,
      a,
    );
  }

  // ---- crews -------------------------------------------------------------------------
  step('crews');
  const rCrews = fork(seed, 'crews');
  const crews: Feature<Point, Props>[] = [];
  const equipment = (level: string) => ({
    drones: level === 'village' ? 0 : intBetween(rCrews, 1, level === 'county' ? 4 : 2),
    pumps: intBetween(rCrews, level === 'village' ? 1 : 2, level === 'county' ? 8 : 4),
    fire_trucks:
      level === 'village'
        ? 0
        : intBetween(rCrews, level === 'county' ? 2 : 0, level === 'county' ? 4 : 1),
    blowers: intBetween(rCrews, level === 'village' ? 2 : 6, level === 'county' ? 20 : 12),
  });
  const base = (xy: [number, number]) => {
    const [x, y] = roadNet.nearestRoadPoint(xy);
    return pt(x, y);
  };
  const gaocunXY = seatXY(townshipSeeds[gaocun] as number);
  for (const [n, [unit, members]] of (
    [
      ['县森林消防专业扑火队', 40],
      ['县消防救援大队', 30],
      ['县应急管理局应急救援队', 20],
      ['县林业局护林应急分队', 18],
      ['县公安局森林警察应急分队', 16],
    ] as const
  ).entries()) {
    crews.push(
      feature(base([gaocunXY[0] + 0.004 * n - 0.008, gaocunXY[1] + 0.002 * ((n % 2) * 2 - 1)]), {
        id: `CR-C${String(n + 1).padStart(2, '0')}`,
        name: unit,
        level: 'county',
        unit_kind: ['专业扑火队', '消防', '应急', '林业', '公安'][n] as string,
        members,
        township_code: townships[gaocun]?.code ?? null,
        village_code: null,
        ...equipment('county'),
      }),
    );
  }
  townships.forEach((t, tk) => {
    crews.push(
      feature(base(seatXY(townshipSeeds[tk] as number)), {
        id: `CR-T${t.code.slice(6)}`,
        name: `${t.name}半专业扑火队`,
        level: 'township',
        unit_kind: '半专业化扑火队',
        members: intBetween(rCrews, 30, 42),
        township_code: t.code,
        village_code: null,
        ...equipment('township'),
      }),
    );
  });
  villages.forEach((v, k) => {
    if ((gridCounts[k] ?? 0) === 0) return;
    crews.push(
      feature(base(seatXY(villageSeat[k] as number)), {
        id: `CR-V${v.code.slice(6)}`,
        name: `${v.name}扑火队`,
        level: 'village',
        unit_kind: '村级扑火队',
        members: intBetween(rCrews, 15, 24),
        township_code: v.parent,
        village_code: v.code,
        ...equipment('village'),
      }),
    );
  });

  // ---- people ------------------------------------------------------------------------
  step('people');
  const peopleCsv = makePeople(
    gridCodes,
    gridVillage.map((k) => villages[k]?.code as string),
    gridVillage,
    fork(seed, 'people'),
  );

  // ---- layers and attributes ---------------------------------------------------------
  step('attributes');
  const dem = fineDem(terrain, box, seed);
  carveRivers(dem, rivers.features);
  const townshipFeatures = townships.map((t, k) =>
    feature(townshipShapes[k] as MultiPolygon, {
      code: t.code,
      name: t.name,
      kind: t.kind,
      war_zone: WAR_ZONES[zoneOf[k] as number]?.name as string,
      seat_lon: round6(sites.x[townshipSeeds[k] as number] as number),
      seat_lat: round6(sites.y[townshipSeeds[k] as number] as number),
      synthetic_boundary: true,
    }),
  );
  const villageFeatures = villages.map((v, k) =>
    feature(villageShapes[k] as MultiPolygon, {
      code: v.code,
      name: v.name,
      kind: v.kind,
      township_code: v.parent,
      seat_lon: round6(sites.x[villageSeat[k] as number] as number),
      seat_lat: round6(sites.y[villageSeat[k] as number] as number),
      grids: gridCounts[k] as number,
      synthetic_boundary: true,
    }),
  );
  const roads = roadNet.features();
  const gridFeatures = gridCodes.map((code, g) => {
    const shape = gridShapes[g] as MultiPolygon;
    const v = villages[gridVillage[g] as number];
    return feature(shape, {
      code,
      village_code: v?.code as string,
      township_code: v?.parent as string,
      ...gridAttributes(shape, dem, lookouts, waterFeatures, firebreaks, keyAreas, code),
      synthetic: true,
    });
  });

  const layers = {
    county: fc([feature(countyGeom, { code: COUNTY_CODE, name: outline.properties.name })]),
    'war-zones': fc(
      WAR_ZONES.map((z, k) =>
        feature(warZoneShapes[k] as MultiPolygon, {
          name: z.name,
          seat_township: z.township,
          townships: townships
            .filter((_, t) => zoneOf[t] === k)
            .map((t) => t.code)
            .join(','),
        }),
      ),
    ),
    townships: fc(townshipFeatures),
    villages: fc(villageFeatures),
    grids: fc(gridFeatures),
    roads: fc(roads),
    rivers: fc(rivers.features),
    firebreaks: fc(firebreaks),
    lookouts: fc(lookouts),
    'water-sources': fc(waterFeatures),
    'key-areas': fc(keyAreas),
    crews: fc(crews),
  } as Record<string, FeatureCollection<Geometry, Props>>;
  progress('done', STEPS.length, STEPS.length);
  return {
    layers,
    peopleCsv,
    dem,
    stats: {
      grids: gridFeatures.length,
      lookouts: lookouts.length,
      reservoirs: reservoirSites.length,
      firebreak_km: Math.round(firebreakM / 100) / 10,
      roads: roads.length,
      crews: crews.length,
    },
  };
}

function feature<G extends Geometry>(geometry: G, properties: Props): Feature<G, Props> {
  return { type: 'Feature', properties, geometry };
}

/** Largest-remainder allocation of `total` over weights; every positive weight gets ≥ 1. */
export function allocate(weights: number[], total: number): number[] {
  const positive = weights.filter((w) => w > 0).length;
  const sum = weights.reduce((a, b) => a + b, 0);
  const out: number[] = weights.map((w) => (w > 0 ? 1 : 0));
  const rest = total - positive;
  const exact = weights.map((w) => (w / sum) * rest);
  weights.forEach((w, k) => {
    if (w > 0) out[k] = (out[k] as number) + Math.floor(exact[k] as number);
  });
  let left = total - out.reduce((a, b) => a + b, 0);
  const order = weights
    .map((w, k) => ({
      k,
      frac: w > 0 ? (exact[k] as number) - Math.floor(exact[k] as number) : -1,
    }))
    .sort((a, b) => b.frac - a.frac || a.k - b.k);
  for (const { k } of order) {
    if (left <= 0) break;
    if ((weights[k] as number) > 0) {
      out[k] = (out[k] as number) + 1;
      left--;
    }
  }
  return out;
}

function cellsInside(s: Sites, g: MultiPolygon): Uint8Array {
  const out = new Uint8Array(s.n);
  for (let i = 0; i < s.n; i++) {
    if (!s.inside[i]) continue;
    const cell = s.voronoi.cellPolygon(i);
    out[i] = cell?.every((p) => pointInPolygon(p, g)) ? 1 : 0;
  }
  return out;
}

/** The point of `pts` farthest from (or, with `farthest` false, nearest to) their centroid. */
function extremeFromCentroid(s: Sites, pts: number[], farthest: boolean): number {
  let cx = 0;
  let cy = 0;
  for (const i of pts) {
    cx += s.x[i] as number;
    cy += s.y[i] as number;
  }
  cx /= pts.length;
  cy /= pts.length;
  let best = pts[0] as number;
  let bd = farthest ? -1 : Infinity;
  for (const i of pts) {
    const d = ((s.x[i] as number) - cx) ** 2 + ((s.y[i] as number) - cy) ** 2;
    if (farthest ? d > bd : d < bd) {
      bd = d;
      best = i;
    }
  }
  return best;
}

function farthestPoints(s: Sites, pts: number[], k: number): number[] {
  if (pts.length === 0) return [];
  const seeds = [extremeFromCentroid(s, pts, true)];
  const dmin = new Float64Array(pts.length).fill(Infinity);
  while (seeds.length < Math.min(k, pts.length)) {
    const last = seeds.at(-1) as number;
    let best = -1;
    let bestD = -1;
    pts.forEach((i, n) => {
      dmin[n] = Math.min(dmin[n] as number, siteDistance(s, i, last));
      if ((dmin[n] as number) > bestD) {
        bestD = dmin[n] as number;
        best = i;
      }
    });
    seeds.push(best);
  }
  while (seeds.length < k) seeds.push(seeds[seeds.length % Math.max(1, pts.length)] as number);
  return seeds;
}

function medoid(s: Sites, pts: number[]): number | undefined {
  return pts.length === 0 ? undefined : extremeFromCentroid(s, pts, false);
}

function nearestSeed(s: Sites, i: number, seeds: number[]): number {
  let best = 0;
  let bd = Infinity;
  seeds.forEach((p, k) => {
    const d = siteDistance(s, i, p);
    if (d < bd) {
      bd = d;
      best = k;
    }
  });
  return best;
}

function nearestSiteFast(s: Sites, x: number, y: number): number {
  const found = s.delaunay.find(x, y);
  return found;
}

function isLocalMax(s: Sites, i: number): boolean {
  for (const j of s.delaunay.neighbors(i))
    if ((s.z[j] as number) > (s.z[i] as number)) return false;
  return true;
}

/** Greedy: take candidates in order, skipping any within `minM` of one already taken. */
function pickSpread(s: Sites, candidates: number[], want: number, minM: number): number[] {
  let spacing = minM;
  const taken: number[] = [];
  while (taken.length < want && spacing > 200) {
    for (const i of candidates) {
      if (taken.length >= want) break;
      if (!taken.includes(i) && taken.every((j) => siteDistance(s, i, j) >= spacing)) taken.push(i);
    }
    spacing *= 0.85;
  }
  return taken;
}

/** A power line: straight spans between towers, each tower nudged off the straight line. */
function towerLine(
  a: [number, number],
  b: [number, number],
  rand: () => number,
): [number, number][] {
  const spans = Math.max(2, Math.round(distanceM(a, b) / 1500));
  const out: [number, number][] = [];
  for (let k = 0; k <= spans; k++) {
    const t = k / spans;
    const j = k === 0 || k === spans ? 0 : 0.003;
    out.push([
      round6(a[0] + (b[0] - a[0]) * t + between(rand, -j, j)),
      round6(a[1] + (b[1] - a[1]) * t + between(rand, -j, j)),
    ]);
  }
  return out;
}

/** Least-cost path that prefers high ground: firebreaks run along ridge crests. */
function ridgePath(
  dem: Raster,
  county: MultiPolygon,
  from: [number, number],
  to: [number, number],
): [number, number][] | null {
  const start = dem.cellAt(...from);
  const goal = dem.cellAt(...to);
  if (start < 0 || goal < 0) return null;
  const zGoal = Math.max(dem.data[start] as number, dem.data[goal] as number);
  const cost = new Map<number, number>([[start, 0]]);
  const prev = new Map<number, number>();
  const q = new FlatQueue<number>();
  q.push(start, 0);
  const nb: { j: number; d: number }[] = [];
  while (q.length > 0) {
    const c0 = q.peekValue() as number;
    const i = q.pop() as number;
    if (i === goal) break;
    if (c0 > (cost.get(i) ?? Infinity) || c0 > 40_000) continue;
    for (const { j, d } of dem.neighbours(i, nb)) {
      const drop = Math.max(0, zGoal - (dem.data[j] as number));
      const c = c0 + d * (1 + (drop / 60) ** 2);
      if (c < (cost.get(j) ?? Infinity)) {
        cost.set(j, c);
        prev.set(j, i);
        q.push(j, c);
      }
    }
  }
  if (!prev.has(goal)) return null;
  const cells = [goal];
  while (cells.at(-1) !== start) cells.push(prev.get(cells.at(-1) as number) as number);
  const line = roundLine(
    chaikin(
      cells.reverse().map((i) => dem.lonLat(i)),
      3,
    ),
  );
  return line.every((p) => pointInPolygon(p, county)) ? line : null;
}

// ---- rivers -------------------------------------------------------------------------------

function traceRivers(
  terrain: Terrain,
  county: MultiPolygon,
  villages: { name: string }[],
  villageSeat: number[],
  sites: Sites,
  displace: Displace,
) {
  const { model, receiver, accumulation } = terrain;
  const minCells = 2_500_000 / (model.cellM.x * model.cellM.y); // ≥ 2.5 km² upstream
  const inside = new Uint8Array(model.size);
  const stream = new Uint8Array(model.size);
  for (let i = 0; i < model.size; i++) {
    if ((accumulation[i] as number) < minCells) continue;
    inside[i] = pointInPolygon(model.lonLat(i), county) ? 1 : 0;
    stream[i] = inside[i] as number;
  }
  const upstreamCount = new Int32Array(model.size);
  for (let i = 0; i < model.size; i++)
    if (stream[i] && (receiver[i] as number) >= 0) {
      const r = receiver[i] as number;
      upstreamCount[r] = (upstreamCount[r] as number) + 1;
    }
  // Strahler order, sources first in upstream → downstream order (by accumulation).
  const order = new Int32Array(model.size);
  const maxIn = new Int32Array(model.size);
  const countMax = new Int32Array(model.size);
  const cells = [...Array(model.size).keys()]
    .filter((i) => stream[i])
    .sort((a, b) => (accumulation[a] as number) - (accumulation[b] as number) || a - b);
  for (const i of cells) {
    order[i] =
      maxIn[i] === 0
        ? 1
        : (countMax[i] as number) >= 2
          ? (maxIn[i] as number) + 1
          : (maxIn[i] as number);
    const r = receiver[i] as number;
    if (r >= 0 && stream[r]) {
      if ((order[i] as number) > (maxIn[r] as number)) {
        maxIn[r] = order[i] as number;
        countMax[r] = 1;
      } else if (order[i] === maxIn[r]) countMax[r] = (countMax[r] as number) + 1;
    }
  }
  const jinjiangCells = new Set(terrain.jinjiang.map(([x, y]) => model.cellAt(x, y)));
  const nearJinjiang = (i: number) => (terrain.riverDistance.data[i] as number) < 400;
  // Trace from each source down to a confluence (a cell already traced) or the county edge.
  const visited = new Uint8Array(model.size);
  const features: Feature<LineString, Props>[] = [];
  const intakes: [number, number][] = [];
  const named: { name: string; line: Position[] }[] = [];
  const sources = cells
    .filter((i) => upstreamCount[i] === 0)
    .sort((a, b) => (accumulation[b] as number) - (accumulation[a] as number) || a - b);
  // Trace the largest rivers first so the main stem is one feature.
  const starts = [...sources].sort((a, b) => pathAccumulation(b) - pathAccumulation(a) || a - b);
  function pathAccumulation(i: number): number {
    let j = i;
    let last = i;
    for (let g = 0; g < 100_000 && j >= 0 && stream[j]; g++) {
      last = j;
      j = receiver[j] as number;
    }
    return accumulation[last] as number;
  }
  for (const s of starts) {
    const path: number[] = [];
    let i = s;
    while (i >= 0 && stream[i] && !visited[i]) {
      visited[i] = 1;
      path.push(i);
      i = receiver[i] as number;
    }
    if (i >= 0 && stream[i]) path.push(i); // join the river it flows into
    if (path.length < 4) continue;
    const main =
      path.filter((c) => jinjiangCells.has(c) || nearJinjiang(c)).length > path.length * 0.6;
    const mouth = path.at(-1) as number;
    const [mx, my] = model.lonLat(path[Math.floor(path.length / 2)] as number);
    const v = sites.delaunay.find(mx, my);
    let nearestVillage = 0;
    let bd = Infinity;
    villageSeat.forEach((seat, k) => {
      const d = siteDistance(sites, v, seat);
      if (d < bd) {
        bd = d;
        nearestVillage = k;
      }
    });
    const name = main ? '锦江' : `${villages[nearestVillage]?.name.replace(/(村|社区)$/, '')}溪`;
    const line = roundLine(
      chaikin(
        path.map((c) => displace(model.lonLat(c))),
        3,
      ),
    );
    named.push({ name, line });
    features.push(
      feature({ type: 'LineString', coordinates: line } as LineString, {
        id: `RV-${String(features.length + 1).padStart(3, '0')}`,
        name,
        stream_order: Math.max(...path.map((c) => order[c] as number)),
        upstream_km2:
          Math.round(((accumulation[mouth] as number) * model.cellM.x * model.cellM.y) / 1e5) / 10,
      }),
    );
    if (!main && path.length > 12)
      intakes.push(displace(model.lonLat(path[Math.floor(path.length / 3)] as number)));
  }
  return {
    features,
    intakes: intakes.slice(0, 40),
    nameAt(x: number, y: number): string {
      let best = '溪流';
      let bd = Infinity;
      for (const r of named)
        for (const p of r.line) {
          const d = ((p[0] as number) - x) ** 2 + ((p[1] as number) - y) ** 2;
          if (d < bd) {
            bd = d;
            best = r.name;
          }
        }
      return best;
    },
  };
}

// ---- roads --------------------------------------------------------------------------------

const ROAD_CLASSES = ['county', 'township', 'village', 'forest_track'] as const;
const ROAD_SPEED: Record<(typeof ROAD_CLASSES)[number], number> = {
  county: 50,
  township: 35,
  village: 25,
  forest_track: 12,
};

/**
 * Roads as least-cost paths over the model DEM: steep ground and river crossings are
 * expensive, existing road cheap, so new roads follow valleys and join the network. The cell
 * graph is split at junctions into features whose endpoints are shared exactly (one
 * connected network); river crossings become bridge segments.
 */
class RoadNetwork {
  private readonly klass = new Int8Array(0);
  private readonly edges = new Map<number, Map<number, number>>();
  private readonly river: Uint8Array;
  private readonly insideCell: Uint8Array;
  private readonly seats = new Set<number>();

  constructor(
    private readonly dem: Raster,
    terrain: Terrain,
    county: MultiPolygon,
    private readonly displace: Displace,
  ) {
    this.klass = new Int8Array(dem.size).fill(-1);
    this.river = new Uint8Array(dem.size);
    this.insideCell = new Uint8Array(dem.size);
    const minCells = 2_500_000 / (dem.cellM.x * dem.cellM.y);
    for (let i = 0; i < dem.size; i++) {
      this.river[i] = (terrain.accumulation[i] as number) >= minCells ? 1 : 0;
      this.insideCell[i] = pointInPolygon(dem.lonLat(i), county) ? 1 : 0;
    }
  }

  addSeat(xy: [number, number]): void {
    const c = this.dem.cellAt(...xy);
    this.klass[c] = 0;
    this.seats.add(c);
  }

  /** Least-cost path from `xy` to the nearest cell already on the network. */
  connect(xy: [number, number], klass: number): void {
    const start = this.dem.cellAt(...xy);
    if (start < 0) return;
    this.seats.add(start);
    if ((this.klass[start] as number) >= 0) return;
    const cost = new Map<number, number>([[start, 0]]);
    const prev = new Map<number, number>();
    const q = new FlatQueue<number>();
    q.push(start, 0);
    const nb: { j: number; d: number }[] = [];
    let reached = -1;
    while (q.length > 0) {
      const c0 = q.peekValue() as number;
      const i = q.pop() as number;
      if (c0 > (cost.get(i) ?? Infinity)) continue;
      if (i !== start && (this.klass[i] as number) >= 0) {
        reached = i;
        break;
      }
      for (const { j, d } of this.dem.neighbours(i, nb)) {
        if (!this.insideCell[j]) continue;
        const slope = Math.abs((this.dem.data[j] as number) - (this.dem.data[i] as number)) / d;
        let step = d * (1 + (slope / 0.08) ** 2);
        if (this.river[j] && !this.river[i]) step += 1500; // a bridge is costly: few of them
        // Roads run beside rivers, not in them: travelling along a river cell costs extra.
        if (this.river[j] && this.river[i]) step *= 6;
        if ((this.klass[j] as number) >= 0) step *= 0.25;
        const c = c0 + step;
        if (c < (cost.get(j) ?? Infinity)) {
          cost.set(j, c);
          prev.set(j, i);
          q.push(j, c);
        }
      }
    }
    if (reached < 0) return;
    let i = reached;
    while (i !== start) {
      const p = prev.get(i) as number;
      this.link(p, i, klass);
      if ((this.klass[p] as number) < 0 || (this.klass[p] as number) > klass) this.klass[p] = klass;
      i = p;
    }
  }

  private link(a: number, b: number, klass: number): void {
    for (const [x, y] of [
      [a, b],
      [b, a],
    ] as const) {
      let m = this.edges.get(x);
      if (!m) {
        m = new Map();
        this.edges.set(x, m);
      }
      const old = m.get(y);
      m.set(y, old === undefined ? klass : Math.min(old, klass));
    }
  }

  nearestRoadPoint(xy: [number, number]): [number, number] {
    let best = -1;
    let bd = Infinity;
    for (const i of this.edges.keys()) {
      const d = distanceM(this.dem.lonLat(i), xy);
      if (d < bd) {
        bd = d;
        best = i;
      }
    }
    return best >= 0 ? this.displace(this.dem.lonLat(best)) : xy;
  }

  features(): Feature<LineString, Props>[] {
    const deg = (i: number) => this.edges.get(i)?.size ?? 0;
    const isNode = (i: number) =>
      deg(i) !== 2 ||
      this.seats.has(i) ||
      this.river[i] !== this.river[[...(this.edges.get(i)?.keys() ?? [])][0] as number];
    const seen = new Set<string>();
    const out: Feature<LineString, Props>[] = [];
    const nodes = [...this.edges.keys()].filter(isNode).sort((a, b) => a - b);
    for (const n of nodes) {
      for (const first of [...(this.edges.get(n)?.keys() ?? [])].sort((a, b) => a - b)) {
        const k = `${n}>${first}`;
        if (seen.has(k)) continue;
        const cells = [n, first];
        let klass = this.edges.get(n)?.get(first) as number;
        seen.add(k);
        seen.add(`${first}>${n}`);
        while (!isNode(cells.at(-1) as number)) {
          const cur = cells.at(-1) as number;
          const prevCell = cells.at(-2) as number;
          const next = [...(this.edges.get(cur)?.keys() ?? [])].find(
            (x) => x !== prevCell,
          ) as number;
          klass = Math.min(klass, this.edges.get(cur)?.get(next) as number);
          seen.add(`${cur}>${next}`);
          seen.add(`${next}>${cur}`);
          cells.push(next);
        }
        const bridge = cells.some((c) => this.river[c]) && cells.length <= 4;
        const cls = ROAD_CLASSES[klass] ?? 'village';
        const pts = cells.map((c) => this.displace(this.dem.lonLat(c)));
        out.push(
          feature(
            {
              type: 'LineString',
              coordinates: roundLine(bridge ? pts : chaikin(pts, 2)),
            } as LineString,
            {
              id: `RD-${String(out.length + 1).padStart(4, '0')}`,
              class: cls,
              speed_kmh: bridge ? Math.min(ROAD_SPEED[cls], 30) : ROAD_SPEED[cls],
              bridge,
            },
          ),
        );
      }
    }
    return out;
  }
}

// ---- people -------------------------------------------------------------------------------

const SURNAMES = [
  '滕',
  '张',
  '杨',
  '田',
  '吴',
  '龙',
  '麻',
  '舒',
  '向',
  '黄',
  '刘',
  '李',
  '陈',
  '谭',
  '郑',
  '姚',
  '唐',
  '彭',
  '石',
  '蒋',
];
const GIVEN = [
  '建国',
  '国华',
  '志强',
  '春生',
  '秋菊',
  '桂兰',
  '明德',
  '长青',
  '永福',
  '德胜',
  '海燕',
  '小军',
  '红梅',
  '远山',
  '林生',
  '金花',
  '光明',
  '世友',
  '家旺',
  '玉珍',
  '正文',
  '大勇',
  '云峰',
  '少华',
];
const ROLE_ZH: Record<string, string> = {
  grid_head: '网格长',
  ranger: '护林员',
  guide: '向导',
  village_cadre: '村干部',
  supervisor: '监督员',
  folk_forest_chief: '民间林长',
};

/**
 * People for every grid: at least one 网格长, 护林员, 向导, 村干部 and 监督员; one
 * 民间林长 for every two or three grids of a village. Phone numbers start with 100, which no
 * Chinese mobile network uses: obviously fictitious.
 */
function makePeople(
  gridCodes: string[],
  gridVillageCode: string[],
  gridVillage: number[],
  rand: () => number,
): string {
  const rows = ['person_id,name,phone,role,role_zh,grid_code,village_code'];
  let id = 0;
  const person = () => {
    id++;
    return {
      id: `P${String(id).padStart(5, '0')}`,
      name: `${pick(rand, SURNAMES)}${pick(rand, GIVEN)}`,
      phone: `100${String(id).padStart(8, '0')}`,
    };
  };
  let chief: { id: string; name: string; phone: string } | null = null;
  let chiefGrids = 0;
  let lastVillage = -1;
  gridCodes.forEach((code, g) => {
    const v = gridVillage[g] as number;
    // One village cadre serves all grids of a small village; others have one per grid.
    for (const role of ['grid_head', 'ranger', 'guide', 'village_cadre', 'supervisor']) {
      const n = role === 'ranger' ? 1 + Math.floor(rand() * 2) : 1;
      for (let k = 0; k < n; k++) {
        const p = person();
        rows.push(csvRow([p.id, p.name, p.phone, role, ROLE_ZH[role], code, gridVillageCode[g]]));
      }
    }
    if (v !== lastVillage || chiefGrids >= 2 + Math.floor(rand() * 2) || !chief) {
      chief = person();
      chiefGrids = 0;
      lastVillage = v;
    }
    chiefGrids++;
    rows.push(
      csvRow([
        chief.id,
        chief.name,
        chief.phone,
        'folk_forest_chief',
        ROLE_ZH.folk_forest_chief,
        code,
        gridVillageCode[g],
      ]),
    );
  });
  return `${rows.join('\n')}\n`;
}

// ---- per-grid attributes ------------------------------------------------------------------

function gridAttributes(
  shape: MultiPolygon,
  dem: Raster,
  lookouts: Feature<Point, Props>[],
  water: Feature<Point, Props>[],
  firebreaks: Feature<LineString, Props>[],
  keyAreas: Feature<Geometry, Props>[],
  code: string,
): Props {
  let [w, s, e, n] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const poly of shape.coordinates)
    for (const [x, y] of poly[0] as [number, number][]) {
      w = Math.min(w, x);
      e = Math.max(e, x);
      s = Math.min(s, y);
      n = Math.max(n, y);
    }
  let count = 0;
  let zMin = Infinity;
  let zMax = -Infinity;
  let zSum = 0;
  let slopeSum = 0;
  let forestCells = 0;
  const c0 = dem.cellAt(w, n);
  const c1 = dem.cellAt(e, s);
  const col0 = Math.max(0, c0 % dem.width);
  const row0 = Math.max(0, Math.floor(c0 / dem.width));
  const col1 = c1 < 0 ? dem.width - 1 : c1 % dem.width;
  const row1 = c1 < 0 ? dem.height - 1 : Math.floor(c1 / dem.width);
  for (let r = row0; r <= row1; r++)
    for (let c = col0; c <= col1; c++) {
      const i = dem.index(c, r);
      if (!pointInPolygon(dem.lonLat(i), shape)) continue;
      const z = dem.data[i] as number;
      const slope = dem.slopeDeg(i);
      count++;
      zMin = Math.min(zMin, z);
      zMax = Math.max(zMax, z);
      zSum += z;
      slopeSum += slope;
      if (slope >= 4 || z > 280) forestCells++;
    }
  const areaHa = Math.round(count * dem.cellM.x * dem.cellM.y) / 10000;
  const zMean = count ? zSum / count : 0;
  const slopeMean = count ? slopeSum / count : 0;
  const inside = (f: Feature<Point, Props>) => pointInPolygon(f.geometry.coordinates, shape);
  let firebreakM = 0;
  for (const f of firebreaks) {
    const pts = f.geometry.coordinates;
    for (let k = 1; k < pts.length; k++) {
      const a = pts[k - 1] as Position;
      const b = pts[k] as Position;
      if (
        pointInPolygon(
          [((a[0] as number) + (b[0] as number)) / 2, ((a[1] as number) + (b[1] as number)) / 2],
          shape,
        )
      )
        firebreakM += distanceM(a, b);
    }
  }
  const keys = keyAreas.filter((k) => k.properties.grid_code === code).map((k) => k.properties.id);
  const fuel =
    zMean > 700 ? '阔叶混交林' : zMean > 450 ? '杉木林' : slopeMean > 22 ? '灌草丛' : '马尾松林';
  const fuelRisk: Record<string, number> = {
    马尾松林: 1.2,
    灌草丛: 1.1,
    杉木林: 0.8,
    阔叶混交林: 0.5,
  };
  const score =
    (slopeMean / 12) * (fuelRisk[fuel] ?? 1) + keys.length * 0.6 + (zMean < 350 ? 0.5 : 0);
  const risk = Math.max(1, Math.min(5, Math.round(score + 0.5)));
  return {
    area_ha: areaHa,
    forest_share: count ? Math.round((forestCells / count) * 100) / 100 : 0,
    fuel_type: fuel,
    elev_min_m: Math.round(zMin),
    elev_mean_m: Math.round(zMean),
    elev_max_m: Math.round(zMax),
    slope_mean_deg: Math.round(slopeMean * 10) / 10,
    lookouts: lookouts.filter(inside).length,
    water_sources: water.filter(inside).length,
    firebreak_km: Math.round(firebreakM / 10) / 100,
    key_areas: keys.join(','),
    risk_class: risk,
  };
}

/**
 * Cut each river into the fine DEM: a channel a few metres deep (deeper for bigger rivers)
 * with banks easing out over ~150 m, so the hillshade shows a valley where the river runs.
 */
function carveRivers(dem: Raster, rivers: Feature<LineString, Props>[]): void {
  const cut = new Float64Array(dem.size);
  const reach = 150;
  for (const r of rivers) {
    const depth = 4 + 5 * Number(r.properties.stream_order ?? 1);
    const pts = r.geometry.coordinates;
    for (let k = 1; k < pts.length; k++) {
      const [ax, ay] = pts[k - 1] as [number, number];
      const [bx, by] = pts[k] as [number, number];
      const c0 = dem.cellAt(Math.min(ax, bx) - 0.002, Math.max(ay, by) + 0.002);
      const c1 = dem.cellAt(Math.max(ax, bx) + 0.002, Math.min(ay, by) - 0.002);
      if (c0 < 0 || c1 < 0) continue;
      for (let row = Math.floor(c0 / dem.width); row <= Math.floor(c1 / dem.width); row++)
        for (let col = c0 % dem.width; col <= c1 % dem.width; col++) {
          const i = dem.index(col, row);
          const [x, y] = dem.lonLat(i);
          const d = segmentDistanceM([x, y], [ax, ay], [bx, by]);
          if (d >= reach) continue;
          const c = depth * (1 - d / reach) ** 2;
          if (c > (cut[i] as number)) cut[i] = c;
        }
    }
  }
  for (let i = 0; i < dem.size; i++) dem.data[i] = (dem.data[i] as number) - (cut[i] as number);
}

function segmentDistanceM(p: [number, number], a: [number, number], b: [number, number]): number {
  const fx = 111_000 * Math.cos((27.8 * Math.PI) / 180);
  const fy = 111_000;
  const px = (p[0] - a[0]) * fx;
  const py = (p[1] - a[1]) * fy;
  const bx = (b[0] - a[0]) * fx;
  const by = (b[1] - a[1]) * fy;
  const len2 = bx * bx + by * by;
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, (px * bx + py * by) / len2));
  return Math.hypot(px - t * bx, py - t * by);
}
