/**
 * The receipt line under each report the phone sent (issue 19 item 5): whether it joined a
 * fire reported before (and when), the place, who has acted on it, and each crew coming with
 * the minutes until it is due, from GET /api/reports/{clientUuid}/receipt.
 */
import type { ReportReceipt } from '../../../server/contract/receipts.ts';
import { locale, t, tf } from '../i18n/i18n.ts';
import { aboutMinutes } from '../live/countdown.ts';

const time = (iso: string) =>
  new Date(iso).toLocaleTimeString(locale() === 'zh-CN' ? 'zh-CN' : 'en-GB', {
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
    timeZone: 'Asia/Shanghai',
  });

/** The receipt as lines of text, newest facts last; `now` is the page's clock (ms). */
export function receiptLines(r: ReportReceipt, now: number): string[] {
  const zh = locale() === 'zh-CN';
  const place = [r.place.townshipName, r.place.villageName].filter(Boolean).join(' ');
  const lines = [
    `${r.joinedFireReportedAt ? tf('receipt.joined', time(r.joinedFireReportedAt)) : t('receipt.new')}${place ? ` · ${place}` : ''} · ${t(`state.${r.state}` as never)}`,
    r.firstActionAt
      ? tf('receipt.acted', t(`level.${r.escalationLevel}` as never), time(r.firstActionAt))
      : t('receipt.waiting'),
  ];
  for (const c of r.crews) {
    const due =
      c.arrivedAt !== null
        ? tf('receipt.arrived', time(c.arrivedAt))
        : c.dueAt !== null
          ? Date.parse(c.dueAt) > now
            ? tf('receipt.due', aboutMinutes((Date.parse(c.dueAt) - now) / 1000, zh))
            : t('receipt.dueNow')
          : '';
    lines.push(`${c.name} · ${t(`dispatch.${c.status}` as never)}${due ? ` · ${due}` : ''}`);
  }
  return lines;
}
