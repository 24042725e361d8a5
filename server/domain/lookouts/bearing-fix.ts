/**
 * Cross-bearing fix (交会定位, issue 16 item 2): lookouts and rangers who see one smoke each
 * report the direction they see it in; the smoke lies where the bearings meet.
 *
 * Bearings are geodesics on the WGS84 ellipsoid (GeographicLib, Karney 2013, "Algorithms for
 * geodesics", J. Geodesy 87:43–55). The fix is the weighted least-squares point: it
 * minimises Σ ((α_i(P) − θ_i) / σ_i)² over the point P, where α_i(P) is the geodesic azimuth
 * from station i to P, θ_i the reported bearing and σ_i its standard error — for two
 * bearings that is their intersection, for three or more the maximum-likelihood point under
 * Gaussian bearing errors (Stansfield 1947, "Statistical theory of d.f. fixing", J. IEE
 * 94(15):762–770). Solved by Gauss–Newton: moving P by δ across the geodesic turns α_i by
 * δ/m12, m12 the geodesic's reduced length (Karney 2013, eq. 3).
 *
 * The error ellipse is the 95 % region of the linearised covariance C = (JᵀWJ)⁻¹ in a local
 * east/north plane at P: semi-axes √(χ²₂(0.95)·λ), χ²₂(0.95) = 5.991, λ the eigenvalues of C.
 *
 * Pure: no I/O, inputs not mutated.
 */
import geodesic from 'geographiclib-geodesic';
import { DomainError } from '../errors.ts';

const WGS84 = geodesic.Geodesic.WGS84;
const OUTMASK = geodesic.Geodesic.STANDARD | geodesic.Geodesic.REDUCEDLENGTH;
const RAD = Math.PI / 180;

/** χ² with 2 degrees of freedom at 95 %: −2·ln(0.05). */
export const CHI2_2DOF_95 = 5.991;
/** Default standard error of a reported bearing, degrees (a tower's alidade or PTZ head). */
export const DEFAULT_SIGMA_DEG = 0.5;

export interface Bearing {
  /** Station (tower, ranger) position, degrees WGS84. */
  lon: number;
  lat: number;
  /** Direction of the smoke from the station, degrees clockwise from true north. */
  azimuthDeg: number;
  /** Standard error of this bearing, degrees; absent → the fix's default. */
  sigmaDeg?: number;
}

export interface ErrorEllipse {
  /** Semi-axes of the 95 % ellipse, metres. */
  semiMajorM: number;
  semiMinorM: number;
  /** Direction of the major axis, degrees clockwise from true north, in [0, 180). */
  azimuthDeg: number;
}

export interface Fix {
  lon: number;
  lat: number;
  ellipse: ErrorEllipse;
  /** Per bearing: reported minus fitted azimuth, degrees. */
  residualsDeg: number[];
}

export class FixError extends DomainError {
  /** `field`: the input field the problem lies in (e.g. `bearings[1].azimuthDeg`); a 422. */
  constructor(message: string, field: string) {
    super(message, field, 422);
  }
}

/** Degrees into (−180, 180]. */
function wrap180(deg: number): number {
  const d = (((deg % 360) + 540) % 360) - 180;
  return d === -180 ? 180 : d;
}

/**
 * True-north azimuth from a magnetic one: true = magnetic + declination (declination east
 * positive, as the World Magnetic Model gives it).
 */
export function trueFromMagnetic(magneticDeg: number, declinationDeg: number): number {
  return (((magneticDeg + declinationDeg) % 360) + 360) % 360;
}

