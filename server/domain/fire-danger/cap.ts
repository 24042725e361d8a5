/**
 * A warning (预警信息) as the national exchange formats carry it: OASIS Common Alerting
 * Protocol 1.2 (what GB/T 35965.1-2018 《应急信息交互协议 第1部分:预警信息》 profiles) and an
 * Atom 1.0 feed (RFC 4287) of the active ones.
 *
 * XML is built with xmlbuilder2 rather than by joining strings: the warning's text is typed by
 * a commander and may hold <, & or quotes, which the builder escapes every time; element order
 * and namespaces come out right by construction.
 *
 * Rules the schema alone does not check (reference-data/cap/README.md): times in Beijing time
 * written with +08:00 and no fractions; each polygon closed (first pair = last pair, at least
 * four pairs) and written "lat,lon" — the opposite of GeoJSON's [lon, lat].
 */
import { create } from 'xmlbuilder2';
import type { WarningView } from '../live-events.ts';
import { SIGNAL_NAMES } from '../vocabulary.ts';

export const CAP_NS = 'urn:oasis:names:tc:emergency:cap:1.2';
export const ATOM_NS = 'http://www.w3.org/2005/Atom';

/** CAP severity of each signal colour (蓝 Minor, 黄 Moderate, 橙 Severe, 红 Extreme). */
export const CAP_SEVERITY = {
  blue: 'Minor',
  yellow: 'Moderate',
  orange: 'Severe',
  red: 'Extreme',
} as const;

/**
 * An instant as CAP writes it in Beijing time: YYYY-MM-DDThh:mm:ss+08:00.
 * @param at ISO 8601 time (any offset) or a Date
 */
export function capTime(at: string | Date): string {
  const t = new Date(at).getTime();
  if (Number.isNaN(t)) throw new RangeError(`not a time: ${String(at)}`);
  return `${new Date(t + 8 * 3600_000).toISOString().slice(0, 19)}+08:00`;
}

/**
 * GB/T 35965.1 identifier (annex A.1.1): ZZZZZZDDDUUUXX_YYYYMMDDhhmmss_N — the sender's 14-digit
 * code (GB/T 2260 area, GB/T 4657 body, unit, extension), the entry time in Beijing time, and
 * N 0–9 counting warnings of the same sender in the same second.
 * @param senderCode 14 digits
 * @param at the entry time
 * @param n sequence within that second, 0–9
 */
export function warningIdentifier(senderCode: string, at: string | Date, n: number): string {
  if (!/^\d{14}$/.test(senderCode)) throw new RangeError('sender code must be 14 digits');
  if (!Number.isInteger(n) || n < 0 || n > 9) throw new RangeError('sequence must be 0–9');
  const stamp = capTime(at).slice(0, 19).replace(/[-T:]/g, '');
  return `${senderCode}_${stamp}_${n}`;
}

/**
 * A GeoJSON ring ([lon, lat] pairs) as a CAP polygon: "lat,lon" pairs separated by spaces,
 * closed, at least four pairs; 5 decimals (about 1 m).
 * @param ring positions [lon, lat]
 */
export function capPolygon(ring: readonly (readonly number[])[]): string {
  const pts = ring.map(([lon, lat]) => [Number(lat).toFixed(5), Number(lon).toFixed(5)].join(','));
  if (pts.length > 0 && pts[0] !== pts[pts.length - 1]) pts.push(pts[0] as string);
  if (pts.length < 4) throw new RangeError('a CAP polygon needs at least three distinct points');
  return pts.join(' ');
}

export interface CapOptions {
  /** CAP sender: the sender code (no spaces or commas, as CAP requires). */
  sender: string;
  senderName: string;
  /** Outer rings of the area, GeoJSON [lon, lat]. */
  rings: readonly (readonly (readonly number[])[])[];
  /** Link to the warning on the web, if the product has a public address. */
  web?: string;
}

/** The warning as a CAP 1.2 alert (one info block, in Chinese). */
export function capXml(w: WarningView, o: CapOptions): string {
  const doc = create({ version: '1.0', encoding: 'UTF-8' });
  const alert = doc.ele(CAP_NS, 'alert');
  alert.ele('identifier').txt(w.identifier);
  alert.ele('sender').txt(o.sender);
  alert.ele('sent').txt(capTime(w.issuedAt));
  alert.ele('status').txt('Actual');
  alert.ele('msgType').txt('Alert');
  alert.ele('scope').txt('Public');
  const info = alert.ele('info');
  info.ele('language').txt('zh-CN');
  info.ele('category').txt('Fire');
  info.ele('event').txt('森林火险预警');
  info.ele('responseType').txt('Prepare');
  info.ele('urgency').txt(Date.parse(w.onsetAt) > Date.parse(w.issuedAt) ? 'Future' : 'Expected');
  info.ele('severity').txt(CAP_SEVERITY[w.level]);
  info.ele('certainty').txt('Likely');
  info.ele('effective').txt(capTime(w.issuedAt));
  info.ele('onset').txt(capTime(w.onsetAt));
  info.ele('expires').txt(capTime(w.expiresAt));
  info.ele('senderName').txt(o.senderName);
  info.ele('headline').txt(w.title);
  info.ele('description').txt(w.body);
  if (w.measures) info.ele('instruction').txt(w.measures);
  if (o.web) info.ele('web').txt(o.web);
  const p = info.ele('parameter');
  p.ele('valueName').txt('预警级别');
  p.ele('value').txt(`${SIGNAL_NAMES[w.level]}预警`);
  const area = info.ele('area');
  area.ele('areaDesc').txt(w.townshipNames.join('、') || '麻阳苗族自治县');
  for (const ring of o.rings) area.ele('polygon').txt(capPolygon(ring));
  for (const code of w.townshipCodes) {
    const g = area.ele('geocode');
    g.ele('valueName').txt('GB/T 10114');
    g.ele('value').txt(code);
  }
  return doc.end({ prettyPrint: true });
}

/**
 * An Atom 1.0 feed of warnings, each entry linking to its CAP document.
 * @param base the product's public address (no trailing slash)
 */
export function atomFeed(
  warnings: readonly WarningView[],
  base: string,
  updated: Date,
  title: string,
): string {
  const doc = create({ version: '1.0', encoding: 'UTF-8' });
  const feed = doc.ele(ATOM_NS, 'feed');
  feed.ele('id').txt(`${base}/api/warnings.atom`);
  feed.ele('title').txt(title);
  const newest = warnings
    .map((w) => w.issuedAt)
    .sort()
    .at(-1);
  feed.ele('updated').txt(capTime(newest ?? updated));
  feed.ele('link', { rel: 'self', href: `${base}/api/warnings.atom` });
  feed.ele('author').ele('name').txt(title);
  for (const w of warnings) {
    const e = feed.ele('entry');
    e.ele('id').txt(`urn:cap:${w.identifier}`);
    e.ele('title').txt(w.title);
    e.ele('updated').txt(capTime(w.issuedAt));
    e.ele('published').txt(capTime(w.issuedAt));
    e.ele('summary').txt(`${w.townshipNames.join('、')}:${w.body}`);
    e.ele('category', { term: w.level, label: `${SIGNAL_NAMES[w.level]}预警` });
    e.ele('link', {
      rel: 'alternate',
      type: 'application/cap+xml',
      href: `${base}/api/warnings/${w.id}/cap.xml`,
    });
  }
  return doc.end({ prettyPrint: true });
}
