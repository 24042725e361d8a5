/**
 * Fire danger on the wall: the "today" strip in the top bar (date, the county's highest level,
 * townships per level, open fires, crews on duty, age of the weather), a danger layer — a
 * township or grid choropleth in the QX/T 77-2007 colours with a slider over today and the
 * next 3 days, or the same as a table — the weather stations, and the warnings in force with
 * a suggestion when the forecast reaches 四级. Refreshed when the server says new weather or a
 * new warning arrived.
 */
import type { Map as MapLibreMap } from 'maplibre-gl';
import type { DangerRow, DangerSummary, WeatherStations } from '../../../server/contract/danger.ts';
import type { WarningView } from '../../../server/contract/warnings.ts';
import type { Actor } from '../../../server/domain/access.ts';
import { DANGER_LEVEL_INFO, type DangerLevel } from '../../../server/domain/fire-danger/lyt1172.ts';
import { LABEL_FONT } from '../../../server/domain/map-palette.ts';
import { getJson } from '../api/http.ts';
import { locale, onLocaleChange, t } from '../i18n/i18n.ts';
import { ago, localTime } from '../live/countdown.ts';
import type { LiveIncidents } from '../live/live-client.ts';
import { h } from '../ui/dom.ts';
import { flagBadge } from './flag-badge.ts';
import { mountWarningForm } from './warning-form.ts';

const LEVELS = [1, 2, 3, 4, 5] as const;
const colour = (l: DangerLevel) => DANGER_LEVEL_INFO[l].colour;
const levelLabel = (l: DangerLevel) =>
  locale() === 'en'
    ? `L${l} ${DANGER_LEVEL_INFO[l].meaningEn}`
    : `${DANGER_LEVEL_INFO[l].name}(${DANGER_LEVEL_INFO[l].meaning})`;

function age(iso: string | null, now: number): string {
  return iso ? ago(now - Date.parse(iso), locale() === 'zh-CN') : '—';
}

/**
 * The danger layers' colour: each township's or grid's level colour, set as its feature state
 * (`danger`) by loadDay; transparent where none is set. A feature-state colour changes on the
 * main thread; a data-driven paint value set anew (a `match` over codes) makes MapLibre parse
 * every county tile again, seconds of redraws on a wall PC drawing in software.
 */
const DANGER_FILL = ['to-color', ['coalesce', ['feature-state', 'danger'], 'rgba(0,0,0,0)']];

