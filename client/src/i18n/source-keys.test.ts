/**
 * Every message the client's code asks for by a literal key — t('…'), tf('…'), tn('…') — exists
 * in both languages, so no label goes blank in English (t falls back to Chinese only for a key
 * English lacks, and to undefined for one neither has). Keys built at run time
 * (`spread.source.${…}`) are left to the code's types.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { messages } from './messages.ts';

const SRC = path.resolve(import.meta.dirname, '..');

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [p] : [];
  });
}

const used = new Map<string, string>();
for (const file of sources(SRC))
  for (const m of fs.readFileSync(file, 'utf8').matchAll(/\bt[fn]?\(\s*'([a-zA-Z][\w.-]*)'/g))
    used.set(m[1] as string, path.relative(SRC, file));

describe('message keys the client code uses', () => {
  it('finds the keys (the scan works), among them the warning form’s drawing keys', () => {
    expect(used.size).toBeGreaterThan(200);
    for (const k of ['warning.draw', 'warning.drawDone', 'warning.drawUndo', 'warning.drawing'])
      expect(used.has(k), k).toBe(true);
  });

  it.each(Object.keys(messages) as (keyof typeof messages)[])('%s has every one', (locale) => {
    const table = messages[locale] as Record<string, string>;
    const missing = [...used].filter(([k]) => !table[k]).map(([k, file]) => `${k} (${file})`);
    expect(missing).toEqual([]);
  });
});
