/**
 * Smoke and fire alarms as tower cameras post them (issue 16, item 3), read into one shape.
 *
 * - Hikvision ISAPI event notification (ISAPI "Event Notification", EventNotificationAlert
 *   2.0, eventType fireDetection): an `EventNotificationAlert` XML document, alone or as one
 *   part of a multipart/form-data post whose other parts are the JPEG pictures. Fields read:
 *   channelID (or dynChannelID), dateTime (ISO 8601 with offset), eventType, eventState
 *   (active | inactive), and from anywhere under the alert: PTZPosition/azimuth and
 *   PTZPosition/elevation in tenths of a degree (ISAPI AbsoluteHigh: azimuth clockwise from
 *   the camera's pan zero; elevation taken as positive looking down — check your model),
 *   and targetDistance or distance in metres when the camera measures it.
 * - GB/T 28181-2016 alarm notification (§9.4, Annex A.2.5): a `Notify` document with
 *   CmdType Alarm, DeviceID, AlarmTime (local time without offset: Beijing, UTC+8),
 *   AlarmMethod, AlarmDescription, optional Longitude/Latitude. It carries no bearing.
 * - A plain JSON form for other vendors: see `JsonAlarm`.
 *
 * Pure: parsing only; which camera posted is decided by the URL and its key.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { DomainError } from '../errors.ts';

export interface CameraAlarm {
  format: 'isapi' | 'gb28181' | 'json';
  /** Video channel of the device (1-based). */
  channel: number;
  observedAt: Date;
  /** false: the camera says the alarm has ended (ISAPI eventState inactive). */
  active: boolean;
  /** Pan from the camera's zero, degrees clockwise; null when not sent. */
  panDeg: number | null;
  /** True-north bearing when the sender gives one directly (JSON form). */
  bearingDeg: number | null;
  /** Degrees below the horizon the camera looks (positive down); null when not sent. */
  tiltDeg: number | null;
  /** Measured distance to the target, metres. */
  distanceM: number | null;
  /** Position the sender gives for the alarm itself (GB/T 28181 Longitude/Latitude). */
  lon: number | null;
  lat: number | null;
  /** Device id inside the body (GB/T 28181 DeviceID, ISAPI macAddress), for the record. */
  deviceId: string | null;
  description: string | null;
  /** Base64 picture of the JSON form, decoded. */
  picture: Buffer | null;
}

/** Alarm event types read as smoke or fire. */
export const FIRE_EVENT_TYPES = ['fireDetection', 'smokeDetection', 'smokeAndFireDetection'];

export class AlarmFormatError extends DomainError {
  /** `field`: the part or field at fault, e.g. `xml`, `EventNotificationAlert.dateTime`. */
  constructor(message: string, field: string, status: 400 | 422 = 400) {
    super(message, field, status);
  }
}

const parser = new XMLParser({
  ignoreAttributes: true,
  removeNSPrefix: true,
  parseTagValue: false,
  trimValues: true,
  processEntities: false,
});

/** Parses XML or throws naming the part; entity declarations are refused outright. */
function parseXml(xml: string, part: string): Record<string, unknown> {
  if (/<!DOCTYPE|<!ENTITY/i.test(xml))
    throw new AlarmFormatError('DOCTYPE and entity declarations are not accepted', part);
  const valid = XMLValidator.validate(xml);
  if (valid !== true)
    throw new AlarmFormatError(
      `malformed XML in ${part}: ${valid.err.msg} (line ${valid.err.line})`,
      part,
    );
  return parser.parse(xml) as Record<string, unknown>;
}

/** Depth-first search for a key, ignoring case; the first hit's value. */
function find(node: unknown, key: string): unknown {
  if (node === null || typeof node !== 'object') return undefined;
  const lower = key.toLowerCase();
  for (const [k, v] of Object.entries(node as Record<string, unknown>))
    if (k.toLowerCase() === lower) return v;
  for (const v of Object.values(node as Record<string, unknown>)) {
    const hit = find(v, key);
    if (hit !== undefined) return hit;
  }
  return undefined;
}

const text = (v: unknown): string | null =>
  typeof v === 'string' && v.trim() !== '' ? v.trim() : null;

function num(v: unknown, field: string): number | null {
  const t = text(v);
  if (t === null) return null;
  const n = Number(t);
  if (!Number.isFinite(n)) throw new AlarmFormatError(`${field} must be a number`, field);
  return n;
}

function channelOf(v: unknown, field: string): number {
  const n = num(v, field) ?? 1;
  if (!Number.isInteger(n) || n < 1 || n > 4096)
    throw new AlarmFormatError(`${field} must be a channel number from 1`, field);
  return n;
}

function isoDate(v: unknown, field: string, assumeOffset?: string): Date {
  const t = text(v);
  if (t === null) throw new AlarmFormatError(`${field} is missing`, field);
  const hasOffset = /(Z|[+-]\d\d:?\d\d)$/.test(t);
  if (!hasOffset && !assumeOffset)
    throw new AlarmFormatError(`${field} must carry a UTC offset`, field);
  const d = new Date(hasOffset ? t : `${t}${assumeOffset}`);
  if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d/.test(t) || Number.isNaN(d.getTime()))
    throw new AlarmFormatError(`${field} is not an ISO 8601 time`, field);
  return d;
}

