/**
 * 森林特护期 and the 321 rhythm (issue 14 item 2): declare special protection periods, record
 * inspections with findings, report findings put right, and see each township against the
 * rhythm (county leader every 3 days, inspection group every 2, command HQ every day).
 */
import multipart from '@fastify/multipart';
import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import {
  InspectionInput,
  InspectionPhotosAnswer,
  InspectionView,
  ProtectionPeriodInput,
  ProtectionPeriodView,
  Recorded,
  RectificationInput,
  TownshipRhythm,
} from '../contract/supervision.ts';
import { Binary, PHOTO_TYPES } from '../contract/wire.ts';
import {
  mayReadInspections,
  mayRecordInspection,
  mayRectify,
  SUPERVISION_READERS,
} from '../domain/access.ts';
import { HttpError } from '../plugins/errors.ts';
import type { PhotoIntake, ReceivedPhoto } from '../services/photo-intake.ts';
import { photoUploadError, sendPhoto } from './photo-http.ts';

const TownshipCode = Type.String({ pattern: '^[0-9]{9}$', description: 'township code' });

export interface InspectionsRoutesOptions {
  /** The report photos' intake, reused: the free-disk guard, streaming, content paths. */
  photos: PhotoIntake;
  photosDir: string;
  maxPhotos: number;
  maxPhotoBytes: number;
}