function validate(bearings: readonly Bearing[], sigmaDeg: number) {
  if (bearings.length < 2)
    throw new FixError('a fix needs at least two bearings of the same smoke', 'bearings');
  if (!(sigmaDeg > 0 && sigmaDeg < 45))
    throw new FixError('sigma must be between 0 and 45 degrees', 'sigmaDeg');
  bearings.forEach((b, i) => {
    if (!(Math.abs(b.lat) <= 90)) throw new FixError('latitude out of range', `bearings[${i}].lat`);
    if (!(Math.abs(b.lon) <= 180))
      throw new FixError('longitude out of range', `bearings[${i}].lon`);
    if (!Number.isFinite(b.azimuthDeg))
      throw new FixError('azimuth must be a number of degrees', `bearings[${i}].azimuthDeg`);
    if (b.sigmaDeg !== undefined && !(b.sigmaDeg > 0 && b.sigmaDeg < 45))
      throw new FixError('sigma must be between 0 and 45 degrees', `bearings[${i}].sigmaDeg`);
  });
}

/**
 * First guess: the weighted least-squares meeting point of the bearings drawn as straight
 * lines on an azimuthal-equidistant plane about the first station (metres east, north).
 */
function firstGuess(bearings: readonly Bearing[], weights: number[]): [number, number] {
  const o = bearings[0] as Bearing;
  let a11 = 0;
  let a12 = 0;
  let a22 = 0;
  let b1 = 0;
  let b2 = 0;
  bearings.forEach((b, i) => {
    const g = WGS84.Inverse(o.lat, o.lon, b.lat, b.lon);
    const s = g.s12 ?? 0;
    const px = s * Math.sin((g.azi1 ?? 0) * RAD);
    const py = s * Math.cos((g.azi1 ?? 0) * RAD);
    // Normal to the line: n = (cos θ, −sin θ); the line is n·x = n·p.
    const nx = Math.cos(b.azimuthDeg * RAD);
    const ny = -Math.sin(b.azimuthDeg * RAD);
    const w = weights[i] as number;
    const c = nx * px + ny * py;
    a11 += w * nx * nx;
    a12 += w * nx * ny;
    a22 += w * ny * ny;
    b1 += w * nx * c;
    b2 += w * ny * c;
  });
  const det = a11 * a22 - a12 * a12;
  if (Math.abs(det) < 1e-12 * (a11 + a22) ** 2)
    throw new FixError('the bearings are parallel: they do not meet', 'bearings');
  const x = (a22 * b1 - a12 * b2) / det;
  const y = (a11 * b2 - a12 * b1) / det;
  return [x, y];
}

/**
 * The point where two or more bearings of one smoke meet, with its 95 % error ellipse.
 * @param bearings true-north bearings in degrees from stations in degrees WGS84
 * @param options.sigmaDeg standard error of a bearing without its own, degrees (default 0.5)
 * @throws FixError naming the field when the bearings are too few, invalid, parallel or
 *   meet only behind a station
 */
