/**
 * The wall, the laptop and the phone (issue 19, items 3, 7 and 8): the situation bar counts
 * what GET /api/situation counts; wall mode (≥ 1920 px or ?wall=1) sets no text under 18 px,
 * draws map labels and fire markers larger and crews in a colour no fire has; English ages
 * take their plural; at 1366×768 the left column does not overflow and 调派 stays on one line.
 * Screenshots of each layout go to test-results/.
 */
import crypto from 'node:crypto';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import type { Situation } from '../../server/contract/situation.ts';
import { mapSettled, commandPage as openCommandPage, postJson, signIn } from './command-page.ts';
import { useFreshProductAndBrowser } from './fresh-product.ts';
import { ROOT } from './product.ts';

const RESULTS = path.join(ROOT, 'test-results');
const PASSWORD = 'fire-demo-2026';
const env = useFreshProductAndBrowser();
const api = (pathname: string, body: unknown, token?: string) =>
  postJson(env.product.url, pathname, body, token);

/** Fires in several states: the counts have something to count. */
let fires: { dispatched: string; stale: string; reported: string } | null = null;
async function seedFires() {
  if (fires) return fires;
  const login = async (username: string) =>
    (await api('/api/auth/login', { username, password: PASSWORD, client: 'field' })).body
      .token as string;
  const county = await login('county');
  const lookout = await login('lookout');
  const report = async (lon: number, lat: number, token?: string, observedAt = new Date()) => {
    const r = await api(
      '/api/reports',
      {
        clientUuid: crypto.randomUUID(),
        source: token ? 'lookout' : 'public',
        position: { lon, lat },
        observedAt: observedAt.toISOString(),
      },
      token,
    );
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body.incidentId as string;
  };
  // A fire in 高村镇, confirmed and its township crew sent.
  const dispatched = await report(109.8075, 27.8695, lookout);
  for (const to of ['verifying', 'confirmed'])
    expect((await api(`/api/incidents/${dispatched}/transitions`, { to }, county)).status).toBe(
      200,
    );
  expect(
    (await api(`/api/incidents/${dispatched}/dispatches`, { crewIds: ['CR-T106'] }, county)).status,
  ).toBeLessThan(300);
  // A lookout's fire seen 70 minutes ago that nobody has acted on: stale, every target missed.
  const stale = await report(109.62, 27.78, lookout, new Date(Date.now() - 70 * 60_000));
  // A villager's report.
  const reported = await report(109.7, 27.66);
  fires = { dispatched, stale, reported };
  return fires;
}

const commandPage = (width: number, height: number, query = '') =>
  openCommandPage(env.browser, `${env.product.url}/${query}`, { width, height });

/** The numbers the situation bar shows, by their data attributes. */
async function barNumbers(page: Page) {
  return page.evaluate(() => {
    const n = (sel: string) => {
      const el = document.querySelector(`#situation ${sel}`);
      return el ? Number(el.textContent) : null;
    };
    const states: Record<string, number> = {};
    for (const el of document.querySelectorAll<HTMLElement>('#situation .sb-state'))
      states[el.dataset.state as string] = Number(el.querySelector('.sb-value')?.textContent);
    return {
      open: n('[data-count="open"]'),
      stale: n('[data-count="stale"]'),
      states,
      breaches: {
        arrive: n('[data-breach="arrive"]'),
        control: n('[data-breach="control"]'),
        extinguish: n('[data-breach="extinguish"]'),
      },
      byLevel: {
        village: n('[data-level="village"]'),
        township: n('[data-level="township"]'),
        county: n('[data-level="county"]'),
      },
      crews: { onDuty: n('[data-crews="onDuty"]'), committed: n('[data-crews="committed"]') },
    };
  });
}

function expected(s: Situation) {
  const states: Record<string, number> = {};
  for (const [k, v] of Object.entries(s.counts.byState))
    if (v > 0 && k !== 'false_alarm' && k !== 'closed') states[k] = v;
  return {
    open: s.counts.open,
    stale: s.counts.stale,
    states,
    breaches: s.counts.breaches,
    byLevel: s.counts.byLevel,
    crews: s.crews,
  };
}

