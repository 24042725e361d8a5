/**
 * Live incidents on the command map, wired together: the fires' markers
 * (incident-markers.ts), the list with the 10/20/30 countdowns (incident-list.ts) and the
 * selected incident's card (incident-card.ts); a new report beeps (the user may mute it) and
 * a flood of unverified reports sounds one alarm. Live events and the clock's tick redraw
 * only what changed: what the commander is typing, where the keyboard is and how far a list
 * is scrolled stay.
 */
import type { Map as MapLibreMap } from 'maplibre-gl';
import { type Flood, floodOf } from '../../../server/domain/flood.ts';
import type { IncidentSummary } from '../../../server/domain/live-events.ts';
import type { IncidentState } from '../../../server/domain/vocabulary.ts';
import { onLocaleChange, t } from '../i18n/i18n.ts';
import type { LiveIncidents } from '../live/live-client.ts';
import { beep, floodAlarm } from '../ui/sound.ts';
import { mountIncidentCard, type RankedCrew } from './incident-card.ts';
import { mountIncidentList } from './incident-list.ts';
import { mountIncidentMarkers } from './incident-markers.ts';

const MUTE_KEY = 'incident-sound-muted';

export interface IncidentsView {
  select(id: string | null): Promise<void>;
  onSelect(fn: (incident: IncidentSummary | null) => void): void;
  /** Re-draw the card (e.g. after sign-in). */
  refresh(): void;
  /** The ranked crews to show on the selected incident's card. */
  showCrews(id: string, crews: RankedCrew[]): void;
}

export function mountIncidents(
  live: LiveIncidents,
  map: MapLibreMap,
  listEl: HTMLElement,
  cardEl: HTMLElement,
  soundButton: HTMLButtonElement,
  canDispatch: () => boolean = () => false,
  /**
   * May the signed-in user move this incident (to this state, when given)? See
   * server/domain/access.ts.
   */
  mayMove: (inc: IncidentSummary, to?: IncidentState) => boolean = () => false,
): IncidentsView {
  const selectListeners: ((i: IncidentSummary | null) => void)[] = [];
  let selected: string | null = null;
  const card = mountIncidentCard({
    live,
    map,
    cardEl,
    canDispatch,
    mayMove,
    onClose: () => void api.select(null),
  });
  const markers = mountIncidentMarkers(map, (id) => void api.select(id));
  const list = mountIncidentList(live, listEl, (id) => void api.select(id));
  let muted = localStorage.getItem(MUTE_KEY) === 'true';

  const renderSound = () => {
    soundButton.textContent = muted ? t('incidents.muted') : t('incidents.sound');
    soundButton.setAttribute('aria-pressed', String(!muted));
  };
  soundButton.addEventListener('click', () => {
    muted = !muted;
    localStorage.setItem(MUTE_KEY, String(muted));
    renderSound();
  });

  let flood: Flood | null = null;
  const updateFlood = () => {
    const before = flood;
    flood = floodOf(live.incidents.values(), live.now(), live.floodThreshold);
    // One distinct alarm when a flood begins, instead of a beep for every report in it.
    if (flood && !before && !muted) floodAlarm();
  };
  /** A flood's reports have no markers of their own: its line in the list stands for them. */
  const syncMarkers = () =>
    markers.sync(
      [...live.incidents.values()].filter((i) => !flood?.ids.has(i.id)),
      selected,
    );
  const renderList = () => list.render(flood, selected);

  const api: IncidentsView = {
    async select(id) {
      selected = id;
      syncMarkers();
      renderList();
      const shown = card.show(id);
      const inc = id ? live.incidents.get(id) : null;
      for (const fn of selectListeners) fn(inc ?? null);
      if (inc)
        map.easeTo({ center: inc.location, zoom: Math.max(map.getZoom(), 12.5), duration: 600 });
      await shown;
    },
    onSelect(fn) {
      selectListeners.push(fn);
    },
    refresh() {
      card.refresh();
      void card.reload();
    },
    showCrews(id, crews) {
      card.setCrews(id, crews);
    },
  };

  live.onChange((e, isLive) => {
    updateFlood();
    syncMarkers();
    renderList();
    // The card updates in place: what the user types there is never rebuilt away.
    card.liveEvent(e);
    if (e && e.incidentId === selected) void card.reload();
    if (e && isLive && e.type === 'reported' && !muted && !flood?.ids.has(e.incidentId)) beep();
  });
  // Countdowns, ages and stale marks tick every second: the list patches their text in place.
  setInterval(() => {
    renderList();
    card.tick();
  }, 1000);
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && selected) void api.select(null);
  });
  renderSound();
  onLocaleChange(() => {
    renderSound();
    renderList();
    card.refresh();
  });
  return api;
}
