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
 * there again. Actions the server would refuse are disabled with the reason shown.
 *
 * The card is drawn with lit-html from what it knows (the incident, its detail, the crews, what
 * the user typed and ticked): a live event, the clock's tick or a language change draws it
 * again and only what changed is patched, so what the user types (an order, a post's name, an
 * escalation reason, the close form), the keyboard's focus and caret, the crews ticked and the
 * scroll of the card and its crew list stay as the user left them. Its parts: the pinned top
 * (card-top.ts), the crews (card-crews.ts), the crews sent, facts, reports and timeline
 * (card-record.ts), the command post and orders (incident-command.ts), escalation
 * (card-escalation.ts).
 */
import './incident-card.css';
import { html, nothing, render, type TemplateResult } from 'lit-html';
import type { Map as MapLibreMap } from 'maplibre-gl';
import type { IncidentCommand } from '../../../server/contract/command.ts';
import type {
  Dispatchable,
  DispatchableCrew,
  IncidentDispatch,
  IncidentDispatches,
} from '../../../server/contract/dispatch.ts';
import type { IncidentReport } from '../../../server/contract/incidents.ts';
import type {
  IncidentSummary,
  LiveIncidentEvent,
  TimelineEvent,
} from '../../../server/domain/live-events.ts';
import type { IncidentState } from '../../../server/domain/vocabulary.ts';
import { getJson, post } from '../api/http.ts';
import { t } from '../i18n/i18n.ts';
import { type Refusal, refusalOf, refusalText } from '../i18n/refusal.ts';
import { aboutMinutes } from '../live/countdown.ts';
import type { LiveIncidents } from '../live/live-client.ts';
import {
  type CrewRow,
  crewRows,
  crewsSection,
  noTenMinuteCallout,
  type RankedCrew,
} from './card-crews.ts';
import { escalationSection, levelAbove } from './card-escalation.ts';
import {
  dispatchedSection,
  factsSection,
  reportsAndTimeline,
  showCrewTrack,
} from './card-record.ts';
import { zh } from './card-time.ts';
import { cardTop } from './card-top.ts';
import { mountCommandSection } from './incident-command.ts';

export type { RankedCrew } from './card-crews.ts';

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

/** Where on the card a refusal is said: where the user acted. */
type Slot = 'bar' | 'post' | 'order' | 'escalate';

