/**
 * The one i18n mechanism: `t(key)` in code, `data-i18n="key"` (text) and
 * `data-i18n-aria-label="key"` (aria-label) in markup. The choice is kept in localStorage
 * and sets <html lang>, so CJK glyph forms follow the language.
 */
import { type Locale, type MessageKey, messages } from './messages.ts';

const STORAGE_KEY = 'locale';
let current: Locale = readStoredLocale();
const listeners = new Set<(locale: Locale) => void>();

function readStoredLocale(): Locale {
  try {
    const v = localStorage.getItem(STORAGE_KEY);
    return v === 'en' ? 'en' : 'zh-CN';
  } catch {
    return 'zh-CN';
  }
}

export function locale(): Locale {
  return current;
}

export function t(key: MessageKey): string {
  return messages[current][key] ?? messages['zh-CN'][key];
}

/** A message with its {0}, {1}, … filled in. */
export function tf(key: MessageKey, ...args: (string | number)[]): string {
  return t(key).replace(/\{(\d)\}/g, (_, i: string) => String(args[Number(i)] ?? ''));
}

/**
 * A message for a count, its {0} filled in: English messages hold "one|other" forms
 * ("{0} crew sent|{0} crews sent"), Chinese ones a single form.
 */
export function tn(key: MessageKey, n: number): string {
  const forms = t(key).split('|');
  const form = (n !== 1 && forms[1]) || forms[0] || '';
  return form.replace(/\{0\}/g, String(n));
}

export function applyTranslations(root: ParentNode = document): void {
  document.documentElement.lang = current;
  for (const el of root.querySelectorAll<HTMLElement>('[data-i18n]')) {
    el.textContent = t(el.dataset.i18n as MessageKey);
  }
  for (const el of root.querySelectorAll<HTMLElement>('[data-i18n-aria-label]')) {
    el.setAttribute('aria-label', t(el.dataset.i18nAriaLabel as MessageKey));
  }
  document.title = `${t('app.county')} · ${t('app.title')}`;
}

export function setLocale(next: Locale): void {
  current = next;
  try {
    localStorage.setItem(STORAGE_KEY, next);
  } catch {
    // private mode: the choice lasts for this page only
  }
  applyTranslations();
  for (const fn of listeners) fn(next);
}

export function onLocaleChange(fn: (locale: Locale) => void): void {
  listeners.add(fn);
}

/** A translated vocabulary value (`role.ranger`), or the value itself when none exists. */
export function tValue(prefix: string, value: string): string {
  const key = `${prefix}.${value}` as MessageKey;
  return key in messages[current] ? t(key) : value;
}