const inspectionsRoutes: FastifyPluginAsyncTypebox<InspectionsRoutesOptions> = async (
  app,
  opts,
) => {
  await app.register(multipart, {
    limits: { files: opts.maxPhotos, fileSize: opts.maxPhotoBytes, fields: 1 },
  });

  const readerOfAny = (request: Parameters<typeof app.requireActor>[0]) => {
    const actor = app.requireActor(request);
    if (!mayReadInspections(actor, null))
      throw new HttpError(403, `role ${actor.role} may not read inspections`, 'role');
    return actor;
  };

  /** An inspection as it stands after a write to it (inspections are never deleted). */
  const inspectionAfter = async (id: string): Promise<InspectionView> => {
    const inspection = await app.inspectionsRepository.inspection(id);
    if (!inspection) throw new HttpError(404, `no inspection ${id}`, 'id');
    return inspection;
  };

  app.get(
    '/api/protection-periods',
    {
      schema: {
        summary: '森林特护期 declared, newest first',
        tags: ['supervision'],
        response: { 200: Type.Array(ProtectionPeriodView) },
      },
    },
    async (request) => {
      readerOfAny(request);
      return (await app.inspectionsRepository.periods()).map((p) => ({
        ...p,
        startsAt: p.startsAt.toISOString(),
        endsAt: p.endsAt.toISOString(),
      }));
    },
  );

  app.post(
    '/api/protection-periods',
    {
      schema: {
        summary: 'Declare a special protection period for the county or some townships',
        tags: ['supervision'],
        body: ProtectionPeriodInput,
        response: { 201: Recorded },
      },
    },
    async (request, reply) => {
      const actor = app.requireActor(request, ['county_command']);
      const title = request.body.title.trim();
      if (title === '') throw new HttpError(400, 'title must not be blank', 'title');
      const startsAt = new Date(request.body.startsAt);
      const endsAt = new Date(request.body.endsAt);
      if (endsAt <= startsAt) throw new HttpError(400, 'endsAt must be after startsAt', 'endsAt');
      const result = await app.inspectionsRepository.declarePeriod({
        title,
        startsAt,
        endsAt,
        townshipCodes: request.body.townshipCodes ?? [],
        declaredBy: actor.id,
      });
      if ('unknownTownship' in result)
        throw new HttpError(404, `no township ${result.unknownTownship}`, 'townshipCodes');
      app.rhythmWatch.poke();
      reply.code(201);
      return result;
    },
  );

  app.get(
    '/api/inspections',
    {
      schema: {
        summary: 'Inspections, newest first; `open=true` for findings not yet put right',
        tags: ['supervision'],
        response: { 200: Type.Array(InspectionView) },
        querystring: Type.Object(
          { township: Type.Optional(TownshipCode), open: Type.Optional(Type.Boolean()) },
          { additionalProperties: false },
        ),
      },
    },
    async (request) => {
      const actor = readerOfAny(request);
      const list = await app.inspectionsRepository.inspections({
        townshipCodes: request.query.township ? [request.query.township] : null,
        openOnly: request.query.open === true,
      });
      return list.filter((i) =>
        mayReadInspections(actor, { townshipCode: i.townshipCode, warZoneId: i.warZoneId }),
      );
    },
  );

  app.post(
    '/api/inspections',
    {
      schema: {
        summary: 'Record an inspection (三级督导) with its findings',
        tags: ['supervision'],
        body: InspectionInput,
        response: { 201: InspectionView },
      },
    },
    async (request, reply) => {
      const actor = app.requireActor(request);
      if (!mayRecordInspection(actor))
        throw new HttpError(403, `role ${actor.role} may not record inspections`, 'role');
      const now = Date.now();
      const inspectedAt = request.body.inspectedAt
        ? new Date(request.body.inspectedAt)
        : new Date(now);
      // A few minutes' clock skew on a phone is fine; an inspection in the future is not.
      if (inspectedAt.getTime() > now + 5 * 60_000)
        throw new HttpError(422, 'inspectedAt is in the future', 'inspectedAt');
      const inspector = request.body.inspector.trim();
      if (inspector === '') throw new HttpError(400, 'inspector must not be blank', 'inspector');
      const findings = request.body.findings?.trim() || null;
      const saved = await app.inspectionsRepository.recordInspection({
        kind: request.body.kind,
        inspector,
        inspectorUserId: actor.id,
        townshipCode: request.body.townshipCode,
        inspectedAt,
        findings,
      });
      if (!saved)
        throw new HttpError(404, `no township ${request.body.townshipCode}`, 'townshipCode');
      app.rhythmWatch.poke();
      reply.code(201);
      return saved;
    },
  );

  app.post(
    '/api/inspections/:id/rectification',
    {
      schema: {
        summary: 'Report a finding put right (立行立改)',
        tags: ['supervision'],
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
        body: RectificationInput,
        response: { 200: InspectionView },
      },
    },
    async (request) => {
      const actor = app.requireActor(request);
      const found = await app.inspectionsRepository.inspection(request.params.id);
      if (!found) throw new HttpError(404, `no inspection ${request.params.id}`, 'id');
      if (!mayRectify(actor, { townshipCode: found.townshipCode, warZoneId: found.warZoneId }))
        throw new HttpError(403, `role ${actor.role} may not close this finding`, 'role');
      if (!found.findings)
        throw new HttpError(409, 'this inspection found nothing to put right', 'id');
      const note = request.body.note.trim();
      if (note === '') throw new HttpError(400, 'note must not be blank', 'note');
      const done = await app.inspectionsRepository.rectify(found.id, note, actor.id, new Date());
      if (!done) throw new HttpError(409, 'this finding was already put right', 'id');
      return inspectionAfter(found.id);
    },
  );

  app.post(
    '/api/inspections/:id/photos',
    {
      schema: {
        summary: 'Add photos to an inspection (what was found, or the finding put right)',
        description:
          'multipart/form-data with images (JPEG, PNG, WebP) in `photos`. The inspection recorders and the commanders of its township. 201 with what became of each photo; a photo already there is not stored twice.',
        tags: ['supervision'],
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
        consumes: ['multipart/form-data'],
        response: { 201: InspectionPhotosAnswer },
      },
    },
    async (request, reply) => {
      const actor = app.requireActor(request);
      const found = await app.inspectionsRepository.inspection(request.params.id);
      if (!found) throw new HttpError(404, `no inspection ${request.params.id}`, 'id');
      // Before the body is read: a stranger's upload is not streamed anywhere.
      if (!mayRectify(actor, { townshipCode: found.townshipCode, warZoneId: found.warZoneId }))
        throw new HttpError(
          403,
          `role ${actor.role} may not add photos to this inspection`,
          'role',
        );
      if (!request.isMultipart())
        throw new HttpError(400, 'send the photos as multipart/form-data in `photos`', 'photos');
      const received: ReceivedPhoto[] = [];
      try {
        try {
          for await (const part of request.parts()) {
            if (part.type !== 'file' || part.fieldname !== 'photos')
              throw new HttpError(400, `unexpected field ${part.fieldname}`, part.fieldname);
            const file = part.file;
            received.push(
              await opts.photos.receive(file, { address: null, truncated: () => file.truncated }),
            );
          }
        } catch (err) {
          throw photoUploadError(err, received.length, opts);
        }
        if (received.length === 0) throw new HttpError(400, 'no photo in `photos`', 'photos');
        const held = await app.inspectionsRepository.addPhotos(
          found.id,
          opts.photos.kept(received),
          actor.id,
        );
        if (!held) throw new HttpError(404, `no inspection ${request.params.id}`, 'id');
        const photos = await opts.photos.settle(received, held, true);
        reply.code(201);
        return { photos, inspection: await inspectionAfter(found.id) };
      } finally {
        await opts.photos.abandon(received);
      }
    },
  );

  app.get(
    '/api/inspection-photos/:id',
    {
      schema: {
        summary: 'An inspection photo (for the readers of its inspection)',
        tags: ['supervision'],
        response: { 200: Binary('the photo as sent', ...PHOTO_TYPES) },
        params: Type.Object({ id: Type.Integer({ minimum: 1 }) }),
      },
    },
    async (request, reply) => {
      const actor = readerOfAny(request);
      const photo = await app.inspectionsRepository.photo(request.params.id);
      if (!photo) throw new HttpError(404, `photo ${request.params.id} not found`, 'id');
      if (!mayReadInspections(actor, photo))
        throw new HttpError(403, `role ${actor.role} may not read this inspection`, 'role');
      return sendPhoto(reply, opts.photosDir, request.params.id, photo);
    },
  );

  app.get(
    '/api/rhythm',
    {
      schema: {
        summary: '321 rhythm: each township under a special protection period, kind by kind',
        tags: ['supervision'],
        response: { 200: Type.Array(TownshipRhythm) },
      },
    },
    async (request) => {
      const actor = readerOfAny(request);
      const all = await app.inspectionsRepository.rhythm(new Date());
      return SUPERVISION_READERS.has(actor.role)
        ? all
        : all.filter((t) =>
            mayReadInspections(actor, { townshipCode: t.townshipCode, warZoneId: t.warZoneId }),
          );
    },
  );
};

export default inspectionsRoutes;
