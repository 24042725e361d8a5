/**
 * 演练评估报告 as PDF (issue 14 item 3): a drill run through the API — started in drill mode,
 * confirmed and two crews dispatched to it, on scene, under control and out — its recorded
 * times then set to a scenario's (the township crew on scene 9 minutes after the report, the
 * county unit at 12, control at 25, out at 28), and its report printed by headless Chromium
 * from the product's own page. pdfinfo: A4 portrait (210×297 mm = 595.28×841.89 pt) on every
 * page; pdftotext: the title, both crews with 达标 / 未达标 as 10/20/30 say, 演练 on every
 * page; page 1 rasterised with pdftoppm to test-results/ to be looked at. Same readers as the
 * JSON report: 401 without sign-in, 403 another township's commander, 404 no such drill.
 */
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { decode } from 'fast-png';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../app.ts';
import { CLIENT_DIST, ensureClientBuild } from '../client-build.ts';
import type { Database } from '../db/database.ts';
import { incidentEvents } from '../db/schema/index.ts';
import { CHROMIUM_ARGS } from '../services/combat-map-pdf.ts';
import { openSmallApp, requestsAs } from '../testing/demo-sessions.ts';
import { newIncident } from '../testing/factories.ts';
import { testBackend } from '../testing/test-database.ts';

const RESULTS = path.resolve(import.meta.dirname, '../../test-results');

let app: App;
let database: Database;
let tokens: Map<string, string>;
let base = '';
/** 高村镇, the drills' township. */
let gaocun = '';
/** The drill printed by the first test and its fire, for the card's link. */
let printed = { drill: '', fire: '' };
let get: ReturnType<typeof requestsAs>['get'];
let post: ReturnType<typeof requestsAs>['post'];

beforeAll(async () => {
  await ensureClientBuild(() => {});
  const small = await openSmallApp({}, { clientDir: CLIENT_DIST });
  ({ app, database, tokens } = small);
  ({ get, post } = requestsAs(app, tokens));
  gaocun = small.county.townships.gaocun.code;
  await app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
}, 600_000);
afterAll(async () => {
  await app?.close();
});

/** pdfinfo's page count and each page's size in points. */
function pdfInfo(file: string) {
  const pages = Number(
    /^Pages:\s+(\d+)/m.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))?.[1],
  );
  const out = execFileSync('pdfinfo', ['-f', '1', '-l', String(pages), file], {
    encoding: 'utf8',
  });
  const sizes = [...out.matchAll(/^Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts/gm)].map((m) => [
    Number(m[1]),
    Number(m[2]),
  ]);
  return { pages, sizes };
}
const pdfText = (file: string, page?: number) =>
  execFileSync('pdftotext', [...(page ? ['-f', `${page}`, '-l', `${page}`] : []), file, '-'], {
    encoding: 'utf8',
  }).replace(/\s+/g, '');

