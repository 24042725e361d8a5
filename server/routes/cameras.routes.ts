/**
 * Tower cameras (铁塔哨兵, issue 16 item 3): the county registers each camera with its place,
 * height and heading and gets its device key once; the camera posts its smoke/fire alarms to
 * its own URL with that key — Hikvision ISAPI (multipart XML + JPEG, or the XML alone),
 * GB/T 28181 alarm Notify, or plain JSON — and each alarm (repeats collapsed) becomes a
 * camera report of the fire. The camera is answered once its alarm is stored (202); the report
 * is made behind the answer (services/camera-alarms.ts).
 */
import crypto from 'node:crypto';
import multipart from '@fastify/multipart';
import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import {
  AlarmOutcome,
  AlarmRate,
  CameraInput,
  CameraRegistered,
  CameraView,
  QueuedAlarm,
} from '../contract/cameras.ts';
import { mayMoveIncident, mayReadCameraStatistics } from '../domain/access.ts';
import {
  AlarmFormatError,
  type CameraAlarm,
  parseAlarmXml,
  parseJsonAlarm,
} from '../domain/cameras/alarm-formats.ts';
import { incidentConfidence, type SourceReport } from '../domain/cameras/confidence.ts';
import { HttpError } from '../plugins/errors.ts';
import { deviceKeyHash } from '../repositories/cameras-repository.ts';
import { takeCameraAlarm } from '../services/camera-alarms.ts';
import { incidentFixes } from '../services/incident-fixes.ts';
import type { PhotoIntake, ReceivedPhoto } from '../services/photo-intake.ts';
import { NotAnImage, PhotoTooLarge } from '../services/photos.ts';

/** Alarms older than this are refused: a replay must not move a fire's clock back. */
const MAX_ALARM_AGE_MS = 24 * 3600_000;
/** Wrong device keys one address may send in a window before it is refused outright. */
const WRONG_KEYS_PER_WINDOW = 100;
const WRONG_KEY_WINDOW_MS = 10 * 60_000;
const XML_TYPES = ['application/xml', 'text/xml', 'application/manscdp+xml'];
/** An alarm's XML part is a few kilobytes; more is not an alarm. */
const MAX_XML_BYTES = 1_048_576;

