/**
 * 可达分析: pick a point (the 可达分析 button then a click, a right-click, or Enter for the
 * map centre) and the worker computes every crew's travel time; the map draws the 10/20/30
 * minute areas and the panel lists crews ranked with their times against the 10-minute
 * target, and the nearest water and firebreaks.
 */
import type { GeoJSONSource, Map as MapLibreMap } from 'maplibre-gl';
import { PALETTE } from '../../../server/domain/map-palette.ts';
import type { ReachAnswer } from '../../../server/domain/reach/reach-engine.ts';
import { locale, onLocaleChange, t, tValue } from '../i18n/i18n.ts';
import { aboutMinutes } from '../live/countdown.ts';
import { ReachClient } from '../reach/reach-client.ts';
import { h } from '../ui/dom.ts';

/** 10 green, 20 dark yellow, 30 violet (PALETTE.reach): red and orange are kept for fires. */
const RING_COLOURS: Record<number, string> = PALETTE.reach;
const SHOWN_CREWS = 10;

export interface ReachPanel {
  isPicking(): boolean;
  /** Rings on the map and the answer, without opening the panel (for an incident's card). */
  ringsFor(lon: number, lat: number): Promise<ReachAnswer | null>;
  clearRings(): void;
  computeAt(lon: number, lat: number): Promise<void>;
  onOpen(fn: () => void): void;
  close(): void;
}

