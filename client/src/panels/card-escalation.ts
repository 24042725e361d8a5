/**
 * The incident card's escalation: the command level, the system's suggestion to raise it, and
 * for a commander the raise itself — to the township at once; to the county (战区联动) a reason
 * at the box, then a confirmation naming the level, before anything is sent. A lit-html
 * template: the reason being typed keeps its text, focus and caret through live events.
 */
import { html, nothing, type TemplateResult } from 'lit-html';
import { live } from 'lit-html/directives/live.js';
import type { IncidentSummary, TimelineEvent } from '../../../server/domain/live-events.ts';
import { t, tf, tValue } from '../i18n/i18n.ts';
import { onValue } from '../ui/dom.ts';

export interface EscalationView {
  inc: IncidentSummary;
  /** The timeline (null: not loaded), where the latest suggestion to raise is found. */
  timeline: readonly TimelineEvent[] | null;
  /** May the user raise fires at all (a commander)? */
  canRaise: boolean;
  /** The reason, as typed. */
  reason: string;
  /** The county was asked for with no reason: said at the box. */
  reasonMissing: boolean;
  /** The raise to the county waits for its confirmation. */
  confirming: boolean;
  /** A raise under way: the button waits. */
  busy: boolean;
  onReason(value: string): void;
  /** The raise button: to the given level. */
  onRaise(to: 'township' | 'county'): void;
  onConfirm(): void;
  onCancel(): void;
  /** The escalation's refusal, if any. */
  refusal: TemplateResult | typeof nothing;
}

/** The level above the fire's: the one the raise button asks for. */
export const levelAbove = (inc: IncidentSummary): 'township' | 'county' =>
  inc.escalationLevel === 'village' ? 'township' : 'county';

export function escalationSection(v: EscalationView): TemplateResult {
  const { inc } = v;
  const suggestion =
    v.timeline && inc.escalationLevel !== 'county'
      ? [...v.timeline].reverse().find((e) => e.type === 'escalation_suggested')
      : undefined;
  const to = levelAbove(inc);
  const offered = v.canRaise && inc.escalationLevel !== 'county';
  return html`<h3>${t('escalation.title')}</h3><div
      ><p class="escalation" data-level=${inc.escalationLevel}
        >${`${t('escalation.level')}: ${tValue('escalation', inc.escalationLevel)}`}</p
      >${
        suggestion?.type === 'escalation_suggested'
          ? html`<p class="suggestion" role="alert"
              >${`${t('escalation.suggested')}: ${tValue('escalationReason', suggestion.payload.reason)}`}</p
            >`
          : nothing
      }</div
    ><div class="actions" ?hidden=${!offered}
      ><input
        type="text"
        maxlength="500"
        id="escalate-reason"
        aria-label=${t('escalation.reason')}
        placeholder=${t('escalation.reason')}
        aria-invalid=${v.reasonMissing ? 'true' : nothing}
        .value=${live(v.reason)}
        @input=${onValue(v.onReason)} /><button
        type="button"
        class="dispatch"
        data-escalate=${to}
        ?disabled=${v.busy}
        ?hidden=${v.confirming}
        @click=${() => v.onRaise(to)}
      >${`${t('escalation.raise')} ${tValue('escalation', to)}`}</button></div
    ><p
      class="refusal action-error"
      role="alert"
      data-refusal="escalate-reason"
      ?hidden=${!offered || !v.reasonMissing}
    >${t('escalation.reasonNeeded')}</p
    ><div class="actions confirm-raise" role="alertdialog" ?hidden=${!offered || !v.confirming}
      ><span>${tf('escalation.confirm', tValue('escalation', to))}</span><button
        type="button"
        class="dispatch"
        data-escalate-confirm=""
        @click=${v.onConfirm}
      >${t('escalation.confirmYes')}</button
      ><button type="button" data-escalate-cancel="" @click=${v.onCancel}
        >${t('escalation.confirmNo')}</button
      ></div
    ><div class="refusal-slot">${v.refusal}</div>`;
}
