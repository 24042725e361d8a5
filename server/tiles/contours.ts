/**
 * Contour lines (等高线) from the county DEM, for the map's terrain: marching squares
 * (d3-contour) on the DEM grid, every CONTOUR_INTERVAL_M metres, every fifth one an index
 * contour. d3-contour returns closed bands that run along the raster's edge; those edge runs
 * are not contours and are cut out, so only true isolines remain.
 */
import { contours } from 'd3-contour';
import type { Feature, FeatureCollection, MultiLineString, Position } from 'geojson';
import type { Dem } from './terrain-tiles.ts';

export const CONTOUR_INTERVAL_M = 50;
export const INDEX_CONTOUR_EVERY = 5;

export interface ContourProperties {
  elevation_m: number;
  /** Index contour (计曲线): drawn bolder and labelled. */
  index: boolean;
}

export function contourLines(
  dem: Dem,
  intervalM = CONTOUR_INTERVAL_M,
): FeatureCollection<MultiLineString, ContourProperties> {
  const values = Float64Array.from(dem.values);
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const thresholds: number[] = [];
  for (let t = Math.ceil(lo / intervalM) * intervalM; t <= hi; t += intervalM) thresholds.push(t);

  const [w, s, e, n] = dem.bbox;
  const dx = (e - w) / dem.width;
  const dy = (n - s) / dem.height;
  // d3-contour puts sample i at i + 0.5, i.e. the pixel centre, so grid units map directly.
  const toLonLat = ([x, y]: Position): Position => [
    Math.round((w + (x as number) * dx) * 1e6) / 1e6,
    Math.round((n - (y as number) * dy) * 1e6) / 1e6,
  ];
  // Points on the raster's outer edge belong to the band's frame, not to the isoline.
  const onEdge = ([x, y]: Position) =>
    (x as number) <= 0.5 ||
    (y as number) <= 0.5 ||
    (x as number) >= dem.width - 0.5 ||
    (y as number) >= dem.height - 0.5;

  const generator = contours().size([dem.width, dem.height]).thresholds(thresholds);
  const features: Feature<MultiLineString, ContourProperties>[] = [];
  for (const band of generator(values as unknown as number[])) {
    const lines: Position[][] = [];
    for (const polygon of band.coordinates)
      for (const ring of polygon) {
        let run: Position[] = [];
        for (const p of ring) {
          if (onEdge(p)) {
            if (run.length >= 2) lines.push(run);
            run = [];
          } else run.push(toLonLat(p));
        }
        if (run.length >= 2) lines.push(run);
      }
    if (lines.length === 0) continue;
    features.push({
      type: 'Feature',
      properties: {
        elevation_m: band.value,
        index: Math.round(band.value / intervalM) % INDEX_CONTOUR_EVERY === 0,
      },
      geometry: { type: 'MultiLineString', coordinates: lines },
    });
  }
  return { type: 'FeatureCollection', features };
}
