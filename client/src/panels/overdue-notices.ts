/**
 * 321 rhythm (issue 14 item 2): inspections the server announces as overdue appear as notices
 * on the command page of the people responsible (county, war zone, township), newest first,
 * each dismissable. The server pushes them only to signed-in rooms of the area.
 */
import type { InspectionOverdue } from '../../../server/domain/live-events.ts';
import { INSPECTION_LABELS } from '../../../server/domain/rhythm.ts';
import { t } from '../i18n/i18n.ts';
import type { LiveIncidents } from '../live/live-client.ts';
import { h } from '../ui/dom.ts';

const SHOWN = 5;

export function mountOverdueNotices(container: HTMLElement, live: LiveIncidents): void {
  const notices: InspectionOverdue[] = [];
  const render = () => {
    container.hidden = notices.length === 0;
    container.replaceChildren(
      ...notices.slice(0, SHOWN).map((o, i) => {
        const close = h(
          'button',
          { type: 'button', class: 'close', 'aria-label': t('card.close') },
          '×',
        );
        close.addEventListener('click', () => {
          notices.splice(i, 1);
          render();
        });
        const due = new Date(o.dueAt).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai' });
        return h(
          'p',
          {
            class: 'overdue-notice',
            role: 'alert',
            'data-township': o.townshipCode,
            'data-kind': o.kind,
          },
          `${t('overdue.title')} · ${o.townshipName} · ${INSPECTION_LABELS[o.kind]} (${o.everyDays} ${t('overdue.days')}) · ${t('overdue.due')} ${due}`,
          close,
        );
      }),
    );
  };
  live.onOverdue((o) => {
    notices.unshift(o);
    render();
  });
  render();
}
