/** Signs demo users in (bearer tokens) on a test app whose database has the demo users. */
import type { App } from '../app.ts';
import { DEMO_PASSWORD, DEMO_USERS } from '../geodata/demo-users.ts';

/** One user's bearer token (any user whose password is the demo password). */
export async function signIn(app: App, username: string): Promise<string> {
  const res = await app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { username, password: DEMO_PASSWORD, client: 'field' },
  });
  if (res.statusCode !== 200) throw new Error(`${username} could not sign in: ${res.body}`);
  return res.json().token;
}

export async function signInDemoUsers(app: App): Promise<Map<string, string>> {
  const tokens = new Map<string, string>();
  for (const u of DEMO_USERS) tokens.set(u.username, await signIn(app, u.username));
  return tokens;
}
