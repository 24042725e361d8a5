/**
 * Test apps with users signed in (bearer tokens): openSmallApp on the small county the
 * factories build (most tests), openDemoApp on the whole demo county and its demo users
 * (tests about the county's real ground: reach on its roads, tiles, counts of its grids).
 */
import { type App, buildApp } from '../app.ts';
import type { Database } from '../db/database.ts';
import { DEMO_COUNTY_DIR, loadCounty } from '../geodata/county-loader.ts';
import { DEMO_PASSWORD, DEMO_USERS, seedDemoUsers } from '../geodata/demo-users.ts';
import { newSmallCounty, newSmallCountyUsers, type SmallCounty } from './factories.ts';
import { openTestDatabase } from './test-database.ts';

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

type AppConfig = Partial<Parameters<typeof buildApp>[0]['config']>;
type AppOptions = Pick<Parameters<typeof buildApp>[0], 'rateClock' | 'clientDir'>;

async function appOn(database: Database, config: AppConfig, options: AppOptions) {
  const app = await buildApp({
    config: { logLevel: 'silent', bodyLimitBytes: 65536, ...config },
    database,
    startBreachClock: false,
    ...options,
  });
  await app.ready();
  return app;
}

/** A test app on its own database, with each of its users' bearer token by username. */
export interface TestApp {
  database: Database;
  app: App;
  tokens: Map<string, string>;
}

/** A fresh test database with the demo county and users, an app on it, every user signed in. */
export async function openDemoApp(
  config: AppConfig = {},
  options: AppOptions = {},
): Promise<TestApp> {
  const database = await openTestDatabase();
  await loadCounty(database, DEMO_COUNTY_DIR);
  await seedDemoUsers(database);
  const app = await appOn(database, config, options);
  return { database, app, tokens: await signInDemoUsers(app) };
}

/**
 * A fresh test database with the factories' small county (SMALL_COUNTY) and its users (named
 * as the demo users: county, twp-gaocun, ranger, …), an app on it, every user signed in.
 */
export async function openSmallApp(
  config: AppConfig = {},
  options: AppOptions = {},
): Promise<TestApp & { county: SmallCounty }> {
  const database = await openTestDatabase();
  const county = await newSmallCounty(database);
  const usernames = await newSmallCountyUsers(database, county);
  const app = await appOn(database, config, options);
  const tokens = new Map<string, string>();
  for (const u of usernames) tokens.set(u, await signIn(app, u));
  return { database, app, tokens, county };
}

/** Requests as one of the signed-in demo users (by username) through app.inject. */
export function requestsAs(app: App, tokens: Map<string, string>) {
  const as = (who: string) => ({ authorization: `Bearer ${tokens.get(who)}` });
  return {
    as,
    get: (url: string, who: string) => app.inject({ method: 'GET', url, headers: as(who) }),
    post: (url: string, who: string, payload: Record<string, unknown>) =>
      app.inject({ method: 'POST', url, headers: as(who), payload }),
  };
}
