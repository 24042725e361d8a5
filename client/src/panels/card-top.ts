/**
 * The incident card's pinned top: the header (state, place, a drill's report, ×), the 10/20/30
 * clock, the action bar (核实 / 确认并调派 / 误报, then 调派 and the next states), the close form
 * of a fire put out, the bar's note (why an action waits, or the crews ticked) and the bar's
 * refusal. A lit-html template: the bar's buttons are keyed by what they do, so a keyboard
 * user's focus stays on the same action through live events, and the close form's fields keep
 * what is typed in them, their focus and caret.
 */
import { html, nothing, type TemplateResult } from 'lit-html';
import { live } from 'lit-html/directives/live.js';
import { repeat } from 'lit-html/directives/repeat.js';
import {
  DISPATCH_STATES,
  REACHED_BY_CREWS,
  stepsToDispatch,
  TRANSITIONS,
} from '../../../server/domain/incident-lifecycle.ts';
import type { IncidentSummary } from '../../../server/domain/live-events.ts';
import type { IncidentState } from '../../../server/domain/vocabulary.ts';
import { t, tf, tValue } from '../i18n/i18n.ts';
import { clockView, formatClock } from '../live/countdown.ts';
import { onValue } from '../ui/dom.ts';
import { zh } from './card-time.ts';

/** One action on the bar. */
interface BarButton {
  /** What it does, kept across redraws (its data-* attributes). */
  key: string;
  label: string;
  class: 'primary' | 'secondary' | 'danger';
  to?: IncidentState;
  confirmDispatch?: boolean;
  dispatchSelected?: boolean;
  disabled: boolean;
  onClick(): void;
}

/** What the top needs of the card. */
export interface TopView {
  inc: IncidentSummary;
  now: number;
  /** The drill whose printable report a drill's fire links to (null: none or not known). */
  drillId: string | null;
  onClose(): void;
  /** Is the signed-in user a commander, and does he command this fire? */
  canDispatch: boolean;
  commandsIt: boolean;
  /** May the user move this incident (to this state, when given)? */
  mayMove(to?: IncidentState): boolean;
  /** Crews ticked: how many, and named with their travel times. */
  chosenCount: number;
  chosenNames(): string;
  /** A request from the bar under way: its buttons wait. */
  waiting: boolean;
  move(steps: IncidentState[], extra?: Record<string, unknown>): void;
  dispatch(confirm: boolean): void;
  /** The close form's fields, as typed. */
  area: string;
  cause: string;
  onArea(value: string): void;
  onCause(value: string): void;
  /** The bar's refusal, if any. */
  refusal: TemplateResult | typeof nothing;
}

/** The bar's actions for the incident's state, and why the main one waits (null: it does not). */
function barActions(v: TopView): {
  buttons: BarButton[];
  reason: string | null;
  closable: boolean;
} {
  const { inc } = v;
  const buttons: BarButton[] = [];
  let reason: string | null = null;
  const movable = v.mayMove();
  const steps = stepsToDispatch(inc.state);
  const may = (to: IncidentState) => movable && v.mayMove(to);
  const count = v.chosenCount;
  const dispatchReason = (): string | null => {
    if (!v.canDispatch) return t('card.signInToDispatch');
    if (!v.commandsIt) return t('card.notYourFire');
    if (steps === null) return tf('card.stateNoDispatch', tValue('state', inc.state));
    if (steps.some((s) => !may(s))) return t('card.mayNotConfirm');
    if (count === 0) return t('card.chooseCrew');
    return null;
  };
  const moveButton = (
    to: IncidentState,
    label: string,
    cls: BarButton['class'],
    steps: IncidentState[],
    extra?: () => Record<string, unknown>,
  ): BarButton => ({
    key: `data-to=${to}`,
    label,
    class: cls,
    to,
    disabled: !may(to),
    onClick: () => v.move(steps, extra?.()),
  });
  if (inc.state === 'reported' || inc.state === 'verifying') {
    const first: IncidentState = inc.state === 'reported' ? 'verifying' : 'confirmed';
    const why = dispatchReason();
    buttons.push(
      moveButton(first, t(inc.state === 'reported' ? 'card.verify' : 'card.confirm'), 'secondary', [
        first,
      ]),
      {
        key: 'data-confirm-dispatch=',
        label: count > 1 ? `${t('card.confirmDispatch')} (${count})` : t('card.confirmDispatch'),
        class: 'primary',
        confirmDispatch: true,
        disabled: why !== null,
        onClick: () => v.dispatch(true),
      },
      moveButton(
        'false_alarm',
        t('card.falseAlarm'),
        'danger',
        inc.state === 'reported' ? ['verifying', 'false_alarm'] : ['false_alarm'],
      ),
    );
    reason = why ?? (movable ? null : t('incidents.signInToMove'));
  } else if (DISPATCH_STATES.has(inc.state)) {
    const why = dispatchReason();
    buttons.push({
      key: 'data-dispatch-selected=',
      label: count > 1 ? `${t('card.dispatchSelected')} (${count})` : t('card.dispatchSelected'),
      class: 'primary',
      dispatchSelected: true,
      disabled: why !== null,
      onClick: () => v.dispatch(false),
    });
    reason = why;
  }
  // The states after these follow by hand: controlled, extinguished, closed.
  const next = (TRANSITIONS[inc.state] ?? []).filter(
    (to) =>
      !REACHED_BY_CREWS.has(to) &&
      !(inc.state === 'reported' || inc.state === 'verifying') &&
      to !== 'dispatched',
  );
  const closable = inc.state === 'extinguished' && next.includes('closed');
  for (const to of next) {
    const b = moveButton(
      to,
      to === 'closed' ? tValue('state', to) : `→ ${tValue('state', to)}`,
      'secondary',
      [to],
      () => (to === 'closed' && closable ? { burnedAreaHa: Number(v.area), cause: v.cause } : {}),
    );
    if (b.disabled && !reason) reason = t('incidents.signInToMove');
    buttons.push(b);
  }
  if (v.waiting) for (const b of buttons) b.disabled = true;
  return { buttons, reason, closable };
}

