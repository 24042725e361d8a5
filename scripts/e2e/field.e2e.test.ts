/**
 * The ranger field page offline: a report made without signal waits in the queue, goes out
 * when the network returns, and the incident appears on the command map (a second browser)
 * with its 10-minute countdown — once, however often the page retried.
 */
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { isLoopback } from './browser.ts';
import { useFreshProductAndBrowser } from './fresh-product.ts';
import { ROOT } from './product.ts';

const env = useFreshProductAndBrowser();

describe(`ranger field page (${inject('e2eBackend')} backend)`, () => {
  it('queues a report offline, sends it when back online, and the command map shows it with its countdown', async () => {
    // The command centre watching the map.
    const command = await env.browser.newContext({
      viewport: { width: 1366, height: 768 },
      locale: 'zh-CN',
    });
    await command.route(
      (url) => !isLoopback(url.toString()),
      (route) => route.abort(),
    );
    const map = await command.newPage();
    const mapErrors: string[] = [];
    map.on('pageerror', (e) => mapErrors.push(String(e)));
    await map.goto(env.product.url);
    await map.waitForSelector('body[data-ready=true]', { timeout: 60_000 });
    await map.waitForSelector('#incidents-panel .live-live', { timeout: 30_000 });

    // The ranger's phone on the hillside.
    const field = await env.browser.newContext({
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
      locale: 'zh-CN',
      permissions: ['geolocation'],
      geolocation: { longitude: 109.803, latitude: 27.878, accuracy: 18 },
    });
    await field.route(
      (url) => !isLoopback(url.toString()),
      (route) => route.abort(),
    );
    const phone = await field.newPage();
    const phoneErrors: string[] = [];
    phone.on('pageerror', (e) => phoneErrors.push(String(e)));
    await phone.goto(`${env.product.url}/field`);
    expect(await phone.getAttribute('html', 'lang')).toBe('zh-CN');
    expect(await phone.getAttribute('link[rel=manifest]', 'href')).toBe('/field.webmanifest');
    // Installed for offline use: the service worker controls the page after a reload.
    await phone.evaluate(() => navigator.serviceWorker.ready);
    await phone.reload();
    await phone.waitForFunction(() => navigator.serviceWorker.controller !== null);

    await field.setOffline(true);
    // The page still opens without signal.
    await phone.reload();
    await phone.waitForFunction(
      () => (window as unknown as { __fieldReady?: boolean }).__fieldReady === true,
    );
    expect(await phone.textContent('#net')).toContain('无信号');
    await phone.click('#report');
    await phone.waitForSelector('#queue li[data-state=queued]');
    const uuid = await phone.getAttribute('#queue li[data-state=queued]', 'data-uuid');
    expect(uuid).toMatch(/^[0-9a-f-]{36}$/);
    await phone.screenshot({ path: path.join(ROOT, 'test-results/field-offline-390x844.png') });
    // Nothing reached the server.
    const before = await (await fetch(`${env.product.url}/api/incidents`)).json();
    expect(before.incidents).toHaveLength(0);

    await field.setOffline(false);
    await phone.waitForSelector(`#queue li[data-uuid="${uuid}"][data-state=sent]`, {
      timeout: 30_000,
    });
    // The receipt says what became of it: a new fire, waiting for the centre to verify.
    const receipt = phone.locator(`#queue li[data-uuid="${uuid}"] .q-receipt`);
    await receipt.waitFor({ timeout: 30_000 });
    expect(await receipt.textContent()).toContain('新火情已登记');
    expect(await receipt.textContent()).toContain('等待指挥中心核实');
    await phone.screenshot({ path: path.join(ROOT, 'test-results/field-sent-390x844.png') });

    // The command map got it live, with the 10-minute countdown running.
    const item = map.locator('#incidents-panel li[data-incident]');
    await item.first().waitFor({ timeout: 30_000 });
    const countdown = await map
      .locator('#incidents-panel li[data-incident] .countdown')
      .first()
      .textContent();
    expect(countdown).toMatch(/到场 .*\d+:\d\d/);
    expect(
      await map
        .locator('#incidents-panel li[data-incident] .countdown')
        .first()
        .getAttribute('data-target'),
    ).toBe('arrive');
    expect(await map.locator('.incident-marker.pulse').count()).toBe(1);
    // Not signed in, the card shows the public summary with its clock, not who reported.
    await map.click('#incidents-panel li[data-incident] button');
    await map.waitForSelector('#incident-card .restricted');
    expect(await map.locator('#incident-card .reports li').count()).toBe(0);
    await map.screenshot({
      path: path.join(ROOT, 'test-results/command-map-incident-1366x768.png'),
    });

    // Resent after a reload (the phone never learned the answer): still one report.
    const again = await fetch(`${env.product.url}/api/incidents`).then((r) => r.json());
    expect(again.incidents).toHaveLength(1);
    expect(again.incidents[0].reportCount).toBe(1);

    // A second report with the direction read on the compass (magnetic 90°) and a distance:
    // the smoke is placed 1 km east of the phone, which goes with it as the bearing's observer.
    await phone.click('details.extra summary');
    await phone.fill('#bearing', '90');
    await phone.fill('#distance', '1000');
    await phone.screenshot({ path: path.join(ROOT, 'test-results/field-bearing-390x844.png') });
    await phone.click('#report');
    await phone.waitForFunction(
      () => document.querySelectorAll('#queue li[data-state=sent]').length === 2,
      undefined,
      { timeout: 30_000 },
    );
    const login = await fetch(`${env.product.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'county', password: 'fire-demo-2026', client: 'field' }),
    });
    const token = (await login.json()).token as string;
    const all = (await (await fetch(`${env.product.url}/api/incidents`)).json()).incidents as {
      id: string;
    }[];
    const details = await Promise.all(
      all.map(async (i) =>
        (
          await fetch(`${env.product.url}/api/incidents/${i.id}`, {
            headers: { authorization: `Bearer ${token}` },
          })
        ).json(),
      ),
    );
    const bearing = details
      .flatMap((d) => d.reports)
      .find((r: { bearingDeg: number | null }) => r.bearingDeg !== null);
    expect(bearing).toBeTruthy();
    // Magnetic 90° with the county's declination (−3.4°, east positive) is 86.6° true.
    expect(bearing.bearingDeg).toBeCloseTo(86.6, 6);
    expect(bearing.observer).toEqual([109.803, 27.878]);
    expect(bearing.location[0]).toBeGreaterThan(109.812);
    expect(bearing.accuracyM).toBe(250);
    expect(mapErrors).toEqual([]);
    expect(phoneErrors).toEqual([]);
    await field.close();
    await command.close();
  });
});
