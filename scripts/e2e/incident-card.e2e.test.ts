/**
 * The incident card end to end: from a new report to crews moving in three clicks (open the
 * fire, tick a second crew, 确认并调派) with the action bar pinned, the 10-minute callout and
 * each crew's ETA and arrival countdown; a refusal said where the user acted, in Chinese,
 * kept across live events until dismissed; a typed order kept through a live event and a
 * refusal; the forward command post placed by clicking the map and named; a raise to the
 * county with its reason and confirmation, alarmed and badged on the county's page until
 * acknowledged. Screenshots of the card mid-dispatch at 1920×1080 and 1366×768 and of the
 * county's alert list.
 */
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import {
  demoToken,
  commandPage as openCommandPage,
  openFromList,
  postJson,
  rangerReport,
  signIn,
} from './command-page.ts';
import { useFreshProductAndBrowser } from './fresh-product.ts';
import { ROOT } from './product.ts';

/** No crew reaches this place in 10 minutes (the fastest, CR-T204, needs about 14). */
const REMOTE: [number, number] = [109.6, 27.75];
/** Fires in 高村镇, the demo township commander's own, 1 km and more apart. */
const GAOCUN_A: [number, number] = [109.8075, 27.8695];
const GAOCUN_B: [number, number] = [109.79, 27.885];
const GAOCUN_C: [number, number] = [109.8, 27.895];

const env = useFreshProductAndBrowser();
const api = (pathname: string, body: unknown, token?: string) =>
  postJson(env.product.url, pathname, body, token);

const token = (username: string) => demoToken(env.product.url, username);
const report = async (at: [number, number], who: string) =>
  rangerReport(env.product.url, at, await token(who));

/** Counts the user's own clicks on the page (trusted events only). */
async function countClicks(page: Page) {
  await page.evaluate(() => {
    const w = window as unknown as { __clicks: number };
    w.__clicks = 0;
    document.addEventListener(
      'click',
      (e) => {
        if (e.isTrusted) w.__clicks++;
      },
      true,
    );
  });
  return () => page.evaluate(() => (window as unknown as { __clicks: number }).__clicks);
}

/** Is the element wholly inside the card's visible box? */
async function inCardView(page: Page, selector: string): Promise<boolean> {
  return page.evaluate((sel) => {
    const card = document.getElementById('incident-card') as HTMLElement;
    const el = card.querySelector(sel) as HTMLElement | null;
    if (!el) return false;
    const c = card.getBoundingClientRect();
    const r = el.getBoundingClientRect();
    return r.top >= c.top - 1 && r.bottom <= c.bottom + 1 && r.height > 0;
  }, selector);
}