export function mountDanger(
  map: MapLibreMap,
  live: LiveIncidents,
  user: () => Actor | null,
): { userChanged(): void } {
  const panel = h('aside', {
    id: 'danger-panel',
    class: 'panel danger-panel',
    'aria-live': 'polite',
  });
  (document.getElementById('event-feed') ?? document.getElementById('incidents-panel'))?.after(
    panel,
  );
  const formBox = h('div', { id: 'warning-form' });
  const refreshForm = mountWarningForm(formBox, user, map);
  const strip = h('div', {
    id: 'danger-strip',
    class: 'danger-strip',
    role: 'status',
    'aria-live': 'polite',
  });
  // In the wall's situation bar when the page has one (it counts fires and crews itself).
  const bar = document.getElementById('situation-danger');
  if (bar) bar.append(strip);
  else document.querySelector('.topbar .targets')?.after(strip);
  const banner = h('div', {
    id: 'warning-banner',
    class: 'warning-banner',
    'aria-live': 'assertive',
  });
  document.querySelector('main')?.append(banner);

  const state = {
    summary: null as DangerSummary | null,
    day: 0,
    level: 'township' as 'township' | 'grid',
    view: 'map' as 'map' | 'table',
    rows: [] as DangerRow[],
    warnings: [] as WarningView[],
  };

  const BEFORE = map.getLayer('townships-line') ? 'townships-line' : undefined;
  map.addLayer(
    {
      id: 'danger-townships',
      type: 'fill',
      source: 'county',
      'source-layer': 'townships',
      // Visibility written out: MapLibre compares it with the value loadDay sets, and a
      // layer whose visibility changes (undefined → 'visible' counts) parses the tiles again.
      layout: { visibility: 'visible' },
      paint: { 'fill-color': DANGER_FILL as never, 'fill-opacity': 0.55 },
    },
    BEFORE,
  );
  map.addLayer(
    {
      id: 'danger-grids',
      type: 'fill',
      source: 'county',
      'source-layer': 'grids',
      minzoom: 9,
      layout: { visibility: 'none' },
      paint: {
        'fill-color': DANGER_FILL as never,
        'fill-opacity': 0.6,
        'fill-outline-color': 'rgba(255,255,255,0.35)',
      },
    },
    BEFORE,
  );
  map.addSource('weather-stations', {
    type: 'geojson',
    data: { type: 'FeatureCollection', features: [] },
  });
  // A blue dot and the station's name, in the fonts the base style uses (no glyph server).
  map.addLayer({
    id: 'weather-stations-dot',
    type: 'circle',
    source: 'weather-stations',
    paint: {
      'circle-radius': 5,
      'circle-color': '#0b5cad',
      'circle-stroke-color': '#ffffff',
      'circle-stroke-width': 1.5,
    },
  });
  map.addLayer({
    id: 'weather-stations',
    type: 'symbol',
    source: 'weather-stations',
    layout: {
      'text-field': ['get', 'name'],
      'text-font': LABEL_FONT,
      'text-size': 12,
      'text-anchor': 'top',
      'text-offset': [0, 0.6],
    },
    paint: { 'text-color': '#0b3c6b', 'text-halo-color': '#ffffff', 'text-halo-width': 1.5 },
  });
  void getJson<WeatherStations>('/api/weather/stations').then((fc) => {
    (map.getSource('weather-stations') as unknown as { setData(d: unknown): void }).setData(fc);
  });

  const dayDate = () => state.summary?.dates[state.day] ?? state.summary?.today ?? '';

  function renderStrip() {
    const s = state.summary;
    if (!s) {
      strip.replaceChildren(h('span', { class: 'muted' }, t('danger.noData')));
      return;
    }
    const open = live.incidents.size;
    strip.replaceChildren(
      h('span', { class: 'ds-date' }, `${t('danger.today')} ${s.today}`),
      s.highest
        ? h(
            'span',
            {
              class: 'ds-highest',
              style: `background:${colour(s.highest)}`,
              'data-level': String(s.highest),
            },
            `${t('danger.highest')} ${levelLabel(s.highest)}`,
          )
        : h('span', { class: 'muted' }, t('danger.noData')),
      ...[s.highest ? flagBadge(s.highest) : null].filter((b) => b !== null),
      h(
        'span',
        { class: 'ds-counts' },
        ...LEVELS.map((l) =>
          h(
            'span',
            { class: 'ds-count', title: levelLabel(l), style: `border-color:${colour(l)}` },
            `${DANGER_LEVEL_INFO[l].name.slice(0, 1)}${s.counts[l] ?? 0}`,
          ),
        ),
      ),
      ...(bar
        ? []
        : [
            h('span', {}, `${t('danger.openIncidents')} ${open}`),
            h('span', {}, `${t('danger.crewsOnDuty')} ${s.crews.onDuty}`),
          ]),
      h(
        'span',
        { class: 'ds-age', title: `${t('danger.issued')} ${localTime(s.weather.issuedAt)}` },
        `${t('danger.weatherAge')} ${age(s.weather.issuedAt, live.now())}`,
      ),
    );
  }

  function renderPanel() {
    const s = state.summary;
    const dates = s?.dates ?? [];
    const slider = h('input', {
      type: 'range',
      min: '0',
      max: String(Math.max(0, dates.length - 1)),
      step: '1',
      value: String(state.day),
      id: 'danger-day',
      'aria-label': t('danger.day'),
    }) as HTMLInputElement;
    slider.addEventListener('input', () => {
      state.day = Number(slider.value);
      void loadDay();
    });
    const toggle = (key: 'danger.byTownship' | 'danger.byGrid', value: 'township' | 'grid') => {
      const b = h(
        'button',
        {
          type: 'button',
          class: 'toggle',
          'aria-pressed': String(state.level === value),
          'data-level-kind': value,
        },
        t(key),
      );
      b.addEventListener('click', () => {
        state.level = value;
        void loadDay();
      });
      return b;
    };
    const viewButton = h(
      'button',
      {
        type: 'button',
        class: 'toggle',
        id: 'danger-view',
        'aria-pressed': String(state.view === 'table'),
      },
      t(state.view === 'table' ? 'danger.map' : 'danger.table'),
    );
    viewButton.addEventListener('click', () => {
      state.view = state.view === 'table' ? 'map' : 'table';
      renderPanel();
    });
    const legend = h(
      'ul',
      { class: 'danger-legend' },
      ...LEVELS.map((l) =>
        h(
          'li',
          {},
          h('span', { class: 'swatch', style: `background:${colour(l)}` }),
          levelLabel(l),
        ),
      ),
    );
    const issued = state.rows[0]?.issuedAt ?? null;
    const children: Node[] = [
      h('h2', {}, t('danger.title')),
      h(
        'div',
        { class: 'danger-controls' },
        toggle('danger.byTownship', 'township'),
        toggle('danger.byGrid', 'grid'),
        viewButton,
      ),
      h('label', { class: 'danger-day' }, h('span', {}, `${t('danger.day')} ${dayDate()}`), slider),
      h(
        'p',
        { class: 'muted small' },
        `${t('danger.issued')} ${localTime(issued)} · ${s?.system === 'fwi' ? 'FWI' : 'LY/T 1172'}`,
      ),
      legend,
    ];
    if (state.view === 'table') {
      const rows = [...state.rows]
        .sort((a, b) => b.level - a.level || b.index - a.index)
        .slice(0, state.level === 'grid' ? 60 : 18);
      children.push(
        h(
          'table',
          { class: 'danger-table' },
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              h('th', {}, t('danger.place')),
              h('th', {}, t('danger.level')),
              h('th', {}, t('danger.index')),
              h('th', {}, 'FWI'),
            ),
          ),
          h(
            'tbody',
            {},
            ...rows.map((r) =>
              h(
                'tr',
                { 'data-code': r.code },
                h('td', {}, r.name),
                h(
                  'td',
                  {},
                  h('span', { class: 'swatch', style: `background:${colour(r.level)}` }),
                  DANGER_LEVEL_INFO[r.level].name,
                  flagBadge(r.level),
                ),
                h('td', {}, String(r.index)),
                h('td', {}, r.fwi.toFixed(1)),
              ),
            ),
          ),
        ),
      );
    }
    panel.replaceChildren(...children, formBox);
    panel.dataset.day = dayDate();
    panel.dataset.level = state.level;
    panel.dataset.ready = state.summary ? 'true' : 'false';
  }

  function renderBanner() {
    const now = live.now();
    const active = state.warnings.filter((w) => Date.parse(w.expiresAt) > now);
    const items: Node[] = active.map((w) =>
      h(
        'div',
        { class: `warning warning-${w.level}`, 'data-id': w.id },
        h('strong', {}, w.title),
        h(
          'span',
          {},
          ` ${w.townshipNames.join('、')} · ${t('warning.until')} ${localTime(w.expiresAt)}`,
        ),
      ),
    );
    if (
      state.summary?.suggestWarning &&
      active.every((w) => w.level === 'blue' || w.level === 'yellow')
    )
      items.push(h('div', { class: 'warning warning-suggest' }, t('danger.suggest')));
    banner.replaceChildren(...items);
    banner.hidden = items.length === 0;
  }

  async function loadDay() {
    const date = dayDate();
    if (!date) return;
    state.rows = await getJson<DangerRow[]>(`/api/fire-danger?date=${date}&level=${state.level}`);
    const show = state.view === 'map';
    map.setLayoutProperty(
      'danger-townships',
      'visibility',
      show && state.level === 'township' ? 'visible' : 'none',
    );
    map.setLayoutProperty(
      'danger-grids',
      'visibility',
      show && state.level === 'grid' ? 'visible' : 'none',
    );
    colourMap();
    renderPanel();
  }

  /** Each township's or grid's level colour as its feature state, which DANGER_FILL reads. */
  function colourMap() {
    for (const sourceLayer of ['townships', 'grids'])
      map.removeFeatureState({ source: 'county', sourceLayer });
    const sourceLayer = state.level === 'grid' ? 'grids' : 'townships';
    for (const r of state.rows)
      map.setFeatureState(
        { source: 'county', sourceLayer, id: r.code },
        { danger: colour(r.level) },
      );
  }
  // MapLibre builds its style again after a lost WebGL context or a restarted worker, and
  // feature states do not outlive that: the colours are set again on the new style.
  map.on('style.load', colourMap);

  async function refresh() {
    try {
      state.summary = await getJson<DangerSummary>('/api/fire-danger/summary');
      state.warnings = await getJson<WarningView[]>('/api/warnings');
      if (state.day >= state.summary.dates.length) state.day = 0;
      renderStrip();
      renderBanner();
      await loadDay();
    } catch (err) {
      console.warn(err);
      renderStrip();
    }
    (window as unknown as { __dangerReady: boolean }).__dangerReady = true;
  }

  live.onDangerUpdated(() => void refresh());
  live.onWarning((w) => {
    state.warnings = [w, ...state.warnings.filter((x) => x.id !== w.id)];
    renderBanner();
  });
  live.onChange(() => renderStrip());
  onLocaleChange(() => {
    renderStrip();
    renderPanel();
    renderBanner();
  });
  setInterval(() => {
    renderStrip();
    renderBanner();
  }, 60_000);
  renderPanel();
  void refresh();
  return { userChanged: refreshForm };
}
