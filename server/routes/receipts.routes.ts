/**
 * The report's receipt (issue 19, item 5): the phone that sent a report asks, by the UUID it
 * made, what became of it — joined to a fire reported earlier, acted on by the township or the
 * county, crews on their way and when they are due. The UUID is the phone's own secret (122
 * random bits), so no sign-in: a villager who reported as the public sees his receipt too.
 * Without sign-in it is limited per address like the other anonymous reads.
 */
import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import { ReportReceipt } from '../contract/receipts.ts';
import { HttpError } from '../plugins/errors.ts';

/** A phone asks every 15 s for each report it sent; 120 a minute leaves room for 30 reports. */
export const ANONYMOUS_RECEIPTS_PER_MINUTE = 120;

const receiptsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/reports/:clientUuid/receipt',
    {
      onRequest: app.anonymousLimit({
        max: ANONYMOUS_RECEIPTS_PER_MINUTE,
        windowMs: 60_000,
        message: `at most ${ANONYMOUS_RECEIPTS_PER_MINUTE} receipts a minute without sign-in from one address`,
        field: 'clientUuid',
      }),
      schema: {
        summary:
          'What became of a report, for the phone that sent it: the fire it joined, who acts on it, crews coming',
        tags: ['incidents'],
        params: Type.Object({ clientUuid: Type.String({ format: 'uuid' }) }),
        response: { 200: ReportReceipt },
      },
      config: { public: true },
    },
    async (request) => {
      const receipt = await app.incidentsRepository.receipt(
        request.params.clientUuid.toLowerCase(),
      );
      if (!receipt)
        throw new HttpError(
          404,
          `no report ${request.params.clientUuid} was received`,
          'clientUuid',
        );
      return receipt;
    },
  );
};

export default receiptsRoutes;