export function cardTop(v: TopView): TemplateResult {
  const { inc } = v;
  const clock = clockView(inc, v.now);
  const { buttons, reason, closable } = barActions(v);
  const names = v.chosenCount > 0 && !reason ? v.chosenNames() : '';
  return html`<div class="card-top"
    ><header
      ><div
        ><p class="kind${inc.drill ? ' drill' : ''}" ?data-drill=${inc.drill}
          >${`${inc.drill ? `【${t('incidents.drill')}】 ` : ''}${t('incidents.title')} · ${tValue('state', inc.state)}`}</p
        ><h2 tabindex="-1">${`${inc.townshipName ?? ''} ${inc.villageName ?? ''}`}</h2
        ><a
          class="drill-report small"
          target="_blank"
          rel="noopener"
          data-drill-report=""
          ?hidden=${!v.drillId}
          href=${v.drillId ? `/api/drills/${encodeURIComponent(v.drillId)}/report.pdf` : nothing}
          >${t('incidents.drillReport')}</a
        ></div
      ><button type="button" class="close" aria-label=${t('card.close')} @click=${v.onClose}
        >×</button
      ></header
    ><p
      class="countdown big ${clock ? (clock.breached ? 'breached' : clock.leftMs < 3 * 60_000 ? 'soon' : 'ok') : ''}"
      ?hidden=${!clock}
      >${
        clock
          ? `${tValue('target', clock.target)} ${clock.breached ? t('incidents.overdue') : t('incidents.left')} ${formatClock(clock.leftMs, zh())}`
          : ''
      }</p
    ><div class="action-bar" data-action-bar="" ?hidden=${buttons.length === 0}>${repeat(
      buttons,
      (b) => b.key,
      (b) =>
        html`<button
          type="button"
          data-key=${b.key}
          class=${b.class}
          data-to=${b.to ?? nothing}
          ?data-confirm-dispatch=${b.confirmDispatch}
          ?data-dispatch-selected=${b.dispatchSelected}
          ?disabled=${b.disabled}
          @click=${b.onClick}
        >${b.label}</button>`,
    )}</div
    ><div class="close-form" ?hidden=${!closable}
      ><label
        ><span data-label="incidents.burnedArea">${`${t('incidents.burnedArea')} `}</span
        ><input
          type="number"
          min="0"
          step="0.01"
          id="close-area"
          aria-label=${t('incidents.burnedArea')}
          .value=${live(v.area)}
          @input=${onValue(v.onArea)} /></label
      ><label
        ><span data-label="incidents.cause">${`${t('incidents.cause')} `}</span
        ><input
          type="text"
          maxlength="200"
          id="close-cause"
          aria-label=${t('incidents.cause')}
          .value=${live(v.cause)}
          @input=${onValue(v.onCause)} /></label
    ></div
    ><p class="bar-note small">${
      reason
        ? html`<span class="reason" data-reason="">${reason}</span>`
        : names
          ? html`<span class="muted">${`${t('card.chosen')}: ${names}`}</span>`
          : nothing
    }</p
    ><div class="refusal-slot">${v.refusal}</div></div
  >`;
}
