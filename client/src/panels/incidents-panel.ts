/**
 * Live incidents on the command map: a marker per incident coloured by state (new ones
 * pulse, with a sound the user can mute), a list with the 10/20/30 countdown and breach
 * colours and the age of each incident's data; the selected incident's card is
 * panels/incident-card.ts.
 */
import { type Map as MapLibreMap, Marker } from 'maplibre-gl';
import { type Flood, floodOf } from '../../../server/domain/flood.ts';
import { LIST_ORDER } from '../../../server/domain/incident-lifecycle.ts';
import type { IncidentSummary } from '../../../server/domain/live-events.ts';
import { isStale } from '../../../server/domain/situation.ts';
import type { IncidentState } from '../../../server/domain/vocabulary.ts';
import { onLocaleChange, t, tf, tValue } from '../i18n/i18n.ts';
import type { LiveIncidents } from '../live/live-client.ts';
import { h } from '../ui/dom.ts';
import { beep, floodAlarm } from '../ui/sound.ts';
import { mountIncidentCard, type RankedCrew } from './incident-card.ts';
import { incidentRowContent } from './incident-row.ts';

const NEW_STATES: IncidentState[] = ['reported', 'verifying'];
/** Markers whose centres are closer than this (px) stack: see stackMarkers. */
const STACK_PX = 22;
/** Fires being fought first, then unverified reports, as the server orders its list. */
const priority = (i: IncidentSummary) => LIST_ORDER.indexOf(i.state);
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
  const markers = new Map<string, { marker: Marker; el: HTMLButtonElement }>();
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
  let floodOpen = false;
  const updateFlood = () => {
    const before = flood;
    flood = floodOf(live.incidents.values(), live.now(), live.floodThreshold);
    // One distinct alarm when a flood begins, instead of a beep for every report in it.
    if (flood && !before && !muted) floodAlarm();
  };

  const syncMarkers = () => {
    for (const [id, m] of markers)
      if (!live.incidents.has(id) || flood?.ids.has(id)) {
        m.marker.remove();
        markers.delete(id);
      }
    for (const inc of live.incidents.values()) {
      if (flood?.ids.has(inc.id)) continue;
      let m = markers.get(inc.id);
      if (!m) {
        const el = h('button', { type: 'button', class: 'incident-marker' }, '火');
        el.addEventListener('click', (e) => {
          e.stopPropagation();
          void api.select(inc.id);
        });
        const marker = new Marker({ element: el }).setLngLat(inc.location).addTo(map);
        m = { marker, el };
        markers.set(inc.id, m);
      }
      m.marker.setLngLat(inc.location);
      // classList, never className: MapLibre's own `maplibregl-marker` class is what takes the
      // element out of the flow and pins it to its place; overwriting it drew each further
      // fire one marker-width east of where it burns.
      const cl = m.el.classList;
      for (const c of [...cl]) if (c.startsWith('state-')) cl.remove(c);
      cl.add(`state-${inc.state}`);
      cl.toggle('pulse', NEW_STATES.includes(inc.state));
      cl.toggle('breached', inc.breached.length > 0);
      cl.toggle('selected', inc.id === selected);
      // A drill's marker reads 演 instead of 火 and is outlined: never taken for a real fire.
      cl.toggle('drill', inc.drill);
      m.el.textContent = inc.drill ? '演' : '火';
      if (inc.drill) m.el.dataset.drill = '';
      else delete m.el.dataset.drill;
      m.el.dataset.incident = inc.id;
      m.el.setAttribute(
        'aria-label',
        `${inc.drill ? `${t('incidents.drill')} ` : ''}${tValue('state', inc.state)} ${inc.townshipName ?? ''}${inc.villageName ?? ''}`,
      );
    }
    stackMarkers();
  };

  /**
   * Fires close together stay each at its own place; the one that matters most is drawn on
   * top and carries the count of those under it, so none hides another unseen.
   */
  const stackMarkers = () => {
    const placed = [...markers.entries()]
      .map(([id, m]) => ({ id, m, inc: live.incidents.get(id) }))
      .filter((x): x is { id: string; m: (typeof x)['m']; inc: IncidentSummary } => !!x.inc)
      .sort((a, b) => priority(a.inc) - priority(b.inc));
    const tops: { x: number; y: number; el: HTMLElement; n: number }[] = [];
    for (const [rank, { m, inc }] of placed.entries()) {
      const p = map.project(inc.location);
      m.el.style.zIndex = String(placed.length - rank);
      delete m.el.dataset.stack;
      const top = tops.find((t) => Math.hypot(t.x - p.x, t.y - p.y) < STACK_PX);
      if (top) {
        top.n++;
        top.el.dataset.stack = String(top.n);
        m.el.classList.add('stacked');
      } else {
        m.el.classList.remove('stacked');
        tops.push({ x: p.x, y: p.y, el: m.el, n: 1 });
      }
    }
  };
  map.on('zoomend', stackMarkers);

  const renderList = () => {
    const now = live.now();
    const byPriority = (a: IncidentSummary, b: IncidentSummary) =>
      priority(a) - priority(b) || b.firstReportedAt.localeCompare(a.firstReportedAt);
    const all = [...live.incidents.values()].sort(byPriority);
    const items = flood && !floodOpen ? all.filter((i) => !flood?.ids.has(i.id)) : all;
    const status =
      live.status === 'live'
        ? t('incidents.live')
        : live.status === 'offline'
          ? t('incidents.offline')
          : t('incidents.connecting');
    listEl.replaceChildren(
      h(
        'h2',
        {},
        `${t('incidents.title')} (${all.length + live.unlisted}) `,
        h('span', { class: `live-status live-${live.status}` }, `● ${status}`),
      ),
      flood ? floodLine(flood) : '',
      live.unlisted > 0
        ? h('p', { class: 'unlisted', role: 'status' }, tf('incidents.unlisted', live.unlisted))
        : '',
      items.length === 0
        ? h('p', { class: 'muted' }, t('incidents.none'))
        : h(
            'ul',
            { class: 'incident-list' },
            ...items.map((inc) => {
              const li = h(
                'li',
                {
                  class: inc.id === selected ? 'selected' : '',
                  'data-incident': inc.id,
                  ...(isStale(inc, now) ? { 'data-stale': '' } : {}),
                },
                h('button', { type: 'button' }, ...incidentRowContent(inc, now)),
              );
              li.querySelector('button')?.addEventListener('click', () => void api.select(inc.id));
              return li;
            }),
          ),
    );
  };

  /** One line for a flood of unverified reports; it opens to list them. */
  function floodLine(f: Flood): HTMLElement {
    const btn = h(
      'button',
      { type: 'button', class: 'flood-line', 'aria-expanded': String(floodOpen), 'data-flood': '' },
      `⚠ ${tf('incidents.flood', f.ids.size, f.recent)}`,
    );
    btn.addEventListener('click', () => {
      floodOpen = !floodOpen;
      renderList();
    });
    return btn;
  }

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
    showCrews(id, list) {
      card.setCrews(id, list);
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
  /**
   * Countdowns, ages and stale marks tick every second: each row's contents are redrawn in
   * its place, so a row being clicked (or read by a screen reader) is never swapped under the
   * pointer; rows come and go with live events (renderList).
   */
  const tickList = () => {
    const now = live.now();
    for (const li of listEl.querySelectorAll<HTMLElement>('li[data-incident]')) {
      const inc = live.incidents.get(li.dataset.incident ?? '');
      const button = li.querySelector('button');
      if (!inc || !button) continue;
      button.replaceChildren(...incidentRowContent(inc, now));
      li.toggleAttribute('data-stale', isStale(inc, now));
    }
  };
  setInterval(() => {
    tickList();
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
