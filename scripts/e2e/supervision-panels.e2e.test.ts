/**
 * Drills and the 321 rhythm on the command page (issue 14 items 2 and 3), end to end: a drill
 * fire started in drill mode reads 演练 on its list row, its map marker, its card and the event
 * feed, and is not in the wall's open count; with a special protection period in force for
 * 高村镇 and only a county leader's inspection recorded, the rhythm panel shows 高村镇 out of
 * rhythm with the inspection group and command HQ overdue.
 */
import crypto from 'node:crypto';
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { commandPage, DEMO_PASSWORD, postJson, signIn } from './command-page.ts';
import { useFreshProductAndBrowser } from './fresh-product.ts';
import { ROOT } from './product.ts';

const GAOCUN = '431226106';
const env = useFreshProductAndBrowser();

const post = (pathname: string, body: unknown, token?: string) =>
  postJson(env.product.url, pathname, body, token);

describe(`drill labels and rhythm compliance (${inject('e2eBackend')} backend)`, () => {
  it('labels a drill fire 演练 everywhere on the command page and shows the rhythm per township', async () => {
    const county = (
      await post('/api/auth/login', {
        username: 'county',
        password: DEMO_PASSWORD,
        client: 'field',
      })
    ).body.token as string;
    const drill = await post(
      '/api/drills',
      { title: '高村镇扑火演练', heldOn: '2026-04-01', townshipCode: GAOCUN, participants: 30 },
      county,
    );
    expect(drill.status).toBe(201);
    const start = await post(
      `/api/drills/${drill.body.id}/start`,
      {
        clientUuid: crypto.randomUUID(),
        position: { lon: 109.8075, lat: 27.8695 },
        observedAt: new Date().toISOString(),
      },
      county,
    );
    expect(start.status).toBe(201);
    const fire = start.body.incidentId as string;
    // A period that began two days ago; only the county leader has inspected since.
    const now = Date.now();
    expect(
      (
        await post(
          '/api/protection-periods',
          {
            title: '春季森林特护期',
            startsAt: new Date(now - 2 * 86_400_000).toISOString(),
            endsAt: new Date(now + 30 * 86_400_000).toISOString(),
            townshipCodes: [GAOCUN],
          },
          county,
        )
      ).status,
    ).toBe(201);
    expect(
      (
        await post(
          '/api/inspections',
          {
            kind: 'county_leader',
            inspector: '县领导',
            townshipCode: GAOCUN,
            inspectedAt: new Date(now - 3_600_000).toISOString(),
          },
          county,
        )
      ).status,
    ).toBe(201);

    const { context, page, errors } = await commandPage(env.browser, env.product.url, {
      width: 1920,
      height: 1080,
    });
    // The list and the map say 演练 before anyone signs in.
    const row = page.locator(`[data-incident="${fire}"]`).first();
    await page.waitForSelector(`#incidents-panel .drill-tag`, { timeout: 15_000 });
    expect(await page.textContent('#incidents-panel .drill-tag')).toBe('演练');
    const marker = page.locator(`.incident-marker[data-incident="${fire}"]`);
    expect(await marker.textContent()).toBe('演');
    expect(await marker.getAttribute('data-drill')).toBe('');
    expect(await row.count()).toBeGreaterThan(0);
    expect(await page.textContent(`#event-feed li[data-incident="${fire}"] .drill-tag`)).toBe(
      '演练',
    );
    // The wall's counts leave it out: no fire open.
    await expect
      .poll(() => page.textContent('#situation [data-count=open]'), { timeout: 15_000 })
      .toBe('0');

    await signIn(page, 'county');
    const panel = page.locator('#rhythm-panel');
    await expect.poll(() => panel.isVisible(), { timeout: 15_000 }).toBe(true);
    const line = panel.locator(`tr[data-township="${GAOCUN}"]`);
    expect(await line.getAttribute('data-compliant')).toBe('false');
    expect(await line.locator('td[data-kind=county_leader]').getAttribute('class')).toBe('ok');
    expect(await line.locator('td[data-kind=inspection_group]').textContent()).toBe('超期');
    expect(await line.locator('td[data-kind=command_hq]').getAttribute('title')).toBe('未督查');
    expect(await panel.locator('.rhythm-summary').textContent()).toBe('达标乡镇 0 / 1');

    await marker.click();
    await page.waitForSelector('#incident-card:not([hidden]) .kind[data-drill]');
    expect(await page.textContent('#incident-card .kind')).toContain('演练');
    await page.screenshot({
      path: path.join(ROOT, 'test-results', 'drill-and-rhythm-1920x1080.png'),
    });
    expect(errors).toEqual([]);
    await context.close();
  }, 300_000);
});
