/**
 * Escalations and missed targets reach upward (issue 19, item 6): a badge in the top bar counts
 * the alerts waiting for the signed-in user's level (rules: server/domain/upward-alerts.ts), a
 * list under it says what each is and offers 已知悉; a new one sounds its own alarm — a rising
 * two-tone siren, unlike a new report's single beep or a flood's falling tones — and flashes
 * the badge (ui/sound.ts). An acknowledgement by anyone at the level takes it off every badge there, live.
 * A drill's alert (演练) is listed, labelled and acknowledged like the others, but it is no
 * real alarm: it neither sounds nor flashes, and the badge counts it apart (待确认 N · 演练 M).
 */
import type { UpwardAlert, UpwardAlerts } from '../../../server/contract/alerts.ts';
import {
  alertLevel,
  alertsActor,
  isUpwardAlert,
  upwardAlertOf,
} from '../../../server/domain/upward-alerts.ts';
import { get, post } from '../api/http.ts';
import { onLocaleChange, t, tf, tValue } from '../i18n/i18n.ts';
import { refusalOf, refusalText } from '../i18n/refusal.ts';
import type { LiveIncidents } from '../live/live-client.ts';
import { h } from '../ui/dom.ts';
import { siren } from '../ui/sound.ts';
import type { Session } from './session.ts';
import { beijingHhmm as hhmm } from './situation-bar.ts';

/** Shown in the list at once; the badge counts them all. */
const SHOWN = 12;

/** The badge's counts: real alarms, and drills' alerts counted apart (never as real). */
export function badgeCounts(list: Iterable<Pick<UpwardAlert, 'drill'>>): {
  real: number;
  drills: number;
} {
  let real = 0;
  let drills = 0;
  for (const a of list)
    if (a.drill) drills++;
    else real++;
  return { real, drills };
}

export interface UpwardAlertsOptions {
  badge: HTMLButtonElement;
  panel: HTMLElement;
  session: Session;
  live: LiveIncidents;
  /** Select the fire on the map and open its card. */
  select: (incidentId: string) => void;
  /** Is sound on (the top bar's 提示音 toggle)? */
  soundOn: () => boolean;
}

