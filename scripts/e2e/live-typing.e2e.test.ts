/**
 * What a commander is doing on the command page survives the fire's live events: an order
 * being typed keeps its text and the keyboard's focus while a crew is dispatched, acknowledges,
 * sets out and two more reports join the fire; the incident list keeps its scroll; and the
 * list's countdown ticks in place (its text changes, the element stays). Screenshot of the
 * card after the five events at 1366×768.
 */
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { commandPage, demoToken, postJson, rangerReport, signIn } from './command-page.ts';
import { useFreshProductAndBrowser } from './fresh-product.ts';
import { ROOT } from './product.ts';

/** Fires 1.5 km and more apart, so each is its own incident and the list must scroll. */
const FIRES: [number, number][] = [
  [109.8075, 27.8695],
  [109.79, 27.885],
  [109.8, 27.905],
  [109.825, 27.885],
  [109.78, 27.855],
  [109.6, 27.75],
];

const env = useFreshProductAndBrowser();
const api = (pathname: string, body: unknown, token?: string) =>
  postJson(env.product.url, pathname, body, token);

const token = (username: string) => demoToken(env.product.url, username);
const report = (at: [number, number], ranger: string) => rangerReport(env.product.url, at, ranger);

describe(`typing on the command page through live events (${inject('e2eBackend')} backend)`, () => {
  it('an order being typed keeps its text and focus through five live events of its fire; the list keeps its scroll and ticks in place', async () => {
    const county = await token('county');
    const ranger = await token('ranger');
    const ids: string[] = [];
    for (const at of FIRES) ids.push(await report(at, ranger));
    expect(new Set(ids).size).toBe(FIRES.length);
    // The fire the commander works on: confirmed, its countdown running to arrival.
    const id = ids[0] as string;
    for (const to of ['verifying', 'confirmed'])
      expect((await api(`/api/incidents/${id}/transitions`, { to }, county)).status).toBe(200);

    const { page, errors, context } = await commandPage(env.browser, env.product.url, {
      width: 1366,
      height: 768,
    });
    await signIn(page, 'county');
    const row = `#incidents-panel li[data-incident="${id}"] button`;
    for (const other of ids)
      await page.waitForSelector(`#incidents-panel li[data-incident="${other}"]`, {
        timeout: 30_000,
      });

    // The fire's row (first: fires being fought lead the list) is opened with a real click,
    // then the list is scrolled to its end.
    await page.locator(row).scrollIntoViewIfNeeded();
    const box = await page.locator(row).boundingBox();
    if (!box) throw new Error(`incident ${id} is not in the list`);
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await page.waitForSelector(`#incident-card[data-incident="${id}"]`);
    await page.waitForSelector('#incident-card #order-text', { timeout: 60_000 });
    await page.evaluate(() => {
      const list = document.querySelector('#incidents-panel .incident-list') as HTMLElement;
      list.scrollTop = list.scrollHeight;
    });
    const scrolled = await page.evaluate(
      () => (document.querySelector('#incidents-panel .incident-list') as HTMLElement).scrollTop,
    );
    expect(scrolled).toBeGreaterThan(0);

    // Counting this fire's live events as the page hears them.
    await page.evaluate((fire) => {
      const w = window as unknown as {
        __live: { onChange(fn: (e: { incidentId: string } | null) => void): void };
        __events: number;
      };
      w.__events = 0;
      w.__live.onChange((e) => {
        if (e?.incidentId === fire) w.__events++;
      });
    }, id);

    // The commander types an order; the keyboard stays in the box.
    const order = '二队沿北侧防火道向西推进,注意风向';
    await page.click('#incident-card #order-text');
    await page.keyboard.type(order);
    // The list's countdown for this fire, and the box being typed in, as they are now.
    await page.evaluate((fire) => {
      const w = window as unknown as { __box: Element | null; __clock: Element | null };
      w.__box = document.activeElement;
      w.__clock = document.querySelector(`#incidents-panel li[data-incident="${fire}"] .countdown`);
    }, id);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('order-text');
    const clockBefore = await page.textContent(
      `#incidents-panel li[data-incident="${id}"] .countdown`,
    );

    // Five live events for this fire, caused through the HTTP API: a crew dispatched, its
    // acknowledgement, its setting out, and two more reports joining the fire.
    const crews = (await (
      await fetch(`${env.product.url}/api/incidents/${id}/dispatchable`, {
        headers: { authorization: `Bearer ${county}` },
      })
    ).json()) as { crews: { id: string; name: string; busyIncidentId: string | null }[] };
    const crew = crews.crews.find((c) => c.busyIncidentId === null);
    if (!crew) throw new Error('no free crew');
    const sent = await api(`/api/incidents/${id}/dispatches`, { crewIds: [crew.id] }, county);
    expect(sent.status, JSON.stringify(sent.body)).toBe(201);
    const dispatchId = (sent.body.dispatchIds as string[])[0];
    for (const status of ['acknowledged', 'en_route']) {
      const r = await api(`/api/dispatches/${dispatchId}/status`, { status }, county);
      expect(r.status, JSON.stringify(r.body)).toBe(200);
    }
    const [lon, lat] = FIRES[0] as [number, number];
    expect(await report([lon + 0.0005, lat], ranger)).toBe(id);
    expect(await report([lon, lat + 0.0005], ranger)).toBe(id);

    // All five heard and shown: the crew en route on the card, three reports on card and list.
    await page.waitForFunction(
      () => (window as unknown as { __events: number }).__events >= 5,
      undefined,
      { timeout: 30_000 },
    );
    await page.waitForSelector(
      `#incident-card .dispatched li[data-crew="${crew.id}"][data-status="en_route"]`,
      { timeout: 30_000 },
    );
    await page.waitForFunction(
      () => (document.querySelector('#incident-card')?.textContent ?? '').includes('报告 (3)'),
      undefined,
      { timeout: 30_000 },
    );
    await page.waitForSelector(
      `#incidents-panel li[data-incident="${id}"] .report-count[data-reports="3"]`,
    );
    await page.waitForSelector(`#incidents-panel li[data-incident="${id}"] [data-crews="1"]`);

    // The order is as typed, the keyboard still in the same box.
    expect(await page.inputValue('#order-text')).toBe(order);
    expect(
      await page.evaluate(
        () => document.activeElement === (window as unknown as { __box: Element }).__box,
      ),
    ).toBe(true);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('order-text');
    // The list kept its scroll.
    expect(
      await page.evaluate(
        () => (document.querySelector('#incidents-panel .incident-list') as HTMLElement).scrollTop,
      ),
    ).toBe(scrolled);
    // The countdown ticked in place: new text, the same element.
    await page.waitForFunction(
      ([fire, before]) =>
        document.querySelector(`#incidents-panel li[data-incident="${fire}"] .countdown`)
          ?.textContent !== before,
      [id, clockBefore] as const,
      { timeout: 10_000 },
    );
    expect(
      await page.evaluate(
        (fire) =>
          document.querySelector(`#incidents-panel li[data-incident="${fire}"] .countdown`) ===
          (window as unknown as { __clock: Element }).__clock,
        id,
      ),
    ).toBe(true);

    // Still typing: the next keys land in the same order.
    await page.keyboard.type('。');
    expect(await page.inputValue('#order-text')).toBe(`${order}。`);
    await page.screenshot({ path: path.join(ROOT, 'test-results/live-typing-1366x768.png') });
    expect(errors).toEqual([]);
    await context.close();
  }, 240_000);
});
