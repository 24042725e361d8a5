/**
 * Viewshed of one observer over a north-up elevation grid: which cells a lookout standing
 * `observerHeightM` above the ground can see (issue 16, item 1).
 *
 * The method is Wang, Robinson & White (2000), "Generating viewsheds without using
 * sightlines", PE&RS 66(1):87–90, in the variant GDAL's `gdal_viewshed` runs by default
 * (GDALViewshedGenerate, "edge" mode, GDAL 3.1–3.7): the grid is swept outward from the
 * observer's row, first along that row, then row by row up and down; each cell's
 * line-of-sight height is the plane through the observer and the two already-swept cells
 * on its edge towards the observer, extended out to the cell. A cell is visible when its
 * ground (plus target height) reaches that height; either way the cell then carries the
 * higher of the two onward, so a ridge shadows everything behind it. One pass, O(cells),
 * no sightlines. Following GDAL keeps our answer checkable cell by cell against
 * `gdal_viewshed` (viewshed.test.ts).
 *
 * Earth curvature and refraction: the ground at horizontal distance r drops by
 * cc·r²/(2a) with cc = 1 − k, k = 1/7 the standard refraction coefficient
 * (gdal_viewshed's `-cc 0.85714`), a the ellipsoid's semi-major axis.
 *
 * Pure: no I/O, inputs not mutated. Works on any grid whose cell steps are given in metres,
 * so geographic grids (degrees) are handled by passing the metric size of a cell at the
 * observer's latitude.
 */

export const VISIBLE = 1;
export const NOT_VISIBLE = 0;
export const BEYOND_RANGE = 255;

/** Standard terrestrial refraction coefficient k (light bends with 1/7 of the earth's curvature). */
export const REFRACTION_K = 1 / 7;
/** WGS84 / CGCS2000 semi-major axis, metres. */
export const WGS84_A = 6_378_137;

export interface ViewshedInput {
  /** Elevations in metres, row-major, row 0 at the north edge. */
  elevation: ArrayLike<number>;
  width: number;
  height: number;
  /** Size of one column step (east) and one row step (south) in metres, both > 0. */
  cellM: { x: number; y: number };
  /** Observer's cell: column and row (integers inside the grid). */
  col: number;
  row: number;
  /** Eye or camera height above the ground, metres. */
  observerHeightM: number;
  /** Height above the ground a target must show, metres (0: the ground itself). */
  targetHeightM?: number;
  /** Farthest distance considered, metres; cells beyond it get BEYOND_RANGE. 0 or absent: no limit. */
  radiusM?: number;
  /** Refraction coefficient k; the curvature correction uses (1 − k). Default 1/7; pass 1 to ignore curvature. */
  refractionK?: number;
  /** Ellipsoid semi-major axis, metres. Default WGS84. */
  semiMajorM?: number;
  /**
   * The cells next to the observer: 'seen' (default) or 'gdal-3.6', GDAL 3.6's rule, which
   * judges the 3 cells straight north and south against the observer's ground instead of
   * its eye. Only for checking this sweep cell for cell against gdal_viewshed.
   */
  nearCells?: 'seen' | 'gdal-3.6';
}

/**
 * Height at the next cell on the observer's own row or column: the line from the observer
 * (height zo) through the previous cell (height za, `steps − 1` cells out) extended one
 * step further. The first step has no line yet and takes the neighbour's own height.
 */
export function lineHeight(steps: number, za: number, zo: number): number {
  return steps === 1 ? za : (za - zo) / (steps - 1) + za;
}

/**
 * Height at a cell `major` steps out along its major axis and `minor` (≤ major) across it,
 * on the plane through the observer (height zo) and the two cells of its edge nearest the
 * observer: za diagonally inward at (major−1, minor−1), zb straight inward at
 * (major−1, minor). Solving (major, minor) = α·(major−1, minor−1) + β·(major−1, minor)
 * gives α = minor/(major−1), β = (major−minor)/(major−1).
 */
export function edgeHeight(
  minor: number,
  major: number,
  za: number,
  zb: number,
  zo: number,
): number {
  if (minor === major) return lineHeight(major, za, zo);
  return ((za - zo) * minor + (zb - zo) * (major - minor)) / (major - 1) + zo;
}

/**
 * Visibility of every cell from the observer: VISIBLE, NOT_VISIBLE or BEYOND_RANGE.
 * The observer's cell and its 8 neighbours are always visible.
 */