const ACTIVE_DISPATCH = new Set(['ordered', 'acknowledged', 'en_route', 'on_scene']);
const TEN_MINUTES_S = 600;

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
  /** A live event (any incident): draw again; crews may have become busy or free. */
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
  const refusals = new Map<Slot, Refusal>();
  /** A request under way in a slot: its buttons wait. */
  const busy = new Set<Slot>();
  // What the user types, as typed: drawn into the boxes only when it differs from them.
  let filter = '';
  let reason = '';
  let area = '';
  let cause = '';
  /**
   * Raising to the county (战区联动) brings in the war zone and the county's own units: it
   * asks for a reason, then for a confirmation naming the level, before anything is sent.
   */
  let confirmingRaise = false;
  let reasonMissing = false;

  // The command section draws itself into its own element; its refusals go in these slots.
  const postRefusal = document.createElement('div');
  postRefusal.className = 'refusal-slot';
  const orderRefusal = document.createElement('div');
  orderRefusal.className = 'refusal-slot';
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

  const current = (): IncidentSummary | null =>
    selected ? (live.incidents.get(selected) ?? (detail?.id === selected ? detail : null)) : null;
  const d = (): IncidentDetail | null => (detail && detail.id === selected ? detail : null);
  /** A commander who commands this fire's area (the server's own test: access.ts commands). */
  const commandsIt = (inc: IncidentSummary) => o.canDispatch() && o.mayMove(inc);
  const activeDispatches = () =>
    (d()?.dispatches ?? []).filter((x) => ACTIVE_DISPATCH.has(x.status));

  // ---- Refusals ----
  /** The same refusal is the same element from draw to draw (a screen reader reads it once). */
  function refusalBox(slot: Slot): TemplateResult | typeof nothing {
    const r = refusals.get(slot);
    if (!r) return nothing;
    return html`<div class="refusal action-error" role="alert" data-refusal=${slot} data-code=${r.code}
      ><span>${refusalText(r)}</span><button
        type="button"
        class="dismiss"
        aria-label=${t('card.dismiss')}
        @click=${() => {
          refusals.delete(slot);
          draw();
        }}
      >×</button></div
    >`;
  }

  /**
   * POST a command from the card. Acting clears the slot's last refusal; a refusal is kept
   * in the slot, in the user's language, until dismissed or the user acts there again.
   */
  async function act(slot: Slot, url: string, body: Record<string, unknown>): Promise<boolean> {
    refusals.delete(slot);
    busy.add(slot);
    draw();
    try {
      const res = await post(url, body);
      if (res.ok) return true;
      refusals.set(slot, res.status === 0 ? { code: 'network' } : refusalOf(res.status, res.error));
      return false;
    } finally {
      busy.delete(slot);
      draw();
    }
  }

  // ---- Crews: who may be sent, ranked by travel time ----
  /** Every crew the user may send (busy ones say so), fastest first; null before it is known. */
  function rowsNow(inc: IncidentSummary): CrewRow[] | null {
    if (!dispatchable || dispatchable.id !== inc.id) return null;
    return crewRows(
      dispatchable.crews,
      ranked && ranked.id === inc.id ? ranked.crews : [],
      new Set(activeDispatches().map((x) => x.crewId)),
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

  // ---- Escalation ----
  /** The raise button: to the township at once; to the county a reason, then a confirmation. */
  async function escalate(to: 'township' | 'county') {
    if (!selected) return;
    if (to === 'county') {
      reasonMissing = !reason.trim();
      confirmingRaise = !reasonMissing;
      draw();
      cardEl
        .querySelector<HTMLElement>(reasonMissing ? '#escalate-reason' : '[data-escalate-confirm]')
        ?.focus();
      return;
    }
    await raise();
  }

  async function raise() {
    const id = selected;
    const inc = current();
    if (!id || !inc) return;
    confirmingRaise = false;
    if (
      await act('escalate', `/api/incidents/${id}/escalations`, {
        level: levelAbove(inc),
        reason: reason.trim() || t('escalation.defaultReason'),
      })
    ) {
      reason = '';
      await reload();
    }
  }

  // ---- Drawing ----
  function draw() {
    const inc = current();
    if (!selected || !inc) return;
    cardEl.dataset.incident = inc.id;
    cardEl.dataset.state = inc.state;
    const dd = d();
    const now = live.now();
    const mayDispatch = o.canDispatch();
    const rows = mayDispatch && commandsIt(inc) ? rowsNow(inc) : null;
    if (rows) preselect(rows);
    const rankedHere = ranked && ranked.id === inc.id ? ranked.crews : null;
    command.update();
    render(refusalBox('post'), postRefusal);
    render(refusalBox('order'), orderRefusal);
    const top = cardTop({
      inc,
      now,
      drillId: inc.drill && dd ? (dd.drillId ?? null) : null,
      onClose: o.onClose,
      canDispatch: mayDispatch,
      commandsIt: commandsIt(inc),
      mayMove: (to) => o.mayMove(inc, to),
      chosenCount: chosen.size,
      chosenNames: () =>
        (rowsNow(inc) ?? [])
          .filter((r) => chosen.has(r.id))
          .map((r) => `${r.name}${r.seconds === null ? '' : ` ${aboutMinutes(r.seconds, zh())}`}`)
          .join('、'),
      waiting: busy.has('bar'),
      move: (steps, extra) => void move(steps, extra),
      dispatch: (confirm) => void dispatchChosen(confirm),
      area,
      cause,
      onArea: (value) => {
        area = value;
      },
      onCause: (value) => {
        cause = value;
      },
      refusal: refusalBox('bar'),
    });
    const crews = crewsSection({
      title: t(mayDispatch ? 'card.dispatchable' : 'incidents.nearestCrews'),
      pick: rows && {
        rows,
        chosen,
        onToggle: (id, on) => {
          chosenByUser = true;
          if (on) chosen.add(id);
          else chosen.delete(id);
          draw();
        },
      },
      filter,
      onFilter: (value) => {
        filter = value;
        draw();
      },
      nearest: rankedHere,
      note: rows
        ? ''
        : mayDispatch
          ? commandsIt(inc)
            ? ''
            : t('card.notYourFire')
          : t('card.signInToDispatch'),
      callout: noTenMinuteCallout(
        inc,
        rows,
        rankedHere,
        activeDispatches().some((x) => x.etaSeconds !== null && x.etaSeconds <= TEN_MINUTES_S),
      ),
    });
    const sent = dispatchedSection(
      dd?.dispatches ?? [],
      now,
      mayDispatch ? (crewId, since) => void showCrewTrack(map, crewId, since) : null,
    );
    const escalation = escalationSection({
      inc,
      timeline: dd ? dd.timeline : null,
      canRaise: mayDispatch,
      reason,
      reasonMissing,
      confirming: confirmingRaise,
      busy: busy.has('escalate'),
      onReason: (value) => {
        reason = value;
        if (reasonMissing && reason.trim()) {
          reasonMissing = false;
          draw();
        }
      },
      onRaise: (to) => void escalate(to),
      onConfirm: () => void raise(),
      onCancel: () => {
        confirmingRaise = false;
        draw();
        cardEl.querySelector<HTMLElement>('[data-escalate]')?.focus();
      },
      refusal: refusalBox('escalate'),
    });
    // The sections in the card's order; the command section is its own element, drawn above.
    render(
      html`${top}${crews}${sent}${command.title}${command.el}${escalation}${factsSection(inc)}${reportsAndTimeline(inc, dd)}`,
      cardEl,
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
      draw();
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
        draw();
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
        filter = '';
        refusals.clear();
        detail = null;
        command.showPost(null);
        reason = '';
        confirmingRaise = false;
        reasonMissing = false;
        area = '';
        cause = '';
      }
      selected = id;
      command.switchTo(id);
      if (!id) {
        cardEl.hidden = true;
        render(nothing, cardEl);
        return;
      }
      cardEl.hidden = false;
      if (id !== cardEl.dataset.incident) cardEl.scrollTop = 0;
      draw();
      await Promise.all([reload(), loadDispatchable()]);
    },
    reload,
    liveEvent(e) {
      if (!selected) return;
      draw();
      // Another fire's dispatch may have taken (or freed) a crew this card offers.
      if (e && (e.type === 'crew_dispatched' || e.type === 'dispatch_updated'))
        void loadDispatchable();
    },
    setCrews(id, crews) {
      ranked = { id, crews };
      if (selected === id) draw();
    },
    tick() {
      if (selected) draw();
    },
    refresh() {
      draw();
      void loadDispatchable();
    },
  };
}
