/**
 * Query parameters of OGC API – Features Part 1 (OGC 17-069r4 §7.15) and the format
 * negotiation it asks for (§7.8): pure parsing, each failure naming its parameter.
 */
import { HttpError } from '../plugins/errors.ts';
import type { Bbox, TimeFilter } from '../repositories/ogc-repository.ts';

/** `minLon,minLat,maxLon,maxLat` or the 6-number 3D form, CRS84 (§7.15.3). */
export function parseBbox(text: string): Bbox {
  const parts = text.split(',');
  if (parts.length !== 4 && parts.length !== 6)
    throw new HttpError(
      400,
      `bbox needs 4 or 6 comma-separated numbers, got ${parts.length}`,
      'bbox',
    );
  const n = parts.map((p) => (p.trim() === '' ? Number.NaN : Number(p)));
  if (n.some((v) => !Number.isFinite(v)))
    throw new HttpError(400, `bbox "${text}" has a value that is not a number`, 'bbox');
  const [w, s, e, north] = (
    n.length === 6 ? [n[0], n[1], n[3], n[4]] : [n[0], n[1], n[2], n[3]]
  ) as Bbox;
  for (const lon of [w, e])
    if (lon < -180 || lon > 180)
      throw new HttpError(400, `bbox longitude ${lon} is outside −180…180`, 'bbox');
  for (const lat of [s, north])
    if (lat < -90 || lat > 90)
      throw new HttpError(400, `bbox latitude ${lat} is outside −90…90`, 'bbox');
  if (s > north)
    throw new HttpError(400, `bbox south ${s} is north of its north edge ${north}`, 'bbox');
  // west > east is allowed: the box crosses the antimeridian (§7.15.3).
  return [w, s, e, north];
}

const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** One RFC 3339 end: a date-time is an instant, a date the whole UTC day. */
function parseEnd(text: string): { start: Date; end: Date } {
  const bad = () =>
    new HttpError(400, `datetime "${text}" is not an RFC 3339 date or date-time`, 'datetime');
  if (DATE_TIME.test(text)) {
    const t = new Date(text);
    if (Number.isNaN(t.getTime())) throw bad();
    return { start: t, end: t };
  }
  if (DATE.test(text)) {
    const t = new Date(`${text}T00:00:00Z`);
    if (Number.isNaN(t.getTime()) || t.toISOString().slice(0, 10) !== text) throw bad();
    return { start: t, end: new Date(t.getTime() + 86_400_000 - 1) };
  }
  throw bad();
}

/** An instant, or an interval `a/b`, `../b`, `a/..` (an empty end is open too) (§7.15.4). */
export function parseDatetime(text: string): TimeFilter {
  const parts = text.split('/');
  if (parts.length === 1) {
    if (text === '' || text === '..')
      throw new HttpError(400, 'datetime needs an instant or an interval', 'datetime');
    return parseEnd(text);
  }
  if (parts.length !== 2)
    throw new HttpError(400, `datetime "${text}" has more than one "/"`, 'datetime');
  const [a, b] = parts as [string, string];
  const open = (p: string) => p === '' || p === '..';
  if (open(a) && open(b))
    throw new HttpError(400, 'datetime interval is open at both ends', 'datetime');
  const start = open(a) ? null : parseEnd(a).start;
  const end = open(b) ? null : parseEnd(b).end;
  if (start && end && start > end)
    throw new HttpError(400, `datetime interval "${text}" ends before it starts`, 'datetime');
  return { start, end };
}

/**
 * Unknown query parameters are a 400 (OGC 17-069r4 /req/core/query-param-unknown); the
 * schema validator would only drop them, so they are checked on the raw URL.
 */
export function refuseUnknown(url: string, allowed: readonly string[]): void {
  const q = url.indexOf('?');
  if (q < 0) return;
  for (const key of new URLSearchParams(url.slice(q + 1)).keys())
    if (!allowed.includes(key))
      throw new HttpError(400, `unknown parameter ${key}; allowed: ${allowed.join(', ')}`, key);
}

export const MEDIA = {
  json: 'application/json',
  geojson: 'application/geo+json',
  openapi: 'application/vnd.oai.openapi+json;version=3.0',
} as const;

/**
 * The one encoding served is JSON (GeoJSON for features). `f=json` asks for it; otherwise
 * the Accept header must admit it (§7.8: 406 when it does not), and no Accept means any.
 */
export function negotiate(
  f: string | undefined,
  accept: string | undefined,
  produces: (typeof MEDIA)[keyof typeof MEDIA],
): void {
  if (f !== undefined) {
    if (f !== 'json')
      throw new HttpError(400, `f=${f} is not offered; the only format is f=json`, 'f');
    return;
  }
  if (!accept || accept.trim() === '') return;
  const base = produces.split(';')[0] as string;
  const acceptable = new Set(['*/*', 'application/*', 'application/json', base]);
  const ok = accept.split(',').some((entry) => {
    const [type, ...params] = entry.split(';').map((s) => s.trim().toLowerCase());
    const q = params.find((p) => p.startsWith('q='));
    return acceptable.has(type ?? '') && (q === undefined || Number(q.slice(2)) > 0);
  });
  if (!ok) throw new HttpError(406, `only ${base} is served (asked for: ${accept})`, 'Accept');
}