describe(`the drill report as PDF on the ${testBackend()} backend`, () => {
  it('prints a drill run through the API: A4 portrait, its crews 达标 or 未达标 by the 10-minute target, 演练 on every page', async () => {
    const heldOn = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    const created = await post('/api/drills', 'county', {
      title: '高村镇秋季扑火演练',
      heldOn,
      townshipCode: gaocun,
      departments: ['林业', '应急'],
      participants: 45,
    });
    expect(created.statusCode, created.body).toBe(201);
    const drill = created.json().id as string;
    const started = await post(`/api/drills/${drill}/start`, 'twp-gaocun', {
      clientUuid: crypto.randomUUID(),
      position: { lon: 109.812, lat: 27.862 },
      observedAt: new Date().toISOString(),
      source: 'ranger',
    });
    expect(started.statusCode, started.body).toBe(201);
    const fire = started.json().incidentId as string;
    printed = { drill, fire };

    // 高村镇's crew and the county's professional crew, confirmed and ordered in one step.
    const own = { id: 'CR-T106', name: '高村镇半专业扑火队' };
    const county = { id: 'CR-C01', name: '县森林消防专业扑火队' };
    const sent = await post(`/api/incidents/${fire}/dispatches`, 'county', {
      crewIds: [own.id, county.id],
      confirm: true,
    });
    expect(sent.statusCode, sent.body).toBeLessThan(300);
    // The field's 40 minutes, set as the crews' phones and the command page would have
    // recorded them (the log takes events with their time): report t0, order +1, own crew
    // on scene +9, county unit +12, under control +25, out +28.
    const t0 = new Date(Date.now() - 40 * 60_000);
    const plus = (m: number) => new Date(t0.getTime() + m * 60_000);
    await database.query(sql`
      UPDATE incidents SET first_reported_at = ${plus(0).toISOString()}::timestamptz,
        state = 'extinguished' WHERE id = ${fire}::uuid`);
    await database.query(sql`
      UPDATE dispatches SET ordered_at = ${plus(1).toISOString()}::timestamptz, status = 'on_scene',
        arrived_at = CASE crew_id WHEN ${own.id} THEN ${plus(9).toISOString()}::timestamptz
                                  ELSE ${plus(12).toISOString()}::timestamptz END
      WHERE incident_id = ${fire}::uuid`);
    for (const [from, to, m] of [
      ['dispatched', 'on_scene', 9],
      ['on_scene', 'controlled', 25],
      ['controlled', 'extinguished', 28],
    ] as const)
      await database.db.insert(incidentEvents).values({
        incidentId: fire,
        type: 'state_changed',
        actorLabel: 'test',
        at: plus(m),
        payload: { from, to },
      });

    const res = await fetch(`${base}/api/drills/${drill}/report.pdf`, {
      headers: { authorization: `Bearer ${tokens.get('twp-gaocun')}` },
    });
    const body = Buffer.from(await res.arrayBuffer());
    expect(res.status, body.toString('utf8', 0, 300)).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(body.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    fs.mkdirSync(RESULTS, { recursive: true });
    const file = path.join(RESULTS, `drill-report-${testBackend()}.pdf`);
    fs.writeFileSync(file, body);

    const info = pdfInfo(file);
    // One drill fire with two crews and the township table fit on one page.
    expect(info.pages).toBe(1);
    for (const [w, h] of info.sizes) {
      expect(w).toBeCloseTo(595.28, 0);
      expect(h).toBeCloseTo(841.89, 0);
    }
    for (let p = 1; p <= info.pages; p++) expect(pdfText(file, p), `page ${p}`).toContain('演练');
    const text = pdfText(file);
    expect(text).toContain('演练评估报告');
    expect(text).toContain('高村镇');
    expect(text).toContain(heldOn);
    for (const step of ['报警', '调度', '到场', '控制', '扑灭']) expect(text).toContain(step);
    // Row by row (pdftotext -layout keeps a table's row on one line).
    const rows = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' })
      .split('\n')
      .map((l) => l.trim().replace(/\s+/g, ' '));
    const row = (start: string) => rows.find((l) => l.startsWith(start));
    // The crews: own crew on scene 9 minutes after the report, against 10 → 达标; the county
    // unit at 12 → 未达标.
    expect(row(own.name)).toBe(`${own.name} 高村镇 9 10 分钟 达标`);
    expect(row(county.name)).toBe(`${county.name} 县级 12 10 分钟 未达标`);
    // The fire's timeline against 10/20/30: on scene at 9 达标, control at 25 未达标, out at
    // 28 达标; the times are Beijing's.
    const clock = (m: number) =>
      new Date(t0.getTime() + m * 60_000 + 8 * 3_600_000).toISOString().slice(11, 19);
    expect(row('报警')).toBe(`报警 ${clock(0)} 0 — —`);
    expect(row('调度')).toBe(`调度 ${clock(1)} 1 — —`);
    expect(row('到场')).toBe(`到场 ${clock(9)} 9 10 分钟 达标`);
    expect(row('控制')).toBe(`控制 ${clock(25)} 25 20 分钟 未达标`);
    expect(row('扑灭')).toBe(`扑灭 ${clock(28)} 28 30 分钟 达标`);
    // Per township: 高村镇's fire 1/1 on scene, 0/1 control, 1/1 out, its crew 1/1; the
    // county's unit (no township) 0/1.
    expect(row('高村镇 1 ')).toBe('高村镇 1 1/1 达标 0/1 未达标 1/1 达标 1/1 达标');
    expect(row('县级 0')).toBe('县级 0 — — — 0/1 未达标');

    // Page 1 at 70 dpi (A4 8.27×11.69 in → 579×819 px) to look at: more than a blank page.
    execFileSync('pdftoppm', [
      '-r',
      '70',
      '-png',
      '-f',
      '1',
      '-l',
      '1',
      '-singlefile',
      file,
      file.replace(/\.pdf$/, ''),
    ]);
    const png = decode(fs.readFileSync(file.replace(/\.pdf$/, '.png')));
    expect([png.width, png.height]).toEqual([579, 819]);
    let ink = 0;
    for (let i = 0; i < png.data.length; i += png.channels)
      if ((png.data[i] as number) < 128) ink++;
    expect(ink).toBeGreaterThan(1000);
  }, 300_000);

  it('stamps 演练 on every page of a report running to several pages', async () => {
    const created = await post('/api/drills', 'county', {
      title: '高村镇多点火情演练',
      heldOn: '2026-03-20',
      townshipCode: gaocun,
      participants: 120,
    });
    const drill = created.json().id as string;
    // Six drill fires of a past drill, linked as drill mode links them.
    for (let i = 0; i < 6; i++) {
      const id = await newIncident(database, {
        townshipCode: gaocun,
        firstReportedAt: new Date(Date.UTC(2026, 2, 20, 1, i * 10)),
        state: 'extinguished',
      });
      await database.query(
        sql`INSERT INTO drill_incidents (incident_id, drill_id) VALUES (${id}::uuid, ${drill}::uuid)`,
      );
    }
    const res = await fetch(`${base}/api/drills/${drill}/report.pdf`, {
      headers: { authorization: `Bearer ${tokens.get('county')}` },
    });
    expect(res.status).toBe(200);
    const file = path.join(RESULTS, `drill-report-pages-${testBackend()}.pdf`);
    fs.writeFileSync(file, Buffer.from(await res.arrayBuffer()));
    const info = pdfInfo(file);
    expect(info.pages).toBeGreaterThan(1);
    for (const [w, h] of info.sizes) {
      expect(w).toBeCloseTo(595.28, 0);
      expect(h).toBeCloseTo(841.89, 0);
    }
    // The footer (and the stamp beside it) repeats on every page, not just the first.
    for (let p = 1; p <= info.pages; p++)
      expect(pdfText(file, p), `page ${p}`).toContain('演练·模拟火情，不计入红黄黑旗与火情统计');
    expect(pdfText(file)).toContain('演练火情6');
    execFileSync('pdftoppm', [
      '-r',
      '70',
      '-png',
      '-f',
      '2',
      '-l',
      '2',
      '-singlefile',
      file,
      file.replace(/\.pdf$/, '-p2'),
    ]);
  }, 300_000);

  it("links the report from the drill fire's card on the command page", async () => {
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: CHROMIUM_ARGS,
    });
    try {
      const page = await browser.newPage({
        viewport: { width: 1366, height: 768 },
        locale: 'zh-CN',
      });
      await page.goto(base);
      await page.waitForSelector('body[data-ready=true]', { timeout: 60_000 });
      await page.click('#signin-button');
      await page.fill('#signin-username', 'county');
      await page.fill('#signin-password', 'fire-demo-2026');
      await page.click('#signin-submit');
      const row = `#incidents-panel li[data-incident="${printed.fire}"] button`;
      await page.waitForSelector(row, { timeout: 30_000 });
      await page.locator(row).click();
      // Shown once the card has the fire's detail (which names its drill).
      const link = page.locator('#incident-card a[data-drill-report][href]:not([hidden])');
      await link.waitFor({ state: 'visible', timeout: 30_000 });
      expect(await link.getAttribute('href')).toBe(`/api/drills/${printed.drill}/report.pdf`);
      expect((await link.textContent())?.trim()).toBe('打印演练评估报告');
      await page.screenshot({ path: path.join(RESULTS, 'drill-report-link.png') });
    } finally {
      await browser.close();
    }
  }, 180_000);

  it('answers as the JSON report does: 401 without sign-in, 403 another township, 404 no drill', async () => {
    const created = await post('/api/drills', 'county', {
      title: '高村镇夜间演练',
      heldOn: '2026-03-20',
      townshipCode: gaocun,
      participants: 10,
    });
    const drill = created.json().id as string;
    const url = `/api/drills/${drill}/report.pdf`;
    expect((await app.inject({ method: 'GET', url })).statusCode).toBe(401);
    expect((await get(url, 'twp-lanli')).statusCode).toBe(403);
    const missing = await get(`/api/drills/${crypto.randomUUID()}/report.pdf`, 'county');
    expect([missing.statusCode, missing.json().field]).toEqual([404, 'id']);
  });
});
