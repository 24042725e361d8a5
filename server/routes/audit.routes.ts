/** The audit trail: chain verification and CSV export (county command, supervision office). */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { mayReadAudit } from '../domain/access.ts';
import { HttpError } from '../plugins/errors.ts';

const auditRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const guard = (request: Parameters<typeof app.requireActor>[0]) => {
    const actor = app.requireActor(request);
    if (!mayReadAudit(actor))
      throw new HttpError(403, `role ${actor.role} may not read the audit trail`, 'role');
  };

  app.get(
    '/api/audit/verify',
    {
      schema: {
        summary: 'Walk the hash chain of the audit trail; reports the first broken row',
        tags: ['audit'],
      },
    },
    async (request) => {
      guard(request);
      return app.auditRepository.verify();
    },
  );

  app.get(
    '/api/audit.csv',
    { schema: { summary: 'The audit trail as CSV (UTF-8, times in UTC)', tags: ['audit'] } },
    async (request, reply) => {
      guard(request);
      reply
        .type('text/csv; charset=utf-8')
        .header(
          'content-disposition',
          `attachment; filename="audit-${new Date().toISOString().slice(0, 10)}.csv"`,
        );
      return `\uFEFF${await app.auditRepository.csv()}`;
    },
  );
};

export default auditRoutes;
