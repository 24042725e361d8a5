import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { cellMetres, cellOf, readGeoGrid } from '../../geodata/geotiff-grid.ts';
import {
  BEYOND_RANGE,
  horizonDistanceM,
  NOT_VISIBLE,
  VISIBLE,
  type ViewshedInput,
  viewshed,
} from './viewshed.ts';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '../../..');
const FIXTURES = path.join(HERE, 'fixtures');
const NO_CURVATURE = 1; // refraction k = 1 cancels the curvature term (1 − k)

function plane(width: number, height: number, z = 0): Float64Array {
  return new Float64Array(width * height).fill(z);
}

/** Visibility along one row of cells from an observer over its first cell, no curvature. */
function profile(elevation: number[], observerHeightM: number, cell = 30): number[] {
  const width = elevation.length;
  const cellM = { x: cell, y: cell };
  const options = { refractionK: NO_CURVATURE, col: 0, row: 0, height: 1 };
  return Array.from(viewshed({ elevation, width, cellM, observerHeightM, ...options }));
}

describe('viewshed: hand-worked profiles (no curvature)', () => {
  it('a single row: a rise hides the lower ground behind it', () => {
    // Eye at 100 + 10 = 110 m over cell 0, cells 30 m apart. By hand, cell by cell:
    // cell 1 (100 m): the observer's neighbour, visible.
    // cell 2 (120 m): the line through cell 1 falls 10 m per cell → 90 m at cell 2; 120 ≥ 90, visible.
    // cell 3 (110 m): the line from the eye through cell 2 climbs (120−110)/2 = 5 m a cell → 125 m; hidden.
    // cell 4 (131 m): the line through cell 2 reaches 130 m at cell 4; 131 ≥ 130, visible.
    // cell 5 (135 m): the line through cell 4 climbs (131−110)/4 = 5.25 → 136.25 m; hidden.
    expect(profile([100, 100, 120, 110, 131, 135], 10)).toEqual([1, 1, 1, 0, 1, 0]);
  });

  it('a wall across the grid hides everything beyond it, whatever the direction', () => {
    // Flat ground at 0 m, eye 10 m up at column 10; a wall 50 m high along column 13.
    // The wall rises above the sight line from 10 m, so every ray east of it meets the wall
    // and falls ~13 m per cell beyond: all ground east of column 13 is hidden, all west of
    // it and the wall's own face are seen.
    const width = 25;
    const height = 21;
    const elevation = plane(width, height);
    for (let r = 0; r < height; r++) elevation[r * width + 13] = 50;
    const out = viewshed({
      elevation,
      width,
      height,
      cellM: { x: 10, y: 10 },
      col: 10,
      row: 10,
      observerHeightM: 10,
      refractionK: NO_CURVATURE,
    });
    for (let r = 0; r < height; r++)
      for (let c = 0; c < width; c++)
        expect(out[r * width + c], `cell ${c},${r}`).toBe(c > 13 ? NOT_VISIBLE : VISIBLE);
  });

  it('a pit in a slope facing away from the observer is not seen, its rim is', () => {
    // Ground falling 1 m per cell away from an eye 2 m up; cell 4 is a 6 m deep pit.
    // Cells 1..3: the ground drops faster than any sight line, all seen. Cell 4 (−9 m):
    // the line from the eye (2 m) through cell 3 (−3 m) falls 5/3 m a cell → −4.67 m at
    // cell 4, above the pit floor: hidden (and cell 4 now carries −4.67 m). Cell 5 (−5 m):
    // the line through cell 4 → 2 + (−4.67 − 2)·5/4 = −6.33 m, below the ground: seen.
    expect(profile([0, -1, -2, -3, -9, -5], 2)).toEqual([1, 1, 1, 1, 0, 1]);
  });

  it('cells beyond the radius are 255; the radius is measured in metres between cell centres', () => {
    const width = 21;
    const height = 21;
    const out = viewshed({
      elevation: plane(width, height),
      width,
      height,
      cellM: { x: 100, y: 50 },
      col: 10,
      row: 10,
      observerHeightM: 5,
      radiusM: 500,
      refractionK: NO_CURVATURE,
    });
    // On flat ground without curvature everything within range is seen.
    expect(out[10 * width + 15]).toBe(VISIBLE); // 5 columns east: 500 m, inside
    expect(out[10 * width + 16]).toBe(BEYOND_RANGE); // 600 m
    expect(out[20 * width + 10]).toBe(VISIBLE); // 10 rows south: 500 m
    expect(out[0 * width + 10]).toBe(VISIBLE);
    expect(out[14 * width + 13]).toBe(VISIBLE); // √(300² + 200²) = 361 m
    expect(out[18 * width + 14]).toBe(BEYOND_RANGE); // √(400² + 400²) = 566 m
    expect(out[0]).toBe(BEYOND_RANGE);
  });

  it('does not modify its input', () => {
    const elevation = [100, 100, 120, 110, 131, 135];
    const input: ViewshedInput = {
      elevation,
      width: 6,
      height: 1,
      cellM: { x: 30, y: 30 },
      col: 0,
      row: 0,
      observerHeightM: 10,
    };
    const copy = JSON.stringify(input);
    viewshed(input);
    expect(JSON.stringify(input)).toBe(copy);
  });
});

