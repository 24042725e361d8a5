/** Sign-in, sign-out and "who am I" for the web page (cookie) and the field page (bearer). */
import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import { LoggedOutEverywhere, LoginAnswer, Me, Unlocked } from '../contract/auth.ts';
import { Ok } from '../contract/wire.ts';
import { SESSION_COOKIE, tokenOf } from '../plugins/auth.ts';
import { HttpError } from '../plugins/errors.ts';
import { LoginThrottle } from '../services/login-throttle.ts';

const authRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const throttle = new LoginThrottle(app.rateCounters);

  app.post(
    '/api/auth/login',
    {
      schema: {
        summary:
          'Sign in; the web gets a session cookie, the field page (client=field) a bearer token',
        tags: ['auth'],
        response: { 200: LoginAnswer },
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
      const { password, client } = request.body;
      const username = request.body.username.trim().toLowerCase();
      const kind = client === 'field' ? 'bearer' : 'cookie';
      // Refused for this address and account only, and alike whether the account exists.
      const attempt = await throttle.begin(request.ip, username);
      if (!attempt.allowed) {
        reply.header('retry-after', attempt.retryAfterS);
        throw new HttpError(
          429,
          `此地址登录失败次数过多，请 ${Math.ceil(attempt.retryAfterS / 60)} 分钟后再试 (too many failed sign-ins from this address)`,
          'username',
        );
      }
      let result: Awaited<ReturnType<typeof app.usersRepository.login>>;
      try {
        result = await app.usersRepository.login(username, password, kind);
      } catch (err) {
        await attempt.done(false);
        throw err;
      }
      await attempt.done(result.ok);
      if (!result.ok)
        throw new HttpError(401, '用户名或密码错误 (wrong username or password)', 'password');
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
    '/api/auth/unlock',
    {
      schema: {
        summary:
          'Let every address try an account again after wrong passwords (county command centre)',
        tags: ['auth'],
        response: { 200: Unlocked },
        body: Type.Object(
          { username: Type.String({ minLength: 1, maxLength: 32 }) },
          { additionalProperties: false },
        ),
      },
    },
    async (request) => {
      app.requireActor(request, ['county_command']);
      const username = request.body.username.trim().toLowerCase();
      if (!(await app.usersRepository.resetFailures(username)))
        throw new HttpError(404, `no account ${username}`, 'username');
      await throttle.unlock(username);
      return { username };
    },
  );

  app.post(
    '/api/auth/logout-everywhere',
    {
      schema: {
        summary: 'Sign out on every device (a lost phone): ends all sessions and their sockets',
        tags: ['auth'],
        response: { 200: LoggedOutEverywhere },
      },
    },
    async (request, reply) => {
      const actor = app.requireActor(request);
      const sessions = await app.usersRepository.logoutEverywhere(actor.id);
      app.live.endUser(actor.id);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return { sessions };
    },
  );

  app.post(
    '/api/auth/logout',
    {
      schema: {
        summary: 'Sign out (ends this session)',
        tags: ['auth'],
        response: { 200: Ok },
      },
    },
    async (request, reply) => {
      const token = tokenOf(request);
      if (token) {
        await app.usersRepository.logout(token);
        // Its sockets stop hearing whole events the moment the session ends.
        app.live.endSession(token);
      }
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
        response: { 200: Me },
      },
    },
    // 200 with null rather than 401: the page asks on every load and a browser logs every 401.
    async (request) => ({ user: request.actor }),
  );
};

export default authRoutes;
