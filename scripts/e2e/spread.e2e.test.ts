/**
 * Fire spread on the command map: the county commander signs in, picks a point with 蔓延推演,
 * and the perimeters are drawn at +10/+20/+30/+60 minutes, each line labelled with its time
 * and the model that drew it, the village the fire reaches listed with the crews there before
 * the fire; switching the model recomputes at once and relabels the lines. Screenshot in
 * test-results/.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import { isLoopback } from './browser.ts';
import { mapSettled } from './command-page.ts';
import { useFreshProductAndBrowser } from './fresh-product.ts';
import { ROOT } from './product.ts';

const PASSWORD = 'fire-demo-2026';
// 130 m west of the seat of 官庄村, upwind of it in a west wind.
const FIRE: [number, number] = [109.97069, 27.948616];

const env = useFreshProductAndBrowser();

/** The labels of the perimeter lines in the source, and how many the map has drawn. */
async function perimeterLabels(page: Page): Promise<{ labels: string[]; drawn: string[] }> {
  return page.evaluate(async () => {
    const map = (window as unknown as { __map: import('maplibre-gl').Map }).__map;
    const src = map.getSource('spread-perimeters') as import('maplibre-gl').GeoJSONSource;
    const data = (await src.getData()) as unknown as {
      features: { properties: { label: string } }[];
    };
    const drawn = map
      .queryRenderedFeatures({ layers: ['spread-label'] })
      .map((f) => String(f.properties.label));
    return { labels: data.features.map((f) => f.properties.label).sort(), drawn };
  });
}

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
    // The direction the commander chose, said to be theirs.
    expect(text).toContain('风向 西风 270° (指挥员输入)');
    // The village's own crew, 70 m from its seat, is listed there before the fire.
    const own = page.locator(
      '#spread-panel tr[data-place="431226101204"] .crew[data-crew="CR-V101204"]',
    );
    expect(await own.getAttribute('data-before-fire')).toBe('true');
    expect(await own.textContent()).toContain('官庄村扑火队');
    // Each perimeter line says its time and the model that drew it, and the map draws them.
    expect((await perimeterLabels(page)).labels).toEqual([
      '+10 分钟 · Rothermel',
      '+20 分钟 · Rothermel',
      '+30 分钟 · Rothermel',
      '+60 分钟 · Rothermel',
    ]);
    // Framed on the perimeters, so that each one's label has room at its head.
    await page.evaluate(async () => {
      const map = (window as unknown as { __map: import('maplibre-gl').Map }).__map;
      const src = map.getSource('spread-perimeters') as import('maplibre-gl').GeoJSONSource;
      const data = (await src.getData()) as unknown as {
        features: { geometry: { coordinates: number[][][][] } }[];
      };
      const pts = data.features.flatMap((f) => f.geometry.coordinates.flat(2)) as number[][];
      const lons = pts.map((p) => p[0] as number);
      const lats = pts.map((p) => p[1] as number);
      map.fitBounds(
        [
          [Math.min(...lons), Math.min(...lats)],
          [Math.max(...lons), Math.max(...lats)],
        ],
        { padding: 160, duration: 0, maxZoom: 18 },
      );
    });
    await mapSettled(page);
    await page.waitForFunction(
      () =>
        (window as unknown as { __map: import('maplibre-gl').Map }).__map.queryRenderedFeatures({
          layers: ['spread-label'],
        }).length > 0,
      undefined,
      { timeout: 20_000 },
    );
    expect((await perimeterLabels(page)).drawn.every((l) => l.endsWith(' · Rothermel'))).toBe(true);
    fs.mkdirSync(path.join(ROOT, 'test-results'), { recursive: true });
    // The places and their crews in view in the panel.
    await page.locator('#spread-panel .spread-places').scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(ROOT, 'test-results/spread-rothermel-1366x768.png') });

    // Another model: recomputed at once, and the panel says which drew the perimeters.
    await page.selectOption('#spread-panel select[name=model]', 'wang');
    await page.waitForFunction(() => {
      const el = document.getElementById('spread-panel') as HTMLElement;
      return el.dataset.ready === 'true' && (el.textContent ?? '').includes('王正非模型');
    });
    expect(await perimeterMinutes(page)).toEqual([10, 20, 30, 60]);
    const wang = await perimeterLabels(page);
    expect(wang.labels.every((l) => l.endsWith(' · 王正非'))).toBe(true);
    expect(wang.labels).toContain('+10 分钟 · 王正非');
    await mapSettled(page);
    await page.screenshot({ path: path.join(ROOT, 'test-results/spread-wang-1366x768.png') });

    // The direction left to the day's weather: the demo season's observation at the
    // township's station, named with its time.
    await page.selectOption('#spread-panel select[name=windFromDeg]', '');
    await page.waitForSelector('#spread-panel[data-ready=true] p[data-wind-direction=observed]', {
      timeout: 60_000,
    });
    const observed = await page.textContent('#spread-panel p[data-wind-direction=observed]');
    expect(observed).toMatch(/^风向 \S+风 [\d.]+° \(观测 \S+自动站 \d{2}\/\d{2} \d{2}:\d{2}\)$/);
    await mapSettled(page);
    await page.screenshot({
      path: path.join(ROOT, 'test-results/spread-observed-wind-1366x768.png'),
    });
    expect(errors).toEqual([]);
    await context.close();
  });
});
