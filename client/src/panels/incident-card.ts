/**
 * The incident card: what a commander needs to get crews moving, in three clicks from the
 * alert — open the fire, (tick crews,) 确认并调派. A pinned action bar (核实 / 确认并调派 / 误报,
 * later 调派 and the next states) stays at the top however far the card scrolls; every crew
 * the user may send is listed by travel time (multi-select, the fastest free one ticked); a
 * callout says plainly when no crew reaches in 10 minutes; each crew sent shows its ETA and a
 * countdown to its arrival; the forward command post is placed by clicking the map and named.
 *
 * Refusals are said where the user acted (bar, command post, order, escalation), in the UI's
 * language from the server's code (i18n/refusal.ts), and stay until dismissed or the user acts
 * there again. Actions the server would refuse are disabled with the reason shown. The card
 * is built once per incident and live events update its sections in place: what the user
 * types (an order, a post's name, a reason) is never rebuilt away, nor is focus lost. The
 * command section (command post, orders) is incident-command.ts, drawn with lit-html.
 */
import './incident-card.css';
import type { Map as MapLibreMap } from 'maplibre-gl';
import type { IncidentCommand } from '../../../server/contract/command.ts';
import type {
  CrewTrack,
  Dispatchable,
  DispatchableCrew,
  IncidentDispatch,
  IncidentDispatches,
} from '../../../server/contract/dispatch.ts';
import type { IncidentReport } from '../../../server/contract/incidents.ts';
import type { CrewReach } from '../../../server/contract/reach.ts';
import { ANONYMOUS_ACTOR } from '../../../server/domain/access.ts';
import {
  DISPATCH_STATES,
  REACHED_BY_CREWS,
  stepsToDispatch,
  TRANSITIONS,
  targetMet,
} from '../../../server/domain/incident-lifecycle.ts';
import type {
  IncidentSummary,
  LiveIncidentEvent,
  TimelineEvent,
  TimelineEventOf,
} from '../../../server/domain/live-events.ts';
import type { IncidentState } from '../../../server/domain/vocabulary.ts';
import { getJson, post } from '../api/http.ts';
import { locale, t, tf, tValue } from '../i18n/i18n.ts';
import type { MessageKey } from '../i18n/messages.ts';
import { type Refusal, refusalOf, refusalText } from '../i18n/refusal.ts';
import { aboutMinutes, clockView, formatClock, formatSpan } from '../live/countdown.ts';
import type { LiveIncidents } from '../live/live-client.ts';
import { h } from '../ui/dom.ts';
import { type CommandState, mountCommandSection } from './incident-command.ts';

/**
 * What the card shows of an incident: its detail (GET /api/incidents/{id}), with its command
 * post and orders (…/command) and its dispatches (…/dispatches) when the reader may see them.
 */
export interface IncidentDetail extends IncidentSummary {
  /** True when the reader may see only the public summary (server/domain/access.ts). */
  restricted?: boolean;
  /** A drill's fire: the drill, whose printable report the card links to. */
  drillId?: string | null;
  reports: IncidentReport[];
  timeline: TimelineEvent[];
  command?: IncidentCommand;
  dispatches: IncidentDispatch[];
}

/** A crew's travel time to the fire from the reach engine. */
export type RankedCrew = Pick<CrewReach, 'id' | 'name' | 'seconds' | 'meetsTarget'>;

/** Where on the card a refusal is said: where the user acted. */
type Slot = 'bar' | 'post' | 'order' | 'escalate';

const ACTIVE_DISPATCH = new Set(['ordered', 'acknowledged', 'en_route', 'on_scene']);
const MOVING = new Set(['ordered', 'acknowledged', 'en_route']);
const TEN_MINUTES_S = 600;
/** Nearest crews shown to a reader who may not dispatch (read only). */
const NEAREST_SHOWN = 8;

const time = (iso: string) =>
  new Date(iso).toLocaleTimeString(locale() === 'zh-CN' ? 'zh-CN' : 'en-GB', { hour12: false });
const hhmm = (ms: number) =>
  new Date(ms).toLocaleTimeString(locale() === 'zh-CN' ? 'zh-CN' : 'en-GB', {
    hour12: false,
    hour: '2-digit',
    minute: '2-digit',
  });
const zh = () => locale() === 'zh-CN';

export interface IncidentCardOptions {
  live: LiveIncidents;
  map: MapLibreMap;
  cardEl: HTMLElement;
  /** Is the signed-in user a commander (may dispatch at all)? */
  canDispatch: () => boolean;
  /** May the signed-in user move this incident (to this state, when given)? */
  mayMove: (inc: IncidentSummary, to?: IncidentState) => boolean;
  /** The close button (and Esc) asks the list to deselect. */
  onClose: () => void;
}

export interface IncidentCard {
  /** Show this incident (null hides the card). */
  show(id: string | null): Promise<void>;
  /** Something about the selected incident changed: reload its detail. */
  reload(): Promise<void>;
  /** A live event (any incident): update in place; crews may have become busy or free. */
  liveEvent(e: LiveIncidentEvent | null): void;
  /** The reach engine's ranking for this incident. */
  setCrews(id: string, crews: RankedCrew[]): void;
  /** Every second: the 10/20/30 clock and the crews' arrival countdowns. */
  tick(): void;
  /** Sign-in or language changed: draw again (what is typed stays). */
  refresh(): void;
}

