/**
 * Smoke and fire reports (见烟就查), incidents and their lifecycle.
 *
 * POST /api/reports takes JSON, or multipart/form-data with the same JSON in the field
 * `report` and up to MAX_PHOTOS images in `photos`. The client makes the UUID; a resend with
 * the same UUID and content returns the first answer (200), other content under it is a
 * 409. Outside the county → 422 naming `position`.
 *
 * Photos are streamed to disk as they arrive (services/photo-intake.ts): one over
 * MAX_PHOTO_BYTES, or one that is no JPEG/PNG/WebP, refuses the whole request (413 / 415
 * naming `photos`) with nothing written. A photo over the daily quota without sign-in, or sent
 * while the disk is low, is left out but the report is taken: the answer's `photos` says what
 * became of each one. A resend whose stored photo file is missing writes it again.
 */
import multipart, { type MultipartFile } from '@fastify/multipart';
import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Compile } from 'typebox/compile';
import {
  IncidentAnswer,
  IncidentEvent,
  IncidentPage,
  ReportAnswer,
} from '../contract/incidents.ts';
import { ReportBody, ReportMultipart } from '../contract/reports.ts';
import { Binary, PHOTO_TYPES } from '../contract/wire.ts';
import { ANONYMOUS_ACTOR, incidentReadScope } from '../domain/access.ts';
import { reportBearing } from '../domain/lookouts/report-bearing.ts';
import { observationTimeProblem } from '../domain/observation-time.ts';
import { INCIDENT_STATES, type IncidentState } from '../domain/vocabulary.ts';
import { fieldOf, HttpError } from '../plugins/errors.ts';
import { assertInBounds } from '../plugins/input-bounds.ts';
import { floodAlarm } from '../services/flood-alarm.ts';
import type { PhotoIntake, ReceivedPhoto } from '../services/photo-intake.ts';
import { incidentForReader, publicView, requireIncidentReader } from './incident-reads.ts';
import { photoUploadError, sendPhoto } from './photo-http.ts';

const checkReport = Compile(ReportBody);

export interface IncidentRoutesOptions {
  photosDir: string;
  /** Streams photos to disk under the free-disk guard and the anonymous daily quota. */
  photos: PhotoIntake;
  publicReportsPerHour: number;
  publicReportsTotalPerHour: number;
  reportsNeedSignIn: boolean;
  maxObservationAgeHours: number;
  floodThreshold: number;
  maxPhotos: number;
  maxPhotoBytes: number;
  /** Turns a compass bearing (bearingNorth: magnetic) to true north. */
  magneticDeclinationDeg: number;
}

