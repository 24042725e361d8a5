import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { isLoopback, launchChromium } from './browser.ts';
import { mapSettled } from './command-page.ts';
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
  // Panels (search, focus) are mounted once the county is on the map.
  await page.waitForSelector('body[data-ready=true]', { timeout: 30_000 });
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

  it('searches a village by keyboard and flies the map there', async () => {
    const { page, consoleErrors } = await openCommandMap(1366, 768);
    // A village from the county's own file, not from the API under test.
    const villages = JSON.parse(
      fs.readFileSync(path.join(ROOT, 'geodata/mayang/villages.geojson'), 'utf8'),
    ).features as {
      properties: { code: string; name: string; kind: string; seat_lon: number; seat_lat: number };
    }[];
    const village = villages.find(
      (v) => v.properties.kind === '村' && v.properties.name.length >= 3,
    );
    expect(village).toBeDefined();
    const name = village?.properties.name as string;
    await page.keyboard.press('/');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('search-input');
    await page.keyboard.type(name);
    await page.waitForSelector(`#search-results li[role=option] .name:text-is("${name}")`);
    // Move the highlight to that village and pick it.
    const names = await page.locator('#search-results li[role=option] .name').allTextContents();
    for (let i = 0; i < names.indexOf(name); i++) await page.keyboard.press('ArrowDown');
    const before = await mapView(page);
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => {
      const m = (window as unknown as { __map: { isMoving(): boolean } }).__map;
      return !m.isMoving();
    });
    await page.waitForTimeout(300);
    const after = await mapView(page);
    expect(after.zoom).toBeGreaterThan(before.zoom + 1.5);
    // The village seat is in view, close to the middle.
    const [w, s, e, n] = after.bounds as [number, number, number, number];
    const { seat_lon: lon, seat_lat: lat } = village?.properties ?? { seat_lon: 0, seat_lat: 0 };
    expect(lon).toBeGreaterThan(w);
    expect(lon).toBeLessThan(e);
    expect(lat).toBeGreaterThan(s);
    expect(lat).toBeLessThan(n);
    expect(consoleErrors).toEqual([]);
    await page.context().close();
  });

  it('opens a grid card with its roster (phones masked) on click, and closes it with Esc', async () => {
    const { page, consoleErrors } = await openCommandMap(1366, 768);
    const people = fs
      .readFileSync(path.join(ROOT, 'geodata/mayang/people.csv'), 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(','));
    const code = people[0]?.[5] as string;
    const roster = people.filter((p) => p[5] === code);
    // Fly to the grid, then click inside it where the map itself drew its label point.
    await page.evaluate(async (c) => {
      const m = (window as unknown as { __map: import('maplibre-gl').Map }).__map;
      const r = await fetch(`/api/search?q=${c}`).then((x) => x.json());
      const [w, s, e, n] = r.hits[0].bbox;
      m.fitBounds([w, s, e, n], { padding: 120, duration: 0 });
    }, code);
    await page.waitForFunction(
      (c) => {
        const m = (window as unknown as { __map: import('maplibre-gl').Map }).__map;
        return (
          m.areTilesLoaded() &&
          m.querySourceFeatures('county', {
            sourceLayer: 'grid_labels',
            filter: ['==', ['get', 'code'], c],
          }).length > 0
        );
      },
      code,
      { timeout: 30_000 },
    );
    const pixel = await page.evaluate((c) => {
      const m = (window as unknown as { __map: import('maplibre-gl').Map }).__map;
      const f = m.querySourceFeatures('county', {
        sourceLayer: 'grid_labels',
        filter: ['==', ['get', 'code'], c],
      })[0];
      const [lon, lat] = (f as { geometry: GeoJSON.Point }).geometry.coordinates as [
        number,
        number,
      ];
      const p = m.project([lon, lat]);
      const r = m.getCanvas().getBoundingClientRect();
      return { x: r.left + p.x, y: r.top + p.y };
    }, code);
    // A hair off the label point so no symbol is under the pointer.
    await page.mouse.click(pixel.x + 2, pixel.y + 2);
    await page.waitForSelector('#card-panel[data-ready=true]');
    expect(await page.getAttribute('#card-panel', 'data-kind')).toBe('grid');
    expect(await page.getAttribute('#card-panel', 'data-id')).toBe(code);
    const rows = await page
      .locator('#card-panel table.roster tr')
      .evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent ?? '')));
    expect(rows).toHaveLength(roster.length);
    expect(rows[0]?.[0]).toBe('网格长');
    for (const [, name, phone] of rows) {
      const person = roster.find((p) => p[1] === name);
      expect(person).toBeDefined();
      expect(phone).toMatch(/^\d{3}\*{4}\d{4}$/);
      expect(phone).not.toBe(person?.[2]);
    }
    const text = await page.textContent('#card-panel');
    for (const label of [
      '村',
      '乡镇',
      '战区',
      '面积',
      '海拔',
      '可燃物类型',
      '火险等级',
      '铁塔哨兵',
      '应急水源',
      '格中定人',
    ])
      expect(text).toContain(label);
    expect(
      await page.evaluate(() =>
        JSON.stringify(
          (window as unknown as { __map: import('maplibre-gl').Map }).__map.getFilter(
            'grid-selected',
          ),
        ),
      ),
    ).toContain(code);
    await page.keyboard.press('Escape');
    expect(await page.isHidden('#card-panel')).toBe(true);
    expect(consoleErrors).toEqual([]);
    await page.context().close();
  });

  it('focuses a war zone: frames it, dims the rest and shows its statistics', async () => {
    const { page, consoleErrors } = await openCommandMap(1920, 1080);
    const townships = JSON.parse(
      fs.readFileSync(path.join(ROOT, 'geodata/mayang/townships.geojson'), 'utf8'),
    ).features as { properties: { code: string; war_zone: string } }[];
    const grids = JSON.parse(
      fs.readFileSync(path.join(ROOT, 'geodata/mayang/grids.geojson'), 'utf8'),
    ).features as { properties: { township_code: string } }[];
    await page.focus('#focus-select');
    const option = await page.locator('#focus-select option[value^="zone:"]').first();
    const zoneName = (await option.textContent()) as string;
    await page.selectOption('#focus-select', (await option.getAttribute('value')) as string);
    await page.waitForSelector('#focus-panel .stat-grid');
    const codes = new Set(
      townships.filter((t) => t.properties.war_zone === zoneName).map((t) => t.properties.code),
    );
    const expectedGrids = grids.filter((g) => codes.has(g.properties.township_code)).length;
    const gridStat = await page
      .locator('#focus-panel .stat', { hasText: '网格' })
      .locator('.value')
      .first()
      .textContent();
    expect(Number(gridStat?.replace(/,/g, ''))).toBe(expectedGrids);
    expect(await page.textContent('#focus-panel h3')).toBe(zoneName);
    const filter = await page.evaluate(() =>
      JSON.stringify(
        (window as unknown as { __map: import('maplibre-gl').Map }).__map.getFilter('focus-dim'),
      ),
    );
    expect(filter).toContain('war_zone_id');
    // The picture waits for the map to settle, but only so long: on a loaded machine the
    // server backend has left tiles loading for over 30 s, and the statistics above are the test.
    await mapSettled(page);
    await page.screenshot({ path: path.join(RESULTS, 'command-map-focus-1920x1080.png') });
    expect(consoleErrors).toEqual([]);
    await page.context().close();
  });
  it('draws every fire marker where it burns, at county and close zoom', async () => {
    // Five fires far enough apart to stay five incidents, reported by the public.
    const grids = JSON.parse(
      fs.readFileSync(path.join(ROOT, 'geodata/mayang/grids.geojson'), 'utf8'),
    ).features as { geometry: { coordinates: number[][][][] } }[];
    const fires: { id: string; at: [number, number] }[] = [];
    for (const g of grids.filter((_, i) => i % 160 === 7).slice(0, 5)) {
      const ring = g.geometry.coordinates[0]?.[0] ?? [];
      const lon = ring.reduce((s, c) => s + (c[0] as number), 0) / ring.length;
      const lat = ring.reduce((s, c) => s + (c[1] as number), 0) / ring.length;
      const res = await fetch(`${product.url}/api/reports`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          clientUuid: crypto.randomUUID(),
          source: 'public',
          position: { lon, lat },
          observedAt: new Date().toISOString(),
        }),
      });
      expect(res.status, await res.clone().text()).toBe(201);
      fires.push({ id: ((await res.json()) as { incidentId: string }).incidentId, at: [lon, lat] });
    }
    expect(new Set(fires.map((f) => f.id)).size).toBe(5);
    const { page, consoleErrors } = await openCommandMap(1920, 1080);
    for (const f of fires) await page.waitForSelector(`.incident-marker[data-incident="${f.id}"]`);
    for (const zoom of [9.5, 13]) {
      // Where MapLibre projects each fire's location, and where its marker's centre is drawn.
      const drawn = await page.evaluate(
        ([z, list]) => {
          const m = (window as unknown as { __map: import('maplibre-gl').Map }).__map;
          m.jumpTo({
            zoom: z as number,
            center: (list as typeof fires)[0]?.at as [number, number],
          });
          const canvas = m.getCanvas().getBoundingClientRect();
          return (list as typeof fires).map((f) => {
            const el = document.querySelector(`.incident-marker[data-incident="${f.id}"]`);
            const r = (el as HTMLElement).getBoundingClientRect();
            const p = m.project(f.at);
            return {
              dx: r.left + r.width / 2 - (canvas.left + p.x),
              dy: r.top + r.height / 2 - (canvas.top + p.y),
            };
          });
        },
        [zoom, fires] as const,
      );
      for (const [i, d] of drawn.entries()) {
        expect(Math.abs(d.dx), `fire ${i + 1} at zoom ${zoom}: x`).toBeLessThanOrEqual(2);
        expect(Math.abs(d.dy), `fire ${i + 1} at zoom ${zoom}: y`).toBeLessThanOrEqual(2);
      }
    }
    await page.screenshot({ path: path.join(RESULTS, 'command-map-five-fires-1920x1080.png') });
    expect(consoleErrors).toEqual([]);
    await page.context().close();
  });
});

async function mapView(page: Page) {
  return page.evaluate(() => {
    const m = (window as unknown as { __map: import('maplibre-gl').Map }).__map;
    const b = m.getBounds();
    return { zoom: m.getZoom(), bounds: [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()] };
  });
}