/** Elements with text of their own that are drawn, and their computed font size (px). */
async function smallText(page: Page, selectors: string) {
  return page.evaluate((sel) => {
    const small: string[] = [];
    let checked = 0;
    for (const root of document.querySelectorAll<HTMLElement>(sel))
      for (const el of [root, ...root.querySelectorAll<HTMLElement>('*')]) {
        const own = [...el.childNodes].some(
          (c) => c.nodeType === Node.TEXT_NODE && (c.textContent ?? '').trim() !== '',
        );
        if (!own || el.getClientRects().length === 0) continue;
        const cs = getComputedStyle(el);
        if (cs.visibility === 'hidden' || cs.display === 'none') continue;
        checked++;
        const px = Number.parseFloat(cs.fontSize);
        if (px < 18)
          small.push(
            `${el.tagName}.${el.className} "${el.textContent?.trim().slice(0, 20)}" ${px}px`,
          );
      }
    return { checked, small };
  }, selectors);
}

describe(`wall, laptop and phone (${inject('e2eBackend')} backend)`, () => {
  it('shows at 1920×1080 the counts GET /api/situation gives, in wall mode with no text under 18 px', async () => {
    const f = await seedFires();
    const { page, errors } = await commandPage(1920, 1080);
    await page.waitForSelector('#situation[data-ready=true]');
    for (const id of Object.values(f))
      await page.waitForSelector(`#incidents-panel li[data-incident="${id}"]`);
    const s = (await (await fetch(`${env.product.url}/api/situation`)).json()) as Situation;
    expect(s.counts.open).toBe(3);
    expect(s.counts.stale).toBe(1);
    expect(s.crews.committed).toBe(1);
    const want = expected(s);
    // The bar reads crews again after live events; wait until it has, then compare all.
    await page
      .waitForFunction(
        (w) => {
          const v = (sel: string) => document.querySelector(`#situation ${sel}`)?.textContent;
          return (
            v('[data-crews="committed"]') === String(w.crews.committed) &&
            v('[data-count="open"]') === String(w.open)
          );
        },
        want,
        { timeout: 30_000 },
      )
      .catch(() => undefined);
    expect(await barNumbers(page)).toEqual(want);
    // The clock is the county's (Asia/Shanghai), whatever the machine's zone.
    const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(
      Date.parse(s.serverTime),
    );
    expect(await page.textContent('#situation .sb-clock')).toContain(day);
    expect(await page.textContent('#situation')).toContain('最近事件');
    // The fire-danger strip sits in the bar.
    expect(await page.locator('#situation #danger-strip').count()).toBe(1);

    // Each row: level, crews sent, reports, sources; the untouched fire is marked stale.
    const row = (id: string) => page.locator(`#incidents-panel li[data-incident="${id}"]`);
    expect(await row(f.dispatched).locator('[data-crews]').getAttribute('data-crews')).toBe('1');
    expect(await row(f.dispatched).locator('.level').textContent()).toBe('村级');
    expect(await row(f.dispatched).locator('.report-count').textContent()).toBe('1 份报告');
    expect(await row(f.dispatched).locator('.sources').textContent()).toBe('铁塔哨兵');
    expect(await row(f.reported).locator('.sources').textContent()).toBe('群众');
    expect(await row(f.stale).getAttribute('data-stale')).toBe('');
    expect(await row(f.stale).locator('.stale').textContent()).toContain('一小时无动作');
    expect(await row(f.reported).locator('.stale').count()).toBe(0);
    // A breached target reads in hours and minutes, not "+60:00".
    expect(await row(f.stale).locator('.countdown').textContent()).toMatch(
      /^到场 超时 1小时(\d+分)?$/,
    );
    // The event feed, in Chinese, newest first; a line opens its fire.
    const feed = await page.locator('#event-feed li').allTextContents();
    expect(feed.length).toBeGreaterThanOrEqual(5);
    expect(feed.join('\n')).toContain('状态变更 → 已调派');
    await page.locator(`#event-feed li[data-incident="${f.reported}"] button`).first().click();
    await page.waitForSelector(`#incident-card[data-incident="${f.reported}"]`);
    await page.keyboard.press('Escape');

    // Wall mode, by width: no text under 18 px in the bars and panels.
    expect(await page.getAttribute('html', 'class')).toContain('wall');
    const text = await smallText(page, '.topbar, #situation, .side-left');
    expect(text.checked).toBeGreaterThan(40);
    expect(text.small).toEqual([]);
    // Larger labels and markers.
    const label = await page.evaluate(() =>
      JSON.stringify(
        (window as unknown as { __map: import('maplibre-gl').Map }).__map.getLayoutProperty(
          'township-labels',
          'text-size',
        ),
      ),
    );
    expect(label).toBe(JSON.stringify(['interpolate', ['linear'], ['zoom'], 8, 19.5, 12, 27]));
    const marker = await page.locator(`.incident-marker[data-incident="${f.dispatched}"]`);
    expect((await marker.boundingBox())?.width).toBeGreaterThanOrEqual(38);
    await mapSettled(page);
    await page.screenshot({ path: path.join(RESULTS, 'wall-1920x1080.png') });
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('draws crews in a colour no fire has', async () => {
    const f = await seedFires();
    const { page } = await commandPage(1366, 768);
    await page.waitForSelector(`.incident-marker[data-incident="${f.dispatched}"]`);
    const colours = await page.evaluate(async () => {
      const rgb = (css: string) => (css.match(/\d+/g) ?? []).slice(0, 3).map(Number);
      const fire = [...document.querySelectorAll<HTMLElement>('.incident-marker')].map((el) =>
        rgb(getComputedStyle(el).backgroundColor),
      );
      // The crews' legend swatch is the map's own icon: its most common opaque colour.
      const swatch = document.querySelector<HTMLElement>(
        '#layer-panel li:has(input[data-layers="crews"]) .swatch',
      ) as HTMLElement;
      const url = getComputedStyle(swatch).backgroundImage.slice(5, -2);
      const img = new Image();
      img.src = url;
      await img.decode();
      const c = document.createElement('canvas');
      c.width = img.width;
      c.height = img.height;
      const g = c.getContext('2d') as CanvasRenderingContext2D;
      g.drawImage(img, 0, 0);
      const data = g.getImageData(0, 0, c.width, c.height).data;
      const seen = new Map<string, number>();
      for (let i = 0; i < data.length; i += 4) {
        if ((data[i + 3] as number) < 250) continue;
        const k = `${data[i]},${data[i + 1]},${data[i + 2]}`;
        if (k === '255,255,255') continue;
        seen.set(k, (seen.get(k) ?? 0) + 1);
      }
      const crew = ([...seen.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? '')
        .split(',')
        .map(Number);
      const live = JSON.stringify(
        (window as unknown as { __map: import('maplibre-gl').Map }).__map.getPaintProperty(
          'crews-live',
          'circle-color',
        ),
      );
      return { fire, crew, live };
    });
    expect(colours.fire.length).toBeGreaterThanOrEqual(3);
    expect(colours.crew).toHaveLength(3);
    const [cr, cg, cb] = colours.crew as [number, number, number];
    // Not red: green and blue outweigh red in the crews' teal.
    expect(cg + cb).toBeGreaterThan(2 * cr);
    for (const [r, g, b] of colours.fire as [number, number, number][]) {
      expect(r).toBeGreaterThan(g + b - 40);
      expect(Math.hypot(r - cr, g - cg, b - cb)).toBeGreaterThan(150);
    }
    for (const fireColour of ['#b71c1c', '#d9480f', '#ef6c00'])
      expect(colours.live).not.toContain(fireColour);
    await page.context().close();
  });

  it('keeps the left column inside itself at 1366×768 and 调派 on one line', async () => {
    const f = await seedFires();
    const { page, errors } = await commandPage(1366, 768);
    expect((await page.getAttribute('html', 'class')) ?? '').not.toContain('wall');
    await signIn(page, 'county');
    await page.waitForSelector(`#incidents-panel li[data-incident="${f.stale}"]`);
    const overflow = await page.evaluate(() => {
      const side = document.querySelector('.side-left') as HTMLElement;
      return { scroll: side.scrollWidth, client: side.clientWidth };
    });
    expect(overflow.scroll).toBeLessThanOrEqual(overflow.client);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      1366,
    );
    // The dispatched fire's card, with its crews ranked: the action bar's 调派 stays on one
    // line.
    await page.click(`#incidents-panel li[data-incident="${f.dispatched}"] button`);
    await page.waitForSelector(`#incident-card[data-incident="${f.dispatched}"]`);
    const button = page.locator('#incident-card [data-action-bar] button[data-dispatch-selected]');
    await button.waitFor({ timeout: 60_000 });
    const lines = await button.evaluate((b) => {
      const lh = Number.parseFloat(getComputedStyle(b).lineHeight) || 20;
      const pad =
        Number.parseFloat(getComputedStyle(b).paddingTop) +
        Number.parseFloat(getComputedStyle(b).paddingBottom);
      return Math.round((b.getBoundingClientRect().height - pad) / lh);
    });
    expect(lines).toBe(1);
    await page.screenshot({ path: path.join(RESULTS, 'laptop-card-1366x768.png') });
    await page.keyboard.press('Escape');
    await mapSettled(page);
    await page.screenshot({ path: path.join(RESULTS, 'laptop-1366x768.png') });
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('turns wall mode on by ?wall=1 at any width, and says English ages with their plural', async () => {
    const f = await seedFires();
    await (async () => {
      const { page } = await commandPage(1366, 768, '?wall=1');
      expect(await page.getAttribute('html', 'class')).toContain('wall');
      const px = await page.evaluate(
        () => getComputedStyle(document.querySelector('#incidents-panel .age') as Element).fontSize,
      );
      expect(Number.parseFloat(px)).toBeGreaterThanOrEqual(18);
      await page.context().close();
    })();
    const { page } = await commandPage(1920, 1080, '?wall=0');
    expect((await page.getAttribute('html', 'class')) ?? '').not.toContain('wall');
    await page.click('#lang-toggle');
    await page.waitForSelector(`#incidents-panel li[data-incident="${f.stale}"] .stale`);
    const text = (await page.textContent('.side-left')) ?? '';
    const ages = [...text.matchAll(/(\d+) (second|minute|hour)(s?) ago/g)];
    expect(ages.length).toBeGreaterThan(2);
    for (const [all, n, , s] of ages) expect(s, all).toBe(n === '1' ? '' : 's');
    expect(text).not.toMatch(/\d(min|s|h)ago/);
    expect(
      await page.textContent(`#incidents-panel li[data-incident="${f.dispatched}"]`),
    ).toContain('1 crew sent');
    await page.context().close();
  });

  it('stays usable on a 390 px phone', async () => {
    const f = await seedFires();
    const { page, errors } = await commandPage(390, 844);
    await page.waitForSelector(`#incidents-panel li[data-incident="${f.stale}"]`);
    // Nothing wider than the phone; the fires, the bar and the map all on screen.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      390,
    );
    for (const sel of ['#situation', '#incidents-panel', '#map', '#signin-button']) {
      const box = await page.locator(sel).boundingBox();
      expect(box, sel).not.toBeNull();
      expect((box?.x ?? -1) >= 0 && (box?.x ?? 0) + (box?.width ?? 0) <= 390, sel).toBe(true);
    }
    await page.click(`#incidents-panel li[data-incident="${f.stale}"] button`);
    await page.waitForSelector(`#incident-card[data-incident="${f.stale}"]`);
    const card = await page.locator('#incident-card').boundingBox();
    expect((card?.x ?? -1) >= 0 && (card?.x ?? 0) + (card?.width ?? 0) <= 390).toBe(true);
    await page.keyboard.press('Escape');
    await mapSettled(page);
    await page.screenshot({ path: path.join(RESULTS, 'phone-390x844.png') });
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
