/** Signs every demo user in (bearer tokens) on a test app whose database has the demo users. */
import type { App } from '../app.ts';
import { DEMO_PASSWORD, DEMO_USERS } from '../geodata/demo-users.ts';

export async function signInDemoUsers(app: App): Promise<Map<string, string>> {
  const tokens = new Map<string, string>();
  for (const u of DEMO_USERS) {
    const res = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: u.username, password: DEMO_PASSWORD, client: 'field' },
    });
    if (res.statusCode !== 200)
      throw new Error(`demo user ${u.username} could not sign in: ${res.body}`);
    tokens.set(u.username, res.json().token);
  }
  return tokens;
}
