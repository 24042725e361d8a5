/**
 * Fire spread on the command map: the county commander signs in, picks a point with 蔓延推演,
 * and the perimeters are drawn at +10/+20/+30/+60 minutes with the model named and the
 * village the fire reaches listed; switching the model recomputes at once.
 */
import type { Page } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import { isLoopback } from './browser.ts';
import { useFreshProductAndBrowser } from './fresh-product.ts';

const PASSWORD = 'fire-demo-2026';
// 130 m west of the seat of 官庄村, upwind of it in a west wind.
const FIRE: [number, number] = [109.97069, 27.948616];

const env = useFreshProductAndBrowser();

async function perimeterMinutes(page: Page): Promise<number[]> {
  return page.evaluate(async () => {
    const map = (window as unknown as { __map: import('maplibre-gl').Map }).__map;
    const src = map.getSource('spread-perimeters') as import('maplibre-gl').GeoJSONSource;
    const data = (await src.getData()) as unknown as {
      features: { properties: { minutes: number } }[];
    };
    return data.features.map((f) => f.properties.minutes).sort((a, b) => a - b);
  });
}

describe(`fire spread on the command map (${inject('e2eBackend')} backend)`, () => {
  it('draws the perimeters from a picked point, names the model and the village reached', async () => {
    const context = await env.browser.newContext({
      viewport: { width: 1366, height: 768 },
      locale: 'zh-CN',
    });
    await context.route(
      (url) => !isLoopback(url.toString()),
      (route) => route.abort(),
    );
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(env.product.url);
    await page.waitForSelector('body[data-ready=true]', { timeout: 60_000 });
    await page.click('#signin-button');
    await page.fill('#signin-username', 'county');
    await page.fill('#signin-password', PASSWORD);
    await page.click('#signin-submit');
    await page.waitForFunction(
      () => !(document.getElementById('signin-dialog') as HTMLDialogElement).open,
    );

    const point = await page.evaluate(([lon, lat]) => {
      const map = (window as unknown as { __map: import('maplibre-gl').Map }).__map;
      map.jumpTo({ center: [lon as number, lat as number], zoom: 14 });
      const p = map.project([lon as number, lat as number]);
      const r = map.getCanvas().getBoundingClientRect();
      return { x: r.left + p.x, y: r.top + p.y };
    }, FIRE);
    await page.click('#spread-toggle');
    await page.fill('#spread-panel input[name=windMs]', '4');
    await page.selectOption('#spread-panel select[name=windFromDeg]', '270');
    await page.mouse.click(point.x, point.y);
    await page.waitForSelector('#spread-panel[data-ready=true]', { timeout: 60_000 });
    expect(await perimeterMinutes(page)).toEqual([10, 20, 30, 60]);
    const text = await page.textContent('#spread-panel');
    expect(text).toContain('Rothermel');
    expect(text).toContain('官庄村');

    // Another model: recomputed at once, and the panel says which drew the perimeters.
    await page.selectOption('#spread-panel select[name=model]', 'wang');
    await page.waitForFunction(() => {
      const el = document.getElementById('spread-panel') as HTMLElement;
      return el.dataset.ready === 'true' && (el.textContent ?? '').includes('王正非模型');
    });
    expect(await perimeterMinutes(page)).toEqual([10, 20, 30, 60]);
    expect(errors).toEqual([]);
    await context.close();
  });
});
