/**
 * Issuing a warning (预警信息): the area is the townships named or those a drawn area touches,
 * all of them the county's; the issuer must be one who may warn there (domain/access.ts
 * mayWarn); the GB/T 35965.1 identifier is the sender's code, the second it was issued and a
 * sequence digit, so at most ten warnings a second. Read, checked and written in one
 * transaction.
 */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { type Actor, mayWarn } from '../domain/access.ts';
import { AccessDenied, DomainError } from '../domain/errors.ts';
import { warningIdentifier } from '../domain/fire-danger/cap.ts';
import type { NewWarning, WarningsRepository } from '../repositories/warnings-repository.ts';

export function createWarningService(warningRows: WarningsRepository) {
  return {
    /**
     * Stores the warning: 422 for an area outside every township or a township that does not
     * exist, 403 for townships not the actor's to warn, 422 naming identifier when ten were
     * issued this second already.
     */
    async issue(input: NewWarning, actor: Actor, senderCode: string, now: Date) {
      return warningRows.transaction(async (q) => {
        let codes: string[];
        if (input.polygon) {
          codes = await warningRows.townshipsIn(q, input.polygon);
          if (codes.length === 0)
            throw new DomainError('the drawn area lies outside every township', 'polygon', 422);
        } else {
          codes = [...new Set(input.townshipCodes ?? [])].sort();
          const known = await warningRows.knownTownships(q, codes);
          const missing = codes.filter((c) => !known.includes(c));
          if (missing.length > 0)
            throw new DomainError(`no township ${missing.join(', ')}`, 'townshipCodes', 422);
        }
        if (!mayWarn(actor, codes))
          throw new AccessDenied(
            `${actor.username} may not warn ${codes.join(', ')} (a township commander warns his own township)`,
            input.polygon ? 'polygon' : 'townshipCodes',
          );
        const prefix = warningIdentifier(senderCode, now, 0).slice(0, -1);
        const issued = await warningRows.countIdentified(q, prefix);
        if (issued > 9)
          throw new DomainError(
            'ten warnings were issued this second; try again',
            'identifier',
            422,
          );
        return warningRows.insert(q, input, codes, actor.id, `${prefix}${issued}`, now);
      });
    },
  };
}

export type WarningService = ReturnType<typeof createWarningService>;

declare module 'fastify' {
  interface FastifyInstance {
    warningService: WarningService;
  }
}

export default fp(
  async (app: FastifyInstance) => {
    app.decorate('warningService', createWarningService(app.warningsRepository));
  },
  { name: 'warning-service', dependencies: ['warnings-repository'] },
);
