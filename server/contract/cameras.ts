/**
 * Tower cameras on the wire (铁塔哨兵, issue 16 items 3–4): a camera's registration and its
 * device key, the registered cameras, what a camera is answered for an alarm, the lookout
 * operator's queue of unconfirmed alarms (client/src/panels/alarm-queue.ts) and the cameras'
 * false-alarm rates.
 */
import { type Static, Type } from 'typebox';
import { INCIDENT_STATES } from '../domain/vocabulary.ts';
import { IncidentFix } from './lookouts.ts';
import { PhotoOutcome } from './reports.ts';
import { DateTime, Nullable, OneOf } from './wire.ts';

/** POST /api/cameras: a tower camera with its place, height and heading. */
export const CameraInput = Type.Object(
  {
    id: Type.String({
      pattern: '^[A-Za-z0-9_.:-]{1,64}$',
      description: 'device id (serial, GB/T 28181 code)',
    }),
    name: Type.String({ minLength: 1, maxLength: 100 }),
    lookoutId: Type.Optional(Type.Union([Type.String({ maxLength: 64 }), Type.Null()])),
    lon: Type.Number({ minimum: -180, maximum: 180 }),
    lat: Type.Number({ minimum: -90, maximum: 90 }),
    heightM: Type.Number({
      exclusiveMinimum: 0,
      maximum: 500,
      description: 'lens above ground, m',
    }),
    headingDeg: Type.Number({
      minimum: 0,
      exclusiveMaximum: 360,
      description: 'true azimuth of pan 0',
    }),
    rangeM: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 50_000 })),
  },
  { additionalProperties: false },
);
export type CameraInput = Static<typeof CameraInput>;

/** The answer to a registration: the device key is shown this once (only its hash is kept). */
export const CameraRegistered = Type.Object({
  id: Type.String(),
  key: Type.String({ description: 'the device key, for header X-Device-Key or ?key=' }),
  alarmUrl: Type.String({ description: 'where the camera posts its alarms' }),
});
export type CameraRegistered = Static<typeof CameraRegistered>;

/** A registered camera as GET /api/cameras lists it. */
export const CameraView = Type.Object({
  id: Type.String(),
  name: Type.String(),
  lookoutId: Nullable(Type.String()),
  lon: Type.Number(),
  lat: Type.Number(),
  heightM: Type.Number({ description: 'lens above ground, m' }),
  headingDeg: Type.Number({ description: 'true azimuth of pan 0' }),
  rangeM: Type.Number({ description: 'how far it sees smoke, m' }),
});
export type CameraView = Static<typeof CameraView>;

/** Where a camera's sight line puts the smoke, and how it was found. */
const AlarmPosition = Type.Object({
  lon: Type.Number(),
  lat: Type.Number(),
  accuracyM: Type.Number(),
  method: OneOf(['distance', 'tilt', 'reported', 'camera'] as const),
});

/**
 * What a camera is answered for an alarm: 202 `stored` (a new alarm, its report made behind
 * the answer), 200 `collapsed` (a repeat, counted into the alarm) or `ended` (end of alarm).
 */
export const AlarmOutcome = Type.Object({
  state: OneOf(['stored', 'collapsed', 'ended'] as const),
  reported: Type.Literal(false, { description: 'always false: the report is made behind' }),
  reportUuid: Nullable(
    Type.String({ format: 'uuid', description: 'the report the alarm becomes (or became)' }),
  ),
  incidentId: Type.Null({
    description: "not known at the answer: the report's incident is in the queue and live events",
  }),
  posts: Type.Integer({ description: 'posts counted into the alarm' }),
  position: Nullable(
    Type.Object(AlarmPosition.properties, {
      description:
        'a new alarm: where the sight line puts it (at the camera if that is outside the county); a repeat: where its report stands once made',
    }),
  ),
  bearingDeg: Nullable(Type.Number()),
  photos: Type.Array(PhotoOutcome, {
    description: "what became of each picture (a repeat's are not kept; low disk refuses them)",
  }),
});
export type AlarmOutcome = Static<typeof AlarmOutcome>;

/** One unconfirmed alarm of GET /api/camera-alarms/queue, with the cameras that can look. */
export const QueuedAlarm = Type.Object({
  alarmId: Type.Integer(),
  camera: Type.Object({ id: Type.String(), name: Type.String() }),
  channel: Type.Integer(),
  bearingDeg: Nullable(Type.Number()),
  posts: Type.Integer(),
  firstAt: DateTime,
  lastAt: DateTime,
  position: Type.Object({
    lon: Type.Number(),
    lat: Type.Number(),
    accuracyM: Nullable(Type.Number()),
  }),
  photoUrls: Type.Array(Type.String()),
  incident: Type.Object({ id: Type.String({ format: 'uuid' }), state: OneOf(INCIDENT_STATES) }),
  confidence: OneOf(['to_verify', 'probable', 'likely'] as const),
  otherCameras: Type.Array(
    Type.Object({
      id: Type.String(),
      name: Type.String(),
      distanceM: Type.Number(),
      bearingDeg: Type.Number({ description: 'from that camera to the place: where to turn it' }),
      photoUrls: Type.Array(Type.String(), {
        description: 'its pictures from the last half hour, newest first',
      }),
    }),
  ),
  /** The cameras' cross-bearing fix when two or more of them see this fire. */
  fix: IncidentFix.properties.fix,
  fixBearings: Type.Integer(),
});
export type QueuedAlarm = Static<typeof QueuedAlarm>;

/** A camera's week in GET /api/camera-alarms/rates. */
export const AlarmRate = Type.Object({
  cameraId: Type.String(),
  cameraName: Type.String(),
  week: Type.String({ format: 'date', description: 'the Monday the week begins' }),
  alarms: Type.Integer(),
  falseAlarms: Type.Integer(),
  confirmed: Type.Integer(),
  falseAlarmRate: Nullable(
    Type.Number({ description: 'dismissed ÷ (dismissed + confirmed); null: none decided' }),
  ),
});
export type AlarmRate = Static<typeof AlarmRate>;
