/**
 * The ground a new report may merge on (issue 17: writes that scale). Two reports within the
 * merge distance of each other may belong to one fire, so their intakes must not run side by
 * side: each would miss the other's new incident and open a second fire. Rather than one lock
 * for the whole county, an intake holds the cells of a fixed grid that a square of twice the
 * merge distance around its point touches. If B is within the distance of A, B lies inside A's
 * square, so B's own cell is one A holds too, and B waits for A (or A for B). Reports far
 * apart share no cell and are taken at once.
 */

/** Metres in one degree of latitude, rounded down (so the square is never too small). */
const METRES_PER_DEGREE = 110_000;

/**
 * The cells (as lock topics) that a point's square of half-side `distanceM` touches, on a grid
 * of cells `2·distanceM` of latitude on a side. At most 3 × 2 of them below 60° latitude.
 */
export function mergeCells(lon: number, lat: number, distanceM: number): string[] {
  const cell = (2 * distanceM) / METRES_PER_DEGREE;
  const dLat = distanceM / METRES_PER_DEGREE;
  // A degree of longitude is shortest at the square's edge farthest from the equator.
  const edge = Math.min(89, Math.abs(lat) + dLat);
  const dLon = distanceM / (METRES_PER_DEGREE * Math.cos((edge * Math.PI) / 180));
  const cells: string[] = [];
  for (let x = Math.floor((lon - dLon) / cell); x <= Math.floor((lon + dLon) / cell); x++)
    for (let y = Math.floor((lat - dLat) / cell); y <= Math.floor((lat + dLat) / cell); y++)
      cells.push(`merge:${distanceM}:${x}:${y}`);
  return cells;
}