export function mountReachPanel(
  container: HTMLElement,
  toggle: HTMLButtonElement,
  map: MapLibreMap,
): ReachPanel {
  const client = new ReachClient();
  let picking = false;
  let answer: ReachAnswer | null = null;
  let ms = 0;
  let state: 'idle' | 'busy' | 'error' = 'idle';
  const openListeners: (() => void)[] = [];

  const empty = { type: 'FeatureCollection' as const, features: [] };
  map.addSource('reach-isochrones', { type: 'geojson', data: empty });
  map.addSource('reach-origin', { type: 'geojson', data: empty });
  const before = map.getLayer('water-sources') ? 'water-sources' : undefined;
  for (const minutes of [30, 20, 10]) {
    map.addLayer(
      {
        id: `reach-${minutes}`,
        type: 'fill',
        source: 'reach-isochrones',
        filter: ['==', ['get', 'minutes'], minutes],
        paint: { 'fill-color': RING_COLOURS[minutes] as string, 'fill-opacity': 0.22 },
      },
      before,
    );
    map.addLayer(
      {
        id: `reach-${minutes}-line`,
        type: 'line',
        source: 'reach-isochrones',
        filter: ['==', ['get', 'minutes'], minutes],
        paint: { 'line-color': RING_COLOURS[minutes] as string, 'line-width': 2 },
      },
      before,
    );
  }
  map.addLayer({
    id: 'reach-origin',
    type: 'circle',
    source: 'reach-origin',
    paint: {
      'circle-radius': 8,
      'circle-color': '#d9480f',
      'circle-stroke-color': '#ffffff',
      'circle-stroke-width': 2.5,
    },
  });

  const setPicking = (on: boolean) => {
    picking = on;
    toggle.setAttribute('aria-pressed', String(on));
    map.getCanvas().style.cursor = on ? 'crosshair' : '';
    renderToggle();
  };
  const renderToggle = () => {
    toggle.textContent = t('reach.button');
    toggle.title = t('reach.hint');
  };

  const render = () => {
    if (state === 'idle' && !answer) {
      container.hidden = true;
      return;
    }
    container.hidden = false;
    const close = h(
      'button',
      { type: 'button', class: 'close', 'aria-label': t('card.close') },
      '×',
    );
    close.addEventListener('click', () => api.close());
    const header = h(
      'header',
      {},
      h(
        'div',
        {},
        h('p', { class: 'kind' }, t('reach.title')),
        h('h2', { tabindex: '-1' }, t('reach.ranked')),
      ),
      close,
    );
    if (state === 'busy') {
      container.replaceChildren(
        header,
        h('p', { class: 'muted', role: 'status' }, t('reach.computing')),
      );
      container.dataset.ready = 'false';
      return;
    }
    if (state === 'error' || !answer) {
      container.replaceChildren(header, h('p', { class: 'error' }, t('reach.error')));
      return;
    }
    const a = answer;
    const meets = a.crews.filter((c) => c.meetsTarget).length;
    const rows = a.crews.slice(0, SHOWN_CREWS).map((c) =>
      h(
        'tr',
        { class: c.meetsTarget ? 'meets' : 'late', 'data-crew': c.id },
        h(
          'td',
          { class: 'name' },
          c.name ?? c.id,
          h('span', { class: 'muted' }, ` ${tValue('level', c.level ?? '')}`),
        ),
        h(
          'td',
          {
            class: 'time',
            ...(c.seconds === null ? {} : { 'data-seconds': String(Math.round(c.seconds)) }),
          },
          c.seconds === null ? '—' : aboutMinutes(c.seconds, locale() === 'zh-CN'),
        ),
        h('td', { class: 'badge' }, c.meetsTarget ? '✓' : '✗'),
      ),
    );
    container.replaceChildren(
      header,
      h(
        'p',
        { class: 'summary' },
        `${t('reach.meets')} ${meets} / ${a.crews.length}`,
        h('span', { class: 'muted small' }, ` · ${t('reach.computedIn')} ${Math.round(ms)} ms`),
      ),
      h('table', { class: 'reach-crews' }, h('tbody', {}, ...rows)),
      h(
        'p',
        { class: 'legend small' },
        ...[10, 20, 30].map((m) =>
          h(
            'span',
            { class: 'ring', style: `--ring:${RING_COLOURS[m]}` },
            `${m} ${t('reach.minutes')}`,
          ),
        ),
      ),
      h('h3', {}, t('card.nearWater')),
      h(
        'ul',
        { class: 'near' },
        ...a.waterSources
          .slice(0, 3)
          .map((w) =>
            h(
              'li',
              {},
              h('span', {}, w.name ?? w.id),
              h('span', { class: 'dist' }, aboutMinutes(w.seconds, locale() === 'zh-CN')),
            ),
          ),
      ),
      h('h3', {}, t('card.nearFirebreaks')),
      a.firebreaks.length === 0
        ? h('p', { class: 'muted' }, t('card.none'))
        : h(
            'ul',
            { class: 'near' },
            ...a.firebreaks
              .slice(0, 2)
              .map((f) =>
                h(
                  'li',
                  {},
                  h('span', {}, f.name ?? f.id),
                  h('span', { class: 'dist' }, aboutMinutes(f.seconds, locale() === 'zh-CN')),
                ),
              ),
          ),
    );
    container.dataset.ready = 'true';
  };

  /** Marks the point, asks the worker, draws the rings; null when it could not answer. */
  async function draw(lon: number, lat: number) {
    (map.getSource('reach-origin') as GeoJSONSource).setData({
      type: 'Feature',
      properties: {},
      geometry: { type: 'Point', coordinates: [lon, lat] },
    });
    try {
      const result = await client.compute(lon, lat);
      (map.getSource('reach-isochrones') as GeoJSONSource).setData(result.answer.isochrones);
      return result;
    } catch (err) {
      console.warn(err);
      return null;
    }
  }
  function clearRings() {
    (map.getSource('reach-isochrones') as GeoJSONSource).setData(empty);
    (map.getSource('reach-origin') as GeoJSONSource).setData(empty);
  }

  const api: ReachPanel = {
    isPicking: () => picking,
    async ringsFor(lon, lat) {
      return (await draw(lon, lat))?.answer ?? null;
    },
    clearRings,
    async computeAt(lon, lat) {
      setPicking(false);
      state = 'busy';
      answer = null;
      for (const fn of openListeners) fn();
      render();
      const result = await draw(lon, lat);
      answer = result?.answer ?? null;
      ms = result?.ms ?? 0;
      state = result ? 'idle' : 'error';
      render();
    },
    onOpen(fn) {
      openListeners.push(fn);
    },
    close() {
      answer = null;
      state = 'idle';
      clearRings();
      render();
    },
  };

  toggle.addEventListener('click', () => setPicking(!picking));
  map.on('click', (e) => {
    if (picking) void api.computeAt(e.lngLat.lng, e.lngLat.lat);
  });
  map.on('contextmenu', (e) => {
    e.preventDefault();
    void api.computeAt(e.lngLat.lng, e.lngLat.lat);
  });
  document.addEventListener('keydown', (e) => {
    if (!picking) return;
    if (e.key === 'Enter') {
      e.preventDefault();
      const c = map.getCenter();
      void api.computeAt(c.lng, c.lat);
    } else if (e.key === 'Escape') setPicking(false);
  });
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && !picking) api.close();
  });
  renderToggle();
  onLocaleChange(() => {
    renderToggle();
    render();
  });
  render();
  return api;
}