/** A Hikvision ISAPI EventNotificationAlert (fire/smoke detection). */
export function parseIsapiAlert(xml: string, part = 'xml'): CameraAlarm {
  const doc = parseXml(xml, part);
  const alert = doc.EventNotificationAlert as Record<string, unknown> | undefined;
  if (!alert || typeof alert !== 'object')
    throw new AlarmFormatError(`${part} is not an EventNotificationAlert document`, part);
  const f = (name: string) => `EventNotificationAlert.${name}`;
  const eventType = text(alert.eventType);
  if (!eventType || !FIRE_EVENT_TYPES.includes(eventType))
    throw new AlarmFormatError(
      `eventType ${eventType ?? '(missing)'} is not a fire or smoke alarm (${FIRE_EVENT_TYPES.join(', ')})`,
      f('eventType'),
      422,
    );
  const ptz = find(alert, 'PTZPosition');
  const azimuth = num(find(ptz, 'azimuth'), f('PTZPosition.azimuth'));
  const elevation = num(find(ptz, 'elevation'), f('PTZPosition.elevation'));
  const distance =
    num(find(alert, 'targetDistance'), f('targetDistance')) ??
    num(find(alert, 'distance'), f('distance'));
  return {
    format: 'isapi',
    channel: channelOf(alert.channelID ?? alert.dynChannelID, f('channelID')),
    observedAt: isoDate(alert.dateTime, f('dateTime')),
    active: (text(alert.eventState) ?? 'active') !== 'inactive',
    panDeg: azimuth === null ? null : (((azimuth / 10) % 360) + 360) % 360,
    bearingDeg: null,
    tiltDeg: elevation === null ? null : elevation / 10,
    distanceM: distance !== null && distance > 0 ? distance : null,
    lon: null,
    lat: null,
    deviceId: text(alert.macAddress) ?? text(alert.ipAddress),
    description: text(alert.eventDescription) ?? eventType,
    picture: null,
  };
}

/** A GB/T 28181 alarm Notify (CmdType Alarm). */
export function parseGb28181Notify(xml: string, part = 'xml'): CameraAlarm {
  const doc = parseXml(xml, part);
  const notify = doc.Notify as Record<string, unknown> | undefined;
  if (!notify || typeof notify !== 'object')
    throw new AlarmFormatError(`${part} is not a GB/T 28181 Notify document`, part);
  if (text(notify.CmdType) !== 'Alarm')
    throw new AlarmFormatError('Notify.CmdType must be Alarm', 'Notify.CmdType', 422);
  const lon = num(notify.Longitude, 'Notify.Longitude');
  const lat = num(notify.Latitude, 'Notify.Latitude');
  const located = lon !== null && lat !== null && Math.abs(lon) <= 180 && Math.abs(lat) <= 90;
  return {
    format: 'gb28181',
    channel: 1,
    // GB/T 28181 times are local (Beijing) time without an offset.
    observedAt: isoDate(notify.AlarmTime, 'Notify.AlarmTime', '+08:00'),
    active: true,
    panDeg: null,
    bearingDeg: null,
    tiltDeg: null,
    distanceM: null,
    // 0,0 is what many devices send when they have no fix.
    lon: located && !(lon === 0 && lat === 0) ? lon : null,
    lat: located && !(lon === 0 && lat === 0) ? lat : null,
    deviceId: text(notify.DeviceID),
    description: text(notify.AlarmDescription),
    picture: null,
  };
}

/** Reads an XML body of either kind, by its root element. */
export function parseAlarmXml(xml: string, part = 'xml'): CameraAlarm {
  const head = xml.replace(/<\?xml[^>]*\?>/, '').trimStart();
  return /^<(\w+:)?Notify[\s>]/.test(head)
    ? parseGb28181Notify(xml, part)
    : parseIsapiAlert(xml, part);
}

/** The plain JSON form. */
export interface JsonAlarm {
  channel?: number;
  /** ISO 8601 with offset. */
  observedAt: string;
  /** True-north bearing of the smoke, degrees (or give panDeg from the camera's zero). */
  bearingDeg?: number;
  panDeg?: number;
  /** Degrees below the horizon (positive down). */
  tiltDeg?: number;
  distanceM?: number;
  description?: string;
  /** JPEG, base64. */
  picture?: string;
}

export function parseJsonAlarm(body: unknown): CameraAlarm {
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    throw new AlarmFormatError('body must be a JSON object', 'body');
  const b = body as Record<string, unknown>;
  const optNum = (k: string, min: number, max: number) => {
    const v = b[k];
    if (v === undefined || v === null) return null;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max)
      throw new AlarmFormatError(`${k} must be a number from ${min} to ${max}`, k);
    return v;
  };
  const channel = optNum('channel', 1, 4096) ?? 1;
  if (!Number.isInteger(channel))
    throw new AlarmFormatError('channel must be an integer', 'channel');
  let picture: Buffer | null = null;
  if (b.picture !== undefined) {
    if (typeof b.picture !== 'string' || !/^[A-Za-z0-9+/=\s]+$/.test(b.picture))
      throw new AlarmFormatError('picture must be a base64 JPEG', 'picture');
    picture = Buffer.from(b.picture, 'base64');
  }
  if (b.description !== undefined && typeof b.description !== 'string')
    throw new AlarmFormatError('description must be text', 'description');
  return {
    format: 'json',
    channel,
    observedAt: isoDate(b.observedAt, 'observedAt'),
    active: true,
    panDeg: optNum('panDeg', -360, 360),
    bearingDeg: optNum('bearingDeg', 0, 360),
    tiltDeg: optNum('tiltDeg', -90, 90),
    distanceM: optNum('distanceM', 1, 100_000),
    lon: null,
    lat: null,
    deviceId: null,
    description: typeof b.description === 'string' ? b.description.slice(0, 500) : null,
    picture,
  };
}