export function viewshed(input: ViewshedInput): Uint8Array {
  const { width, height, col: ox, row: oy, cellM } = input;
  if (!Number.isInteger(ox) || !Number.isInteger(oy) || ox < 0 || oy < 0)
    throw new RangeError('observer cell must be integer and inside the grid');
  if (ox >= width || oy >= height) throw new RangeError('observer cell outside the grid');
  const targetH = input.targetHeightM ?? 0;
  const radius = input.radiusM ?? 0;
  const r2max = radius > 0 ? radius * radius : Number.POSITIVE_INFINITY;
  const cc = 1 - (input.refractionK ?? REFRACTION_K);
  const diameter = 2 * (input.semiMajorM ?? WGS84_A);
  const gdal36 = input.nearCells === 'gdal-3.6';

  const out = new Uint8Array(width * height).fill(BEYOND_RANGE);
  // Working heights: ground lowered by curvature, then raised to the sight line where hidden.
  const z = new Float64Array(width * height);
  for (let i = 0; i < z.length; i++) z[i] = input.elevation[i] as number;
  const zo = (z[oy * width + ox] as number) + input.observerHeightM;

  /** Applies curvature to cell (c, r); false when the cell lies beyond the radius. */
  const adjust = (c: number, r: number): boolean => {
    const dx = (c - ox) * cellM.x;
    const dy = (r - oy) * cellM.y;
    const r2 = dx * dx + dy * dy;
    if (cc !== 0) z[r * width + c] = (z[r * width + c] as number) - (cc * r2) / diameter;
    return r2 <= r2max;
  };
  const settle = (k: number, sight: number) => {
    out[k] = (z[k] as number) + targetH < sight ? NOT_VISIBLE : VISIBLE;
    if ((z[k] as number) < sight) z[k] = sight;
  };

  // The observer's row: straight lines left and right.
  const base = oy * width;
  out[base + ox] = VISIBLE;
  for (const c of [ox - 1, ox + 1])
    if (c >= 0 && c < width && adjust(c, oy)) out[base + c] = VISIBLE;
  for (const dir of [-1, 1]) {
    for (let c = ox + 2 * dir; c >= 0 && c < width; c += dir) {
      if (!adjust(c, oy)) break;
      const steps = Math.abs(c - ox);
      settle(base + c, lineHeight(steps, z[base + c - dir] as number, zo));
    }
  }

  // Then row by row away from the observer, upwards and downwards.
  for (const rowDir of [-1, 1]) {
    for (let r = oy + rowDir; r >= 0 && r < height; r += rowDir) {
      const row = r * width;
      const prev = (r - rowDir) * width; // the row nearer the observer, already swept
      const dy = Math.abs(r - oy);
      // The 8 cells around the observer are seen (no terrain lies between). GDAL 3.6 takes
      // the observer's ground, not its eye, as the sight line into the 3 cells straight
      // north and south, so on flat ground with curvature it hides them; GDAL 3.8 sees the
      // straight ones. This is the one place we depart from GDAL 3.6 (viewshed.test.ts).
      const near = dy === 1 && !gdal36;
      if (adjust(ox, r))
        settle(
          row + ox,
          near ? (z[row + ox] as number) : lineHeight(dy, z[prev + ox] as number, zo),
        );
      for (const dir of [-1, 1]) {
        for (let c = ox + dir; c >= 0 && c < width; c += dir) {
          if (!adjust(c, r)) break;
          const dx = Math.abs(c - ox);
          const inner = c - dir; // neighbour towards the observer's column
          const sight =
            near && dx === 1
              ? (z[row + c] as number)
              : dx >= dy
                ? edgeHeight(dy, dx, z[prev + inner] as number, z[row + inner] as number, zo)
                : edgeHeight(dx, dy, z[prev + inner] as number, z[prev + c] as number, zo);
          settle(row + c, sight);
        }
      }
    }
  }
  return out;
}

/**
 * Metres per degree of longitude (x) and latitude (y) at latitude `latDeg` on an ellipsoid
 * (WGS84 flattening): prime-vertical radius N·cos φ and meridian radius M
 * (Torge & Müller, Geodesy, §6.2).
 */
export function metresPerDegree(latDeg: number, semiMajorM = WGS84_A): { x: number; y: number } {
  const e2 = 0.00669437999014; // WGS84 first eccentricity squared
  const phi = (latDeg * Math.PI) / 180;
  const w = Math.sqrt(1 - e2 * Math.sin(phi) ** 2);
  const rad = Math.PI / 180;
  return {
    x: (semiMajorM / w) * Math.cos(phi) * rad,
    y: ((semiMajorM * (1 - e2)) / w ** 3) * rad,
  };
}

/**
 * Distance to the horizon over a flat earth-shaped plane for an eye h metres up, with
 * refraction: d = √(2·a·h / (1 − k)), metres (a: earth radius, k: refraction coefficient).
 * With k = 1/7 this is the surveyor's d ≈ 3.86·√h km.
 */
export function horizonDistanceM(
  observerHeightM: number,
  refractionK = REFRACTION_K,
  semiMajorM = WGS84_A,
): number {
  return Math.sqrt((2 * semiMajorM * observerHeightM) / (1 - refractionK));
}
