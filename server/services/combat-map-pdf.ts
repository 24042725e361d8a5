/**
 * Village combat maps 作战图 as PDF (issue 14 item 6): the product's own combat-map page —
 * the same MapLibre map, style and tiles as the command map — opened in headless Chromium
 * with the requester's session (so the roster shows the phones he may see) and printed A4 or
 * A3 landscape: one sheet, and further pages when the roster is too long to sit beside the
 * map (it is never cut). Chromium runs as its own process; one render at a time keeps a burst of
 * requests from starting a browser each, and the app has one printer for every PDF route. The
 * queue is bounded: a session waits for one render at a time (a second one is 429) and the
 * printer holds a few renders at most (more is 503), so a burst costs seconds, not minutes of
 * browser launches nobody waits for. No request leaves the machine. The drill report
 * (drill-report.html, A4 portrait) is printed by the same printer.
 */
import type { AddressInfo } from 'node:net';
import { chromium } from 'playwright-core';
import { HttpError } from '../plugins/errors.ts';

export type Paper = 'A4' | 'A3';

/**
 * Chromium's flags on these machines (design.md, Quality bars): without the
 * background-networking ones it tries to reach Google's hosts at every start; WebGL runs on
 * SwiftShader (software), as on a command-centre PC without a GPU driver.
 */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
];

/** Landscape sheets of the combat maps, portrait A4 of the drill report: CSS pixels at 96 dpi. */
const VIEWPORTS = {
  'A4-landscape': { width: 1123, height: 794 },
  'A3-landscape': { width: 1587, height: 1123 },
  'A4-portrait': { width: 794, height: 1123 },
} as const;
export type Sheet = keyof typeof VIEWPORTS;

/** Renders the printer holds at once, the one printing included. */
export const MAX_PENDING_RENDERS = 3;
/** About what one render takes (a drill report measured 2.4 s): the 429's Retry-After per render ahead. */
const RENDER_SECONDS = 5;

/**
 * Prints one of the product's own pages to PDF in headless Chromium with the requester's
 * session: the page draws itself from the API, says `body[data-ready=true]` when drawn (or
 * sets `data-error`), and its @page rule gives the paper. One render at a time, one waiting
 * render per session, `maxPending` in all.
 */
export class PagePrinter {
  private queue: Promise<unknown> = Promise.resolve();
  /** The sessions with a render waiting or printing. */
  private readonly pending = new Set<string>();

  constructor(
    private readonly chromiumPath: string,
    private readonly timeoutMs = 90_000,
    private readonly maxPending = MAX_PENDING_RENDERS,
  ) {}

  /**
   * @param baseUrl where this server listens, e.g. http://127.0.0.1:3000
   * @param page the page's path and query, e.g. /drill-report.html?id=…
   * @param session the requester's session token, set as the page's cookie
   * @param field the request field a refusal names (the drill's id, the area's code)
   * @throws HttpError 429 when this session already has a render under way, 503 when the
   *   printer is full
   */
  print(
    baseUrl: string,
    page: string,
    sheet: Sheet,
    session: { cookieName: string; token: string },
    field: string,
  ): Promise<Buffer> {
    if (this.pending.has(session.token))
      return Promise.reject(
        new HttpError(
          429,
          'a PDF of yours is still being printed; wait for it before asking for another',
          field,
          undefined,
          undefined,
          RENDER_SECONDS * this.pending.size,
        ),
      );
    if (this.pending.size >= this.maxPending)
      return Promise.reject(
        new HttpError(
          503,
          `the printer is busy with ${this.pending.size} PDFs; try again in a minute`,
          field,
          undefined,
          undefined,
          60,
        ),
      );
    this.pending.add(session.token);
    const job = this.queue
      .then(() => this.printNow(baseUrl, page, sheet, session))
      .finally(() => this.pending.delete(session.token));
    this.queue = job.catch(() => {});
    return job;
  }

  protected async printNow(
    baseUrl: string,
    pagePath: string,
    sheet: Sheet,
    session: { cookieName: string; token: string },
  ): Promise<Buffer> {
    const browser = await chromium.launch({
      executablePath: this.chromiumPath,
      headless: true,
      args: CHROMIUM_ARGS,
    });
    try {
      const context = await browser.newContext({ viewport: VIEWPORTS[sheet], locale: 'zh-CN' });
      await context.addCookies([
        { name: session.cookieName, value: session.token, url: baseUrl, httpOnly: true },
      ]);
      const origin = new URL(baseUrl).origin;
      await context.route(
        (u) =>
          u.origin !== origin && !u.protocol.startsWith('data') && !u.protocol.startsWith('blob'),
        (route) => route.abort(),
      );
      const page = await context.newPage();
      await page.goto(`${baseUrl}${pagePath}`);
      await page.waitForSelector('body[data-ready=true]', { timeout: this.timeoutMs });
      const failed = await page.getAttribute('body', 'data-error');
      if (failed) throw new Error(`page ${pagePath} failed: ${failed}`);
      return await page.pdf({
        // The page's @page rule says the paper and orientation in millimetres.
        preferCSSPageSize: true,
        printBackground: true,
        margin: { top: '0', right: '0', bottom: '0', left: '0' },
        // Every page: a combat map's roster pages after its sheet, a report's further pages.
      });
    } finally {
      await browser.close();
    }
  }
}

/** The combat-map page of a village or township, A4 or A3 landscape. */
export function combatMapPage(
  area: { level: 'village' | 'township'; code: string },
  paper: Paper,
): string {
  return `/combat-map.html?${area.level}=${encodeURIComponent(area.code)}&paper=${paper}`;
}

/**
 * The address the printing browser reaches this server at (a wildcard listen address as the
 * loopback), or null when the server is not listening.
 */
export function ownBaseUrl(address: AddressInfo | string | null): string | null {
  if (!address || typeof address !== 'object') return null;
  const host = ['0.0.0.0', '::'].includes(address.address)
    ? '127.0.0.1'
    : address.family === 'IPv6'
      ? `[${address.address}]`
      : address.address;
  return `http://${host}:${address.port}`;
}
