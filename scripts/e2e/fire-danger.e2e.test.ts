/**
 * Fire danger and warnings in the browser: the wall's today strip and the danger choropleth
 * with its 3-day slider (screenshot in test-results/), the 挂旗 badge from 三级 in the strip,
 * the table and on a grid card, a warning whose area the county commander draws on the map,
 * and a warning for 高村镇 heard live by a field page in 高村镇 and not by one in 江口墟镇.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { DEMO_PASSWORD } from '../../server/geodata/demo-users.ts';
import { isLoopback } from './browser.ts';
import { commandPage, mapSettled, signIn } from './command-page.ts';
import { useFreshProductAndBrowser } from './fresh-product.ts';
import { ROOT } from './product.ts';

const env = useFreshProductAndBrowser();
/** QX/T 77-2007: 三级 yellow, 四级 orange, 五级 red; no flag below 三级. */
const FLAG_OF_LEVEL: Record<number, string | undefined> = { 3: 'yellow', 4: 'orange', 5: 'red' };
const GAOCUN = { code: '431226106', longitude: 109.803, latitude: 27.878 };
const JIANGKOU = { code: '431226102', longitude: 110.0667, latitude: 27.9653 };

/** Moves the day slider as a hand would: value, then an input event. */
/** Waits until the map has its style and every tile in view (SwiftShader is slow). */
async function mapLoaded(page: import('playwright-core').Page) {
  await page.waitForFunction(
    () => (window as unknown as { __map: { loaded(): boolean } }).__map.loaded(),
    null,
    { timeout: 60_000 },
  );
}

async function setDay(page: import('playwright-core').Page, day: number) {
  await page.$eval(
    '#danger-day',
    (el, d) => {
      (el as HTMLInputElement).value = String(d);
      el.dispatchEvent(new Event('input', { bubbles: true }));
    },
    day,
  );
}

async function fieldPage(at: { longitude: number; latitude: number }) {
  const ctx = await env.browser.newContext({
    viewport: { width: 390, height: 844 },
    isMobile: true,
    locale: 'zh-CN',
    permissions: ['geolocation'],
    geolocation: { ...at, accuracy: 15 },
  });
  await ctx.route(
    (url) => !isLoopback(url.toString()),
    (route) => route.abort(),
  );
  const page = await ctx.newPage();
  await page.goto(`${env.product.url}/field`);
  // The page knows where it is (its township) once the place has loaded.
  await page.waitForFunction(
    () => (document.getElementById('where')?.textContent ?? '—') !== '—',
    null,
    {
      timeout: 60_000,
    },
  );
  return { ctx, page };
}

