/**
 * Live incidents on the command map: a marker per incident coloured by state (new ones
 * pulse, with a sound the user can mute), a list with the 10/20/30 countdown and breach
 * colours and the age of each incident's data, and the incident card — its reports, photos,
 * timeline, nearest crews, and the state changes it can take next.
 */
import { type Map as MapLibreMap, Marker } from 'maplibre-gl';
import { ANONYMOUS_ACTOR } from '../../../server/domain/access.ts';
import { type Flood, floodOf } from '../../../server/domain/flood.ts';
import {
  LIST_ORDER,
  REACHED_BY_CREWS,
  TRANSITIONS,
} from '../../../server/domain/incident-lifecycle.ts';
import type { IncidentSummary } from '../../../server/domain/live-events.ts';
import { isStale } from '../../../server/domain/situation.ts';
import type { IncidentState } from '../../../server/domain/vocabulary.ts';
import { locale, onLocaleChange, t, tf, tValue } from '../i18n/i18n.ts';
import type { MessageKey } from '../i18n/messages.ts';
import { aboutMinutes, clockView, formatClock } from '../live/countdown.ts';
import type { LiveIncidents } from '../live/live-client.ts';
import { getJson, h } from '../ui/dom.ts';
import { incidentRowContent } from './incident-row.ts';

const NEW_STATES: IncidentState[] = ['reported', 'verifying'];
/** Markers whose centres are closer than this (px) stack: see stackMarkers. */
const STACK_PX = 22;
/** Fires being fought first, then unverified reports, as the server orders its list. */
const priority = (i: IncidentSummary) => LIST_ORDER.indexOf(i.state);
const MUTE_KEY = 'incident-sound-muted';

interface IncidentDetail extends IncidentSummary {
  /** True when the reader may see only the public summary (server/domain/access.ts). */
  restricted?: boolean;
  reports: {
    id: number;
    source: string;
    observedAt: string;
    accuracyM: number | null;
    bearingDeg: number | null;
    note: string | null;
    reporterName: string | null;
    reporterUserId: string | null;
    photos: { id: number; mimeType: string }[];
  }[];
  timeline: {
    seq: number;
    type: string;
    at: string;
    actor: string;
    payload: Record<string, unknown>;
  }[];
  command?: {
    commandPost: { name: string; location: [number, number] } | null;
    orders: {
      id: string;
      text: string;
      fromLabel: string;
      sentAt: string;
      receipts: {
        crewId: string;
        crewName: string;
        deliveredAt: string | null;
        readAt: string | null;
      }[];
    }[];
  };
  dispatches: {
    dispatchId: string;
    crewId: string;
    crewName: string;
    status: string;
    orderedAt: string;
    arrivedAt: string | null;
  }[];
}

export interface IncidentsView {
  select(id: string | null): Promise<void>;
  onSelect(fn: (incident: IncidentSummary | null) => void): void;
  /** Re-draw the card (e.g. after sign-in). */
  refresh(): void;
  /** The ranked crews to show on the selected incident's card. */
  showCrews(
    id: string,
    crews: { id: string; name: string | null; seconds: number | null; meetsTarget: boolean }[],
  ): void;
}

function beep() {
  try {
    const ctx = new AudioContext();
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.frequency.value = 880;
    gain.gain.setValueAtTime(0.15, ctx.currentTime);
    gain.gain.exponentialRampToValueAtTime(0.001, ctx.currentTime + 0.6);
    osc.connect(gain).connect(ctx.destination);
    osc.start();
    osc.stop(ctx.currentTime + 0.6);
  } catch {
    // No audio device (or not allowed before a click): the pulse still shows.
  }
}

/** A flood of unverified reports: three falling tones, unlike a new report's single beep. */
function floodAlarm() {
  try {
    const ctx = new AudioContext();
    for (const [i, f] of [660, 550, 440].entries()) {
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      const t0 = ctx.currentTime + i * 0.35;
      osc.frequency.value = f;
      gain.gain.setValueAtTime(0.2, t0);
      gain.gain.exponentialRampToValueAtTime(0.001, t0 + 0.3);
      osc.connect(gain).connect(ctx.destination);
      osc.start(t0);
      osc.stop(t0 + 0.3);
    }
  } catch {
    // No audio device: the flood line still shows.
  }
}

