/**
 * The publicity layer's legend names the colours the layer draws (PALETTE.coverage: violet
 * short of 80%, lavender from 80%, green at 100%, grey without a record) in both languages,
 * never red or yellow, which on this map are a fire's and the flags'.
 */
import { describe, expect, it } from 'vitest';
import { messages } from './messages.ts';

describe('publicity.legend', () => {
  it('says 浅紫 ≥80% and 紫 <80% in Chinese, lavender and violet in English', () => {
    const zh = messages['zh-CN']['publicity.legend'];
    expect(zh).toContain('浅紫 ≥80%');
    expect(zh).toContain('紫 <80%');
    expect(zh).toContain('绿 100%');
    expect(zh).not.toMatch(/[红黄]/);
    const en = messages.en['publicity.legend'];
    expect(en).toContain('lavender ≥80%');
    expect(en).toContain('violet <80%');
    expect(en).not.toMatch(/\b(red|amber|yellow)\b/);
  });
});
