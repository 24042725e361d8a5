/** How the incident card writes times, in the page's language (24-hour clock). */
import { locale } from '../i18n/i18n.ts';

/** Is the page in Chinese? */
export const zh = (): boolean => locale() === 'zh-CN';

/** An ISO time as the clock reads it: "06:30:47". */
export const clockTime = (iso: string): string =>
  new Date(iso).toLocaleTimeString(zh() ? 'zh-CN' : 'en-GB', { hour12: false });

/** Epoch milliseconds to the minute: "06:45". */
export const hourMinute = (ms: number): string =>
  new Date(ms).toLocaleTimeString(zh() ? 'zh-CN' : 'en-GB', {
    hour12: false,
    hour: '2-digit',
    minute: '2-digit',
  });
