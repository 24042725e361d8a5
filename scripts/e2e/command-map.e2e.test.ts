import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { isLoopback, launchChromium } from './browser.ts';
import { startFreshProduct } from './fresh-product.ts';
import { ROOT } from './product.ts';

const RESULTS = path.join(ROOT, 'test-results');
let browser: Browser;
let close: () => Promise<void>;
let product: Awaited<ReturnType<typeof startFreshProduct>>;

beforeAll(async () => {
  product = await startFreshProduct();
  ({ browser, close } = await launchChromium());
  fs.mkdirSync(RESULTS, { recursive: true });
});
afterAll(async () => {
  await close?.();
  await product?.shutdown();
});

interface PageWatch {
  page: Page;
  consoleErrors: string[];
  offMachine: string[];
}

async function openCommandMap(width: number, height: number): Promise<PageWatch> {
  const context = await browser.newContext({ viewport: { width, height }, locale: 'zh-CN' });
  const page = await context.newPage();
  const consoleErrors: string[] = [];
  const offMachine: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
  page.on('request', (r) => {
    if (!isLoopback(r.url())) offMachine.push(r.url());
  });
  // Any request that would leave the machine is refused, and recorded above.
  await context.route(
    (url) => !isLoopback(url.toString()),
    (route) => route.abort(),
  );
  await page.goto(product.url);
  await page.waitForFunction(
    () => (window as unknown as { __mapIdle?: boolean }).__mapIdle === true,
    null,
    {
      timeout: 60_000,
    },
  );
  return { page, consoleErrors, offMachine };
}

/** Distinct colours among sampled pixels of the map canvas (a blank canvas has one). */
async function canvasColourCount(page: Page): Promise<number> {
  return page.evaluate(() => {
    const map = (window as unknown as { __map: { getCanvas(): HTMLCanvasElement } }).__map;
    const src = map.getCanvas();
    const c = document.createElement('canvas');
    c.width = 200;
    c.height = 120;
    const ctx = c.getContext('2d') as CanvasRenderingContext2D;
    ctx.drawImage(src, 0, 0, c.width, c.height);
    const data = ctx.getImageData(0, 0, c.width, c.height).data;
    const colours = new Set<number>();
    for (let i = 0; i < data.length; i += 4) {
      colours.add(
        ((data[i] as number) << 16) | ((data[i + 1] as number) << 8) | (data[i + 2] as number),
      );
    }
    return colours.size;
  });
}

describe(`command map (${inject('e2eBackend')} backend)`, () => {
  for (const [width, height] of [
    [1366, 768],
    [1920, 1080],
  ] as const) {
    it(`renders the county at ${width}×${height} with nothing leaving the machine`, async () => {
      const { page, consoleErrors, offMachine } = await openCommandMap(width, height);
      expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
      expect(await page.textContent('h1')).toBe('森林防火挂图作战指挥平台');
      expect(consoleErrors).toEqual([]);
      expect(offMachine).toEqual([]);
      // Background, county fill, outline and halo at least.
      expect(await canvasColourCount(page)).toBeGreaterThan(3);
      await page.screenshot({ path: path.join(RESULTS, `command-map-${width}x${height}.png`) });
      await page.context().close();
    });
  }

  it('toggles layers from the layer panel with the keyboard, and shows a legend swatch for each', async () => {
    const { page } = await openCommandMap(1366, 768);
    const roadsToggle = page.locator('#layer-panel input[data-layers="roads"]');
    expect(await page.locator('#layer-panel li').count()).toBeGreaterThanOrEqual(10);
    expect(await page.locator('#layer-panel .swatch').count()).toBe(
      await page.locator('#layer-panel li').count(),
    );
    expect(
      await page.textContent('#layer-panel li:has(input[data-layers="roads"]) label'),
    ).toContain('道路');
    await roadsToggle.focus();
    await page.keyboard.press('Space');
    const visibility = () =>
      page.evaluate(() =>
        (
          window as unknown as { __map: { getLayoutProperty(l: string, p: string): string } }
        ).__map.getLayoutProperty('roads', 'visibility'),
      );
    expect(await visibility()).toBe('none');
    await page.keyboard.press('Space');
    expect(await visibility()).toBe('visible');
    await page.context().close();
  });

  it('switches the UI to English and back through the one toggle', async () => {
    const { page } = await openCommandMap(1366, 768);
    await page.click('#lang-toggle');
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(await page.textContent('h1')).toBe('Forest-Fire Grid Command');
    expect(await page.textContent('#lang-toggle')).toBe('中文');
    // The choice survives a reload.
    await page.reload();
    await page.waitForFunction(
      () => (window as unknown as { __mapIdle?: boolean }).__mapIdle === true,
    );
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    await page.keyboard.press('Tab');
    await page.focus('#lang-toggle');
    await page.keyboard.press('Enter');
    expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
    await page.context().close();
  });
});