const incidentsRoutes: FastifyPluginAsyncTypebox<IncidentRoutesOptions> = async (app, opts) => {
  await app.register(multipart, {
    limits: { files: opts.maxPhotos, fileSize: opts.maxPhotoBytes, fields: 4, fieldSize: 16_384 },
  });

  // Unauthenticated reports are limited per address and in total (a flood from many
  // addresses must not bury the real fires either). Counted in onRequest, after sign-in is
  // known and before the body is read, so a refused request costs no parsing. Signed-in
  // users and device accounts are not limited here: they answer for what they send.
  const anonymousLimits = app.anonymousLimit(
    {
      max: opts.publicReportsPerHour,
      windowMs: 3_600_000,
      message: `at most ${opts.publicReportsPerHour} reports an hour without sign-in from one address; sign in, or call the command centre`,
      field: 'source',
    },
    {
      max: opts.publicReportsTotalPerHour,
      windowMs: 3_600_000,
      total: true,
      message: `the county takes at most ${opts.publicReportsTotalPerHour} reports an hour without sign-in; sign in, or call the command centre`,
      field: 'source',
    },
  );
  const floodAlert = floodAlarm(app, opts.floodThreshold);

  /**
   * The report and its photos. Each photo is streamed to disk as it arrives (into `received`,
   * which the caller cleans up whatever happens); an oversize one or one that is no image
   * refuses the whole request (413 / 415 naming `photos`) before anything is committed.
   */
  async function readReport(
    request: FastifyRequest,
    received: ReceivedPhoto[],
  ): Promise<ReportBody> {
    if (!request.isMultipart()) return request.body as ReportBody;
    let raw: string | undefined;
    // Without sign-in, photos count against the address's daily quota.
    const address = request.actor ? null : request.ip;
    try {
      for await (const part of request.parts()) {
        if (part.type === 'file') {
          if (part.fieldname !== 'photos')
            throw new HttpError(400, `unexpected file field ${part.fieldname}`, part.fieldname);
          const file: MultipartFile = part;
          received.push(
            await opts.photos.receive(file.file, { address, truncated: () => file.file.truncated }),
          );
        } else if (part.fieldname === 'report') raw = String(part.value);
        else throw new HttpError(400, `unexpected field ${part.fieldname}`, part.fieldname);
      }
    } catch (err) {
      throw photoUploadError(err, received.length, opts);
    }
    if (raw === undefined)
      throw new HttpError(400, 'the multipart body needs a `report` field', 'report');
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      throw new HttpError(400, 'the `report` field is not JSON', 'report');
    }
    if (!checkReport.Check(body)) {
      const [first] = [...checkReport.Errors(body)];
      throw new HttpError(
        400,
        `report ${first?.message ?? 'is invalid'}`,
        fieldOf(first ?? {}) ?? 'report',
      );
    }
    return body as ReportBody;
  }

  app.post(
    '/api/reports',
    {
      schema: {
        summary: 'Report smoke or fire (idempotent on clientUuid)',
        description:
          'JSON body, or multipart/form-data with the JSON in `report` and images in `photos`. 201 new, 200 repeat, 409 same UUID other content, 422 outside the county, 429 too many public reports.',
        tags: ['incidents'],
        response: { 200: ReportAnswer, 201: ReportAnswer },
        // Described per media type for the OpenAPI document; checked by checkReport below
        // (JSON in preValidation, multipart in readReport) so both name the bad field alike.
        body: Type.Unsafe<ReportBody>({
          content: {
            'application/json': { schema: ReportBody },
            'multipart/form-data': { schema: ReportMultipart },
          },
        }),
      },
      // The route has a body only, and checkReport validates it.
      validatorCompiler: () => () => true,
      onRequest: anonymousLimits,
      // JSON bodies are checked here; multipart ones in readReport with the same schema.
      preValidation: async (request) => {
        if (request.isMultipart()) return;
        const body = request.body;
        if (!checkReport.Check(body)) {
          const [first] = [...checkReport.Errors(body)];
          throw new HttpError(
            400,
            `body ${first?.message ?? 'is invalid'}`,
            fieldOf(first ?? {}) ?? 'body',
          );
        }
      },
    },
    async (request, reply) => {
      const received: ReceivedPhoto[] = [];
      try {
        return await takeReport(request, reply, received);
      } finally {
        // Whatever was not put in place (an error, a refused photo) leaves nothing behind.
        await opts.photos.abandon(received);
      }
    },
  );

  async function takeReport(
    request: FastifyRequest,
    reply: FastifyReply,
    received: ReceivedPhoto[],
  ) {
    const body = await readReport(request, received);
    assertInBounds(ReportBody, body, 'body');
    if (opts.reportsNeedSignIn && !request.actor && body.source !== 'public')
      throw new HttpError(
        401,
        `a ${body.source} report needs a signed-in user or device account; anyone may report as source public`,
        'authorization',
      );
    const observedAt = new Date(body.observedAt);
    const now = Date.now();
    const late = observationTimeProblem(observedAt, now, opts.maxObservationAgeHours);
    if (late) throw new HttpError(422, `observedAt ${late}`, 'observedAt');
    const { lon, lat } = body.position;
    const bearing = reportBearing(body, opts.magneticDeclinationDeg);
    const result = await app.incidentService.submitReport(
      {
        clientUuid: body.clientUuid.toLowerCase(),
        source: body.source,
        lon,
        lat,
        accuracyM: body.position.accuracyM ?? null,
        observedAt,
        note: body.note?.trim() || null,
        bearingDeg: bearing.bearingDeg,
        observer: bearing.observer,
        reporterName: body.reporterName ?? request.actor?.displayName ?? null,
        reporterUserId: request.actor?.id ?? null,
        photos: opts.photos.kept(received),
        sentPhotos: received.map((r) => r.photo),
      },
      // Placed with the reports written alongside (422 outside the county).
      null,
      // Never a free name: an anonymous caller could call himself "county".
      request.actor?.username ?? ANONYMOUS_ACTOR,
      // Only a signed-in reporter's observedAt may start (or move back) a fire's clock.
      request.actor !== null,
    );
    // Files after the commit: a failed insert leaves no orphan; a crash here leaves a row
    // whose photo the resend (same content, same hash) writes again.
    const photos = await opts.photos.settle(received, result.photos, result.created);
    if (result.created && !request.actor) void floodAlert();
    return reply.status(result.created ? 201 : 200).send({
      created: result.created,
      reportId: result.reportId,
      incidentId: result.incident.id,
      incident: result.incident,
      /** What became of each photo sent, in order: a refused one says why. */
      photos,
    });
  }

  app.get(
    '/api/incidents',
    {
      schema: {
        summary:
          'Incidents with their 10/20/30-minute deadlines and breaches: fires being fought first, then unverified reports, newest first; paged, with the total',
        tags: ['incidents'],
        response: { 200: IncidentPage },
        querystring: Type.Object(
          {
            open: Type.Optional(Type.Boolean({ description: 'only incidents not closed' })),
            warZoneId: Type.Optional(Type.Integer({ minimum: 1 })),
            townshipCode: Type.Optional(Type.String({ pattern: '^[0-9]{9}$' })),
            countyCode: Type.Optional(
              Type.String({
                pattern: '^[0-9]{6}$',
                description: 'one county of a province (within what the reader may see)',
              }),
            ),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 500 })),
            offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 })),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (request) => {
      const q = request.query;
      const scope = incidentReadScope(request.actor, q);
      const limit = q.limit ?? 500;
      const offset = q.offset ?? 0;
      const page = await app.incidentsRepository.list({
        scope,
        countyCode: q.countyCode,
        open: q.open ?? false,
        limit,
        offset,
      });
      return {
        incidents: page.incidents,
        /** All incidents the query matches; more than `incidents` holds → ask for the next page. */
        total: page.total,
        limit,
        offset,
        /** Unverified anonymous incidents that the map folds into one flood line. */
        floodThreshold: opts.floodThreshold,
        lastSeq: await app.incidentsRepository.lastSeq(),
        serverTime: new Date().toISOString(),
      };
    },
  );

  app.get(
    '/api/incidents/:id',
    {
      schema: {
        summary: 'One incident with its reports, photos and timeline',
        tags: ['incidents'],
        response: { 200: IncidentAnswer },
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
      },
    },
    async (request) => {
      const { incident, mayRead } = await incidentForReader(app, request, request.params.id);
      return mayRead ? { ...incident, restricted: false } : publicView(incident);
    },
  );

  app.post(
    '/api/incidents/:id/transitions',
    {
      schema: {
        summary: 'Move an incident to its next state (illegal moves → 409)',
        tags: ['incidents'],
        response: { 200: IncidentEvent },
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
        body: Type.Object(
          {
            to: Type.Union(INCIDENT_STATES.map((s) => Type.Literal(s))),
            note: Type.Optional(Type.String({ maxLength: 2000 })),
            burnedAreaHa: Type.Optional(Type.Number({ minimum: 0, maximum: 1_000_000 })),
            cause: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (request) => {
      const { to, note, burnedAreaHa, cause } = request.body;
      const actor = app.requireActor(request);
      const event = await app.incidentService.move(request.params.id, to as IncidentState, actor, {
        note: note ?? null,
        ...(burnedAreaHa !== undefined ? { burnedAreaHa } : {}),
        ...(cause !== undefined ? { cause } : {}),
      });
      app.breachClock.poke();
      return event;
    },
  );

  app.get(
    '/api/photos/:id',
    {
      schema: {
        summary: 'A report photo',
        tags: ['incidents'],
        response: { 200: Binary('the photo as sent', ...PHOTO_TYPES) },
        params: Type.Object({ id: Type.Integer({ minimum: 1 }) }),
      },
    },
    async (request, reply) => {
      const photo = await app.incidentsRepository.photo(request.params.id);
      if (!photo) throw new HttpError(404, `photo ${request.params.id} not found`, 'id');
      await requireIncidentReader(app, request, photo.incidentId);
      return sendPhoto(reply, opts.photosDir, request.params.id, photo);
    },
  );
};

export default incidentsRoutes;
