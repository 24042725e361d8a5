/**
 * A tower camera's alarm end to end (issue 16): the county registers a camera; the camera
 * posts a Hikvision ISAPI fireDetection alarm (XML + JPEG) with its key and is answered once it
 * is stored; its report reaches the county's alarm queue; the 高村镇 lookout
 * operator sees it in his queue with its picture; a second tower's alarm of the same smoke
 * joins it, the queue shows that camera (which way to turn it, its picture) and the two
 * bearings' fix, whose 95 % ellipse is drawn on the map when the fire is selected; one key
 * confirms it, and the fire stands confirmed on the county map.
 */
import fs from 'node:fs';
import path from 'node:path';
import geodesic from 'geographiclib-geodesic';
import { describe, expect, inject, it } from 'vitest';
import { isLoopback } from './browser.ts';
import { useFreshProductAndBrowser } from './fresh-product.ts';
import { ROOT } from './product.ts';

const PASSWORD = 'fire-demo-2026';
const FIXTURES = path.join(ROOT, 'server/domain/cameras/fixtures');
const env = useFreshProductAndBrowser();

describe(`camera alarm to confirmed fire (${inject('e2eBackend')} backend)`, () => {
  it('an ISAPI alarm reaches the lookout operator’s queue, C confirms it, the county map shows the fire confirmed', async () => {
    const base = env.product.url;
    const login = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'county', password: PASSWORD, client: 'field' }),
    });
    const token = (await login.json()).token as string;
    const reg = await fetch(`${base}/api/cameras`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({
        id: 'E2E-CAM-1',
        name: '高村端到端铁塔',
        lon: 109.8,
        lat: 27.87,
        heightM: 40,
        headingDeg: 0,
      }),
    });
    expect(reg.status).toBe(201);
    const cam = await reg.json();

    const beijing = `${new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 19)}+08:00`;
    const xml = fs
      .readFileSync(path.join(FIXTURES, 'isapi-fire-detection.xml'), 'utf8')
      .replace(/<dateTime>.*<\/dateTime>/, `<dateTime>${beijing}</dateTime>`);
    const form = new FormData();
    form.append('fireDetection', new Blob([xml], { type: 'application/xml' }), 'fireDetection.xml');
    form.append(
      'fireDetectionPicture',
      new Blob([fs.readFileSync(path.join(FIXTURES, 'smoke.jpg'))], { type: 'image/jpeg' }),
      'picture.jpg',
    );
    const alarm = await fetch(`${base}${cam.alarmUrl}`, {
      method: 'POST',
      headers: { 'x-device-key': cam.key },
      body: form,
    });
    // Answered once stored (202); the report is made behind the answer and reaches the queue.
    expect(alarm.status).toBe(202);
    expect(await alarm.json()).toMatchObject({ state: 'stored', incidentId: null });
    let incidentId: string | undefined;
    for (let tries = 0; !incidentId && tries < 100; tries++) {
      const queue = (await (
        await fetch(`${base}/api/camera-alarms/queue`, {
          headers: { authorization: `Bearer ${token}` },
        })
      ).json()) as { camera: { id: string }; incident: { id: string } }[];
      incidentId = queue.find((q) => q.camera.id === cam.id)?.incident.id;
      if (!incidentId) await new Promise((resolve) => setTimeout(resolve, 300));
    }
    expect(incidentId).toBeTruthy();

    // A second tower sees the same smoke: its JSON alarm's bearing (worked out here with
    // GeographicLib from where the first alarm's report stands) joins the fire, and the two
    // bearings give a cross-bearing fix.
    const first = (
      (await (
        await fetch(`${base}/api/camera-alarms/queue`, {
          headers: { authorization: `Bearer ${token}` },
        })
      ).json()) as { camera: { id: string }; position: { lon: number; lat: number } }[]
    ).find((q) => q.camera.id === cam.id);
    const at = first?.position as { lon: number; lat: number };
    const tower2 = { lon: at.lon - 0.02, lat: at.lat - 0.02 };
    const reg2 = await fetch(`${base}/api/cameras`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({
        id: 'E2E-CAM-2',
        name: '高村二号铁塔',
        ...tower2,
        heightM: 30,
        headingDeg: 0,
      }),
    });
    expect(reg2.status).toBe(201);
    const cam2 = await reg2.json();
    const line = geodesic.Geodesic.WGS84.Inverse(tower2.lat, tower2.lon, at.lat, at.lon);
    const second = await fetch(`${base}${cam2.alarmUrl}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-device-key': cam2.key },
      body: JSON.stringify({
        observedAt: new Date().toISOString(),
        bearingDeg: ((line.azi1 as number) + 360) % 360,
        distanceM: line.s12,
        picture: fs.readFileSync(path.join(FIXTURES, 'smoke.jpg')).toString('base64'),
      }),
    });
    expect(second.status).toBe(202);
    let fix: { lon: number; lat: number } | null = null;
    for (let tries = 0; !fix && tries < 100; tries++) {
      const answer = await (
        await fetch(`${base}/api/incidents/${incidentId}/bearing-fix`, {
          headers: { authorization: `Bearer ${token}` },
        })
      ).json();
      fix = answer.fix;
      if (!fix) await new Promise((resolve) => setTimeout(resolve, 300));
    }
    expect(fix).toBeTruthy();

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
    await page.goto(base);
    await page.waitForSelector('body[data-ready=true]', { timeout: 60_000 });
    await page.click('#signin-button');
    await page.fill('#signin-username', 'lookout');
    await page.fill('#signin-password', PASSWORD);
    await page.click('#signin-submit');

    const item = page.locator(
      `#alarm-queue li[data-incident="${incidentId}"][data-camera="${cam.id}"]`,
    );
    await item.waitFor({ timeout: 30_000 });
    await expect(item.locator('img').first().getAttribute('src')).resolves.toMatch(
      /^\/api\/photos\/\d+$/,
    );
    // Two cameras that see one smoke make it probable (one alone is 待核实).
    expect(await item.textContent()).toContain('较可信');
    // Beside the first camera's alarm: the second camera, which way to turn it, its picture,
    // and where the two bearings meet.
    await item.locator('.fix').waitFor({ timeout: 30_000 });
    expect(await item.locator('.fix').textContent()).toContain('2 条方位交会定位');
    const other = item.locator('.other[data-camera="E2E-CAM-2"]');
    expect(await other.textContent()).toMatch(/转向 \d+\.\d° · \d+\.\d 公里/);
    await expect(other.locator('img').getAttribute('src')).resolves.toMatch(/^\/api\/photos\/\d+$/);
    await page.screenshot({ path: path.join(ROOT, 'test-results/camera-alarm-queue.png') });

    // Selecting the fire (its marker, brought to the middle of the map) draws the cameras'
    // 95 % ellipse on the map, around the fix.
    const fixAt = fix as { lon: number; lat: number };
    await page.evaluate((c) => {
      const m = (window as unknown as { __map: import('maplibre-gl').Map }).__map;
      m.jumpTo({ center: [c.lon, c.lat], zoom: 14 });
    }, fixAt);
    await page.click(`.incident-marker[data-incident="${incidentId}"]`);
    await page.waitForFunction(
      (c) => {
        const m = (window as unknown as { __map: import('maplibre-gl').Map }).__map;
        const p = m.project([c.lon, c.lat]);
        return (
          m.queryRenderedFeatures(p, { layers: ['bearing-fix-ellipse'] }).length > 0 &&
          m.queryRenderedFeatures({ layers: ['bearing-fix-rays'] }).length >= 2
        );
      },
      fixAt,
      { timeout: 30_000 },
    );
    await page.screenshot({ path: path.join(ROOT, 'test-results/camera-alarm-fix.png') });
    await item.focus();
    await page.keyboard.press('c');
    await item.waitFor({ state: 'detached', timeout: 30_000 });

    // The incident is confirmed, and its marker on the county map says so.
    await page.waitForSelector(`.incident-marker.state-confirmed[data-incident="${incidentId}"]`, {
      timeout: 30_000,
    });
    const list = await (await fetch(`${base}/api/incidents`)).json();
    const found = (Array.isArray(list) ? list : list.incidents).find(
      (i: { id: string }) => i.id === incidentId,
    );
    expect(found.state).toBe('confirmed');
    expect(errors).toEqual([]);
    await context.close();
  });
});
