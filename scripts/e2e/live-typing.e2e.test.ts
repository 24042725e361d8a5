/**
 * What a commander is doing on the command page survives the fire's live events: an order
 * being typed keeps its text and the keyboard's focus while a crew is dispatched, acknowledges,
 * sets out and two more reports join the fire; the incident list keeps its scroll; and the
 * list's countdown ticks in place (its text changes, the element stays). On a fire put out,
 * an escalation reason and a half-filled close form keep their text, focus and caret through
 * five more events, the card keeps its scroll, and what the card already showed (the crew
 * sent, the reports, the timeline) is patched where it stands, not drawn anew. Screenshots of
 * the card after the events at 1366×768.
 */
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import {
  commandPage,
  demoToken,
  openFromList,
  postJson,
  rangerReport,
  signIn,
} from './command-page.ts';
import { useFreshProductAndBrowser } from './fresh-product.ts';
import { ROOT } from './product.ts';

/** Fires 1.5 km and more apart, so each is its own incident and the list must scroll. */
const FIRES: [number, number][] = [
  [109.8075, 27.8695],
  [109.79, 27.885],
  [109.8, 27.905],
  [109.825, 27.885],
  [109.78, 27.855],
  [109.6, 27.75],
];
/** The fire put out whose card is closed (3 km and more from the others). */
const PUT_OUT: [number, number] = [109.84, 27.86];

const env = useFreshProductAndBrowser();
const api = (pathname: string, body: unknown, token?: string) =>
  postJson(env.product.url, pathname, body, token);

const token = (username: string) => demoToken(env.product.url, username);
const report = (at: [number, number], ranger: string) => rangerReport(env.product.url, at, ranger);

/**
 * Sends the fire a crew that serves no other, through the API, and moves its dispatch through
 * these statuses: the crew and its dispatch.
 */
async function sendCrew(id: string, commander: string, statuses: string[]) {
  const res = await fetch(`${env.product.url}/api/incidents/${id}/dispatchable`, {
    headers: { authorization: `Bearer ${commander}` },
  });
  const { crews } = (await res.json()) as {
    crews: { id: string; busyIncidentId: string | null }[];
  };
  const crew = crews.find((c) => c.busyIncidentId === null);
  if (!crew) throw new Error('no free crew');
  const sent = await api(`/api/incidents/${id}/dispatches`, { crewIds: [crew.id] }, commander);
  expect(sent.status, JSON.stringify(sent.body)).toBe(201);
  const dispatchId = (sent.body.dispatchIds as string[])[0] as string;
  for (const status of statuses) {
    const r = await api(`/api/dispatches/${dispatchId}/status`, { status }, commander);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
  }
  return { crewId: crew.id, dispatchId };
}

/** Counts the fire's live events as the page hears them; the returned wait is for `n` of them. */
async function countEvents(page: Page, fire: string) {
  await page.evaluate((id) => {
    const w = window as unknown as {
      __live: { onChange(fn: (e: { incidentId: string } | null) => void): void };
      __events: number;
    };
    w.__events = 0;
    w.__live.onChange((e) => {
      if (e?.incidentId === id) w.__events++;
    });
  }, fire);
  return (n: number) =>
    page.waitForFunction(
      (want) => (window as unknown as { __events: number }).__events >= want,
      n,
      {
        timeout: 30_000,
      },
    );
}

