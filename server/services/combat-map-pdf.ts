/**
 * Village combat maps 作战图 as PDF (issue 14 item 6): the product's own combat-map page —
 * the same MapLibre map, style and tiles as the command map — opened in headless Chromium
 * with the requester's session (so the roster shows the phones he may see) and printed A4 or
 * A3 landscape: one sheet, and further pages when the roster is too long to sit beside the
 * map (it is never cut). Chromium runs as its own process; one render at a time keeps a burst of
 * requests from starting a browser each. No request leaves the machine.
 */
import { chromium } from 'playwright-core';

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

export class CombatMapPrinter {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly chromiumPath: string,
    private readonly timeoutMs = 90_000,
  ) {}

  /**
   * @param baseUrl where this server listens, e.g. http://127.0.0.1:3000
   * @param session the requester's session token, set as the page's cookie
   */
  render(
    baseUrl: string,
    area: { level: 'village' | 'township'; code: string },
    paper: Paper,
    session: { cookieName: string; token: string },
  ): Promise<Buffer> {
    const job = this.queue.then(() => this.renderNow(baseUrl, area, paper, session));
    this.queue = job.catch(() => {});
    return job;
  }

  private async renderNow(
    baseUrl: string,
    area: { level: 'village' | 'township'; code: string },
    paper: Paper,
    session: { cookieName: string; token: string },
  ): Promise<Buffer> {
    const browser = await chromium.launch({
      executablePath: this.chromiumPath,
      headless: true,
      args: CHROMIUM_ARGS,
    });
    try {
      // Landscape sheet in CSS pixels at 96 dpi: A4 297×210 mm, A3 420×297 mm.
      const viewport =
        paper === 'A4' ? { width: 1123, height: 794 } : { width: 1587, height: 1123 };
      const context = await browser.newContext({ viewport, locale: 'zh-CN' });
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
      await page.goto(
        `${baseUrl}/combat-map.html?${area.level}=${encodeURIComponent(area.code)}&paper=${paper}`,
      );
      await page.waitForSelector('body[data-ready=true]', { timeout: this.timeoutMs });
      const failed = await page.getAttribute('body', 'data-error');
      if (failed) throw new Error(`combat map page failed: ${failed}`);
      return await page.pdf({
        // The page's @page rule says A4 or A3 landscape in millimetres.
        preferCSSPageSize: true,
        printBackground: true,
        margin: { top: '0', right: '0', bottom: '0', left: '0' },
        // Every page: the sheet, and the roster's pages after it when it did not fit beside the map.
      });
    } finally {
      await browser.close();
    }
  }
}