describe('viewshed: flat plane and the curvature horizon', () => {
  it('sees flat ground out to d = √(2·a·h/(1 − k)) and nothing beyond (≈ 3.86·√h km)', () => {
    // Surveyors' horizon with standard refraction: 3.86·√h km; for h = 25 m about 19.3 km.
    const d = horizonDistanceM(25);
    expect(d / 1000).toBeCloseTo(3.86 * 5, 0);
    const cell = 100;
    const n = 501; // 50 km across, observer in the middle
    const out = viewshed({
      elevation: plane(n, n, 300),
      width: n,
      height: n,
      cellM: { x: cell, y: cell },
      col: 250,
      row: 250,
      observerHeightM: 25,
    });
    let checked = 0;
    for (let r = 0; r < n; r += 3)
      for (let c = 0; c < n; c += 3) {
        const dist = Math.hypot((c - 250) * cell, (r - 250) * cell);
        // Allow two cells of discretisation either side of the horizon.
        if (dist < d - 2 * cell) expect(out[r * n + c], `${c},${r}`).toBe(VISIBLE);
        else if (dist > d + 2 * cell) expect(out[r * n + c], `${c},${r}`).toBe(NOT_VISIBLE);
        else continue;
        checked++;
      }
    expect(checked).toBeGreaterThan(25_000);
  });
});

