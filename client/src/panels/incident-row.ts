/**
 * One row of the incident list, as the wall reads it (issue 19, item 3): a drill's 演练 label
 * (issue 14), state, place, how far
 * the reports are believed, the 10/20/30 clock, then the command level, the crews sent, the
 * reports and their sources, a stale mark when nobody acted for an hour, and the data's age.
 */
import type { IncidentSummary } from '../../../server/domain/live-events.ts';
import { isStale } from '../../../server/domain/situation.ts';
import { locale, t, tn, tValue } from '../i18n/i18n.ts';
import { ago, clockView, formatClock } from '../live/countdown.ts';
import { h } from '../ui/dom.ts';

/** The row's contents, to go inside its button. */
export function incidentRowContent(inc: IncidentSummary, now: number): HTMLElement[] {
  const zh = locale() === 'zh-CN';
  const clock = clockView(inc, now);
  const stale = isStale(inc, now);
  const sep = zh ? '、' : ', ';
  const parts: (HTMLElement | null)[] = [
    // A drill runs through the real system; it must never be read as a real fire.
    inc.drill ? h('span', { class: 'drill-tag', 'data-drill': '' }, t('incidents.drill')) : null,
    h('span', { class: `state-tag state-${inc.state}` }, tValue('state', inc.state)),
    h('span', { class: 'where' }, `${inc.townshipName ?? ''} ${inc.villageName ?? ''}`),
    // Only while it is unconfirmed does it matter how far the reports are believed.
    inc.state === 'reported' || inc.state === 'verifying'
      ? h(
          'span',
          {
            class: `confidence confidence-${inc.confidence}`,
            'data-confidence': inc.confidence,
          },
          t(`alarms.confidence.${inc.confidence}`),
        )
      : null,
    clock
      ? h(
          'span',
          {
            class: `countdown ${clock.breached ? 'breached' : clock.leftMs < 3 * 60_000 ? 'soon' : 'ok'}`,
            'data-target': clock.target,
          },
          `${tValue('target', clock.target)} ${clock.breached ? t('incidents.overdue') : ''} ${formatClock(clock.leftMs, zh)}`,
        )
      : null,
    h(
      'span',
      { class: 'meta' },
      h(
        'span',
        { class: `level level-${inc.escalationLevel}`, 'data-level': inc.escalationLevel },
        tValue('level', inc.escalationLevel),
      ),
      h(
        'span',
        { class: 'crews-sent', 'data-crews': String(inc.crewsSent) },
        inc.crewsSent > 0 ? tn('incidents.crewsSent', inc.crewsSent) : t('incidents.noCrews'),
      ),
      h(
        'span',
        { class: 'report-count', 'data-reports': String(inc.reportCount) },
        tn('incidents.reportCount', inc.reportCount),
      ),
      h(
        'span',
        { class: 'sources', 'data-sources': inc.sources.join(' ') },
        inc.sources.map((s) => tValue('source', s)).join(sep),
      ),
    ),
    stale
      ? h(
          'span',
          { class: 'stale', 'data-stale': '', role: 'note' },
          `⚠ ${t('incidents.stale')} · ${ago(now - Date.parse(inc.lastActionAt), zh)}`,
        )
      : null,
    h(
      'span',
      { class: 'age muted small' },
      `${t('incidents.updated')} ${ago(now - Date.parse(inc.updatedAt), zh)}`,
    ),
  ];
  return parts.filter((p): p is HTMLElement => p !== null);
}
