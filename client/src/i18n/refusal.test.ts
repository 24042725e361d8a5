import { describe, expect, it, vi } from 'vitest';
import { GENERIC_CODES, REFUSAL_CODES } from '../../../server/contract/errors.ts';
import { setLocale } from './i18n.ts';
import { messages } from './messages.ts';
import { refusalOf, refusalText } from './refusal.ts';

// setLocale marks <html lang>; Node has no document.
vi.stubGlobal('document', { documentElement: {}, querySelectorAll: () => [], title: '' });

describe('refusals in the user language', () => {
  it('has Chinese and English text for every code the server sends', () => {
    for (const code of [...REFUSAL_CODES, ...GENERIC_CODES, 'network']) {
      expect(messages['zh-CN'], code).toHaveProperty([`error.${code}`]);
      expect(messages.en, code).toHaveProperty([`error.${code}`]);
    }
  });

  it('fills the names in, translating states and levels, and never shows the English message', () => {
    setLocale('zh-CN');
    const busy = refusalOf(409, {
      error: 'Conflict',
      message: 'crew CR-T106 is already serving incident x',
      field: 'crewIds',
      code: 'dispatch.crew_busy',
      params: { crew: '高村镇扑火队', crewId: 'CR-T106' },
    });
    expect(refusalText(busy)).toBe('“高村镇扑火队”正在执行另一处火情的任务,未调派');
    const state = refusalOf(409, {
      code: 'dispatch.not_dispatchable_state',
      params: { state: 'false_alarm' },
      message: 'crews are dispatched to confirmed fires; this one is false_alarm',
    });
    expect(refusalText(state)).toBe('火情当前为“误报”,不能调派队伍');
    // A code this page does not know yet: the status's generic text.
    expect(refusalText(refusalOf(409, { code: 'something.new', message: 'English' }))).toBe(
      '与当前状态冲突,请刷新后重试',
    );
    expect(refusalText(refusalOf(502, null))).toBe('服务器出错,已记录');
    setLocale('en');
    expect(refusalText(state)).toBe('The fire is “False alarm”: no crews can be dispatched');
    setLocale('zh-CN');
  });
});
