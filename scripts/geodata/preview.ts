/**
 * `npm run geodata:preview`: renders geodata/mayang/preview.png through the real command
 * map — the product is started on a fresh embedded database (which loads the demo county),
 * Debian's Chromium opens the page, and the map is screenshotted once it is idle.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ensureClientBuild } from '../../server/client-build.ts';
import {
  copyEmbeddedTemplate,
  ensureEmbeddedTemplate,
} from '../../server/testing/database-template.ts';
import { launchChromium } from '../e2e/browser.ts';
import { ROOT, startProduct } from '../e2e/product.ts';

const out = path.join(ROOT, 'geodata/mayang/preview.png');
await ensureClientBuild((m) => console.log(m));
const dataDir = copyEmbeddedTemplate(await ensureEmbeddedTemplate(), 'fire-preview-');
const product = await startProduct({ DATA_DIR: dataDir, LOG_LEVEL: 'warn' });
const { browser, close } = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 1600, height: 1100 }, locale: 'zh-CN' });
  await page.goto(product.url);
  await page.waitForFunction(
    () => (window as unknown as { __mapIdle?: boolean }).__mapIdle === true,
    null,
    { timeout: 120_000 },
  );
  await page.screenshot({ path: out });
  console.log(`wrote ${path.relative(ROOT, out)}`);
} finally {
  await close();
  await product.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
}
