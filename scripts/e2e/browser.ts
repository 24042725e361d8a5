/**
 * Debian's Chromium driven by playwright-core (no browser download). The flags are the ones
 * this machine needs (design.md): without the background-networking ones Chromium tries to
 * reach Google's hosts at every start.
 */
import { type Browser, chromium } from 'playwright-core';
import { CHROMIUM_ARGS } from '../../server/services/combat-map-pdf.ts';

export const CHROMIUM_PATH = '/usr/bin/chromium';

export async function launchChromium(): Promise<{ browser: Browser; close: () => Promise<void> }> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
  });
  return {
    browser,
    // playwright gives each launch a fresh temporary profile (--user-data-dir) and removes it.
    close: () => browser.close(),
  };
}

/** True for requests that stay on this machine. */
export function isLoopback(url: string): boolean {
  if (url.startsWith('data:') || url.startsWith('blob:') || url.startsWith('about:')) return true;
  try {
    const host = new URL(url).hostname;
    return host === '127.0.0.1' || host === 'localhost' || host === '[::1]';
  } catch {
    return false;
  }
}
