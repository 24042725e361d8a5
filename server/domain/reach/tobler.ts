/**
 * Walking speed on slopes: Tobler's hiking function (Tobler 1993),
 * W = 6·exp(−3.5·|tanθ + 0.05|) km/h, fastest (6 km/h) on a gentle 5 % descent, and Tobler's
 * own factor 0.6 for walking off paths. tanθ is rise over run in the direction of travel, so
 * uphill and downhill differ.
 */
export const TOBLER_MAX_KMH = 6;
export const OFF_PATH_FACTOR = 0.6;

export function toblerKmh(tanSlope: number): number {
  return TOBLER_MAX_KMH * Math.exp(-3.5 * Math.abs(tanSlope + 0.05));
}

/** Metres per second walking from a point to another `rise` metres higher `run` metres away. */
export function walkSpeedMs(rise: number, run: number, onPath: boolean): number {
  const kmh = toblerKmh(rise / run) * (onPath ? 1 : OFF_PATH_FACTOR);
  return kmh / 3.6;
}
