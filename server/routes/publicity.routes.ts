/**
 * Publicity 宣传 (issue 14 item 4): household visits, awareness checks and fire-safety pledges
 * 防火承诺书 per village (and grid), and each village's coverage against the 100% targets.
 */
import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import { PublicityCoverage, PublicityInput, PublicityRecorded } from '../contract/supervision.ts';
import { mayReadPublicity, mayRecordPublicity } from '../domain/access.ts';
import { coverage, gridCoverage } from '../domain/publicity.ts';
import { HttpError } from '../plugins/errors.ts';

const publicityRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/api/publicity',
    {
      schema: {
        summary: "Record a village's publicity: households visited, pledges, awareness check",
        tags: ['supervision'],
        body: PublicityInput,
        response: { 201: PublicityRecorded },
      },
    },
    async (request, reply) => {
      const actor = app.requireActor(request);
      const b = request.body;
      const village = (await app.supervisionRepository.villagePlaces()).find(
        (v) => v.code === b.villageCode,
      );
      if (!village) throw new HttpError(404, `no village ${b.villageCode}`, 'villageCode');
      if (!mayRecordPublicity(actor, { ...village, villageCode: village.code }))
        throw new HttpError(
          403,
          `role ${actor.role} may not record this village's publicity`,
          'role',
        );
      if (b.gridCode && !b.gridCode.startsWith(b.villageCode))
        throw new HttpError(
          422,
          `grid ${b.gridCode} is not in village ${b.villageCode}`,
          'gridCode',
        );
      if (b.gridCode && !(await app.supervisionRepository.gridExists(b.gridCode)))
        throw new HttpError(404, `no grid ${b.gridCode}`, 'gridCode');
      for (const k of ['householdsVisited', 'pledgesSigned'] as const)
        if (b[k] > b.householdsTotal) throw new HttpError(422, `${k} exceeds householdsTotal`, k);
      if ((b.awarePersons === undefined) !== (b.surveyedPersons === undefined))
        throw new HttpError(400, 'awarePersons and surveyedPersons go together', 'surveyedPersons');
      if ((b.awarePersons ?? 0) > (b.surveyedPersons ?? 0))
        throw new HttpError(422, 'awarePersons exceeds surveyedPersons', 'awarePersons');
      const done = await app.supervisionRepository.recordPublicity({
        villageCode: b.villageCode,
        gridCode: b.gridCode ?? null,
        recordedOn: b.recordedOn,
        channel: b.channel.trim(),
        householdsTotal: b.householdsTotal,
        householdsVisited: b.householdsVisited,
        pledgesSigned: b.pledgesSigned,
        awarePersons: b.awarePersons ?? null,
        surveyedPersons: b.surveyedPersons ?? null,
      });
      if (done === 'mixed')
        throw new HttpError(
          409,
          b.gridCode
            ? `village ${b.villageCode} records its publicity as a whole: leave out gridCode`
            : `village ${b.villageCode} records its publicity per grid: give gridCode`,
          'gridCode',
        );
      reply.code(201);
      return done;
    },
  );

  app.get(
    '/api/publicity/coverage',
    {
      schema: {
        summary:
          "Publicity against the 100% targets in the reader's area: per village (its grids' latest records summed) or, with level=grid, per grid",
        tags: ['supervision'],
        querystring: Type.Object(
          {
            level: Type.Optional(
              Type.Union([Type.Literal('village'), Type.Literal('grid')], { default: 'village' }),
            ),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Array(PublicityCoverage) },
      },
    },
    async (request): Promise<PublicityCoverage[]> => {
      const actor = app.requireActor(request);
      if (!mayReadPublicity(actor, null))
        throw new HttpError(403, `role ${actor.role} may not read publicity`, 'role');
      const villages = (await app.supervisionRepository.villagePlaces()).filter((v) =>
        mayReadPublicity(actor, { ...v, villageCode: v.code }),
      );
      const records = await app.supervisionRepository.publicityRecords();
      const place = new Map(villages.map((v) => [v.code, v]));
      // Every row is of a village read above: its name and township are there.
      const named = <T extends { villageCode: string }>(r: T) => {
        const v = place.get(r.villageCode) as (typeof villages)[number];
        return {
          ...r,
          villageName: v.name,
          townshipCode: v.townshipCode,
          townshipName: v.townshipName,
        };
      };
      if (request.query.level === 'grid') {
        const grids = (await app.supervisionRepository.gridVillages()).filter((g) =>
          place.has(g.villageCode),
        );
        return gridCoverage(grids, records).map(named);
      }
      return coverage(
        villages.map((v) => v.code),
        records,
      ).map(named);
    },
  );
};

export default publicityRoutes;