export function mountIncidentCard(o: IncidentCardOptions): IncidentCard {
  const { live, map, cardEl } = o;
  let selected: string | null = null;
  let detail: IncidentDetail | null = null;
  let ranked: { id: string; crews: RankedCrew[] } | null = null;
  let dispatchable: { id: string; crews: DispatchableCrew[] } | null = null;
  /** Crews ticked for the next dispatch; until the user touches them, the fastest free one. */
  const chosen = new Set<string>();
  let chosenByUser = false;
  let filterText = '';
  const refusals = new Map<Slot, Refusal>();
  /** A request under way in a slot: its buttons wait. */
  const busy = new Set<Slot>();
  // ---- What the user types: made once, never rebuilt ----
  const reasonInput = h('input', { type: 'text', maxlength: '500', id: 'escalate-reason' });
  const areaInput = h('input', { type: 'number', min: '0', step: '0.01', id: 'close-area' });
  const causeInput = h('input', { type: 'text', maxlength: '200', id: 'close-cause' });
  const filterInput = h('input', { type: 'search', id: 'crew-filter', autocomplete: 'off' });
  filterInput.addEventListener('input', () => {
    filterText = filterInput.value.trim();
    updateCrews(true);
  });

  // ---- The card's sections, each updated in place ----
  const headerKind = h('p', { class: 'kind' });
  // A drill's fire links to its printable report 演练评估报告 (the server says who may read it).
  const drillReport = h('a', {
    class: 'drill-report small',
    target: '_blank',
    rel: 'noopener',
    'data-drill-report': '',
    hidden: '',
  });
  const headerTitle = h('h2', { tabindex: '-1' });
  const close = h('button', { type: 'button', class: 'close' }, '×');
  close.addEventListener('click', () => o.onClose());
  const bigClock = h('p', { class: 'countdown big' });
  const bar = h('div', { class: 'action-bar', 'data-action-bar': '' });
  const barNote = h('p', { class: 'bar-note small' });
  const closeForm = h(
    'div',
    { class: 'close-form', hidden: '' },
    h('label', {}, h('span', { 'data-label': 'incidents.burnedArea' }), areaInput),
    h('label', {}, h('span', { 'data-label': 'incidents.cause' }), causeInput),
  );
  const barRefusal = h('div', { class: 'refusal-slot' });
  const top = h(
    'div',
    { class: 'card-top' },
    h('header', {}, h('div', {}, headerKind, headerTitle, drillReport), close),
    bigClock,
    bar,
    closeForm,
    barNote,
    barRefusal,
  );
  const callout = h('p', { class: 'callout no-ten-minute', role: 'status', hidden: '' });
  const crewsTitle = h('h3', {});
  const crewsFilter = h('div', { class: 'crew-filter', hidden: '' }, filterInput);
  const crewsBody = h('div', { class: 'crew-pick' });
  const crewsNote = h('p', { class: 'muted small' });
  const dispatchedTitle = h('h3', {});
  const dispatchedBody = h('div', {});
  const postRefusal = h('div', { class: 'refusal-slot' });
  const orderRefusal = h('div', { class: 'refusal-slot' });
  const command = mountCommandSection({
    map,
    incident: () => current(),
    command: () => d()?.command,
    commands: () => {
      const inc = current();
      return !!inc && commandsIt(inc) && !!d();
    },
    serving: () => activeDispatches().length > 0,
    act: (slot, url, body) => act(slot, url, body),
    busy: (slot) => busy.has(slot),
    refusalSlot: (slot) => (slot === 'post' ? postRefusal : orderRefusal),
    clearRefusal: (slot) => refusals.delete(slot),
    reload: () => reload(),
  });
  const escalationTitle = h('h3', {});
  const escalationBody = h('div', {});
  const escalateButton = h('button', { type: 'button', class: 'dispatch', 'data-escalate': '' });
  escalateButton.addEventListener('click', () => void escalate());
  const escalateRow = h('div', { class: 'actions' }, reasonInput, escalateButton);
  const escalateRefusal = h('div', { class: 'refusal-slot' });
  /**
   * Raising to the county (战区联动) brings in the war zone and the county's own units: it
   * asks for a reason, then for a confirmation naming the level, before anything is sent.
   */
  let confirmingRaise = false;
  let reasonMissing = false;
  const reasonNote = h('p', {
    class: 'refusal action-error',
    role: 'alert',
    'data-refusal': 'escalate-reason',
  });
  const confirmText = h('span', {});
  const confirmYes = h('button', {
    type: 'button',
    class: 'dispatch',
    'data-escalate-confirm': '',
  });
  const confirmNo = h('button', { type: 'button', 'data-escalate-cancel': '' });
  const confirmRow = h(
    'div',
    { class: 'actions confirm-raise', role: 'alertdialog' },
    confirmText,
    confirmYes,
    confirmNo,
  );
  confirmYes.addEventListener('click', () => void raise());
  confirmNo.addEventListener('click', () => {
    confirmingRaise = false;
    updateEscalation();
    escalateButton.focus();
  });
  reasonInput.addEventListener('input', () => {
    if (reasonMissing && reasonInput.value.trim()) {
      reasonMissing = false;
      updateEscalation();
    }
  });
  const facts = h('dl', { class: 'facts' });
  const reportsTitle = h('h3', {});
  const reportsBody = h('div', {});
  const timelineTitle = h('h3', {});
  const timelineBody = h('div', {});

  const current = (): IncidentSummary | null =>
    selected ? (live.incidents.get(selected) ?? (detail?.id === selected ? detail : null)) : null;
  const d = (): IncidentDetail | null => (detail && detail.id === selected ? detail : null);
  /** A commander who commands this fire's area (the server's own test: access.ts commands). */
  const commandsIt = (inc: IncidentSummary) => o.canDispatch() && o.mayMove(inc);
  const activeDispatches = () =>
    (d()?.dispatches ?? []).filter((x) => ACTIVE_DISPATCH.has(x.status));

  // ---- Refusals ----
  function refusalBox(slot: Slot): HTMLElement | null {
    const r = refusals.get(slot);
    if (!r) return null;
    const dismiss = h('button', { type: 'button', class: 'dismiss' }, '×');
    dismiss.setAttribute('aria-label', t('card.dismiss'));
    dismiss.addEventListener('click', () => {
      refusals.delete(slot);
      updateRefusals();
    });
    return h(
      'div',
      { class: 'refusal action-error', role: 'alert', 'data-refusal': slot, 'data-code': r.code },
      h('span', {}, refusalText(r)),
      dismiss,
    );
  }
  function updateRefusals() {
    const slots: [Slot, HTMLElement][] = [
      ['bar', barRefusal],
      ['post', postRefusal],
      ['order', orderRefusal],
      ['escalate', escalateRefusal],
    ];
    for (const [slot, el] of slots) {
      const box = refusalBox(slot);
      const shown = el.firstElementChild as HTMLElement | null;
      // The same refusal stays the same element (a screen reader reads it once).
      if (
        box &&
        shown &&
        shown.dataset.code === box.dataset.code &&
        shown.textContent === box.textContent
      )
        continue;
      el.replaceChildren(...(box ? [box] : []));
    }
  }

  /**
   * POST a command from the card. Acting clears the slot's last refusal; a refusal is kept
   * in the slot, in the user's language, until dismissed or the user acts there again.
   */
  async function act(slot: Slot, url: string, body: Record<string, unknown>): Promise<boolean> {
    refusals.delete(slot);
    busy.add(slot);
    updateAll();
    try {
      const res = await post(url, body);
      if (res.ok) return true;
      refusals.set(slot, res.status === 0 ? { code: 'network' } : refusalOf(res.status, res.error));
      return false;
    } finally {
      busy.delete(slot);
      updateAll();
    }
  }

  // ---- Crews: who may be sent, ranked by travel time ----
  interface CrewRow {
    id: string;
    name: string;
    seconds: number | null;
    meetsTarget: boolean;
    /** Why it cannot be ticked, if it cannot. */
    reason: MessageKey | null;
  }
  /** Every crew the user may send (busy ones say so), fastest first; null before it is known. */
  function crewRows(): CrewRow[] | null {
    const inc = current();
    if (!inc || !dispatchable || dispatchable.id !== inc.id) return null;
    const times = new Map(ranked && ranked.id === inc.id ? ranked.crews.map((c) => [c.id, c]) : []);
    const sentHere = new Set(activeDispatches().map((x) => x.crewId));
    return dispatchable.crews
      .map((c) => {
        const r = times.get(c.id);
        const reason: MessageKey | null = sentHere.has(c.id)
          ? 'card.alreadySent'
          : c.busyIncidentId
            ? 'card.busyElsewhere'
            : null;
        return {
          id: c.id,
          name: c.name,
          seconds: r?.seconds ?? null,
          meetsTarget: r?.meetsTarget ?? false,
          reason,
        };
      })
      .sort(
        (a, b) =>
          (a.seconds ?? Number.POSITIVE_INFINITY) - (b.seconds ?? Number.POSITIVE_INFINITY) ||
          a.id.localeCompare(b.id),
      );
  }

  /** Until the user chooses, the fastest crew free to go is ticked. */
  function preselect(rows: CrewRow[]) {
    const free = new Set(rows.filter((r) => !r.reason).map((r) => r.id));
    for (const id of [...chosen]) if (!free.has(id)) chosen.delete(id);
    // Only the first crews are suggested: once some are sent, more go by choice.
    if (chosenByUser || !ranked || ranked.id !== selected || activeDispatches().length > 0) return;
    chosen.clear();
    const best = rows.find((r) => !r.reason && r.seconds !== null);
    if (best) chosen.add(best.id);
  }

  let crewsKey = '';
  function updateCrews(force = false) {
    const inc = current();
    if (!inc) return;
    crewsTitle.textContent = t(o.canDispatch() ? 'card.dispatchable' : 'incidents.nearestCrews');
    const rows = o.canDispatch() && commandsIt(inc) ? crewRows() : null;
    let key: string;
    let content: Node[];
    if (rows) {
      preselect(rows);
      const shown = filterText
        ? rows.filter((r) => r.name.includes(filterText) || r.id.includes(filterText))
        : rows;
      key = `p|${filterText}|${shown.map((r) => `${r.id}:${r.seconds}:${r.reason}`).join()}|${locale()}`;
      crewsFilter.hidden = rows.length <= 8;
      content =
        rows.length === 0
          ? [h('p', { class: 'muted' }, t('card.noDispatchable'))]
          : [
              h(
                'table',
                { class: 'reach-crews pick' },
                h('tbody', {}, ...shown.map((r) => pickRow(r))),
              ),
            ];
      crewsNote.textContent = '';
    } else {
      crewsFilter.hidden = true;
      const list = ranked && ranked.id === inc.id ? ranked.crews.slice(0, NEAREST_SHOWN) : null;
      key = `r|${list ? list.map((c) => `${c.id}:${c.seconds}`).join() : '-'}|${locale()}`;
      content = list
        ? [h('table', { class: 'reach-crews' }, h('tbody', {}, ...list.map((c) => readRow(c))))]
        : [h('p', { class: 'muted' }, t('reach.computing'))];
      crewsNote.textContent = o.canDispatch()
        ? commandsIt(inc)
          ? ''
          : t('card.notYourFire')
        : t('card.signInToDispatch');
    }
    if (force || key !== crewsKey) {
      // Keep the list's scroll position across a redraw.
      const scroll = crewsBody.scrollTop;
      crewsBody.replaceChildren(...content);
      crewsBody.scrollTop = scroll;
      crewsKey = key;
    }
    for (const box of crewsBody.querySelectorAll<HTMLInputElement>('input[data-pick]')) {
      const on = chosen.has(box.dataset.pick ?? '');
      box.checked = on;
      box.closest('tr')?.classList.toggle('chosen', on);
    }
    updateCallout(rows);
  }

  function timeCell(seconds: number | null): HTMLElement {
    return h(
      'td',
      {
        class: 'time',
        ...(seconds === null ? {} : { 'data-seconds': String(Math.round(seconds)) }),
      },
      seconds === null ? '—' : aboutMinutes(seconds, zh()),
    );
  }

  function pickRow(r: CrewRow): HTMLElement {
    const box = h('input', { type: 'checkbox', 'data-pick': r.id, id: `pick-${r.id}` });
    box.checked = chosen.has(r.id);
    box.disabled = r.reason !== null;
    // Toggled in place, never redrawn: a keyboard user keeps his place in the list.
    box.addEventListener('change', () => {
      chosenByUser = true;
      if (box.checked) chosen.add(r.id);
      else chosen.delete(r.id);
      box.closest('tr')?.classList.toggle('chosen', box.checked);
      updateBar();
    });
    return h(
      'tr',
      {
        class: `${r.meetsTarget ? 'meets' : 'late'}${r.reason ? ' unavailable' : ''}${chosen.has(r.id) ? ' chosen' : ''}`,
        'data-crew': r.id,
      },
      h('td', { class: 'tick' }, box),
      h(
        'td',
        { class: 'name' },
        h('label', { for: `pick-${r.id}` }, r.name),
        r.reason ? h('span', { class: 'why muted small' }, t(r.reason)) : null,
      ),
      timeCell(r.seconds),
      h('td', { class: 'badge' }, r.seconds === null ? '' : r.meetsTarget ? '✓' : '✗'),
    );
  }

  function readRow(c: RankedCrew): HTMLElement {
    return h(
      'tr',
      { class: c.meetsTarget ? 'meets' : 'late', 'data-crew': c.id },
      h('td', { class: 'name' }, c.name ?? c.id),
      timeCell(c.seconds),
      h('td', { class: 'badge' }, c.meetsTarget ? '✓' : '✗'),
    );
  }

  /** Said plainly when no crew free to go reaches the fire in 10 minutes, naming the best. */
  function updateCallout(rows: CrewRow[] | null) {
    const inc = current();
    const candidates =
      rows !== null
        ? // The crews free to go and those already sent: the fastest of all is named.
          rows.filter(
            (r) => (r.reason === null || r.reason === 'card.alreadySent') && r.seconds !== null,
          )
        : ranked && inc && ranked.id === inc.id
          ? ranked.crews
              .filter((c) => c.seconds !== null)
              .map((c) => ({ name: c.name ?? c.id, seconds: c.seconds }))
          : [];
    const arriving = activeDispatches().some(
      (x) => x.etaSeconds !== null && x.etaSeconds <= TEN_MINUTES_S,
    );
    const best = [...candidates].sort((a, b) => (a.seconds ?? 0) - (b.seconds ?? 0))[0];
    const show =
      !!inc &&
      !targetMet(inc.state, 'arrive') &&
      inc.state !== 'false_alarm' &&
      !arriving &&
      !!best &&
      (best.seconds ?? 0) > TEN_MINUTES_S;
    callout.hidden = !show;
    if (show && best)
      callout.textContent = tf(
        'card.noTenMinute',
        best.name,
        aboutMinutes(best.seconds ?? 0, zh()),
      );
  }

  // ---- The pinned action bar ----
  function button(label: string, attrs: Record<string, string>, onClick: () => void) {
    const key = Object.entries(attrs)
      .filter(([k]) => k.startsWith('data-'))
      .map(([k, v]) => `${k}=${v}`)
      .join();
    const b = h('button', { type: 'button', 'data-key': key, ...attrs }, label);
    b.addEventListener('click', onClick);
    return b;
  }

  function chosenNames(): string {
    const rows = crewRows() ?? [];
    return rows
      .filter((r) => chosen.has(r.id))
      .map((r) => `${r.name}${r.seconds === null ? '' : ` ${aboutMinutes(r.seconds, zh())}`}`)
      .join('、');
  }

  function updateBar() {
    const inc = current();
    if (!inc) return;
    const buttons: HTMLButtonElement[] = [];
    let reason: string | null = null;
    const waiting = busy.has('bar');
    const movable = o.mayMove(inc);
    const steps = stepsToDispatch(inc.state);
    const may = (to: IncidentState) => movable && o.mayMove(inc, to);
    const count = chosen.size;
    const dispatchReason = (): string | null => {
      if (!o.canDispatch()) return t('card.signInToDispatch');
      if (!commandsIt(inc)) return t('card.notYourFire');
      if (steps === null) return tf('card.stateNoDispatch', tValue('state', inc.state));
      if (steps.some((s) => !may(s))) return t('card.mayNotConfirm');
      if (count === 0) return t('card.chooseCrew');
      return null;
    };
    if (inc.state === 'reported' || inc.state === 'verifying') {
      const first: IncidentState = inc.state === 'reported' ? 'verifying' : 'confirmed';
      buttons.push(
        button(
          t(inc.state === 'reported' ? 'card.verify' : 'card.confirm'),
          { 'data-to': first, class: 'secondary' },
          () => void move([first]),
        ),
      );
      const why = dispatchReason();
      const go = button(
        count > 1 ? `${t('card.confirmDispatch')} (${count})` : t('card.confirmDispatch'),
        { 'data-confirm-dispatch': '', class: 'primary' },
        () => void dispatchChosen(true),
      );
      go.disabled = why !== null;
      buttons.push(go);
      const falseSteps: IncidentState[] =
        inc.state === 'reported' ? ['verifying', 'false_alarm'] : ['false_alarm'];
      buttons.push(
        button(
          t('card.falseAlarm'),
          { 'data-to': 'false_alarm', class: 'danger' },
          () => void move(falseSteps),
        ),
      );
      for (const b of [buttons[0], buttons[2]])
        if (b) b.disabled = !may(b.dataset.to as IncidentState);
      reason = why ?? (movable ? null : t('incidents.signInToMove'));
    } else if (DISPATCH_STATES.has(inc.state)) {
      const why = dispatchReason();
      const go = button(
        count > 1 ? `${t('card.dispatchSelected')} (${count})` : t('card.dispatchSelected'),
        { 'data-dispatch-selected': '', class: 'primary' },
        () => void dispatchChosen(false),
      );
      go.disabled = why !== null;
      buttons.push(go);
      reason = why;
    }
    // The states after these follow by hand: controlled, extinguished, closed.
    const next = (TRANSITIONS[inc.state] ?? []).filter(
      (to) =>
        !REACHED_BY_CREWS.has(to) &&
        !(inc.state === 'reported' || inc.state === 'verifying') &&
        to !== 'dispatched',
    );
    closeForm.hidden = !(inc.state === 'extinguished' && next.includes('closed'));
    for (const to of next) {
      const b = button(
        to === 'closed' ? tValue('state', to) : `→ ${tValue('state', to)}`,
        { 'data-to': to, class: 'secondary' },
        () =>
          void move(
            [to],
            to === 'closed' && inc.state === 'extinguished'
              ? { burnedAreaHa: Number(areaInput.value), cause: causeInput.value }
              : {},
          ),
      );
      b.disabled = !may(to);
      if (b.disabled && !reason) reason = t('incidents.signInToMove');
      buttons.push(b);
    }
    if (waiting) for (const b of buttons) b.disabled = true;
    // Redrawn on live events: a keyboard user's focus stays on the same action.
    const focused = bar.contains(document.activeElement)
      ? (document.activeElement as HTMLElement).dataset.key
      : undefined;
    bar.replaceChildren(...buttons);
    if (focused) buttons.find((b) => b.dataset.key === focused && !b.disabled)?.focus();
    bar.hidden = buttons.length === 0;
    const names = count > 0 && !reason ? chosenNames() : '';
    barNote.replaceChildren(
      ...(reason
        ? [h('span', { class: 'reason', 'data-reason': '' }, reason)]
        : names
          ? [h('span', { class: 'muted' }, `${t('card.chosen')}: ${names}`)]
          : []),
    );
  }

  async function move(steps: IncidentState[], extra: Record<string, unknown> = {}) {
    const id = selected;
    if (!id) return;
    for (const to of steps) {
      const last = to === steps[steps.length - 1];
      if (!(await act('bar', `/api/incidents/${id}/transitions`, { to, ...(last ? extra : {}) })))
        break;
    }
    await reload();
  }

  async function dispatchChosen(confirm: boolean) {
    const id = selected;
    if (!id || chosen.size === 0) return;
    const crewIds = [...chosen];
    if (
      await act('bar', `/api/incidents/${id}/dispatches`, {
        crewIds,
        ...(confirm ? { confirm: true } : {}),
      })
    ) {
      // Sent: nothing is ticked again by itself; further crews go by the commander's choice.
      chosen.clear();
      chosenByUser = true;
    }
    await Promise.all([reload(), loadDispatchable()]);
  }

  // ---- Crews sent: ETA and arrival countdown ----
  function arrival(x: IncidentDetail['dispatches'][number], now: number): string {
    if (x.arrivedAt) return tf('card.arrivedAt', time(x.arrivedAt));
    if (x.etaSeconds === null || !MOVING.has(x.status)) return '';
    const at = Date.parse(x.orderedAt) + x.etaSeconds * 1000;
    const left = at - now;
    return `${tf('card.arriveBy', hhmm(at))} · ${
      left >= 0
        ? tf('card.arrivesIn', formatSpan(left, zh()))
        : tf('card.pastEta', formatSpan(-left, zh()))
    }`;
  }

  function updateDispatched() {
    dispatchedTitle.textContent = t('dispatch.crews');
    const list = d()?.dispatches ?? [];
    if (list.length === 0) {
      dispatchedBody.replaceChildren(h('p', { class: 'muted' }, t('dispatch.none')));
      return;
    }
    const now = live.now();
    dispatchedBody.replaceChildren(
      h(
        'ul',
        { class: 'dispatched' },
        ...list.map((x) =>
          h(
            'li',
            {
              'data-crew': x.crewId,
              'data-status': x.status,
              ...(x.etaSeconds === null
                ? {}
                : { 'data-eta-seconds': String(Math.round(x.etaSeconds)) }),
            },
            h('span', { class: 'crew' }, x.crewName),
            h(
              'span',
              { class: `dispatch-status ds-${x.status}` },
              ` ${tValue('dispatch', x.status)}`,
            ),
            h(
              'span',
              { class: 'eta' },
              ` ${t('card.eta')} ${x.etaSeconds === null ? t('card.noEta') : aboutMinutes(x.etaSeconds, zh())}`,
            ),
            h('span', { class: 'arrival muted' }, arrival(x, now) ? ` · ${arrival(x, now)}` : ''),
            o.canDispatch() ? trackButton(x.crewId, x.orderedAt) : null,
          ),
        ),
      ),
    );
  }

  /** Replays a crew's GPS track since its order as a line on the map. */
  function trackButton(crewId: string, since: string): HTMLButtonElement {
    const btn = h(
      'button',
      { type: 'button', class: 'link', 'data-track': crewId },
      t('dispatch.track'),
    );
    btn.addEventListener('click', async () => {
      const { track } = await getJson<CrewTrack>(
        `/api/crews/${encodeURIComponent(crewId)}/track?since=${encodeURIComponent(since)}`,
      );
      const data = {
        type: 'FeatureCollection' as const,
        features: [
          {
            type: 'Feature' as const,
            properties: {},
            geometry: {
              type: 'LineString' as const,
              coordinates: track.map((p) => [p.lon, p.lat]),
            },
          },
        ],
      };
      const source = map.getSource('crew-track') as import('maplibre-gl').GeoJSONSource | undefined;
      if (source) source.setData(data);
      else {
        map.addSource('crew-track', { type: 'geojson', data });
        map.addLayer({
          id: 'crew-track',
          type: 'line',
          source: 'crew-track',
          paint: { 'line-color': '#0d47a1', 'line-width': 3, 'line-dasharray': [2, 1] },
        });
      }
      if (track.length > 1) {
        const lons = track.map((p) => p.lon);
        const lats = track.map((p) => p.lat);
        map.fitBounds(
          [Math.min(...lons), Math.min(...lats), Math.max(...lons), Math.max(...lats)],
          { padding: 120, maxZoom: 15 },
        );
      }
    });
    return btn;
  }

  // ---- Escalation ----
  /** The raise button: to the township at once; to the county a reason, then a confirmation. */
  async function escalate() {
    const to = escalateButton.dataset.escalate;
    if (!selected || !to) return;
    if (to === 'county') {
      reasonMissing = !reasonInput.value.trim();
      confirmingRaise = !reasonMissing;
      updateEscalation();
      (reasonMissing ? reasonInput : confirmYes).focus();
      return;
    }
    await raise();
  }

  async function raise() {
    const id = selected;
    const to = escalateButton.dataset.escalate;
    if (!id || !to) return;
    confirmingRaise = false;
    if (
      await act('escalate', `/api/incidents/${id}/escalations`, {
        level: to,
        reason: reasonInput.value.trim() || t('escalation.defaultReason'),
      })
    ) {
      reasonInput.value = '';
      await reload();
    }
  }

  function updateEscalation() {
    const inc = current();
    if (!inc) return;
    escalationTitle.textContent = t('escalation.title');
    const dd = d();
    const s =
      dd && inc.escalationLevel !== 'county'
        ? [...dd.timeline]
            .reverse()
            .find(
              (e): e is TimelineEventOf<'escalation_suggested'> =>
                e.type === 'escalation_suggested',
            )
        : undefined;
    escalationBody.replaceChildren(
      h(
        'p',
        { class: 'escalation', 'data-level': inc.escalationLevel },
        `${t('escalation.level')}: ${tValue('escalation', inc.escalationLevel)}`,
      ),
      ...(s
        ? [
            h(
              'p',
              { class: 'suggestion', role: 'alert' },
              `${t('escalation.suggested')}: ${tValue('escalationReason', s.payload.reason)}`,
            ),
          ]
        : []),
    );
    const to = inc.escalationLevel === 'village' ? 'township' : 'county';
    escalateRow.hidden = !o.canDispatch() || inc.escalationLevel === 'county';
    escalateButton.dataset.escalate = to;
    escalateButton.textContent = `${t('escalation.raise')} ${tValue('escalation', to)}`;
    escalateButton.disabled = busy.has('escalate');
    escalateButton.hidden = confirmingRaise;
    confirmRow.hidden = escalateRow.hidden || !confirmingRaise;
    confirmText.textContent = tf('escalation.confirm', tValue('escalation', to));
    confirmYes.textContent = t('escalation.confirmYes');
    confirmNo.textContent = t('escalation.confirmNo');
    reasonNote.hidden = escalateRow.hidden || !reasonMissing;
    reasonNote.textContent = t('escalation.reasonNeeded');
    reasonInput.toggleAttribute('aria-invalid', reasonMissing);
  }

  // ---- Facts, reports, timeline ----
  function updateFacts() {
    const inc = current();
    if (!inc) return;
    facts.replaceChildren(
      h('dt', {}, t('card.grid')),
      h('dd', {}, inc.gridCode ?? '—'),
      h('dt', {}, t('card.warZone')),
      h('dd', {}, inc.warZoneName ?? '—'),
      ...(['arrive', 'control', 'extinguish'] as const).flatMap((target) => [
        h('dt', {}, t(`target.${target}` as MessageKey)),
        h(
          'dd',
          { class: inc.breached.includes(target) ? 'breached' : '' },
          `${time(inc.deadlines[target])}${inc.breached.includes(target) ? ` ${t('incidents.overdue')}` : ''}`,
        ),
      ]),
    );
  }

  function updateReports() {
    const inc = current();
    if (!inc) return;
    const dd = d();
    reportsTitle.textContent = `${t('incidents.reports')} (${inc.reportCount})`;
    reportsBody.replaceChildren(
      ...(dd?.restricted ? [h('p', { class: 'muted restricted' }, t('incidents.restricted'))] : []),
      dd
        ? h(
            'ul',
            { class: 'reports' },
            ...dd.reports.map((r) =>
              h(
                'li',
                {},
                h('strong', {}, tValue('source', r.source)),
                r.reporterName ? ` ${r.reporterName}` : '',
                r.reporterUserId === null && r.source !== 'public'
                  ? h('span', { class: 'tag unsigned' }, t('incidents.unsigned'))
                  : null,
                ` ${time(r.observedAt)}`,
                r.accuracyM !== null
                  ? h('span', { class: 'muted' }, ` ±${Math.round(r.accuracyM)} m`)
                  : null,
                r.bearingDeg !== null
                  ? h('span', { class: 'muted' }, ` ${Math.round(r.bearingDeg)}°`)
                  : null,
                r.note ? h('div', { class: 'note' }, r.note) : null,
                ...r.photos.map((p) =>
                  h('img', {
                    src: `/api/photos/${p.id}`,
                    alt: t('incidents.photo'),
                    class: 'photo',
                    loading: 'lazy',
                  }),
                ),
              ),
            ),
          )
        : h('p', { class: 'muted' }, t('card.loading')),
    );
    timelineTitle.textContent = t('incidents.timeline');
    timelineBody.replaceChildren(
      ...(dd
        ? [
            h(
              'ol',
              { class: 'timeline' },
              ...dd.timeline.map((e) =>
                h(
                  'li',
                  {},
                  h('span', { class: 'muted' }, `${time(e.at)} #${e.seq} `),
                  tValue('event', e.type),
                  e.type === 'state_changed' ? ` → ${tValue('state', e.payload.to)}` : '',
                  e.type === 'target_breached' ? ` ${tValue('target', e.payload.target)}` : '',
                  h(
                    'span',
                    { class: 'muted' },
                    ` · ${e.actor === ANONYMOUS_ACTOR ? t('actor.anonymous') : e.actor}`,
                  ),
                ),
              ),
            ),
          ]
        : []),
    );
  }

  function updateClock() {
    const inc = current();
    const clock = inc ? clockView(inc, live.now()) : null;
    bigClock.hidden = !clock;
    if (!clock) return;
    bigClock.className = `countdown big ${clock.breached ? 'breached' : clock.leftMs < 3 * 60_000 ? 'soon' : 'ok'}`;
    bigClock.textContent = `${tValue('target', clock.target)} ${clock.breached ? t('incidents.overdue') : t('incidents.left')} ${formatClock(clock.leftMs, zh())}`;
  }

  function updateHeader() {
    const inc = current();
    if (!inc) return;
    headerKind.textContent = `${inc.drill ? `【${t('incidents.drill')}】 ` : ''}${t('incidents.title')} · ${tValue('state', inc.state)}`;
    headerKind.classList.toggle('drill', inc.drill);
    if (inc.drill) headerKind.dataset.drill = '';
    else delete headerKind.dataset.drill;
    const drillId = inc.drill && detail?.id === inc.id ? detail.drillId : null;
    drillReport.hidden = !drillId;
    if (drillId) drillReport.href = `/api/drills/${encodeURIComponent(drillId)}/report.pdf`;
    drillReport.textContent = t('incidents.drillReport');
    headerTitle.textContent = `${inc.townshipName ?? ''} ${inc.villageName ?? ''}`;
    close.setAttribute('aria-label', t('card.close'));
    for (const el of cardEl.querySelectorAll<HTMLElement>('[data-label]'))
      el.textContent = `${t(el.dataset.label as MessageKey)} `;
    reasonInput.setAttribute('aria-label', t('escalation.reason'));
    reasonInput.placeholder = t('escalation.reason');
    areaInput.setAttribute('aria-label', t('incidents.burnedArea'));
    causeInput.setAttribute('aria-label', t('incidents.cause'));
    filterInput.setAttribute('aria-label', t('card.filterCrews'));
    filterInput.placeholder = t('card.filterCrews');
  }

  function updateAll() {
    const inc = current();
    if (!selected || !inc) return;
    cardEl.dataset.incident = inc.id;
    cardEl.dataset.state = inc.state;
    updateHeader();
    updateClock();
    updateCrews();
    updateBar();
    updateDispatched();
    command.update();
    updateEscalation();
    updateFacts();
    updateReports();
    updateRefusals();
  }

  /** The card's frame for one incident: built once per selection. */
  function build() {
    cardEl.replaceChildren(
      top,
      callout,
      crewsTitle,
      crewsFilter,
      crewsBody,
      crewsNote,
      dispatchedTitle,
      dispatchedBody,
      command.title,
      command.el,
      escalationTitle,
      escalationBody,
      escalateRow,
      reasonNote,
      confirmRow,
      escalateRefusal,
      h('h3', { 'data-label': 'card.facts' }),
      facts,
      reportsTitle,
      reportsBody,
      timelineTitle,
      timelineBody,
    );
  }

  async function loadDispatchable() {
    const id = selected;
    const inc = current();
    if (!id || !inc || !o.canDispatch() || !commandsIt(inc)) return;
    try {
      const answer = await getJson<Dispatchable>(`/api/incidents/${id}/dispatchable`);
      if (selected !== id) return;
      dispatchable = { id, crews: answer.crews };
      updateCrews();
      updateBar();
    } catch (err) {
      console.warn(err);
    }
  }

  async function reload() {
    if (!selected) return;
    const id = selected;
    try {
      const loaded = await getJson<IncidentDetail>(`/api/incidents/${id}`);
      if (loaded.restricted) {
        // Only the public summary: who reported, photos, timeline and dispatch stay hidden.
        loaded.reports = [];
        loaded.timeline = [];
        loaded.dispatches = [];
        loaded.command = { commandPost: null, orders: [] };
      } else {
        const [dispatches, command] = await Promise.all([
          getJson<IncidentDispatches>(`/api/incidents/${id}/dispatches`),
          getJson<IncidentCommand>(`/api/incidents/${id}/command`),
        ]);
        loaded.dispatches = dispatches.dispatches;
        loaded.command = command;
      }
      if (selected === id) {
        detail = loaded;
        command.showPost(loaded.command?.commandPost ?? null);
        updateAll();
      }
    } catch (err) {
      console.warn(err);
    }
  }

  return {
    async show(id) {
      if (id !== selected) {
        ranked = null;
        dispatchable = null;
        chosen.clear();
        chosenByUser = false;
        filterText = '';
        filterInput.value = '';
        refusals.clear();
        detail = null;
        crewsKey = '';
        command.showPost(null);
        reasonInput.value = '';
        confirmingRaise = false;
        reasonMissing = false;
        areaInput.value = '';
        causeInput.value = '';
      }
      selected = id;
      command.switchTo(id);
      if (!id) {
        cardEl.hidden = true;
        cardEl.replaceChildren();
        return;
      }
      cardEl.hidden = false;
      if (!cardEl.contains(top)) build();
      if (id !== cardEl.dataset.incident) cardEl.scrollTop = 0;
      updateAll();
      await Promise.all([reload(), loadDispatchable()]);
    },
    reload,
    liveEvent(e) {
      if (!selected) return;
      updateAll();
      // Another fire's dispatch may have taken (or freed) a crew this card offers.
      if (e && (e.type === 'crew_dispatched' || e.type === 'dispatch_updated'))
        void loadDispatchable();
    },
    setCrews(id, crews) {
      ranked = { id, crews };
      if (selected === id) {
        updateCrews();
        updateBar();
      }
    },
    tick() {
      if (!selected) return;
      updateClock();
      const now = live.now();
      for (const x of d()?.dispatches ?? []) {
        const el = dispatchedBody.querySelector<HTMLElement>(
          `li[data-crew="${CSS.escape(x.crewId)}"] .arrival`,
        );
        const text = arrival(x, now);
        if (el) el.textContent = text ? ` · ${text}` : '';
      }
    },
    refresh() {
      crewsKey = '';
      updateAll();
      void loadDispatchable();
    },
  };
}
