/**
 * One row of the incident list, as the wall reads it: a drill's 演练 label, state, place, how
 * far the reports are believed, the 10/20/30 clock, then the command level, the crews sent,
 * the reports and their sources, a stale mark when nobody acted for an hour, and the data's
 * age. A lit-html template: drawn again every second, only the parts that changed (the
 * clock's text and colour, the ages) are patched; the row's elements stay.
 */
import { html, nothing, type TemplateResult } from 'lit-html';
import type { IncidentSummary } from '../../../server/domain/live-events.ts';
import { isStale } from '../../../server/domain/situation.ts';
import { locale, t, tn, tValue } from '../i18n/i18n.ts';
import { ago, clockView, formatClock } from '../live/countdown.ts';

/** The row's contents, to go inside its button. */
export function incidentRow(inc: IncidentSummary, now: number): TemplateResult {
  const zh = locale() === 'zh-CN';
  const clock = clockView(inc, now);
  const stale = isStale(inc, now);
  const sep = zh ? '、' : ', ';
  return html`${
    // A drill runs through the real system; it must never be read as a real fire.
    inc.drill ? html`<span class="drill-tag" data-drill="">${t('incidents.drill')}</span>` : nothing
  }<span class="state-tag state-${inc.state}">${tValue('state', inc.state)}</span><span
      class="where"
      >${`${inc.townshipName ?? ''} ${inc.villageName ?? ''}`}</span
    >${
      // Only while it is unconfirmed does it matter how far the reports are believed.
      inc.state === 'reported' || inc.state === 'verifying'
        ? html`<span
            class="confidence confidence-${inc.confidence}"
            data-confidence=${inc.confidence}
            >${t(`alarms.confidence.${inc.confidence}`)}</span
          >`
        : nothing
    }${
      clock
        ? html`<span
            class="countdown ${clock.breached ? 'breached' : clock.leftMs < 3 * 60_000 ? 'soon' : 'ok'}"
            data-target=${clock.target}
            >${`${tValue('target', clock.target)} ${clock.breached ? t('incidents.overdue') : ''} ${formatClock(clock.leftMs, zh)}`}</span
          >`
        : nothing
    }<span class="meta"
      ><span class="level level-${inc.escalationLevel}" data-level=${inc.escalationLevel}
        >${tValue('level', inc.escalationLevel)}</span
      ><span class="crews-sent" data-crews=${String(inc.crewsSent)}
        >${inc.crewsSent > 0 ? tn('incidents.crewsSent', inc.crewsSent) : t('incidents.noCrews')}</span
      ><span class="report-count" data-reports=${String(inc.reportCount)}
        >${tn('incidents.reportCount', inc.reportCount)}</span
      ><span class="sources" data-sources=${inc.sources.join(' ')}
        >${inc.sources.map((s) => tValue('source', s)).join(sep)}</span
      ></span
    >${
      stale
        ? html`<span class="stale" data-stale="" role="note"
            >${`⚠ ${t('incidents.stale')} · ${ago(now - Date.parse(inc.lastActionAt), zh)}`}</span
          >`
        : nothing
    }<span class="age muted small"
      >${`${t('incidents.updated')} ${ago(now - Date.parse(inc.updatedAt), zh)}`}</span
    >`;
}