const camerasRoutes: FastifyPluginAsyncTypebox<{
  /** Streams pictures to disk under the size limit and the free-disk guard (no quota). */
  photos: PhotoIntake;
  maxPhotoBytes: number;
}> = async (app, opts) => {
  await app.register(multipart, { limits: { fileSize: opts.maxPhotoBytes, files: 5, fields: 5 } });
  for (const type of XML_TYPES)
    app.addContentTypeParser(type, { parseAs: 'string' }, (_req, body, done) => done(null, body));

  app.post(
    '/api/cameras',
    {
      schema: {
        summary: 'Register a tower camera; the answer holds its device key, shown this once',
        tags: ['cameras'],
        body: CameraInput,
        response: { 201: CameraRegistered },
      },
    },
    async (request, reply) => {
      app.requireActor(request, ['county_command']);
      const b = request.body;
      const place = await app.areasRepository.placeAt(b.lon, b.lat);
      if (!place.inCounty)
        throw new HttpError(422, `(${b.lon}, ${b.lat}) is outside the county`, 'lon,lat');
      const key = crypto.randomBytes(24).toString('base64url');
      await app.camerasRepository.register(
        { ...b, lookoutId: b.lookoutId ?? null, rangeM: b.rangeM ?? 5000 },
        deviceKeyHash(key),
      );
      return reply.status(201).send({ id: b.id, key, alarmUrl: `/api/cameras/${b.id}/alarms` });
    },
  );

  app.get(
    '/api/cameras',
    {
      schema: {
        summary: 'Registered tower cameras (place, height, heading, range)',
        tags: ['cameras'],
        response: { 200: Type.Array(CameraView) },
      },
    },
    async () => app.camerasRepository.list(),
  );

  app.get(
    '/api/camera-alarms/queue',
    {
      schema: {
        summary:
          'The lookout operator’s queue: camera alarms not yet confirmed or dismissed that this user may act on, with picture, bearing, confidence, the other cameras that can look (which way to turn each, their pictures from the last half hour) and the cameras’ cross-bearing fix',
        description:
          'Confirm or dismiss through POST /api/incidents/{incidentId}/transitions (verifying → confirmed | false_alarm).',
        tags: ['cameras'],
        response: { 200: Type.Array(QueuedAlarm) },
      },
    },
    async (request) => {
      const actor = app.requireActor(request);
      const rows = (await app.camerasRepository.openAlarms()).filter((r) =>
        mayMoveIncident(actor, { townshipCode: r.township_code, warZoneId: r.war_zone_id }),
      );
      const fixes = await incidentFixes(app, [...new Set(rows.map((r) => r.incident_id))]);
      return rows.map((r) => {
        const f = fixes.get(r.incident_id);
        return {
          alarmId: r.id,
          camera: { id: r.camera_id, name: r.camera_name },
          channel: r.channel,
          bearingDeg: r.bearing_deg === null ? null : Number(r.bearing_deg),
          posts: r.posts,
          firstAt: new Date(r.first_at).toISOString(),
          lastAt: new Date(r.last_at).toISOString(),
          position: {
            lon: Number(r.lon),
            lat: Number(r.lat),
            accuracyM: r.accuracy_m === null ? null : Number(r.accuracy_m),
          },
          photoUrls: r.photo_ids.map((id) => `/api/photos/${id}`),
          incident: { id: r.incident_id, state: r.state },
          confidence: incidentConfidence((r.sources ?? []) as SourceReport[]),
          otherCameras: r.other_cameras.map((o) => ({
            id: o.id,
            name: o.name,
            distanceM: Number(o.distanceM),
            bearingDeg: Number(o.bearingDeg),
            photoUrls: o.photoIds.map((id) => `/api/photos/${id}`),
          })),
          // The cameras' cross-bearing fix when two or more of them see this fire.
          fix: f?.fix ?? null,
          fixBearings: f?.bearings.length ?? 0,
        };
      });
    },
  );

  app.get(
    '/api/camera-alarms/rates',
    {
      schema: {
        summary: 'False-alarm rate per camera and week: alarms, dismissed as false, confirmed',
        tags: ['cameras'],
        querystring: Type.Object({
          weeks: Type.Optional(Type.Integer({ minimum: 1, maximum: 104, default: 12 })),
        }),
        response: { 200: Type.Array(AlarmRate) },
      },
    },
    async (request) => {
      const actor = app.requireActor(request);
      if (!mayReadCameraStatistics(actor))
        throw new HttpError(403, `role ${actor.role} may not read camera statistics`, 'role');
      const rows = await app.camerasRepository.alarmRates(request.query.weeks ?? 12);
      return rows.map((r) => ({
        cameraId: r.camera_id,
        cameraName: r.camera_name,
        week: new Date(r.week).toISOString().slice(0, 10),
        alarms: r.alarms,
        falseAlarms: r.false_alarms,
        confirmed: r.confirmed,
        falseAlarmRate:
          r.false_alarms + r.confirmed > 0 ? r.false_alarms / (r.false_alarms + r.confirmed) : null,
      }));
    },
  );

  /**
   * The alarm and its pictures. A file part is told apart by its first bytes: XML (the
   * alarm) is read whole, up to MAX_XML_BYTES; anything else is a picture, streamed to disk
   * (into `received`, which the caller cleans up whatever happens).
   */
  async function readAlarm(
    request: FastifyRequest,
    received: ReceivedPhoto[],
  ): Promise<CameraAlarm> {
    const type = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
    const looksXml = (mimetype: string | undefined, head: Buffer) =>
      XML_TYPES.includes((mimetype ?? '').toLowerCase()) ||
      head.subarray(0, 64).toString('utf8').trimStart().startsWith('<');
    if (request.isMultipart()) {
      let alarm: CameraAlarm | null = null;
      const takeXml = (xml: string, field: string) => {
        if (alarm) throw new HttpError(400, 'more than one XML part', field);
        alarm = parseAlarmXml(xml, field);
      };
      try {
        for await (const part of request.parts()) {
          if (part.type !== 'file') {
            const value = String(part.value);
            if (!looksXml(part.mimetype, Buffer.from(value.slice(0, 64), 'utf8')))
              throw new HttpError(400, `unexpected field ${part.fieldname}`, part.fieldname);
            takeXml(value, part.fieldname);
            continue;
          }
          const stream = part.file;
          const chunks = stream[Symbol.asyncIterator]();
          const first = await chunks.next();
          const head: Buffer = first.done ? Buffer.alloc(0) : first.value;
          const all = (async function* () {
            if (!first.done) yield head;
            for (let n = await chunks.next(); !n.done; n = await chunks.next()) yield n.value;
          })();
          if (looksXml(part.mimetype, head)) {
            const xml: Buffer[] = [];
            let size = 0;
            for await (const chunk of all) {
              size += chunk.length;
              if (size > MAX_XML_BYTES)
                throw new HttpError(
                  413,
                  `the XML part is larger than ${MAX_XML_BYTES} bytes`,
                  part.fieldname,
                );
              xml.push(chunk);
            }
            takeXml(Buffer.concat(xml).toString('utf8'), part.fieldname);
          } else
            received.push(
              await opts.photos.receive(all, { address: null, truncated: () => stream.truncated }),
            );
        }
      } catch (err) {
        if (err instanceof HttpError || err instanceof AlarmFormatError) throw err;
        throw pictureError(err);
      }
      if (!alarm)
        throw new HttpError(
          400,
          'the multipart body has no EventNotificationAlert XML part',
          'xml',
        );
      return alarm;
    }
    if (XML_TYPES.includes(type)) return parseAlarmXml(String(request.body), 'body');
    if (type === 'application/json') {
      const alarm = parseJsonAlarm(request.body);
      if (alarm.picture)
        try {
          received.push(await opts.photos.receive([alarm.picture], { address: null }));
        } catch (err) {
          throw pictureError(err);
        }
      return alarm;
    }
    throw new HttpError(
      415,
      `content type ${type || '(none)'} is not an alarm format`,
      'content-type',
    );
  }

  function pictureError(err: unknown): HttpError {
    const code = (err as { code?: string }).code;
    if (err instanceof PhotoTooLarge || code === 'FST_REQ_FILE_TOO_LARGE')
      return new HttpError(413, `a picture is larger than ${opts.maxPhotoBytes} bytes`, 'picture');
    if (err instanceof NotAnImage)
      return new HttpError(415, 'a picture is not a JPEG, PNG or WebP image', 'picture');
    return new HttpError(400, `malformed multipart body: ${(err as Error).message}`, 'body');
  }

  /** The camera a request's device key authenticated (set in onRequest). */
  const cameraOf = new WeakMap<
    FastifyRequest,
    NonNullable<Awaited<ReturnType<typeof app.camerasRepository.authenticate>>>
  >();

  app.post(
    '/api/cameras/:id/alarms',
    {
      schema: {
        summary:
          'A camera’s smoke/fire alarm: ISAPI EventNotificationAlert (multipart or XML), GB/T 28181 Notify, or JSON',
        description:
          'Authenticated by the device key (header `X-Device-Key`, or `?key=` for devices that can only be given a URL). ' +
          '202 a new alarm, stored (committed, with its kept pictures) and being made into a camera report behind the answer: `state` stored, `reportUuid` the report it becomes, `incidentId` null — the report, merged into its fire’s incident, reaches the operator queue and the live map within moments, and is made after a crash or restart too. ' +
          '200 a repeat of an alarm already stored, counted into it (`state` collapsed, its `reportUuid` and `posts`), or an end-of-alarm notice (`state` ended). ' +
          'No 201: the answer never waits for the report. 400 malformed (field names the part), 401 wrong key, 413 too large, 415 not an alarm format or picture, 422 not a fire alarm or more than a day old, 429 too many wrong keys from this address.',
        tags: ['cameras'],
        consumes: ['multipart/form-data', 'application/xml', 'text/xml', 'application/json'],
        params: Type.Object({ id: Type.String({ maxLength: 64 }) }),
        querystring: Type.Object({ key: Type.Optional(Type.String({ maxLength: 200 })) }),
        response: { 200: AlarmOutcome, 202: AlarmOutcome },
      },
      // A device key, not a user's session, lets an alarm in (the auth plugin's sign-in rule
      // does not apply) — checked in onRequest, so a wrong key costs no parsing of the body.
      config: { public: true },
      onRequest: async (request) => {
        const header = request.headers['x-device-key'];
        const query = request.query as { key?: unknown };
        const key =
          (typeof header === 'string' ? header : undefined) ??
          (typeof query.key === 'string' ? query.key : undefined);
        const id = (request.params as { id?: unknown }).id;
        // Wrong keys are counted per address: past the limit the address is refused before
        // any lookup until the window ends (a camera with the right key behind the same
        // address retries its alarm then).
        const failures = `camera-key-fail:${request.ip}`;
        if ((await app.rateCounters.count(failures, WRONG_KEY_WINDOW_MS)) >= WRONG_KEYS_PER_WINDOW)
          throw new HttpError(
            429,
            `more than ${WRONG_KEYS_PER_WINDOW} wrong device keys from this address in 10 minutes; try again later`,
            'x-device-key',
          );
        const camera =
          key && typeof id === 'string' && key.length <= 200 && id.length <= 64
            ? await app.camerasRepository.authenticate(id, key)
            : null;
        if (!camera) {
          await app.rateCounters.hit(failures, WRONG_KEY_WINDOW_MS);
          throw new HttpError(401, 'unknown camera or wrong device key', 'x-device-key');
        }
        cameraOf.set(request, camera);
      },
    },
    async (request, reply) => {
      const camera = cameraOf.get(request);
      if (!camera) throw new HttpError(401, 'unknown camera or wrong device key', 'x-device-key');
      const received: ReceivedPhoto[] = [];
      try {
        const alarm = await readAlarm(request, received);
        const age = Date.now() - alarm.observedAt.getTime();
        if (age > MAX_ALARM_AGE_MS)
          throw new HttpError(422, 'the alarm is more than a day old', 'dateTime');
        const outcome = await takeCameraAlarm(app, opts.photos, camera, alarm, received);
        return reply.status(outcome.state === 'stored' ? 202 : 200).send(outcome);
      } finally {
        await opts.photos.abandon(received);
      }
    },
  );
};

export default camerasRoutes;
