/**
 * The supervision work page 督战工作台 end to end: without sign-in it asks for one; the
 * supervision office records an inspection with a finding (first refused on its blank
 * inspector, the field marked), sees the finding listed and puts it right, and records a
 * training for 高村镇's crew (first refused on a blank unit name); the county command centre
 * starts a drill in drill mode from a phone; the server has each of them. Screenshots at a laptop's 1366×768 and a phone's 390×844.
 */
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import { ONE_PIXEL_PNG } from '../../server/testing/multipart.ts';
import { commandPage, DEMO_PASSWORD, postJson, signIn } from './command-page.ts';
import { useFreshProductAndBrowser } from './fresh-product.ts';
import { ROOT } from './product.ts';

const GAOCUN = '431226106';
const env = useFreshProductAndBrowser();
const shot = (name: string) => path.join(ROOT, 'test-results', name);

async function deskPage(viewport: { width: number; height: number }) {
  const { context, page, errors } = await commandPage(env.browser, env.product.url, viewport);
  await page.goto(`${env.product.url}/supervision`);
  await page.waitForSelector('body[data-ready=true]', { timeout: 60_000 });
  return { context, page, errors };
}

async function apiGet<T>(pathname: string, token: string): Promise<T> {
  const res = await fetch(`${env.product.url}${pathname}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  expect(res.status).toBe(200);
  return (await res.json()) as T;
}

/** Submits a form and waits for its answer (saved or refused). */
async function submit(page: Page, form: string): Promise<string> {
  await page.click(`#sup-${form} .sup-submit`);
  const status = page.locator(`#sup-${form} .sup-status`);
  await expect
    .poll(() => status.getAttribute('class'), { timeout: 15_000 })
    .toMatch(/\b(ok|error)\b/);
  return (await status.textContent()) ?? '';
}

describe(`supervision work page (${inject('e2eBackend')} backend)`, () => {
  it('records an inspection with a finding, puts it right and records a crew’s training', async () => {
    const token = (
      await postJson(env.product.url, '/api/auth/login', {
        username: 'supervisor',
        password: DEMO_PASSWORD,
        client: 'field',
      })
    ).body.token as string;

    const { context, page, errors } = await deskPage({ width: 1366, height: 768 });
    expect(await page.textContent('#sup-notice')).toContain('请先登录');
    await signIn(page, 'supervisor');
    await page.waitForSelector('#sup-inspection form');
    // The office records inspections, training, publicity and flag notes; periods and
    // drills are the county command centre's.
    expect(await page.locator('#sup-period').count()).toBe(0);
    expect(await page.locator('#sup-drill').count()).toBe(0);
    expect(await page.locator('#sup-annotate').count()).toBe(1);

    // An inspector of spaces: refused, and the inspector field says so.
    const finding = '防火检查站无人值守,入山登记簿缺失';
    await page.selectOption('#sup-inspection [name=kind]', 'inspection_group');
    await page.fill('#sup-inspection [name=inspector]', '   ');
    await page.selectOption('#sup-inspection [name=townshipCode]', GAOCUN);
    await page.fill('#sup-inspection [name=findings]', finding);
    const refused = await submit(page, 'inspection');
    expect(refused).toContain('督查人');
    expect(await page.getAttribute('#sup-inspection [data-field=inspector]', 'class')).toContain(
      'invalid',
    );
    expect(await page.getAttribute('#sup-inspection [name=inspector]', 'aria-invalid')).toBe(
      'true',
    );
    expect(await page.locator('#sup-inspection .sup-field.invalid').count()).toBe(1);
    await page.screenshot({ path: shot('supervision-desk-refusal-1366x768.png') });

    await page.fill('#sup-inspection [name=inspector]', '县督查组 张明');
    await page.setInputFiles('#sup-inspection [name=photos]', {
      name: 'checkpoint.png',
      mimeType: 'image/png',
      buffer: ONE_PIXEL_PNG,
    });
    expect(await submit(page, 'inspection')).toBe('已保存');
    expect(await page.locator('#sup-inspection .sup-field.invalid').count()).toBe(0);
    const row = page.locator('#open-findings li', { hasText: finding });
    await row.waitFor({ timeout: 15_000 });
    expect(await row.textContent()).toContain('高村镇');
    expect(await row.textContent()).toContain('照片1张');
    const open = await apiGet<
      { id: string; findings: string; inspector: string; photos: unknown[] }[]
    >('/api/inspections?open=true', token);
    const saved = open.find((i) => i.findings === finding);
    expect(saved).toMatchObject({ inspector: '县督查组 张明' });
    expect(saved?.photos).toHaveLength(1);

    // A named unit of spaces: refused on the unit's field.
    await page.fill('#sup-training [name=title]', '扑火队技能培训');
    await page.fill('#sup-training [name=unitName]', '  ');
    await page.selectOption('#sup-training [name=townshipCode]', GAOCUN);
    await page.fill('#sup-training [name=audience]', '扑火队员');
    await page.fill('#sup-training [name=personTimes]', '35');
    expect(await submit(page, 'training')).toContain('受训单位名称');
    expect(await page.getAttribute('#sup-training [data-field=unitName]', 'class')).toContain(
      'invalid',
    );
    // The township's crew, by name; its township follows the crew.
    await page.fill('#sup-training [name=unitName]', '');
    await page.selectOption('#sup-training [name=townshipCode]', '');
    await page.selectOption('#sup-training [name=crewId]', 'CR-T106');
    expect(await submit(page, 'training')).toBe('已保存');
    await page
      .locator('#training-list li', { hasText: '高村镇半专业扑火队' })
      .waitFor({ timeout: 15_000 });
    expect(await page.textContent('#training-units tr[data-crew="CR-T106"] td.n')).toBe('35');
    const year = new Date(Date.now() + 8 * 3_600_000).getUTCFullYear();
    const trainings = await apiGet<{ crewId: string | null; personTimes: number }[]>(
      `/api/trainings?year=${year}`,
      token,
    );
    expect(trainings.filter((r) => r.crewId === 'CR-T106')).toEqual([
      expect.objectContaining({ personTimes: 35, townshipCode: GAOCUN, title: '扑火队技能培训' }),
    ]);
    await page.screenshot({ path: shot('supervision-desk-1366x768.png'), fullPage: true });

    // The finding put right: it leaves the list, and the server has the rectification.
    await row.locator('input[name=note]').fill('已安排专人值守,补齐登记簿');
    await row.locator('button').click();
    await expect.poll(() => row.count(), { timeout: 15_000 }).toBe(0);
    const after = await apiGet<{ id: string }[]>('/api/inspections?open=true', token);
    expect(after.some((i) => i.id === saved?.id)).toBe(false);

    expect(errors).toEqual([]);
    await context.close();
  }, 300_000);

  it('fits a phone and is linked from the command page for the county command centre', async () => {
    const phone = await deskPage({ width: 390, height: 844 });
    await signIn(phone.page, 'county');
    await phone.page.waitForSelector('#sup-period form');
    // No form wider than the screen.
    const overflow = await phone.page.evaluate(
      () => document.documentElement.scrollWidth - window.innerWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    await phone.page.screenshot({ path: shot('supervision-desk-390x844.png') });
    // A township drill started at once in drill mode: its fire is on the server as a drill.
    await phone.page.fill('#sup-drill [name=title]', '高村镇扑火演练');
    await phone.page.selectOption('#sup-drill [name=townshipCode]', GAOCUN);
    await phone.page.fill('#sup-drill [name=participants]', '30');
    await phone.page.fill('#sup-drill [name=lon]', '109.8075');
    await phone.page.fill('#sup-drill [name=lat]', '27.8695');
    expect(await submit(phone.page, 'drill')).toBe('已保存');
    const { incidents } = await (await fetch(`${env.product.url}/api/incidents`)).json();
    expect(incidents.filter((i: { drill: boolean }) => i.drill)).toHaveLength(1);
    await phone.page.screenshot({
      path: shot('supervision-desk-390x844-full.png'),
      fullPage: true,
    });
    expect(phone.errors).toEqual([]);
    await phone.context.close();

    const { context, page, errors } = await commandPage(env.browser, env.product.url);
    expect(await page.isVisible('#supervision-link')).toBe(false);
    await signIn(page, 'county');
    await page.waitForSelector('#supervision-link:not([hidden])');
    expect(await page.getAttribute('#supervision-link', 'href')).toBe('/supervision');
    expect(errors).toEqual([]);
    await context.close();
  }, 300_000);
});