describe(`typing on the command page through live events (${inject('e2eBackend')} backend)`, () => {
  it('an order being typed keeps its text and focus through five live events of its fire; the list keeps its scroll and ticks in place', async () => {
    const county = await token('county');
    const ranger = await token('ranger');
    const ids: string[] = [];
    for (const at of FIRES) ids.push(await report(at, ranger));
    expect(new Set(ids).size).toBe(FIRES.length);
    // The fire the commander works on: confirmed, its countdown running to arrival.
    const id = ids[0] as string;
    for (const to of ['verifying', 'confirmed'])
      expect((await api(`/api/incidents/${id}/transitions`, { to }, county)).status).toBe(200);

    const { page, errors, context } = await commandPage(env.browser, env.product.url, {
      width: 1366,
      height: 768,
    });
    await signIn(page, 'county');
    for (const other of ids)
      await page.waitForSelector(`#incidents-panel li[data-incident="${other}"]`, {
        timeout: 30_000,
      });

    // The fire's row (first: fires being fought lead the list) is opened with a real click,
    // then the list is scrolled to its end.
    await openFromList(page, id);
    await page.waitForSelector('#incident-card #order-text', { timeout: 60_000 });
    await page.evaluate(() => {
      const list = document.querySelector('#incidents-panel .incident-list') as HTMLElement;
      list.scrollTop = list.scrollHeight;
    });
    const scrolled = await page.evaluate(
      () => (document.querySelector('#incidents-panel .incident-list') as HTMLElement).scrollTop,
    );
    expect(scrolled).toBeGreaterThan(0);

    const heard = await countEvents(page, id);

    // The commander types an order; the keyboard stays in the box.
    const order = '二队沿北侧防火道向西推进,注意风向';
    await page.click('#incident-card #order-text');
    await page.keyboard.type(order);
    // The list's countdown for this fire, and the box being typed in, as they are now.
    await page.evaluate((fire) => {
      const w = window as unknown as { __box: Element | null; __clock: Element | null };
      w.__box = document.activeElement;
      w.__clock = document.querySelector(`#incidents-panel li[data-incident="${fire}"] .countdown`);
    }, id);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('order-text');
    const clockBefore = await page.textContent(
      `#incidents-panel li[data-incident="${id}"] .countdown`,
    );

    // Five live events for this fire, caused through the HTTP API: a crew dispatched, its
    // acknowledgement, its setting out, and two more reports joining the fire.
    const crew = await sendCrew(id, county, ['acknowledged', 'en_route']);
    const [lon, lat] = FIRES[0] as [number, number];
    expect(await report([lon + 0.0005, lat], ranger)).toBe(id);
    expect(await report([lon, lat + 0.0005], ranger)).toBe(id);

    // All five heard and shown: the crew en route on the card, three reports on card and list.
    await heard(5);
    await page.waitForSelector(
      `#incident-card .dispatched li[data-crew="${crew.crewId}"][data-status="en_route"]`,
      { timeout: 30_000 },
    );
    await page.waitForFunction(
      () => (document.querySelector('#incident-card')?.textContent ?? '').includes('报告 (3)'),
      undefined,
      { timeout: 30_000 },
    );
    await page.waitForSelector(
      `#incidents-panel li[data-incident="${id}"] .report-count[data-reports="3"]`,
    );
    await page.waitForSelector(`#incidents-panel li[data-incident="${id}"] [data-crews="1"]`);

    // The order is as typed, the keyboard still in the same box.
    expect(await page.inputValue('#order-text')).toBe(order);
    expect(
      await page.evaluate(
        () => document.activeElement === (window as unknown as { __box: Element }).__box,
      ),
    ).toBe(true);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('order-text');
    // The list kept its scroll.
    expect(
      await page.evaluate(
        () => (document.querySelector('#incidents-panel .incident-list') as HTMLElement).scrollTop,
      ),
    ).toBe(scrolled);
    // The countdown ticked in place: new text, the same element.
    await page.waitForFunction(
      ([fire, before]) =>
        document.querySelector(`#incidents-panel li[data-incident="${fire}"] .countdown`)
          ?.textContent !== before,
      [id, clockBefore] as const,
      { timeout: 10_000 },
    );
    expect(
      await page.evaluate(
        (fire) =>
          document.querySelector(`#incidents-panel li[data-incident="${fire}"] .countdown`) ===
          (window as unknown as { __clock: Element }).__clock,
        id,
      ),
    ).toBe(true);

    // Still typing: the next keys land in the same order.
    await page.keyboard.type('。');
    expect(await page.inputValue('#order-text')).toBe(`${order}。`);
    await page.screenshot({ path: path.join(ROOT, 'test-results/live-typing-1366x768.png') });
    expect(errors).toEqual([]);
    await context.close();
  }, 240_000);

  it('an escalation reason and a half-filled close form keep text, focus and caret through five live events; the card patches what it shows', async () => {
    const county = await token('county');
    const ranger = await token('ranger');
    const id = await report(PUT_OUT, ranger);
    // The fire is fought and put out through the API: a crew on scene, controlled, extinguished.
    for (const to of ['verifying', 'confirmed'])
      expect((await api(`/api/incidents/${id}/transitions`, { to }, county)).status).toBe(200);
    const { crewId, dispatchId } = await sendCrew(id, county, [
      'acknowledged',
      'en_route',
      'on_scene',
    ]);
    for (const to of ['controlled', 'extinguished'])
      expect((await api(`/api/incidents/${id}/transitions`, { to }, county)).status).toBe(200);

    const { page, errors, context } = await commandPage(env.browser, env.product.url, {
      width: 1366,
      height: 768,
    });
    await signIn(page, 'county');
    await openFromList(page, id);
    await page.waitForSelector(`#incident-card[data-incident="${id}"][data-state="extinguished"]`);
    // What a fire put out offers its commander: the close form, and raising it (village now).
    await page.waitForSelector('#incident-card .close-form:not([hidden]) #close-cause');
    await page.waitForSelector('#incident-card [data-escalate="township"]');
    // No reason is asked for before a raise to the county is tried.
    expect(await page.isVisible('#incident-card [data-refusal="escalate-reason"]')).toBe(false);
    await page.waitForSelector(
      `#incident-card .dispatched li[data-crew="${crewId}"][data-status="on_scene"]`,
      { timeout: 30_000 },
    );
    await page.waitForSelector('#incident-card .reports li');

    const heard = await countEvents(page, id);

    // The commander types: a reason to raise the fire, the burned area, and the cause, with
    // the caret moved back into the cause's text.
    const reason = '余火复燃风险高,请求县级支援';
    await page.click('#incident-card #escalate-reason');
    await page.keyboard.type(reason);
    await page.click('#incident-card #close-area');
    await page.keyboard.type('1.5');
    await page.click('#incident-card #close-cause');
    await page.keyboard.type('农事用火');
    for (let i = 0; i < 2; i++) await page.keyboard.press('ArrowLeft');
    // The card scrolled by the clicks (the reason box is below the fold) and stays so: the box
    // being typed in stays where the eye is. (Content growing above it, a timeline line or
    // an age that wraps, moves scrollTop by scroll anchoring while the box stays put.)
    const cardScroll = await page.evaluate(
      () => (document.getElementById('incident-card') as HTMLElement).scrollTop,
    );
    expect(cardScroll).toBeGreaterThan(0);
    const boxTop = () =>
      page.evaluate(() =>
        Math.round(
          (document.getElementById('close-cause') as HTMLElement).getBoundingClientRect().top,
        ),
      );
    const boxTopBefore = await boxTop();
    // What the card shows now, to find again after the events.
    const eventsBefore = await page.evaluate((crew) => {
      const card = document.getElementById('incident-card') as HTMLElement;
      (window as unknown as { __seen: Record<string, Element[]> }).__seen = {
        box: [document.activeElement as Element],
        sent: [...card.querySelectorAll(`.dispatched li[data-crew="${crew}"]`)],
        reports: [...card.querySelectorAll('.reports li')],
        timeline: [...card.querySelectorAll('.timeline li')],
        level: [...card.querySelectorAll('.escalation')],
      };
      return card.querySelectorAll('.timeline li').length;
    }, crewId);
    const caret = () =>
      page.evaluate(() => {
        const el = document.activeElement as HTMLInputElement;
        return [el.id, el.selectionStart, el.selectionEnd];
      });
    expect(await caret()).toEqual(['close-cause', 2, 2]);

    // Five live events of this fire: a report joins, the township takes command, an order goes
    // to the crew, the crew is released, and another report joins.
    const [lon, lat] = PUT_OUT;
    expect(await report([lon + 0.0005, lat], ranger)).toBe(id);
    const raised = await api(
      `/api/incidents/${id}/escalations`,
      { level: 'township', reason: '乡镇接管' },
      county,
    );
    expect(raised.status, JSON.stringify(raised.body)).toBe(201);
    const order = await api(`/api/incidents/${id}/orders`, { text: '清理余火,留守观察' }, county);
    expect(order.status, JSON.stringify(order.body)).toBe(201);
    const released = await api(
      `/api/dispatches/${dispatchId}/status`,
      { status: 'released' },
      county,
    );
    expect(released.status, JSON.stringify(released.body)).toBe(200);
    expect(await report([lon, lat + 0.0005], ranger)).toBe(id);

    // All five heard and shown on the card.
    await heard(5);
    await page.waitForFunction(
      () => (document.querySelector('#incident-card')?.textContent ?? '').includes('报告 (3)'),
      undefined,
      { timeout: 30_000 },
    );
    await page.waitForSelector('#incident-card .escalation[data-level="township"]');
    await page.waitForSelector('#incident-card [data-escalate="county"]');
    await page.waitForSelector('#incident-card .orders li');
    await page.waitForSelector(
      `#incident-card .dispatched li[data-crew="${crewId}"][data-status="released"]`,
    );
    await page.waitForFunction(
      (n) => document.querySelectorAll('#incident-card .timeline li').length >= n + 5,
      eventsBefore,
    );

    // What was typed is as typed, the keyboard in the same box, the caret where it was.
    expect(await page.inputValue('#escalate-reason')).toBe(reason);
    expect(await page.inputValue('#close-area')).toBe('1.5');
    expect(await page.inputValue('#close-cause')).toBe('农事用火');
    expect(await caret()).toEqual(['close-cause', 2, 2]);
    expect(
      await page.evaluate(
        () =>
          document.activeElement ===
          (window as unknown as { __seen: Record<string, Element[]> }).__seen.box?.[0],
      ),
    ).toBe(true);
    expect(
      await page.evaluate(
        () => (document.getElementById('incident-card') as HTMLElement).scrollTop,
      ),
    ).toBeGreaterThan(0);
    expect(Math.abs((await boxTop()) - boxTopBefore)).toBeLessThanOrEqual(1);
    // The next keys land at the caret.
    await page.keyboard.type('不慎');
    expect(await page.inputValue('#close-cause')).toBe('农事不慎用火');

    await page.evaluate(() => {
      (document.getElementById('incident-card') as HTMLElement).scrollTop = 0;
    });
    await page.screenshot({ path: path.join(ROOT, 'test-results/live-typing-card-1366x768.png') });
    await page
      .locator('#incident-card')
      .screenshot({ path: path.join(ROOT, 'test-results/live-typing-card-top.png') });
    await page.evaluate(() => {
      const card = document.getElementById('incident-card') as HTMLElement;
      const at = card.querySelector('.escalation') as HTMLElement;
      card.scrollTop = at.getBoundingClientRect().top - card.getBoundingClientRect().top - 260;
    });
    await page
      .locator('#incident-card')
      .screenshot({ path: path.join(ROOT, 'test-results/live-typing-card-middle.png') });
    await page.evaluate(() => {
      const card = document.getElementById('incident-card') as HTMLElement;
      card.scrollTop = card.scrollHeight;
    });
    await page
      .locator('#incident-card')
      .screenshot({ path: path.join(ROOT, 'test-results/live-typing-card-end.png') });

    // What the card showed before the events is patched where it stands, not drawn anew: the
    // crew sent (now released), the first report, the first event of the timeline, the level.
    const kept = await page.evaluate(() => {
      const seen = (window as unknown as { __seen: Record<string, Element[]> }).__seen;
      return Object.fromEntries(
        Object.entries(seen).map(([k, els]) => [
          k,
          els.length > 0 && els.every((el) => el.isConnected),
        ]),
      );
    });
    expect(kept).toEqual({ box: true, sent: true, reports: true, timeline: true, level: true });

    // What was typed is what is sent: the raise to the county with its reason, then the close
    // with the burned area and cause.
    await page.click('#incident-card [data-escalate="county"]');
    await page.click('#incident-card [data-escalate-confirm]');
    await page.waitForSelector('#incident-card .escalation[data-level="county"]', {
      timeout: 30_000,
    });
    await page.click('#incident-card [data-action-bar] [data-to="closed"]');
    await page.waitForSelector(`#incident-card[data-state="closed"]`, { timeout: 30_000 });
    const detail = (await (
      await fetch(`${env.product.url}/api/incidents/${id}`, {
        headers: { authorization: `Bearer ${county}` },
      })
    ).json()) as { timeline: { type: string; payload: Record<string, unknown> }[] };
    const raise = detail.timeline.find((e) => e.type === 'escalated' && e.payload.to === 'county');
    expect(raise?.payload.reason).toBe(reason);
    const closed = detail.timeline.find(
      (e) => e.type === 'state_changed' && e.payload.to === 'closed',
    );
    expect(closed?.payload).toMatchObject({ burnedAreaHa: 1.5, cause: '农事不慎用火' });
    expect(errors).toEqual([]);
    await context.close();
  }, 240_000);
});
