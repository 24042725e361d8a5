/**
 * Reach on the command map: a point picked on the map is computed in the page's Web Worker
 * (the main thread keeps ticking), the rings are drawn and the crews ranked as the server's
 * engine ranks them; the coverage-audit layer switches on.
 */
import type { Page } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import { isLoopback } from './browser.ts';
import { useFreshProductAndBrowser } from './fresh-product.ts';

const env = useFreshProductAndBrowser();

async function open(): Promise<{ page: Page; errors: string[] }> {
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
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(env.product.url);
  await page.waitForSelector('body[data-ready=true]', { timeout: 60_000 });
  return { page, errors };
}

describe(`reach on the command map (${inject('e2eBackend')} backend)`, () => {
  it('computes a picked point in the worker and ranks crews as the server does', async () => {
    const { page, errors } = await open();
    const [lon, lat] = [109.78, 27.86];
    await page.evaluate(
      ([x, y]) => {
        (window as unknown as { __map: import('maplibre-gl').Map }).__map.jumpTo({
          center: [x as number, y as number],
          zoom: 11,
        });
      },
      [lon, lat],
    );
    // Main-thread ticks while the worker builds its engine and answers.
    await page.evaluate(() => {
      const w = window as unknown as { __ticks: number[]; __answeredAt?: number };
      w.__ticks = [];
      const panel = document.getElementById('reach-panel') as HTMLElement;
      new MutationObserver(() => {
        if (panel.dataset.ready === 'true' && w.__answeredAt === undefined)
          w.__answeredAt = performance.now();
      }).observe(panel, { attributes: true });
      const tick = () => {
        w.__ticks.push(performance.now());
        if (w.__answeredAt === undefined) setTimeout(tick, 20);
      };
      tick();
    });
    await page.click('#reach-toggle');
    expect(await page.getAttribute('#reach-toggle', 'aria-pressed')).toBe('true');
    // Enter computes at the map centre (keyboard users).
    await page.keyboard.press('Enter');
    await page.waitForSelector('#reach-panel[data-ready=true]', { timeout: 60_000 });
    const { maxGap, waited, ticks, workerLoaded } = await page.evaluate(() => {
      const w = window as unknown as { __ticks: number[]; __answeredAt: number };
      const t = w.__ticks;
      let gap = 0;
      for (let i = 1; i < t.length; i++)
        gap = Math.max(gap, (t[i] as number) - (t[i - 1] as number));
      return {
        maxGap: gap,
        waited: w.__answeredAt - (t[0] as number),
        ticks: t.length,
        workerLoaded: performance
          .getEntriesByType('resource')
          .some((e) => /reach\.worker/.test(e.name)),
      };
    });
    // The engine (fetch network and DEM, build, answer) ran in the worker: the page kept
    // ticking through the wait instead of stalling for all of it in one block.
    expect(workerLoaded).toBe(true);
    expect(maxGap).toBeLessThan(waited / 2);
    expect(ticks).toBeGreaterThan(5);
    const shown = await page
      .locator('#reach-panel tr[data-crew]')
      .evaluateAll((rows) =>
        rows.map((r) => [
          r.getAttribute('data-crew'),
          r.querySelector('.time')?.getAttribute('data-seconds') ?? '',
          r.querySelector('.time')?.textContent ?? '',
        ]),
      );
    expect(shown.length).toBe(10);
    const server = await page.evaluate(
      async ([x, y]) => (await fetch(`/api/reach?lon=${x}&lat=${y}`)).json(),
      [lon, lat],
    );
    for (const [i, [id, seconds, text]] of shown.entries()) {
      const c = server.crews[i];
      // Same engine, fed from the database (server) or the network endpoint (worker).
      expect(Math.abs(Number(seconds) - c.seconds)).toBeLessThanOrEqual(1);
      // Shown to the commander as whole minutes, rounded up.
      expect(text).toBe(`约 ${Math.max(1, Math.ceil(Number(seconds) / 60))} 分钟`);
      if (i < 3) expect(id).toBe(c.id);
    }
    const rings = await page.evaluate(() =>
      (
        (window as unknown as { __map: import('maplibre-gl').Map }).__map.getSource(
          'reach-isochrones',
        ) as import('maplibre-gl').GeoJSONSource
      ).getData(),
    );
    expect((rings as GeoJSON.FeatureCollection).features.map((f) => f.properties?.minutes)).toEqual(
      [10, 20, 30],
    );
    await page.screenshot({ path: 'test-results/reach-1366x768.png' });
    await page.keyboard.press('Escape');
    expect(await page.isHidden('#reach-panel')).toBe(true);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('switches on the coverage audit: grids beyond 10 minutes shaded, suggested standby points', async () => {
    const { page, errors } = await open();
    await page.click('#layer-panel label:has-text("10分钟未覆盖网格")');
    await page.waitForFunction(
      () => (window as unknown as { __coverage?: unknown }).__coverage !== undefined,
      null,
      {
        timeout: 60_000,
      },
    );
    const state = await page.evaluate(() => {
      const w = window as unknown as {
        __map: import('maplibre-gl').Map;
        __coverage: { uncovered: string[]; suggestions: unknown[] };
      };
      return {
        visible: w.__map.getLayoutProperty('coverage-gaps', 'visibility'),
        filter: JSON.stringify(w.__map.getFilter('coverage-gaps')),
        uncovered: w.__coverage.uncovered,
        suggestions: w.__coverage.suggestions.length,
        layer: Boolean(w.__map.getLayer('coverage-suggestions')),
      };
    });
    expect(state.visible).toBe('visible');
    expect(state.uncovered.length).toBeGreaterThan(0);
    for (const code of state.uncovered.slice(0, 20)) expect(state.filter).toContain(code);
    expect(state.suggestions).toBeGreaterThan(0);
    expect(state.layer).toBe(true);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
