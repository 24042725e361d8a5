/** The command page in a fresh browser context with outside requests refused, and sign-in. */
import crypto from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { isLoopback } from './browser.ts';

export const DEMO_PASSWORD = 'fire-demo-2026';

export async function commandPage(
  browser: Browser,
  url: string,
  viewport = { width: 1366, height: 768 },
): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport, locale: 'zh-CN' });
  await context.route(
    (u) => !isLoopback(u.toString()),
    (route) => route.abort(),
  );
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(url);
  await page.waitForSelector('body[data-ready=true]', { timeout: 60_000 });
  return { context, page, errors };
}

export async function signIn(page: Page, username: string) {
  await page.click('#signin-button');
  await page.fill('#signin-username', username);
  await page.fill('#signin-password', DEMO_PASSWORD);
  await page.click('#signin-submit');
  await page.waitForFunction(
    () => !(document.getElementById('signin-dialog') as HTMLDialogElement).open,
  );
}

/**
 * Opens an incident from the list with a real click at the row's place: the list is redrawn
 * every second (its countdowns), so on a loaded machine an element click can keep missing.
 */
export async function openFromList(page: Page, id: string) {
  const row = `#incidents-panel li[data-incident="${id}"] button`;
  await page.waitForSelector(row, { timeout: 30_000 });
  // A row below the list's fold is scrolled to first: its box is where the click lands.
  await page.locator(row).scrollIntoViewIfNeeded();
  const box = await page.locator(row).boundingBox();
  if (!box) throw new Error(`incident ${id} is not in the list`);
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  await page.waitForSelector(`#incident-card[data-incident="${id}"]`);
}

/** POST JSON to the product (a bearer token when given); the status and the parsed answer. */
export async function postJson(baseUrl: string, pathname: string, body: unknown, token?: string) {
  const res = await fetch(`${baseUrl}${pathname}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

/** A demo user's bearer token, signed in as the field client does. */
export async function demoToken(baseUrl: string, username: string): Promise<string> {
  const r = await postJson(baseUrl, '/api/auth/login', {
    username,
    password: DEMO_PASSWORD,
    client: 'field',
  });
  if (r.status !== 200) throw new Error(`${username} not signed in: ${JSON.stringify(r.body)}`);
  return r.body.token as string;
}

/** A ranger's report of a fire here, sent now with this token: the incident it opened or joined. */
export async function rangerReport(
  baseUrl: string,
  at: [number, number],
  token: string,
): Promise<string> {
  const r = await postJson(
    baseUrl,
    '/api/reports',
    {
      clientUuid: crypto.randomUUID(),
      source: 'ranger',
      position: { lon: at[0], lat: at[1], accuracyM: 20 },
      observedAt: new Date().toISOString(),
    },
    token,
  );
  if (r.status !== 201) throw new Error(`report refused: ${JSON.stringify(r.body)}`);
  return r.body.incidentId as string;
}

/**
 * Waits until the map has stopped moving and drawn its tiles, for a screenshot. Never fails a
 * test: after `timeoutMs` it answers false and the picture is taken as it is.
 */
export async function mapSettled(page: Page, timeoutMs = 20_000): Promise<boolean> {
  try {
    await page.waitForFunction(
      () => {
        const m = (window as unknown as { __map: import('maplibre-gl').Map }).__map;
        return !m.isMoving() && m.areTilesLoaded();
      },
      undefined,
      { timeout: timeoutMs },
    );
    return true;
  } catch {
    return false;
  }
}
