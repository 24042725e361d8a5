/**
 * Drills 演练 and training 培训 (issue 14 item 3): record a drill, mark the incidents it ran
 * through the real system as drills (so they never count in flags or statistics), score it
 * against 10/20/30 per crew and per township, and count training person-times against the
 * county's 5,000 a year.
 */
import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import { mayOrganiseDrill, mayReadInspections, mayRecordTraining } from '../domain/access.ts';
import { scoreDrillFire, trainingProgress } from '../domain/drills.ts';
import { HttpError } from '../plugins/errors.ts';

const Day = Type.String({ format: 'date', description: 'YYYY-MM-DD (Beijing date)' });
const TownshipCode = Type.String({ pattern: '^[0-9]{9}$' });

const drillsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const knownTownship = async (code: string | null | undefined, field: string) => {
    if (code && !(await app.drillsRepository.townshipExists(code)))
      throw new HttpError(404, `no township ${code}`, field);
  };

  app.post(
    '/api/drills',
    {
      schema: {
        summary: 'Record a drill (演练) for the county or a township',
        tags: ['supervision'],
        body: Type.Object(
          {
            title: Type.String({ minLength: 1, maxLength: 200 }),
            heldOn: Day,
            townshipCode: Type.Optional(TownshipCode),
            departments: Type.Optional(
              Type.Array(Type.String({ minLength: 1, maxLength: 40 }), { maxItems: 20 }),
            ),
            participants: Type.Integer({ minimum: 0, maximum: 100_000 }),
            notes: Type.Optional(Type.String({ maxLength: 4000 })),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (request, reply) => {
      const actor = app.requireActor(request);
      const townshipCode = request.body.townshipCode ?? null;
      if (!mayOrganiseDrill(actor, townshipCode))
        throw new HttpError(403, `role ${actor.role} may not record this drill`, 'role');
      await knownTownship(townshipCode, 'townshipCode');
      reply.code(201);
      return app.drillsRepository.createDrill({
        title: request.body.title.trim(),
        heldOn: request.body.heldOn,
        townshipCode,
        departments: request.body.departments ?? [],
        participants: request.body.participants,
        notes: request.body.notes ?? null,
      });
    },
  );

  app.post(
    '/api/drills/:id/incidents',
    {
      schema: {
        summary: 'Mark an incident as part of this drill: never in flags or statistics',
        tags: ['supervision'],
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
        body: Type.Object(
          { incidentId: Type.String({ format: 'uuid' }) },
          { additionalProperties: false },
        ),
      },
    },
    async (request, reply) => {
      const actor = app.requireActor(request);
      const drill = await app.drillsRepository.drill(request.params.id);
      if (!drill) throw new HttpError(404, `no drill ${request.params.id}`, 'id');
      if (!mayOrganiseDrill(actor, drill.townshipCode))
        throw new HttpError(403, `role ${actor.role} may not change this drill`, 'role');
      const done = await app.drillsRepository.markIncident(drill.id, request.body.incidentId);
      if (done === 'missing')
        throw new HttpError(404, `no incident ${request.body.incidentId}`, 'incidentId');
      if (done === 'already')
        throw new HttpError(409, 'this incident is already marked as a drill', 'incidentId');
      reply.code(201);
      return { drillId: drill.id, incidentId: request.body.incidentId };
    },
  );

  app.get(
    '/api/drills/:id/report',
    {
      schema: {
        summary: 'Drill report: each drill fire and each crew against 10/20/30',
        tags: ['supervision'],
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
      },
    },
    async (request) => {
      const actor = app.requireActor(request);
      const drill = await app.drillsRepository.drill(request.params.id);
      if (!drill) throw new HttpError(404, `no drill ${request.params.id}`, 'id');
      const place = drill.townshipCode
        ? { townshipCode: drill.townshipCode, warZoneId: drill.warZoneId }
        : null;
      // A commander reads the drills of his township (county drills: county-wide readers).
      const ok =
        place === null
          ? mayReadInspections(actor, null) &&
            !['township_commander', 'war_zone_commander'].includes(actor.role)
          : mayReadInspections(actor, place);
      if (!ok) throw new HttpError(403, `role ${actor.role} may not read this drill`, 'role');
      const fires = (await app.drillsRepository.drillFires(drill.id)).map(scoreDrillFire);
      return { drill, fires };
    },
  );

  app.post(
    '/api/trainings',
    {
      schema: {
        summary: 'Record a training (培训) in person-times',
        tags: ['supervision'],
        body: Type.Object(
          {
            title: Type.String({ minLength: 1, maxLength: 200 }),
            heldOn: Day,
            townshipCode: Type.Optional(TownshipCode),
            audience: Type.String({
              minLength: 1,
              maxLength: 40,
              description: '护林员, 应急队员 …',
            }),
            personTimes: Type.Integer({ minimum: 1, maximum: 100_000 }),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (request, reply) => {
      const actor = app.requireActor(request);
      const townshipCode = request.body.townshipCode ?? null;
      if (!mayRecordTraining(actor, townshipCode))
        throw new HttpError(403, `role ${actor.role} may not record this training`, 'role');
      await knownTownship(townshipCode, 'townshipCode');
      reply.code(201);
      return app.drillsRepository.recordTraining({
        title: request.body.title.trim(),
        heldOn: request.body.heldOn,
        townshipCode,
        audience: request.body.audience.trim(),
        personTimes: request.body.personTimes,
      });
    },
  );

  app.get(
    '/api/trainings/summary',
    {
      schema: {
        summary: "A year's training person-times per township against the county's 5,000",
        tags: ['supervision'],
        querystring: Type.Object(
          { year: Type.Integer({ minimum: 2000, maximum: 2999 }) },
          { additionalProperties: false },
        ),
      },
    },
    async (request) => {
      const actor = app.requireActor(request);
      if (!mayReadInspections(actor, null))
        throw new HttpError(403, `role ${actor.role} may not read training records`, 'role');
      const rows = await app.drillsRepository.trainingByTownship(request.query.year);
      const total = rows.reduce((s, r) => s + r.personTimes, 0);
      return { year: request.query.year, county: trainingProgress(total), byTownship: rows };
    },
  );
};

export default drillsRoutes;