describe('viewshed CLI against GDAL gdal_viewshed (independent engine)', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'viewshed-'));
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  const runOurs = (dem: string, x: number, y: number, h: number, radius: number) => {
    const out = path.join(tmp, `ours-${x}-${y}.tif`);
    const stdout = execFileSync(
      'npx',
      [
        'tsx',
        'scripts/viewshed.ts',
        ...['--dem', dem, '--x', `${x}`, '--y', `${y}`],
        ...['--height', `${h}`, '--radius', `${radius}`, '--out', out],
      ],
      { cwd: ROOT, encoding: 'utf8' },
    );
    expect(stdout).toBe('');
    return out;
  };
  const runGdal = (dem: string, x: number, y: number, h: number, radius: number) => {
    const out = path.join(tmp, `gdal-${x}-${y}.tif`);
    // gdal_viewshed's default curvature coefficient is 0.85714 = 1 − 1/7; named for clarity.
    execFileSync('gdal_viewshed', [
      '-q',
      ...['-oz', `${h}`, '-md', `${radius}`, '-cc', '0.85714'],
      ...['-vv', '1', '-iv', '0', '-ov', '255', '-ox', `${x}`, '-oy', `${y}`],
      dem,
      out,
    ]);
    return out;
  };

  /**
   * gdal_viewshed writes only the window around the radius; compare there, 255 outside.
   * `gdalInput` is the grid GDAL was given (its window's offset is counted on it).
   */
  async function compare(ours: ArrayLike<number>, gdalFile: string, gdalInput: string) {
    const theirs = await readGeoGrid(gdalFile);
    const input = await readGeoGrid(gdalInput);
    const dc = Math.round((theirs.gt[0] - input.gt[0]) / input.gt[1]);
    const dr = Math.round((theirs.gt[3] - input.gt[3]) / input.gt[5]);
    let differ = 0;
    let weSeeGdalNot = 0;
    let visible = 0;
    for (let r = 0; r < theirs.height; r++)
      for (let c = 0; c < theirs.width; c++) {
        const a = ours[(r + dr) * input.width + c + dc];
        const b = theirs.values[r * theirs.width + c];
        if (a !== b) differ++;
        if (a === VISIBLE && b === NOT_VISIBLE) weSeeGdalNot++;
        if (a === VISIBLE) visible++;
      }
    let outsideNot255 = 0;
    for (let i = 0; i < ours.length; i++) {
      const c = i % input.width;
      const r = (i - c) / input.width;
      const inWindow = c >= dc && r >= dr && c < dc + theirs.width && r < dr + theirs.height;
      if (!inWindow && ours[i] !== BEYOND_RANGE) outsideNot255++;
    }
    return { differ, weSeeGdalNot, cells: theirs.width * theirs.height, visible, outsideNot255 };
  }
  const cellsOf = async (file: string) => (await readGeoGrid(file)).values;

  const utm = path.join(FIXTURES, 'dem-utm49n-30m.tif');
  it.each([
    [372015, 3075015, 25, 2000],
    [369700, 3077300, 40, 5000], // near the north-west corner: window clipped by the grid
    [371003.3, 3074567.8, 10, 1500], // off a cell centre
    [372500, 3076000, 0, 1000], // an eye on the ground
  ])(
    'UTM 49N DEM: observer (%d, %d), %d m up, %d m: the cells of gdal_viewshed',
    async (x, y, h, radius) => {
      const gdal = runGdal(utm, x, y, h, radius);
      // The sweep with GDAL 3.6's rule for the cells next to the tower: every cell equal.
      const dem = await readGeoGrid(utm);
      const exact = await compare(
        viewshed({
          elevation: dem.values,
          width: dem.width,
          height: dem.height,
          cellM: cellMetres(dem, y),
          col: Math.floor(cellOf(dem, x, y).col),
          row: Math.floor(cellOf(dem, x, y).row),
          observerHeightM: h,
          radiusM: radius,
          nearCells: 'gdal-3.6',
        }),
        gdal,
        utm,
      );
      expect(exact.differ).toBe(0);
      expect(exact.outsideNot255).toBe(0);
      expect(exact.visible).toBeGreaterThan(100);
      expect(exact.visible).toBeLessThan(exact.cells);
      // The CLI sees the 8 cells around the tower. GDAL 3.6 hides the 3 north and south of it
      // when they lie below the tower's foot, and the shadow it casts from them runs on
      // outwards along the column. So every difference is a cell we see and GDAL does not,
      // and they are few (measured 0.01–0.3 % for 10–40 m towers, 1.4 % with the eye on the
      // ground, 3.6 % for a 10 m tower beside a drop): at most 5 %.
      const cli = await compare(await cellsOf(runOurs(utm, x, y, h, radius)), gdal, utm);
      expect(cli.weSeeGdalNot).toBe(cli.differ);
      expect(cli.differ / cli.cells).toBeLessThanOrEqual(0.05);
      expect(cli.outsideNot255).toBe(0);
    },
  );

  it('writes the DEM’s grid and CRS: projected stays projected, geographic stays geographic', async () => {
    const geo = path.join(FIXTURES, 'dem-wgs84.tif');
    const out = runOurs(geo, 109.73, 27.865, 25, 2000);
    const info = (file: string) =>
      JSON.parse(execFileSync('gdalinfo', ['-json', file], { encoding: 'utf8' }));
    for (const [src, dst] of [
      [geo, out],
      [utm, runOurs(utm, 372015, 3075015, 25, 1000)],
    ] as const) {
      const a = info(src);
      const b = info(dst);
      expect(b.size).toEqual(a.size);
      expect(b.geoTransform).toEqual(a.geoTransform);
      expect(b.coordinateSystem.wkt).toBe(a.coordinateSystem.wkt);
      expect(b.bands[0].type).toBe('Byte');
    }
    const codes = new Set(Array.from((await readGeoGrid(out)).values));
    expect([...codes].sort((p, q) => p - q)).toEqual([0, 1, 255]);
  });

  it('geographic DEM: the same cells as gdal_viewshed run on that grid labelled in metres', async () => {
    // gdal_viewshed measures distance in CRS units, so on degrees its radius and curvature
    // mean nothing. Give GDAL the same cells with a projected label whose cell size is the
    // metric size of a cell at the observer's latitude (WGS84 radii of curvature M and N·cos φ,
    // written out here from the textbook formulas), and the answers must match.
    const geo = path.join(FIXTURES, 'dem-wgs84.tif');
    const lat = 27.865;
    const lon = 109.73;
    const a = 6_378_137;
    const e2 = 0.00669437999014;
    const phi = (lat * Math.PI) / 180;
    const w = Math.sqrt(1 - e2 * Math.sin(phi) ** 2);
    const mPerDegLat = ((a * (1 - e2)) / w ** 3) * (Math.PI / 180);
    const mPerDegLon = (a / w) * Math.cos(phi) * (Math.PI / 180);
    // Published check: one degree of latitude at 28° N is 110.86 km on WGS84.
    expect(mPerDegLat / 1000).toBeCloseTo(110.86, 1);
    const src = await readGeoGrid(geo);
    const sx = src.gt[1] * mPerDegLon;
    const sy = -src.gt[5] * mPerDegLat;
    const labelled = path.join(tmp, 'labelled.tif');
    execFileSync('gdal_translate', [
      '-q',
      ...['-a_srs', 'EPSG:32649', '-a_ullr', '0', `${src.height * sy}`, `${src.width * sx}`, '0'],
      geo,
      labelled,
    ]);
    const col = Math.floor((lon - src.gt[0]) / src.gt[1]);
    const row = Math.floor((lat - src.gt[3]) / src.gt[5]);
    const x = (col + 0.5) * sx;
    const y = (src.height - row - 0.5) * sy;
    const result = await compare(
      await cellsOf(runOurs(geo, lon, lat, 25, 2000)),
      runGdal(labelled, x, y, 25, 2000),
      labelled,
    );
    expect(result.weSeeGdalNot).toBe(result.differ);
    expect(result.differ / result.cells).toBeLessThanOrEqual(0.02);
    expect(result.visible).toBeGreaterThan(100);
  });

  it('bad arguments: a message on stderr naming the option, exit code 2, no file', () => {
    const out = path.join(tmp, 'never.tif');
    const run = (args: string[]) => {
      try {
        execFileSync('npx', ['tsx', 'scripts/viewshed.ts', ...args], {
          cwd: ROOT,
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        return { status: 0, stderr: '' };
      } catch (err) {
        const e = err as { status: number; stderr: string };
        return { status: e.status, stderr: e.stderr };
      }
    };
    const missing = run(['--dem', utm, '--x', '1', '--y', '2', '--out', out]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/--height/);
    const outside = run([
      ...['--dem', utm, '--x', '1', '--y', '2', '--height', '25', '--radius', '5000'],
      ...['--out', out],
    ]);
    expect(outside.status).toBe(2);
    expect(outside.stderr).toMatch(/outside/);
    expect(fs.existsSync(out)).toBe(false);
  });
});