export function mountUpwardAlerts(o: UpwardAlertsOptions): { reload(): Promise<void> } {
  const { badge, panel, session, live } = o;
  const alerts = new Map<number, UpwardAlert>();
  const refusals = new Map<number, string>();
  let open = false;
  let loading = 0;

  const sorted = () => [...alerts.values()].sort((a, b) => b.seq - a.seq);

  function what(a: UpwardAlert): string {
    return a.type === 'escalated'
      ? tf('alerts.escalated', tValue('escalation', a.level))
      : tf('alerts.breached', tValue('target', a.target ?? ''));
  }

  async function acknowledge(seq: number) {
    refusals.delete(seq);
    const res = await post(`/api/alerts/${seq}/acknowledgement`);
    if (res.ok || res.status === 404) alerts.delete(seq);
    else if (res.status === 0) refusals.set(seq, refusalText({ code: 'network' }));
    else refusals.set(seq, refusalText(refusalOf(res.status, res.error)));
    // Someone else at the level was first: it is done, say by whom, and let it go.
    if (res.status === 409) setTimeout(() => alerts.delete(seq) && render(), 4000);
    render();
  }

  function item(a: UpwardAlert): HTMLElement {
    const ack = h(
      'button',
      { type: 'button', class: 'dispatch', 'data-ack': String(a.seq) },
      t('alerts.ack'),
    );
    ack.addEventListener('click', () => void acknowledge(a.seq));
    const show = h('button', { type: 'button', 'data-show': a.incidentId }, t('alerts.open'));
    show.addEventListener('click', () => o.select(a.incidentId));
    const place = [a.townshipName, a.villageName].filter(Boolean).join(' ');
    const refusal = refusals.get(a.seq);
    return h(
      'li',
      {
        'data-alert-seq': String(a.seq),
        'data-type': a.type,
        'data-level': a.level,
        'data-drill': String(a.drill),
      },
      a.drill ? h('span', { class: 'drill-tag' }, t('alerts.drill')) : null,
      a.drill ? ' ' : null,
      h('strong', {}, what(a)),
      h('span', {}, ` · ${place}`),
      h('span', { class: 'muted' }, ` · ${hhmm(a.at)}`),
      a.type === 'escalated' ? h('div', { class: 'small' }, tf('alerts.by', a.actor)) : null,
      a.reason ? h('div', { class: 'small' }, tf('alerts.reason', a.reason)) : null,
      refusal ? h('div', { class: 'refusal action-error', role: 'alert' }, refusal) : null,
      h('div', { class: 'actions' }, ack, show),
    );
  }

  function render() {
    const n = alerts.size;
    const { real, drills } = badgeCounts(alerts.values());
    badge.hidden = n === 0;
    badge.textContent = `${t('alerts.badge')} ${real}${drills ? ` · ${tf('alerts.drills', drills)}` : ''}`;
    badge.dataset.count = String(real);
    badge.dataset.drillCount = String(drills);
    badge.classList.toggle('drill-only', real === 0 && drills > 0);
    badge.setAttribute(
      'aria-label',
      `${t('alerts.badgeLabel')}: ${real}${drills ? ` · ${tf('alerts.drills', drills)}` : ''}`,
    );
    badge.setAttribute('aria-expanded', String(open && n > 0));
    panel.hidden = !open || n === 0;
    if (panel.hidden) return;
    const list = sorted();
    const close = h(
      'button',
      { type: 'button', class: 'close', 'aria-label': t('card.close') },
      '×',
    );
    close.addEventListener('click', () => {
      open = false;
      render();
      badge.focus();
    });
    panel.replaceChildren(
      h('h2', {}, t('alerts.title'), close),
      h('ul', {}, ...list.slice(0, SHOWN).map(item)),
    );
    if (list.length > SHOWN)
      panel.append(h('p', { class: 'muted' }, tf('alerts.more', list.length - SHOWN)));
  }

  function flash() {
    badge.classList.remove('flash');
    void badge.offsetWidth;
    badge.classList.add('flash');
  }

  async function reload() {
    const mine = ++loading;
    if (!session.user) {
      alerts.clear();
      render();
      return;
    }
    // Offline, the badge keeps what it had; the next reconnect reads it again.
    const res = await get<UpwardAlerts>('/api/alerts');
    if (!res.ok || mine !== loading) return;
    alerts.clear();
    for (const a of res.value.alerts) alerts.set(a.seq, a);
    render();
  }

  badge.addEventListener('click', () => {
    open = !open;
    render();
  });
  session.onChange(() => void reload());
  let wasLive = false;
  live.onChange((e, isLive) => {
    if (!e) {
      // Reconnected (or the list was read again): what was acknowledged meanwhile is gone.
      if (live.status === 'live' && !wasLive) void reload();
      wasLive = live.status === 'live';
      return;
    }
    const user = session.user;
    // A public view carries no alert's reason or acknowledgement: those reach whole rooms only.
    if ('public' in e) return;
    if (e.type === 'alert_acknowledged') {
      if (alerts.delete(e.payload.seq)) render();
      return;
    }
    if (e.incident.state === 'closed' || e.incident.state === 'false_alarm') {
      let gone = false;
      for (const a of alerts.values())
        if (a.incidentId === e.incidentId) gone = alerts.delete(a.seq) || gone;
      if (gone) render();
      return;
    }
    if (!user || !isUpwardAlert(e) || !alertsActor(user, e, e.incident)) return;
    const level = alertLevel(e, e.incident.escalationLevel);
    if (!level || alerts.has(e.seq)) return;
    alerts.set(e.seq, upwardAlertOf(e, e.incident, level));
    render();
    // A drill's alert is no real alarm: no siren, no flash.
    if (isLive && !e.incident.drill) {
      flash();
      if (o.soundOn()) siren();
    }
  });
  onLocaleChange(render);
  render();
  return { reload };
}
