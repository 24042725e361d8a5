/**
 * Distances on the sphere of PostGIS geography's sphere mode (mean radius 6371008.771 m),
 * so road lengths here and in PostGIS `ST_Length(geom::geography, false)` agree.
 */
export const EARTH_RADIUS_M = 6371008.771;

const RAD = Math.PI / 180;

export function haversineM(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const dLat = (lat2 - lat1) * RAD;
  const dLon = (lon2 - lon1) * RAD;
  const a =
    Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * RAD) * Math.cos(lat2 * RAD) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(a)));
}
