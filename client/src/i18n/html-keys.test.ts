/**
 * Every text the pages' HTML takes from the messages (data-i18n) exists in both languages: a
 * missing key would blank the label on the page (applyTranslations writes what t gives).
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { messages } from './messages.ts';

const CLIENT = path.resolve(import.meta.dirname, '../..');
// The printed combat map is Chinese only (it goes up the chain on paper) and names no keys.
const pages = fs
  .readdirSync(CLIENT)
  .filter(
    (f) =>
      f.endsWith('.html') && fs.readFileSync(path.join(CLIENT, f), 'utf8').includes('data-i18n'),
  );

describe('data-i18n keys of the pages', () => {
  it.each(pages)('%s names only keys both languages have', (page) => {
    const html = fs.readFileSync(path.join(CLIENT, page), 'utf8');
    const keys = [...html.matchAll(/data-i18n(?:-[a-z]+)?="([^"]+)"/g)].map((m) => m[1] as string);
    expect(keys.length).toBeGreaterThan(0);
    for (const locale of Object.keys(messages) as (keyof typeof messages)[]) {
      const missing = keys.filter((k) => !(k in messages[locale]));
      expect({ locale, missing }).toEqual({ locale, missing: [] });
    }
  });
});