export function crossBearingFix(
  bearings: readonly Bearing[],
  options: { sigmaDeg?: number } = {},
): Fix {
  const sigmaDefault = options.sigmaDeg ?? DEFAULT_SIGMA_DEG;
  validate(bearings, sigmaDefault);
  const sigmas = bearings.map((b) => (b.sigmaDeg ?? sigmaDefault) * RAD);
  const weights = sigmas.map((s) => 1 / (s * s));

  const o = bearings[0] as Bearing;
  const [gx, gy] = firstGuess(bearings, weights);
  const start = WGS84.Direct(o.lat, o.lon, Math.atan2(gx, gy) / RAD, Math.hypot(gx, gy));
  let lat = start.lat2 as number;
  let lon = start.lon2 as number;

  let normal = [0, 0, 0]; // JᵀWJ as [ee, en, nn]
  let residuals: number[] = [];
  for (let iter = 0; iter < 50; iter++) {
    let nee = 0;
    let nen = 0;
    let nnn = 0;
    let ge = 0;
    let gn = 0;
    residuals = [];
    bearings.forEach((b, i) => {
      const g = WGS84.Inverse(b.lat, b.lon, lat, lon, OUTMASK);
      const m12 = g.m12 as number;
      if (!(m12 > 1)) throw new FixError('a bearing starts at the fix itself', `bearings[${i}]`);
      const r = wrap180((g.azi1 as number) - b.azimuthDeg) * RAD;
      residuals.push(r);
      // Moving the point one metre to the right of the arriving geodesic turns azi1 by 1/m12.
      const az2 = (g.azi2 as number) * RAD;
      const je = Math.cos(az2) / m12;
      const jn = -Math.sin(az2) / m12;
      const w = weights[i] as number;
      nee += w * je * je;
      nen += w * je * jn;
      nnn += w * jn * jn;
      ge += w * je * r;
      gn += w * jn * r;
    });
    normal = [nee, nen, nnn];
    const det = nee * nnn - nen * nen;
    if (!(det > 0)) throw new FixError('the bearings are parallel: they do not meet', 'bearings');
    const de = -(nnn * ge - nen * gn) / det;
    const dn = -(nee * gn - nen * ge) / det;
    const step = Math.hypot(de, dn);
    const moved = WGS84.Direct(lat, lon, Math.atan2(de, dn) / RAD, step);
    lat = moved.lat2 as number;
    lon = moved.lon2 as number;
    if (step < 1e-4) break;
  }
  residuals.forEach((r, i) => {
    if (Math.abs(r) > Math.PI / 2)
      throw new FixError('the bearings meet only behind this station', `bearings[${i}].azimuthDeg`);
  });

  return {
    lon,
    lat,
    ellipse: errorEllipse(normal as [number, number, number]),
    residualsDeg: residuals.map((r) => -r / RAD),
  };
}

/** The 95 % ellipse of the covariance (JᵀWJ)⁻¹ given JᵀWJ = [[ee, en], [en, nn]] in m⁻². */
export function errorEllipse([ee, en, nn]: [number, number, number]): ErrorEllipse {
  const det = ee * nn - en * en;
  // Covariance = inverse of the normal matrix.
  const cee = nn / det;
  const cnn = ee / det;
  const cen = -en / det;
  const mean = (cee + cnn) / 2;
  const half = Math.sqrt(((cee - cnn) / 2) ** 2 + cen * cen);
  const l1 = mean + half;
  const l2 = Math.max(0, mean - half);
  // Major-axis eigenvector (e, n) ∝ (cen, l1 − cee), or along an axis when cen = 0.
  let e = cen;
  let n = l1 - cee;
  if (Math.abs(e) < 1e-300 && Math.abs(n) < 1e-300) [e, n] = cee >= cnn ? [1, 0] : [0, 1];
  let azimuthDeg = Math.atan2(e, n) / RAD;
  azimuthDeg = ((azimuthDeg % 180) + 180) % 180;
  return {
    semiMajorM: Math.sqrt(CHI2_2DOF_95 * l1),
    semiMinorM: Math.sqrt(CHI2_2DOF_95 * l2),
    azimuthDeg,
  };
}

/**
 * The 95 % ellipse as a closed ring of `points` positions [lon, lat] around the fix (each
 * placed by a geodesic from the centre), to draw on the map.
 */
export function ellipseOutline(
  fix: Pick<Fix, 'lon' | 'lat' | 'ellipse'>,
  points = 72,
): [number, number][] {
  const { semiMajorM: a, semiMinorM: b, azimuthDeg } = fix.ellipse;
  const alpha = azimuthDeg * RAD;
  const ring: [number, number][] = [];
  for (let k = 0; k < points; k++) {
    const t = (2 * Math.PI * k) / points;
    const u = a * Math.cos(t); // along the major axis
    const v = b * Math.sin(t);
    const e = u * Math.sin(alpha) + v * Math.cos(alpha);
    const n = u * Math.cos(alpha) - v * Math.sin(alpha);
    const p = WGS84.Direct(fix.lat, fix.lon, Math.atan2(e, n) / RAD, Math.hypot(e, n));
    ring.push([p.lon2 as number, p.lat2 as number]);
  }
  ring.push(ring[0] as [number, number]);
  return ring;
}