const time = (iso: string) =>
  new Date(iso).toLocaleTimeString(locale() === 'zh-CN' ? 'zh-CN' : 'en-GB', { hour12: false });

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
  let detail: IncidentDetail | null = null;
  let crews: {
    id: string;
    crews: { id: string; name: string | null; seconds: number | null; meetsTarget: boolean }[];
  } | null = null;
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
      m.el.dataset.incident = inc.id;
      m.el.setAttribute(
        'aria-label',
        `${tValue('state', inc.state)} ${inc.townshipName ?? ''}${inc.villageName ?? ''}`,
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

  let cpMarker: Marker | null = null;
  function showCommandPost(cp: { name: string; location: [number, number] } | null) {
    cpMarker?.remove();
    cpMarker = null;
    if (!cp) return;
    const el = h('div', { class: 'command-post-marker', title: cp.name }, '指');
    cpMarker = new Marker({ element: el }).setLngLat(cp.location).addTo(map);
  }

  /** The forward command post and the orders with their receipts. */
  function commandSection(d: IncidentDetail | null): HTMLElement {
    const box = h('div', { class: 'command' });
    const c = d?.command;
    if (c?.commandPost) box.append(h('p', {}, `${t('command.post')}: ${c.commandPost.name}`));
    if (canDispatch() && d) {
      const setPost = h(
        'button',
        { type: 'button', class: 'dispatch', 'data-command-post': '' },
        t('command.setPost'),
      );
      setPost.addEventListener('click', async () => {
        const centre = map.getCenter();
        await act(`/api/incidents/${d.id}/command-post`, {
          name: t('command.defaultName'),
          lon: centre.lng,
          lat: centre.lat,
        });
        await loadDetail();
      });
      const text = h('input', {
        type: 'text',
        maxlength: '500',
        id: 'order-text',
        'aria-label': t('command.order'),
      });
      const send = h(
        'button',
        { type: 'button', class: 'dispatch', 'data-send-order': '' },
        t('command.send'),
      );
      send.addEventListener('click', async () => {
        if (!text.value.trim()) return;
        await act(`/api/incidents/${d.id}/orders`, { text: text.value.trim() });
        await loadDetail();
      });
      box.append(
        h('div', { class: 'actions' }, setPost),
        h('div', { class: 'actions' }, text, send),
      );
    }
    if (c && c.orders.length > 0)
      box.append(
        h(
          'ul',
          { class: 'orders' },
          ...c.orders.map((o) => {
            const delivered = o.receipts.filter((r) => r.deliveredAt).length;
            const read = o.receipts.filter((r) => r.readAt).length;
            return h(
              'li',
              { 'data-order': o.id, 'data-read': String(read) },
              h('span', { class: 'muted' }, `${time(o.sentAt)} `),
              o.text,
              h(
                'span',
                { class: 'receipts muted small' },
                ` · ${t('command.delivered')} ${delivered}/${o.receipts.length} · ${t('command.read')} ${read}/${o.receipts.length}`,
              ),
            );
          }),
        ),
      );
    return box;
  }

  /** The system's suggestion to link the war zone, while the level is below it. */
  function suggestion(d: IncidentDetail | null, inc: IncidentSummary): HTMLElement | null {
    if (!d || inc.escalationLevel === 'county') return null;
    const s = [...d.timeline].reverse().find((e) => e.type === 'escalation_suggested');
    if (!s) return null;
    return h(
      'p',
      { class: 'suggestion', role: 'alert' },
      `${t('escalation.suggested')}: ${tValue('escalationReason', String(s.payload.reason))}`,
    );
  }

  function escalateButton(to: 'township' | 'county'): HTMLElement {
    const reason = h('input', {
      type: 'text',
      maxlength: '500',
      id: 'escalate-reason',
      'aria-label': t('escalation.reason'),
    });
    const btn = h(
      'button',
      { type: 'button', class: 'dispatch', 'data-escalate': to },
      `${t('escalation.raise')} ${tValue('escalation', to)}`,
    );
    btn.addEventListener('click', async () => {
      if (!selected) return;
      const done = await act(`/api/incidents/${selected}/escalations`, {
        level: to,
        reason: reason.value.trim() || t('escalation.defaultReason'),
      });
      if (done) await loadDetail();
    });
    return h('div', { class: 'actions' }, reason, btn);
  }

  /** Replays a crew's GPS track since its order as a line on the map. */
  function trackButton(crewId: string, since: string): HTMLButtonElement {
    const btn = h(
      'button',
      { type: 'button', class: 'link', 'data-track': crewId },
      t('dispatch.track'),
    );
    btn.addEventListener('click', async () => {
      const { track } = await getJson<{ track: { lon: number; lat: number; at: string }[] }>(
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

  function dispatchButton(crewId: string): HTMLButtonElement {
    const btn = h(
      'button',
      { type: 'button', class: 'dispatch', 'data-dispatch': crewId },
      t('dispatch.button'),
    );
    btn.addEventListener('click', async () => {
      if (!selected) return;
      btn.disabled = true;
      if (await act(`/api/incidents/${selected}/dispatches`, { crewIds: [crewId] }))
        await loadDetail();
      else btn.disabled = false;
    });
    return btn;
  }

  /** A command from the card: POST it; a refusal shows the server's message on the card. */
  async function act(url: string, body: Record<string, unknown>): Promise<boolean> {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (res.ok) return true;
    const err = (await res.json()) as { message: string };
    cardEl.querySelector('.action-error')?.replaceChildren(err.message);
    return false;
  }

  async function move(to: IncidentState, extra: Record<string, unknown> = {}) {
    if (!selected) return;
    if (await act(`/api/incidents/${selected}/transitions`, { to, ...extra })) await loadDetail();
  }

  const renderCard = () => {
    if (!selected) {
      cardEl.hidden = true;
      return;
    }
    cardEl.hidden = false;
    const inc = live.incidents.get(selected) ?? detail;
    if (!inc) return;
    const close = h(
      'button',
      { type: 'button', class: 'close', 'aria-label': t('card.close') },
      '×',
    );
    close.addEventListener('click', () => void api.select(null));
    const clock = clockView(inc, live.now());
    const movable = mayMove(inc);
    // Dispatched and on scene follow from dispatching and arrival, never from a button.
    const next = movable
      ? (TRANSITIONS[inc.state] ?? []).filter((to) => !REACHED_BY_CREWS.has(to) && mayMove(inc, to))
      : [];
    const actions = h('div', { class: 'actions' });
    if (!movable && (TRANSITIONS[inc.state] ?? []).length > 0)
      actions.append(h('p', { class: 'muted small' }, t('incidents.signInToMove')));
    for (const to of next) {
      if (to === 'closed' && inc.state === 'extinguished') {
        const area = h('input', {
          type: 'number',
          min: '0',
          step: '0.01',
          id: 'close-area',
          'aria-label': t('incidents.burnedArea'),
        });
        const cause = h('input', {
          type: 'text',
          maxlength: '200',
          id: 'close-cause',
          'aria-label': t('incidents.cause'),
        });
        const btn = h('button', { type: 'button', 'data-to': to }, tValue('state', to));
        btn.addEventListener(
          'click',
          () => void move(to, { burnedAreaHa: Number(area.value), cause: cause.value }),
        );
        actions.append(
          h('label', {}, `${t('incidents.burnedArea')} `, area),
          h('label', {}, `${t('incidents.cause')} `, cause),
          btn,
        );
      } else {
        const btn = h('button', { type: 'button', 'data-to': to }, `→ ${tValue('state', to)}`);
        btn.addEventListener('click', () => void move(to));
        actions.append(btn);
      }
    }
    const d = detail && detail.id === selected ? detail : null;
    const parts: (HTMLElement | null)[] = [
      h(
        'header',
        {},
        h(
          'div',
          {},
          h('p', { class: 'kind' }, `${t('incidents.title')} · ${tValue('state', inc.state)}`),
          h('h2', { tabindex: '-1' }, `${inc.townshipName ?? ''} ${inc.villageName ?? ''}`),
        ),
        close,
      ),
      h(
        'dl',
        { class: 'facts' },
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
      ),
      clock
        ? h(
            'p',
            {
              class: `countdown big ${clock.breached ? 'breached' : clock.leftMs < 3 * 60_000 ? 'soon' : 'ok'}`,
            },
            `${tValue('target', clock.target)} ${clock.breached ? t('incidents.overdue') : t('incidents.left')} ${formatClock(clock.leftMs, locale() === 'zh-CN')}`,
          )
        : null,
      h('h3', {}, t('incidents.nearestCrews')),
      crews && crews.id === inc.id
        ? h(
            'table',
            { class: 'reach-crews' },
            h(
              'tbody',
              {},
              ...crews.crews.slice(0, 8).map((c) =>
                h(
                  'tr',
                  { class: c.meetsTarget ? 'meets' : 'late', 'data-crew': c.id },
                  h('td', { class: 'name' }, c.name ?? c.id),
                  h(
                    'td',
                    {
                      class: 'time',
                      ...(c.seconds === null
                        ? {}
                        : { 'data-seconds': String(Math.round(c.seconds)) }),
                    },
                    c.seconds === null ? '—' : aboutMinutes(c.seconds, locale() === 'zh-CN'),
                  ),
                  h('td', { class: 'badge' }, c.meetsTarget ? '✓' : '✗'),
                  canDispatch() && !d?.dispatches.some((x) => x.crewId === c.id)
                    ? h('td', {}, dispatchButton(c.id))
                    : null,
                ),
              ),
            ),
          )
        : h('p', { class: 'muted' }, t('reach.computing')),
      canDispatch() ? null : h('p', { class: 'muted small' }, t('dispatch.signIn')),
      h('h3', {}, t('dispatch.crews')),
      d && d.dispatches.length > 0
        ? h(
            'ul',
            { class: 'dispatched' },
            ...d.dispatches.map((x) =>
              h(
                'li',
                { 'data-crew': x.crewId, 'data-status': x.status },
                h('span', {}, x.crewName),
                h(
                  'span',
                  { class: `dispatch-status ds-${x.status}` },
                  ` ${tValue('dispatch', x.status)}`,
                ),
                x.arrivedAt ? h('span', { class: 'muted' }, ` ${time(x.arrivedAt)}`) : null,
                canDispatch() ? trackButton(x.crewId, x.orderedAt) : null,
              ),
            ),
          )
        : h('p', { class: 'muted' }, t('dispatch.none')),
      h('h3', {}, t('command.title')),
      commandSection(d),
      h('h3', {}, t('escalation.title')),
      h(
        'p',
        { class: 'escalation', 'data-level': inc.escalationLevel },
        `${t('escalation.level')}: ${tValue('escalation', inc.escalationLevel)}`,
      ),
      suggestion(d, inc),
      canDispatch() && inc.escalationLevel !== 'county'
        ? escalateButton(inc.escalationLevel === 'village' ? 'township' : 'county')
        : null,
      h('h3', {}, t('incidents.actions')),
      actions,
      h('p', { class: 'action-error error small' }),
      h('h3', {}, `${t('incidents.reports')} (${inc.reportCount})`),
      d?.restricted ? h('p', { class: 'muted restricted' }, t('incidents.restricted')) : null,
      d
        ? h(
            'ul',
            { class: 'reports' },
            ...d.reports.map((r) =>
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
      h('h3', {}, t('incidents.timeline')),
      d
        ? h(
            'ol',
            { class: 'timeline' },
            ...d.timeline.map((e) =>
              h(
                'li',
                {},
                h('span', { class: 'muted' }, `${time(e.at)} #${e.seq} `),
                tValue('event', e.type),
                e.type === 'state_changed' ? ` → ${tValue('state', String(e.payload.to))}` : '',
                e.type === 'target_breached'
                  ? ` ${tValue('target', String(e.payload.target))}`
                  : '',
                h(
                  'span',
                  { class: 'muted' },
                  ` · ${e.actor === ANONYMOUS_ACTOR ? t('actor.anonymous') : e.actor}`,
                ),
              ),
            ),
          )
        : null,
    ];
    cardEl.replaceChildren(...parts.filter((p): p is HTMLElement => p !== null));
    cardEl.dataset.incident = inc.id;
    cardEl.dataset.state = inc.state;
  };

  async function loadDetail() {
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
          getJson<{ dispatches: IncidentDetail['dispatches'] }>(`/api/incidents/${id}/dispatches`),
          getJson<NonNullable<IncidentDetail['command']>>(`/api/incidents/${id}/command`),
        ]);
        loaded.dispatches = dispatches.dispatches;
        loaded.command = command;
      }
      showCommandPost(loaded.command.commandPost);
      if (selected === id) {
        detail = loaded;
        renderCard();
      }
    } catch (err) {
      console.warn(err);
    }
  }

  const api: IncidentsView = {
    async select(id) {
      if (id !== selected) crews = null;
      selected = id;
      detail = null;
      syncMarkers();
      renderList();
      renderCard();
      const inc = id ? live.incidents.get(id) : null;
      for (const fn of selectListeners) fn(inc ?? null);
      if (inc)
        map.easeTo({ center: inc.location, zoom: Math.max(map.getZoom(), 12.5), duration: 600 });
      await loadDetail();
    },
    onSelect(fn) {
      selectListeners.push(fn);
    },
    refresh() {
      renderCard();
      void loadDetail();
    },
    showCrews(id, list) {
      crews = { id, crews: list };
      if (selected === id) renderCard();
    },
  };

  live.onChange((e, isLive) => {
    updateFlood();
    syncMarkers();
    renderList();
    if (e && e.incidentId === selected) void loadDetail();
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
    if (selected) {
      const el = cardEl.querySelector('.countdown.big');
      const inc = live.incidents.get(selected);
      const clock = inc ? clockView(inc, live.now()) : null;
      if (el && clock)
        el.textContent = `${tValue('target', clock.target)} ${clock.breached ? t('incidents.overdue') : t('incidents.left')} ${formatClock(clock.leftMs, locale() === 'zh-CN')}`;
    }
  }, 1000);
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && selected) void api.select(null);
  });
  renderSound();
  onLocaleChange(() => {
    renderSound();
    renderList();
    renderCard();
  });
  return api;
}
