/** Sign-in, sign-out and "who am I" for the web page (cookie) and the field page (bearer). */
import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import { SESSION_COOKIE, tokenOf } from '../plugins/auth.ts';
import { HttpError } from '../plugins/errors.ts';

const authRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/api/auth/login',
    {
      schema: {
        summary:
          'Sign in; the web gets a session cookie, the field page (client=field) a bearer token',
        tags: ['auth'],
        body: Type.Object(
          {
            username: Type.String({ minLength: 1, maxLength: 32 }),
            password: Type.String({ minLength: 1, maxLength: 200 }),
            client: Type.Optional(Type.Union([Type.Literal('web'), Type.Literal('field')])),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (request, reply) => {
      const { username, password, client } = request.body;
      const kind = client === 'field' ? 'bearer' : 'cookie';
      const result = await app.usersRepository.login(username.trim().toLowerCase(), password, kind);
      if (!result.ok) {
        if (result.reason === 'locked')
          throw new HttpError(
            423,
            `账户已锁定至 ${result.lockedUntil?.toISOString()} (too many failed sign-ins)`,
            'username',
          );
        throw new HttpError(401, '用户名或密码错误 (wrong username or password)', 'password');
      }
      request.actor = result.actor;
      if (kind === 'cookie') {
        reply.setCookie(SESSION_COOKIE, result.token, {
          httpOnly: true,
          sameSite: 'strict',
          secure: 'auto',
          path: '/',
          expires: result.expiresAt,
        });
        return { user: result.actor };
      }
      return { user: result.actor, token: result.token, expiresAt: result.expiresAt.toISOString() };
    },
  );

  app.post(
    '/api/auth/logout',
    { schema: { summary: 'Sign out (ends this session)', tags: ['auth'] } },
    async (request, reply) => {
      const token = tokenOf(request);
      if (token) await app.usersRepository.logout(token);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return { ok: true };
    },
  );

  app.get(
    '/api/auth/me',
    {
      schema: {
        summary: 'The signed-in user and scope; user is null when nobody is signed in',
        tags: ['auth'],
      },
    },
    // 200 with null rather than 401: the page asks on every load and a browser logs every 401.
    async (request) => ({ user: request.actor }),
  );
};

export default authRoutes;
