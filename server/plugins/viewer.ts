/**
 * Who is asking: `request.viewerRole` is the signed-in user's role, or null for an anonymous
 * viewer. Routes decide field visibility from it (e.g. roster phone numbers). Sign-in sets
 * it; without a session every request is anonymous and sees the least.
 */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { UserRole } from '../domain/vocabulary.ts';

declare module 'fastify' {
  interface FastifyRequest {
    viewerRole: UserRole | null;
  }
}

export default fp(
  async (app: FastifyInstance) => {
    app.decorateRequest('viewerRole', null);
  },
  { name: 'viewer' },
);
