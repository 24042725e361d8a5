/** The audit trail: chain verification and CSV export (county command, supervision office). */
import { Readable } from 'node:stream';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { AuditVerification } from '../contract/audit.ts';
import { Text } from '../contract/wire.ts';
import { mayReadAudit } from '../domain/access.ts';
import { HttpError } from '../plugins/errors.ts';
import { verifyAuditTrail } from '../services/audit-anchors.ts';
import type { AuditChain } from '../services/audit-chain.ts';
import { auditCsvChunks } from '../services/audit-export.ts';

const auditRoutes: FastifyPluginAsyncTypebox<{ chain: AuditChain }> = async (app, opts) => {
  const guard = (request: Parameters<typeof app.requireActor>[0]) => {
    const actor = app.requireActor(request);
    if (!mayReadAudit(actor))
      throw new HttpError(403, `role ${actor.role} may not read the audit trail`, 'role');
  };

  app.get(
    '/api/audit/verify',
    {
      schema: {
        summary:
          'Walk the keyed hash chain of the audit trail and compare it with the anchors kept outside the database; reports the first bad row',
        tags: ['audit'],
        response: { 200: AuditVerification },
      },
    },
    async (request) => {
      guard(request);
      return verifyAuditTrail(app.auditRepository, opts.chain, app.auditAnchors.file);
    },
  );

  app.get(
    '/api/audit.csv',
    {
      schema: {
        summary: 'The whole audit trail as CSV (UTF-8, times in UTC), streamed page by page',
        tags: ['audit'],
        response: { 200: Text('the audit trail, one row a line', 'text/csv') },
      },
    },
    async (request, reply) => {
      guard(request);
      reply
        .type('text/csv; charset=utf-8')
        .header(
          'content-disposition',
          `attachment; filename="audit-${new Date().toISOString().slice(0, 10)}.csv"`,
        );
      return reply.send(Readable.from(auditCsvChunks(app.auditRepository.pages())));
    },
  );
};

export default auditRoutes;