describe(`fire danger and warnings (${inject('e2eBackend')} backend)`, () => {
  it('the wall shows the today strip and the danger layer, with a slider over 4 days', {
    timeout: 360_000,
  }, async () => {
    const ctx = await env.browser.newContext({
      viewport: { width: 1920, height: 1080 },
      locale: 'zh-CN',
    });
    await ctx.route(
      (url) => !isLoopback(url.toString()),
      (route) => route.abort(),
    );
    const page = await ctx.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(env.product.url);
    await page.waitForSelector('body[data-ready=true]', { timeout: 180_000 });
    await page.waitForSelector('#danger-panel[data-ready=true]', { timeout: 30_000 });
    const strip = (await page.textContent('#danger-strip')) ?? '';
    expect(strip).toContain('今日');
    expect(strip).toMatch(/最高 [一二三四五]级/);
    const summary = await (await fetch(`${env.product.url}/api/fire-danger/summary`)).json();
    expect(summary.dates).toHaveLength(4);
    // The choropleth colours every township by its level (its feature state).
    const todayRows: { code: string; level: number }[] = await (
      await fetch(`${env.product.url}/api/fire-danger?date=${summary.dates[0]}&level=township`)
    ).json();
    const states = (await page.evaluate(`(() => {
      const map = window.__map;
      return ${JSON.stringify(todayRows.map((r) => r.code))}.map((id) =>
        map.getFeatureState({ source: 'county', sourceLayer: 'townships', id }).danger ?? null);
    })()`)) as (string | null)[];
    expect(states).toHaveLength(18);
    // One colour per level, a different one for each level.
    const colourOfLevel = new Map<number, string | null>();
    for (const [i, r] of todayRows.entries()) {
      expect(states[i], r.code).toMatch(/^#[0-9a-f]{6}$/i);
      expect(colourOfLevel.get(r.level) ?? states[i], r.code).toBe(states[i]);
      colourOfLevel.set(r.level, states[i] ?? null);
    }
    expect(new Set(colourOfLevel.values()).size).toBe(colourOfLevel.size);
    // And the townships drawn on the map carry them: the tiles know each township by its
    // code (the style's promoteId), so the state reaches the features the layer draws.
    await mapLoaded(page);
    const drawn = (await page.evaluate(`window.__map
      .queryRenderedFeatures({ layers: ['danger-townships'] })
      .map((f) => [f.properties.code, f.state.danger ?? null])`)) as [string, string | null][];
    const levelOf = new Map(todayRows.map((r) => [r.code, r.level]));
    expect(new Set(drawn.map(([code]) => code)).size).toBeGreaterThanOrEqual(15);
    for (const [code, danger] of drawn)
      expect(danger, code).toBe(colourOfLevel.get(levelOf.get(code) ?? -1));
    // MapLibre builds the style again from itself after a lost WebGL context or a restarted
    // worker; the colours come back on the new style.
    await page.evaluate(`window.__map.setStyle(window.__map.getStyle(), { diff: false })`);
    await mapLoaded(page);
    const again = (await page.evaluate(
      `window.__map.getFeatureState({ source: 'county', sourceLayer: 'townships', id: '${todayRows[0]?.code}' }).danger ?? null`,
    )) as string | null;
    expect(again).toBe(colourOfLevel.get(todayRows[0]?.level ?? -1));
    // The slider moves to the third forecast day.
    await setDay(page, 3);
    await page.waitForSelector(`#danger-panel[data-day="${summary.dates[3]}"]`);
    await setDay(page, 0);
    await page.waitForSelector(`#danger-panel[data-day="${summary.dates[0]}"]`);
    // Tiles of the new colours drawn (SwiftShader is slow).
    await mapLoaded(page);
    await page.waitForTimeout(3000);
    fs.mkdirSync(path.join(ROOT, 'test-results'), { recursive: true });
    await page.screenshot({ path: path.join(ROOT, 'test-results/wall-fire-danger-1920x1080.png') });
    // 挂旗: the demo season's dry spell puts the county at 三级 or above today, so the strip
    // hangs the flag of the highest level's colour.
    expect(summary.highest).toBeGreaterThanOrEqual(3);
    const stripFlag = page.locator('#danger-strip .flag-badge');
    expect(await stripFlag.getAttribute('data-flag')).toBe(FLAG_OF_LEVEL[summary.highest]);
    expect(await stripFlag.textContent()).toMatch(/^挂[黄橙红]旗$/);
    expect(await stripFlag.isVisible()).toBe(true);
    // The table view lists the townships with their levels, a flag on each from 三级.
    await page.click('#danger-view');
    expect(await page.locator('.danger-table tbody tr').count()).toBe(18);
    let flagged = 0;
    for (const r of todayRows) {
      const badge = page.locator(`.danger-table tr[data-code="${r.code}"] .flag-badge`);
      if (FLAG_OF_LEVEL[r.level]) {
        expect(await badge.getAttribute('data-flag'), r.code).toBe(FLAG_OF_LEVEL[r.level]);
        flagged++;
      } else expect(await badge.count(), r.code).toBe(0);
    }
    expect(flagged).toBeGreaterThan(0);
    await page.screenshot({
      path: path.join(ROOT, 'test-results/wall-fire-danger-table-1920x1080.png'),
    });
    // The grid card: the grid of highest danger today, found by search, flags its days from 三级.
    const grids: { code: string; level: number }[] = await (
      await fetch(`${env.product.url}/api/fire-danger?date=${summary.dates[0]}&level=grid`)
    ).json();
    const grid = grids.reduce((a, b) => (b.level > a.level ? b : a));
    expect(grid.level).toBeGreaterThanOrEqual(3);
    const days: { days: { level: number }[] } = await (
      await fetch(`${env.product.url}/api/fire-danger/grids/${grid.code}`)
    ).json();
    await page.keyboard.press('/');
    await page.keyboard.type(grid.code);
    await page.waitForSelector(`#search-results li[role=option] .name:text-is("${grid.code}")`);
    await page.keyboard.press('Enter');
    await page.waitForSelector(`#card-panel[data-ready=true][data-id="${grid.code}"] .card-danger`);
    const cardFlags = await page
      .locator('#card-panel .card-danger .day')
      .evaluateAll((els) =>
        els.map((e) => e.querySelector('.flag-badge')?.getAttribute('data-flag') ?? null),
      );
    expect(cardFlags).toEqual(days.days.map((d) => FLAG_OF_LEVEL[d.level] ?? null));
    expect(cardFlags[0]).toBe(FLAG_OF_LEVEL[grid.level]);
    await mapSettled(page);
    await page.screenshot({
      path: path.join(ROOT, 'test-results/wall-grid-card-flag-1920x1080.png'),
    });
    expect(errors).toEqual([]);
    await ctx.close();
  });

  it('the county commander draws a warning area on the map; it goes out as the CAP polygon', async () => {
    const { context, page, errors } = await commandPage(env.browser, env.product.url, {
      width: 1920,
      height: 1080,
    });
    await signIn(page, 'county');
    await page.waitForSelector('#warning-form details');
    await page.click('#warning-form summary');
    // Around 高村镇's seat, in view: four clicks on the map, then 完成绘制.
    const corners = [
      [109.79, 27.87],
      [109.82, 27.87],
      [109.82, 27.89],
      [109.79, 27.89],
    ];
    await page.evaluate(() => {
      const map = (window as unknown as { __map: import('maplibre-gl').Map }).__map;
      map.jumpTo({ center: [109.805, 27.88], zoom: 12 });
    });
    await page.click('#warning-form button[name=draw]');
    for (const [i, c] of corners.entries()) {
      const p = await page.evaluate((lonLat) => {
        const map = (window as unknown as { __map: import('maplibre-gl').Map }).__map;
        const xy = map.project(lonLat as [number, number]);
        const r = map.getCanvas().getBoundingClientRect();
        return { x: r.left + xy.x, y: r.top + xy.y };
      }, c);
      await page.mouse.click(p.x, p.y);
      await page.waitForFunction(
        (n) =>
          (document.querySelector('#warning-form .draw-status')?.textContent ?? '').includes(
            `已 ${n} 个`,
          ),
        i + 1,
      );
    }
    // No grid card opened by those clicks: they were vertices.
    expect(await page.isHidden('#card-panel')).toBe(true);
    await page.click('#warning-form button[name=draw]');
    expect(await page.textContent('#warning-form .draw-status')).toContain('地图绘制(4 个顶点)');
    expect(await page.isDisabled('#warning-form select[name=townships]')).toBe(true);
    await page.fill('#warning-form textarea[name=body]', '高村镇城区周边山林火险高,严禁野外用火');
    await mapSettled(page);
    await page.screenshot({
      path: path.join(ROOT, 'test-results/wall-warning-drawn-area-1920x1080.png'),
    });
    await page.click('#warning-form button[type=submit]');
    await page.waitForFunction(() =>
      (document.querySelector('#warning-form [role=alert]')?.textContent ?? '').startsWith(
        '已发布',
      ),
    );
    const identifier = ((await page.textContent('#warning-form [role=alert]')) ?? '')
      .replace('已发布', '')
      .trim();
    const list: { id: string; identifier: string; area: { coordinates: number[][][][] } | null }[] =
      await (await fetch(`${env.product.url}/api/warnings`)).json();
    const w = list.find((x) => x.identifier === identifier);
    expect(w?.area?.coordinates[0]?.[0]).toHaveLength(5);
    // CAP writes the closed ring as lat,lon pairs: the first corner first and last.
    const cap = await (await fetch(`${env.product.url}/api/warnings/${w?.id}/cap.xml`)).text();
    const polygon = /<polygon>([^<]+)<\/polygon>/.exec(cap)?.[1]?.trim().split(/\s+/) ?? [];
    expect(polygon).toHaveLength(5);
    expect(polygon[0]).toBe(polygon[4]);
    const [lat, lon] = (polygon[0] ?? '').split(',').map(Number);
    expect(lat).toBeCloseTo(27.87, 3);
    expect(lon).toBeCloseTo(109.79, 3);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('a warning for 高村镇 is heard live by the field page in 高村镇 and not by the one in 江口墟镇', async () => {
    const inside = await fieldPage(GAOCUN);
    const outside = await fieldPage(JIANGKOU);
    // Let both sockets join their township's room.
    await inside.page.waitForTimeout(1500);
    const login = await fetch(`${env.product.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'twp-gaocun', password: DEMO_PASSWORD, client: 'field' }),
    });
    const { token } = await login.json();
    const res = await fetch(`${env.product.url}/api/warnings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({
        level: 'orange',
        body: '高村镇森林火险等级高，严禁野外用火',
        measures: '护林员加密巡护',
        townshipCodes: [GAOCUN.code],
        expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
      }),
    });
    expect(res.status).toBe(201);
    const { id } = await res.json();
    await inside.page.waitForSelector(`#warnings .warning[data-id="${id}"]`, { timeout: 15_000 });
    expect(await inside.page.textContent('#warnings')).toContain('严禁野外用火');
    await inside.page.screenshot({
      path: path.join(ROOT, 'test-results/field-warning-390x844.png'),
    });
    // The other township's page: give it the same time again; nothing arrives or is listed.
    await outside.page.waitForTimeout(2000);
    expect(await outside.page.locator(`#warnings .warning[data-id="${id}"]`).count()).toBe(0);
    expect(await outside.page.isHidden('#warnings')).toBe(true);
    await inside.ctx.close();
    await outside.ctx.close();
  });
});
