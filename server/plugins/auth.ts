/**
 * Who is asking. The web page holds an httpOnly, SameSite=Strict session cookie; the field
 * page (and other programs) send `Authorization: Bearer <token>`. `request.actor` is the
 * signed-in user or null; `request.viewerRole` follows it, so field visibility (phones)
 * follows the role. Every write — and every refused attempt — goes to the audit trail: its
 * own row, except refused attempts without sign-in, which are counted per address, minute
 * and kind (services/audit-noise.ts) so that a flood cannot fill the table.
 */
import cookie from '@fastify/cookie';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Actor } from '../domain/access.ts';
import type { UserRole } from '../domain/vocabulary.ts';
import { AnonymousNoise } from '../services/audit-noise.ts';
import { HttpError } from './errors.ts';

export const SESSION_COOKIE = 'fire_session';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
  }
  interface FastifyInstance {
    /** The signed-in actor, or 401; with roles, also 403 for any other role. */
    requireActor(request: FastifyRequest, roles?: ReadonlySet<UserRole> | UserRole[]): Actor;
    /** Refused attempts without sign-in, counted until their minute is over. */
    auditNoise: AnonymousNoise;
  }
}

export function tokenOf(request: FastifyRequest): string | null {
  const auth = request.headers.authorization;
  if (auth?.startsWith('Bearer ')) return auth.slice(7).trim() || null;
  return request.cookies?.[SESSION_COOKIE] ?? null;
}

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * The writes anyone may make: a smoke report (a villager has no account), signing in and
 * out. Every other write needs a signed-in user, and is refused in onRequest — before its
 * body is read or parsed — so an anonymous caller costs no parsing whatever he sends.
 * A route may add itself with `config: { public: true }`.
 */
const PUBLIC_WRITES = new Set(['/api/reports', '/api/auth/login', '/api/auth/logout']);

/** Does the Origin header name the host this request was sent to? */
function sameOrigin(origin: string, request: FastifyRequest): boolean {
  try {
    return new URL(origin).host === request.headers.host;
  } catch {
    return false;
  }
}

/** A write only a signed-in user may make (also what the OpenAPI document says of it). */
export function needsSignIn(
  method: string,
  url: string | undefined,
  config: { public?: boolean } | undefined,
): boolean {
  return (
    WRITES.has(method) &&
    url !== undefined &&
    url.startsWith('/api/') &&
    !PUBLIC_WRITES.has(url) &&
    config?.public !== true
  );
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** An anonymous caller may make this write (checked by the auth plugin). */
    public?: boolean;
  }
}

export default fp(
  async (app: FastifyInstance) => {
    await app.register(cookie);
    app.decorateRequest('actor', null);

    app.addHook('onRequest', async (request) => {
      const token = tokenOf(request);
      const actor = token ? await app.usersRepository.actorForToken(token) : null;
      if (actor) {
        // A write carried by the session cookie must come from our own page: the browser
        // names the page's origin, and another site's is refused (SameSite=Strict already
        // keeps the cookie off cross-site requests; this holds when a proxy or an old
        // browser does not).
        const viaCookie = !request.headers.authorization?.startsWith('Bearer ');
        const origin = request.headers.origin;
        if (viaCookie && WRITES.has(request.method) && origin && !sameOrigin(origin, request))
          throw new HttpError(403, `请求来源 ${origin} 不是本系统 (foreign origin)`, 'origin');
        request.actor = actor;
        request.viewerRole = actor.role;
        return;
      }
      if (needsSignIn(request.method, request.routeOptions.url, request.routeOptions.config))
        throw new HttpError(401, '请先登录 (sign in first)', 'authorization');
    });

    app.decorate(
      'requireActor',
      (request: FastifyRequest, roles?: ReadonlySet<UserRole> | UserRole[]) => {
        const actor = request.actor;
        if (!actor) throw new HttpError(401, '请先登录 (sign in first)', 'authorization');
        const allowed = roles ? new Set(roles) : null;
        if (allowed && !allowed.has(actor.role))
          throw new HttpError(403, `role ${actor.role} may not do this`, 'role');
        return actor;
      },
    );

    const noise = new AnonymousNoise((entry) =>
      app.auditRepository.append(entry).catch((err) => {
        // The counts at least reach the log.
        app.log.error({ err, entry }, 'audit append of anonymous refusals failed');
      }),
    );
    app.decorate('auditNoise', noise);
    let noiseTimer: NodeJS.Timeout | null = null;
    app.addHook('onReady', async () => {
      noiseTimer = setInterval(() => void noise.flush(), 15_000);
      noiseTimer.unref();
    });
    app.addHook('onClose', async () => {
      if (noiseTimer) clearInterval(noiseTimer);
      await noise.flush(true);
    });

    // Before the answer leaves: a write the client saw succeed is already on record.
    app.addHook('onSend', async (request, reply, payload) => {
      if (!WRITES.has(request.method)) return payload;
      const url = request.routeOptions.url ?? request.url.split('?')[0] ?? '';
      if (!url.startsWith('/api/')) return payload;
      if (!request.actor && reply.statusCode >= 400) {
        const kind = request.routeOptions.url ? `http_${reply.statusCode}` : 'unknown_route';
        noise.count(kind, request.ip, `${request.method} ${url}`, reply.statusCode);
        return payload;
      }
      const params = (request.params ?? {}) as Record<string, string>;
      try {
        await app.auditRepository.append({
          userId: request.actor?.id ?? null,
          role: request.actor?.role ?? null,
          action: `${request.method} ${url}`,
          objectType: url.split('/')[2] ?? null,
          objectId: params.id ?? params.code ?? null,
          address: request.ip,
          detail: {
            status: reply.statusCode,
            ...(request.actor ? { username: request.actor.username } : {}),
          },
        });
      } catch (err) {
        request.log.error({ err }, 'audit append failed');
      }
      return payload;
    });
  },
  { name: 'auth', dependencies: ['users-repository', 'audit-repository'] },
);
