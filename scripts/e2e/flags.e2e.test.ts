/**
 * 红黄黑旗 end to end (issue 14): one confirmed fire in 高村镇 this month; the league table
 * is refused to a page without the right sign-in, then shows all 18 townships to the
 * supervision office with 高村镇 yellow and last, paints the flag layer, switches to the
 * villages, and takes an assessment note that leaves the colour as computed.
 */
import crypto from 'node:crypto';
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { commandPage, DEMO_PASSWORD, postJson, signIn } from './command-page.ts';
import { useFreshProductAndBrowser } from './fresh-product.ts';
import { ROOT } from './product.ts';

const FIRE: [number, number] = [109.8075, 27.8695]; // in 高村镇
const env = useFreshProductAndBrowser();

const post = (pathname: string, body: unknown, token?: string) =>
  postJson(env.product.url, pathname, body, token);

describe(`flags league table (${inject('e2eBackend')} backend)`, () => {
  it('shows the month’s flags to the supervision office, on the map and ranked, and takes a note', async () => {
    const county = await post('/api/auth/login', {
      username: 'county',
      password: DEMO_PASSWORD,
      client: 'field',
    });
    // The township's lookout reports it, signed in (only the public report without an account).
    const lookout = await post('/api/auth/login', {
      username: 'lookout',
      password: DEMO_PASSWORD,
      client: 'field',
    });
    const report = await post(
      '/api/reports',
      {
        clientUuid: crypto.randomUUID(),
        source: 'lookout',
        position: { lon: FIRE[0], lat: FIRE[1], accuracyM: 30 },
        observedAt: new Date().toISOString(),
      },
      lookout.body.token,
    );
    expect(report.status).toBe(201);
    for (const to of ['verifying', 'confirmed'])
      expect(
        (
          await post(
            `/api/incidents/${report.body.incidentId}/transitions`,
            { to },
            county.body.token,
          )
        ).status,
      ).toBe(200);

    const { context, page, errors } = await commandPage(env.browser, env.product.url, {
      width: 1920,
      height: 1080,
    });
    // Not signed in: told who may see the flags, no table, no layer.
    await page.click('#flags-toggle');
    await page.waitForSelector('#flags-panel .error');
    expect(await page.textContent('#flags-panel .error')).toContain('督查考核办');
    expect(await page.$('#flags-league')).toBeNull();

    await signIn(page, 'supervisor');
    const rows = page.locator('#flags-league tbody tr');
    await expect.poll(() => rows.count(), { timeout: 15_000 }).toBe(18);
    // 17 townships without a fire share first place; 高村镇 with one fire is yellow, 18th.
    const last = rows.nth(17);
    expect(await last.getAttribute('data-flag')).toBe('yellow');
    expect(await last.locator('td').nth(1).textContent()).toContain('高村镇');
    expect(await last.locator('td.fires').textContent()).toBe('1');
    expect(await last.locator('td.rank').textContent()).toBe('18');
    expect(await rows.nth(0).locator('td.rank').textContent()).toBe('1');
    expect(await rows.nth(16).locator('td.rank').textContent()).toBe('1');
    expect(await page.textContent('#flags-panel .flags-summary')).toBe('红旗 17黄旗 1黑旗 0');
    // The map layer paints 高村镇 yellow.
    const paint = await page.evaluate(() => {
      const map = (window as unknown as { __map: import('maplibre-gl').Map }).__map;
      return {
        visible: map.getLayoutProperty('flags-fill', 'visibility'),
        colour: JSON.stringify(map.getPaintProperty('flags-fill', 'fill-color')),
      };
    });
    expect(paint.visible).toBe('visible');
    const gaocun = (await last.getAttribute('data-code')) as string;
    expect(paint.colour).toContain(`"${gaocun}","#fbc02d"`);
    await page.screenshot({ path: path.join(ROOT, 'test-results', 'flags-league-1920x1080.png') });

    // A note from the assessment office; the colour stays as computed.
    await page.selectOption('#flags-note-area', gaocun);
    await page.fill('#flags-note-text', '已核实：雷击引发');
    await page.click('.flags-note button[type=submit]');
    const row = page.locator(`#flags-league tr[data-code="${gaocun}"]`);
    await expect.poll(() => row.locator('.note').count(), { timeout: 10_000 }).toBe(1);
    expect(await row.locator('.note').textContent()).toContain('已核实：雷击引发');
    expect(await row.getAttribute('data-flag')).toBe('yellow');

    // Villages: one row each of the county's 223, the fire's village the one yellow.
    await page.selectOption('#flags-level', 'village');
    await expect.poll(() => rows.count(), { timeout: 15_000 }).toBe(223);
    expect(await page.locator('#flags-league tr[data-flag=yellow]').count()).toBe(1);
    expect(errors).toEqual([]);
    await context.close();
    // SwiftShader on a loaded two-core machine: the 223-village layer takes its time.
  }, 300_000);
});