describe(`the incident card (${inject('e2eBackend')} backend)`, () => {
  it('a new report to two crews moving in three clicks, the bar pinned, ETAs counting down', async () => {
    const { page, errors, context } = await openCommandPage(env.browser, env.product.url, {
      width: 1920,
      height: 1080,
    });
    await signIn(page, 'county');
    const clicks = await countClicks(page);

    // The alert: a ranger's report of a fire no crew reaches in 10 minutes.
    const id = await report(REMOTE, 'ranger');
    await page.waitForSelector(`#incidents-panel li[data-incident="${id}"]`, { timeout: 30_000 });

    // 1: open it. The fastest free crew is ticked for the commander.
    await openFromList(page, id);
    await page.waitForSelector('#incident-card input[data-pick]:checked', { timeout: 60_000 });
    // Every crew the county may send is offered, not the nearest eight.
    expect(await page.locator('#incident-card input[data-pick]').count()).toBeGreaterThan(100);
    const callout = page.locator('#incident-card .callout.no-ten-minute');
    await callout.waitFor();
    expect(await callout.textContent()).toMatch(
      /^没有队伍能在 10 分钟内到达 · 最快:.+ 约 \d+ 分钟$/,
    );
    const best = await page.getAttribute('#incident-card input[data-pick]:checked', 'data-pick');
    expect(await callout.textContent()).toContain(
      (await page.textContent(`#incident-card tr[data-crew="${best}"] label`)) ?? '?',
    );

    // 2: a second crew, the next fastest.
    const second = page
      .locator('#incident-card input[data-pick]:not(:checked):not(:disabled)')
      .first();
    const secondId = await second.getAttribute('data-pick');
    await second.click();
    expect(await page.textContent('#incident-card [data-confirm-dispatch]')).toBe('确认并调派 (2)');
    await page.screenshot({
      path: path.join(ROOT, 'test-results/incident-card-chosen-1920x1080.png'),
    });

    // 3: 确认并调派: confirmed and both crews ordered in one step.
    await page.click('#incident-card [data-confirm-dispatch]');
    for (const crew of [best, secondId])
      await page.waitForSelector(
        `#incident-card .dispatched li[data-crew="${crew}"][data-status="ordered"]`,
        { timeout: 30_000 },
      );
    expect(await clicks()).toBe(3);
    await page.waitForFunction(
      () => document.getElementById('incident-card')?.dataset.state === 'dispatched',
    );
    // Each crew sent: its ETA and a countdown to its arrival.
    for (const li of await page.locator('#incident-card .dispatched li').all()) {
      expect(await li.locator('.eta').textContent()).toMatch(/预计 约 \d+ 分钟/);
      expect(await li.locator('.arrival').textContent()).toMatch(
        /\d{2}:\d{2} 到达 · (还有|已超预计) \d+(秒|分钟)/,
      );
    }
    // The callout still names the fastest crew, now one already sent.
    await page.waitForFunction(
      (name) =>
        (
          document.querySelector('#incident-card .callout.no-ten-minute')?.textContent ?? ''
        ).includes(name),
      (await page.textContent(`#incident-card tr[data-crew="${best}"] label`)) ?? '?',
    );
    // Now 调派 (more crews) and nothing English on the bar.
    await page.waitForSelector('#incident-card [data-dispatch-selected]');
    expect(await page.textContent('#incident-card .card-top')).not.toMatch(/[A-Za-z]{3,}/);

    // The bar stays pinned in view when the card is scrolled to its end.
    await page.evaluate(() => {
      const card = document.getElementById('incident-card') as HTMLElement;
      card.scrollTop = card.scrollHeight;
    });
    expect(
      await page.evaluate(() => document.getElementById('incident-card')?.scrollTop),
    ).toBeGreaterThan(0);
    expect(await inCardView(page, '[data-action-bar]')).toBe(true);
    await page.evaluate(() => {
      (document.getElementById('incident-card') as HTMLElement).scrollTop = 0;
    });
    await page.screenshot({
      path: path.join(ROOT, 'test-results/incident-card-dispatch-1920x1080.png'),
    });
    const timeline = (await page.locator('#incident-card .timeline li').allTextContents()).join(
      '\n',
    );
    expect(timeline).toContain('核实中');
    expect(timeline).toContain('已确认');
    expect(errors).toEqual([]);
    await context.close();
  }, 240_000);

  it('a refusal stays where the user acted, in Chinese; a typed order survives; the command post goes where clicked', async () => {
    const county = await token('county');
    // A crew busy elsewhere that the commander's page still believes free (a race).
    const elsewhere = await report(GAOCUN_B, 'ranger');
    for (const to of ['verifying', 'confirmed'])
      await api(`/api/incidents/${elsewhere}/transitions`, { to }, county);
    const { page, errors, context } = await openCommandPage(env.browser, env.product.url, {
      width: 1366,
      height: 768,
    });
    await signIn(page, 'twp-gaocun');
    const id = await report(GAOCUN_A, 'ranger');
    let stale: string | null = null;
    await page.route('**/api/incidents/*/dispatchable', async (route) => {
      const res = await route.fetch();
      const body = await res.json();
      for (const c of body.crews) if (c.id === stale) c.busyIncidentId = null;
      await route.fulfill({ response: res, json: body });
    });
    await page.waitForSelector(`#incidents-panel li[data-incident="${id}"]`, { timeout: 30_000 });
    await openFromList(page, id);
    await page.waitForSelector('#incident-card input[data-pick]:checked', { timeout: 60_000 });
    const busyCrew = await page.getAttribute(
      '#incident-card input[data-pick]:checked',
      'data-pick',
    );
    stale = busyCrew;
    expect(
      (await api(`/api/incidents/${elsewhere}/dispatches`, { crewIds: [busyCrew] }, county)).status,
    ).toBe(201);

    // 确认并调派: the server refuses; the bar says why, in Chinese, and nothing moved.
    expect(await page.getAttribute('#incident-card', 'data-state')).toBe('reported');
    await page.click('#incident-card [data-confirm-dispatch]');
    const refusal = page.locator('#incident-card [data-refusal="bar"]');
    await refusal.waitFor();
    expect(await refusal.getAttribute('data-code')).toBe('dispatch.crew_busy');
    expect(await refusal.textContent()).toMatch(/正在执行另一处火情的任务,未调派/);
    expect(await refusal.textContent()).not.toMatch(/[A-Za-z]{3,}/);
    expect(await inCardView(page, '[data-refusal="bar"]')).toBe(true);
    await page.screenshot({
      path: path.join(ROOT, 'test-results/incident-card-refused-1366x768.png'),
    });

    // A live event (a second report of the same fire) leaves the refusal where it is.
    await report([GAOCUN_A[0] + 0.0005, GAOCUN_A[1]], 'ranger');
    await page.waitForFunction(() =>
      (document.querySelector('#incident-card')?.textContent ?? '').includes('报告 (2)'),
    );
    expect(await refusal.count()).toBe(1);
    await page.click('#incident-card [data-refusal="bar"] .dismiss');
    expect(await refusal.count()).toBe(0);

    // The commander takes another crew and sends it.
    stale = null;
    await page.uncheck(`#incident-card input[data-pick="${busyCrew}"]`);
    await page
      .locator(`#incident-card input[data-pick]:not(:disabled):not([data-pick="${busyCrew}"])`)
      .first()
      .check();
    await page.click('#incident-card [data-confirm-dispatch]');
    await page.waitForSelector('#incident-card .dispatched li[data-status="ordered"]', {
      timeout: 30_000,
    });
    await page.screenshot({
      path: path.join(ROOT, 'test-results/incident-card-dispatch-1366x768.png'),
    });

    // A typed order survives a live event and a refusal; sent, it leaves the box.
    const order = '沿东侧山脊布设隔离带';
    await page.fill('#order-text', order);
    await report([GAOCUN_A[0], GAOCUN_A[1] + 0.0005], 'ranger');
    await page.waitForFunction(() =>
      (document.querySelector('#incident-card')?.textContent ?? '').includes('报告 (3)'),
    );
    expect(await page.inputValue('#order-text')).toBe(order);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('order-text');
    // The server refuses what reaches it (here: an empty text, 400): the box keeps the order.
    await page.route('**/api/incidents/*/orders', (route) =>
      route.continue({ postData: JSON.stringify({ text: '' }) }),
    );
    await page.click('#incident-card [data-send-order]');
    await page.waitForSelector('#incident-card [data-refusal="order"]');
    expect(await page.textContent('#incident-card [data-refusal="order"]')).toContain('输入有误');
    expect(await page.inputValue('#order-text')).toBe(order);
    await page.unroute('**/api/incidents/*/orders');
    await page.click('#incident-card [data-send-order]');
    await page.waitForSelector('#incident-card .orders li');
    expect(await page.textContent('#incident-card .orders li')).toContain(order);
    expect(await page.inputValue('#order-text')).toBe('');
    expect(await page.locator('#incident-card [data-refusal="order"]').count()).toBe(0);

    // The forward command post: chosen on the map, named, set there.
    await page.click('#incident-card [data-command-post]');
    await page.waitForSelector('#incident-card .pick-prompt:not([hidden])');
    const mapBox = await page.locator('#map').boundingBox();
    if (!mapBox) throw new Error('no map');
    const at = { x: mapBox.x + mapBox.width * 0.45, y: mapBox.y + mapBox.height * 0.55 };
    const expected = await page.evaluate(({ x, y }) => {
      const m = (window as unknown as { __map: import('maplibre-gl').Map }).__map;
      const r = m.getCanvas().getBoundingClientRect();
      const ll = m.unproject([x - r.left, y - r.top]);
      return [ll.lng, ll.lat];
    }, at);
    await page.mouse.click(at.x, at.y);
    await page.waitForSelector('#incident-card .post-form:not([hidden])');
    // The map click placed the post; it opened no grid card and kept this one.
    expect(await page.locator('#card-panel').isHidden()).toBe(true);
    await page.fill('#post-name', '岩门前指');
    await page.click('#incident-card [data-place-post]');
    await page.waitForSelector('#incident-card [data-post="岩门前指"]');
    const command = (await (
      await fetch(`${env.product.url}/api/incidents/${id}/command`, {
        headers: { authorization: `Bearer ${county}` },
      })
    ).json()) as { commandPost: { name: string; location: [number, number] } };
    expect(command.commandPost.name).toBe('岩门前指');
    expect(Math.abs(command.commandPost.location[0] - (expected[0] as number))).toBeLessThan(1e-4);
    expect(Math.abs(command.commandPost.location[1] - (expected[1] as number))).toBeLessThan(1e-4);

    expect(errors).toEqual([]);
    await context.close();
  }, 240_000);

  it('raising to the county asks a reason and a confirmation; the county hears its own alarm and keeps a badge until it acknowledges', async () => {
    const countyPage = await openCommandPage(env.browser, env.product.url, {
      width: 1366,
      height: 768,
    });
    await signIn(countyPage.page, 'county');
    await countyPage.page.waitForFunction(() => {
      const w = window as unknown as { __live?: { status: string } };
      return w.__live?.status === 'live';
    });
    // The tones the county's page starts: a new report's beep is one sine, the upward alarm
    // square waves (AudioContext oscillators, counted by type).
    await countyPage.page.evaluate(() => {
      const w = window as unknown as { __tones: string[] };
      w.__tones = [];
      const start = OscillatorNode.prototype.start;
      OscillatorNode.prototype.start = function (...args) {
        w.__tones.push(this.type);
        return start.apply(this, args);
      };
    });
    const twp = await openCommandPage(env.browser, env.product.url, { width: 1366, height: 768 });
    await signIn(twp.page, 'twp-gaocun');
    const id = await report(GAOCUN_C, 'ranger');
    await openFromList(twp.page, id);
    // The village's fire comes to the township first: one click, no confirmation.
    await twp.page.click('#incident-card [data-escalate="township"]');
    await twp.page.waitForSelector('#incident-card .escalation[data-level="township"]', {
      timeout: 30_000,
    });
    const raise = twp.page.locator('#incident-card [data-escalate="county"]');
    await raise.waitFor();

    // No reason: said at the reason box, nothing sent.
    let raises = 0;
    twp.page.on('request', (r) => {
      if (r.url().endsWith('/escalations')) raises++;
    });
    await raise.click();
    await twp.page.waitForSelector('#incident-card [data-refusal="escalate-reason"]:not([hidden])');
    expect(await twp.page.textContent('#incident-card [data-refusal="escalate-reason"]')).toBe(
      '升级至县级指挥须填写原因',
    );
    expect(await twp.page.evaluate(() => document.activeElement?.id)).toBe('escalate-reason');
    // With a reason: a confirmation naming the level; 取消 sends nothing.
    await twp.page.fill('#escalate-reason', '火势向国有林场蔓延');
    await raise.click();
    const confirm = twp.page.locator('#incident-card .confirm-raise');
    await confirm.waitFor();
    expect(await confirm.textContent()).toContain('确认升级至县级指挥 · 战区联动?');
    await twp.page.click('#incident-card [data-escalate-cancel]');
    expect(await confirm.isHidden()).toBe(true);
    expect(raises).toBe(0);
    await raise.click();
    await twp.page.click('#incident-card [data-escalate-confirm]');
    await twp.page.waitForSelector('#incident-card .escalation[data-level="county"]', {
      timeout: 30_000,
    });
    expect(raises).toBe(1);
    // The raiser's own page is not alarmed by his raise.
    expect(await twp.page.locator('#alerts-badge').isHidden()).toBe(true);

    // The county: a badge with the count, its own alarm, the raise and its reason in the list.
    const { page } = countyPage;
    await page.waitForSelector('#alerts-badge:not([hidden])', { timeout: 30_000 });
    expect(await page.getAttribute('#alerts-badge', 'data-count')).toBe('1');
    expect(await page.textContent('#alerts-badge')).toBe('待确认 1');
    const tones = await page.evaluate(() => (window as unknown as { __tones: string[] }).__tones);
    expect(tones.filter((t) => t === 'square')).toHaveLength(4);
    await page.click('#alerts-badge');
    const item = page.locator('#alerts-panel li[data-type="escalated"]');
    await item.waitFor();
    expect(await item.textContent()).toMatch(/升级至县级指挥 · 战区联动.*高村镇/);
    expect(await item.textContent()).toContain('原因:火势向国有林场蔓延');
    await page.screenshot({ path: path.join(ROOT, 'test-results/upward-alert-1366x768.png') });
    // A reload keeps it: unacknowledged is the server's to say, not the page's memory.
    await page.reload();
    await page.waitForSelector('body[data-ready=true]', { timeout: 60_000 });
    await page.waitForSelector('#alerts-badge:not([hidden])', { timeout: 30_000 });
    await page.click('#alerts-badge');
    await page.click('#alerts-panel li[data-type="escalated"] [data-ack]');
    await page.waitForSelector('#alerts-badge', { state: 'hidden' });
    const left = (await (
      await fetch(`${env.product.url}/api/alerts`, {
        headers: { authorization: `Bearer ${await token('county')}` },
      })
    ).json()) as { alerts: unknown[] };
    expect(left.alerts).toEqual([]);

    expect(countyPage.errors).toEqual([]);
    expect(twp.errors).toEqual([]);
    await countyPage.context.close();
    await twp.context.close();
  }, 240_000);
});
