/**
 * 蔓延推演 (fire spread): pick a point (the 蔓延推演 button then a click) or take the selected
 * incident, type the wind, and the server draws the fire's perimeters at +10/+20/+30/+60
 * minutes and on to 3 h over the terrain and fuels; the panel says which model drew them,
 * which villages, key areas and roads the fire reaches and when, and at each the fastest
 * crews' arrival times, marked before or after the fire. Changing the wind, the horizon, the model or the barriers recomputes at once. The
 * form is built once, so what the commander typed survives every redraw. Left empty, the wind
 * speed and direction are the day's weather on record; the panel says where each came from
 * (风向: 观测 with the station and time, 预报, 指挥员输入, or 假定北风 when nothing gives one).
 */
import type { Feature, FeatureCollection, MultiPolygon } from 'geojson';
import type { GeoJSONSource, Map as MapLibreMap } from 'maplibre-gl';
import type { SpreadAnswer, SpreadPlace } from '../../../server/contract/spread.ts';
import { LABEL_FONT } from '../../../server/domain/map-palette.ts';
import { get } from '../api/http.ts';
import { locale, onLocaleChange, t, tn } from '../i18n/i18n.ts';
import { aboutMinutes, formatSpan, localTime } from '../live/countdown.ts';
import { h } from '../ui/dom.ts';

/** Perimeter colours from the first ten minutes (yellow) to three hours (dark red). */
const COLOURS: Record<number, string> = {
  10: '#fdd835',
  20: '#fb8c00',
  30: '#e53935',
  60: '#b71c1c',
  120: '#7b1fa2',
  180: '#4a148c',
};
const colourOf = (m: number) => COLOURS[m] ?? '#6d4c41';

/**
 * The perimeter's vertex farthest along the head direction (degrees from north) from the
 * ignition: where its label goes.
 */
function headVertex(
  f: Feature<MultiPolygon>,
  [lon0, lat0]: [number, number],
  azimuthDeg: number,
): [number, number] {
  const a = (azimuthDeg * Math.PI) / 180;
  const k = Math.cos((lat0 * Math.PI) / 180);
  let best: [number, number] = [lon0, lat0];
  let bestAlong = Number.NEGATIVE_INFINITY;
  for (const polygon of f.geometry.coordinates)
    for (const [lon, lat] of polygon[0] ?? []) {
      const along =
        ((lon as number) - lon0) * k * Math.sin(a) + ((lat as number) - lat0) * Math.cos(a);
      if (along > bestAlong) {
        bestAlong = along;
        best = [lon as number, lat as number];
      }
    }
  return best;
}

/** The eight directions the form offers, 45° apart from north (spread.dir.* names them). */
const DIRS = ['N', 'NE', 'E', 'SE', 'S', 'SW', 'W', 'NW'] as const;

/**
 * 风向: the direction's name (the nearest of the eight) and degrees, and where it came from:
 * 观测/预报 with the station (or township) and time, 指挥员输入, or 假定北风.
 */
export function windLine(a: Pick<SpreadAnswer, 'windFromDeg' | 'sources'>): string {
  const name = t(`spread.dir.${DIRS[Math.round(a.windFromDeg / 45) % 8] ?? 'N'}`);
  const from = a.sources.windDirectionFrom;
  const source =
    (a.sources.windDirection === 'observed' || a.sources.windDirection === 'forecast') && from
      ? `${t(`spread.windDirSource.${a.sources.windDirection}`)} ${from.name ?? from.stationId ?? from.townshipCode ?? ''} ${localTime(from.issuedAt)}`
      : t(`spread.windDirSource.${a.sources.windDirection}`);
  return `${t('spread.windFrom')} ${name} ${Math.round(a.windFromDeg * 10) / 10}° (${source})`;
}

export interface SpreadPanel {
  isPicking(): boolean;
  /** The selected incident, whose point the panel can spread from. */
  setIncident(location: [number, number] | null): void;
  onOpen(fn: () => void): void;
  close(): void;
}

export function mountSpreadPanel(
  container: HTMLElement,
  toggle: HTMLButtonElement,
  map: MapLibreMap,
): SpreadPanel {
  let picking = false;
  let origin: [number, number] | null = null;
  let incident: [number, number] | null = null;
  let answer: SpreadAnswer | null = null;
  let state: 'idle' | 'busy' | 'error' = 'idle';
  let errorText = '';
  let request = 0;
  const openListeners: (() => void)[] = [];

  const empty: FeatureCollection = { type: 'FeatureCollection', features: [] };
  map.addSource('spread-perimeters', { type: 'geojson', data: empty });
  map.addSource('spread-origin', { type: 'geojson', data: empty });
  map.addLayer({
    id: 'spread-fill',
    type: 'fill',
    source: 'spread-perimeters',
    paint: { 'fill-color': ['get', 'colour'], 'fill-opacity': 0.12 },
  });
  map.addLayer({
    id: 'spread-line',
    type: 'line',
    source: 'spread-perimeters',
    paint: { 'line-color': ['get', 'colour'], 'line-width': 2.5, 'line-dasharray': [3, 1] },
  });
  // Each perimeter says its time and which model drew it (issue 15, item 2: the map says
  // which model drew the perimeter), at the perimeter's head, where the nested lines lie
  // farthest apart. Not along the line: MapLibre drops line-placed labels holding Chinese
  // text when it draws glyphs itself (no glyph server offline), seen with maplibre-gl 6.17.
  map.addSource('spread-labels', { type: 'geojson', data: empty });
  map.addLayer({
    id: 'spread-label',
    type: 'symbol',
    source: 'spread-labels',
    layout: {
      'text-field': ['get', 'label'],
      'text-font': LABEL_FONT,
      'text-size': 12,
      // One line: "+10 分钟 · Rothermel" broke after the dot.
      'text-max-width': 30,
      // The outermost first, so at low zoom the widest perimeter keeps its label.
      'symbol-sort-key': ['-', 0, ['get', 'minutes']],
    },
    // Dark on a white halo: the 10-minute yellow was unreadable over the fill.
    paint: {
      'text-color': '#3e1308',
      'text-halo-color': '#ffffff',
      'text-halo-width': 2,
    },
  });
  map.addLayer({
    id: 'spread-origin',
    type: 'circle',
    source: 'spread-origin',
    paint: {
      'circle-radius': 7,
      'circle-color': '#b71c1c',
      'circle-stroke-color': '#fff',
      'circle-stroke-width': 2,
    },
  });

  // The form, built once.
  const wind = h('input', {
    type: 'number',
    min: '0',
    max: '40',
    step: '0.5',
    value: '',
    name: 'windMs',
  });
  // Empty (the first option): the direction on record for the day.
  const windFrom = h(
    'select',
    { name: 'windFromDeg' },
    h('option', { value: '' }, ''),
    ...DIRS.map((_, i) => h('option', { value: String(i * 45) }, '')),
  );
  windFrom.value = '';
  const horizon = h(
    'select',
    { name: 'minutes' },
    ...[30, 60, 120, 180].map((m) => h('option', { value: String(m) }, '')),
  );
  horizon.value = '60';
  const model = h(
    'select',
    { name: 'model' },
    h('option', { value: '' }, ''),
    h('option', { value: 'rothermel' }, ''),
    h('option', { value: 'wang' }, ''),
  );
  const barriers = h('input', { type: 'checkbox', name: 'barriers', checked: '' });
  const fromIncident = h('button', { type: 'button', class: 'secondary' }, '');
  const labels = {
    wind: h('span', {}, ''),
    windFrom: h('span', {}, ''),
    horizon: h('span', {}, ''),
    model: h('span', {}, ''),
    barriers: h('span', {}, ''),
  };
  const form = h(
    'form',
    { class: 'spread-form' },
    h('label', {}, labels.wind, wind),
    h('label', {}, labels.windFrom, windFrom),
    h('label', {}, labels.horizon, horizon),
    h('label', {}, labels.model, model),
    h('label', { class: 'check' }, barriers, labels.barriers),
    fromIncident,
  );
  const kind = h('p', { class: 'kind' }, '');
  const title = h('h2', { tabindex: '-1' }, '');
  const closeButton = h('button', { type: 'button', class: 'close' }, '×');
  const results = h('div', { class: 'spread-results' });
  container.replaceChildren(h('header', {}, h('div', {}, kind, title), closeButton), form, results);

  const renderStatic = () => {
    toggle.textContent = t('spread.button');
    toggle.title = t('spread.hint');
    kind.textContent = t('spread.title');
    title.textContent = t('spread.heading');
    closeButton.setAttribute('aria-label', t('card.close'));
    labels.wind.textContent = t('spread.windMs');
    wind.placeholder = t('spread.windAuto');
    labels.windFrom.textContent = t('spread.windFrom');
    labels.horizon.textContent = t('spread.horizon');
    labels.model.textContent = t('spread.model');
    labels.barriers.textContent = t('spread.barriers');
    windFrom.querySelectorAll('option').forEach((o) => {
      o.textContent =
        o.value === ''
          ? t('spread.dir.auto')
          : t(`spread.dir.${DIRS[Number(o.value) / 45] ?? 'N'}`);
    });
    horizon.querySelectorAll('option').forEach((o) => {
      o.textContent = `${o.value} ${t('reach.minutes')}`;
    });
    const names = [t('spread.model.default'), t('spread.model.rothermel'), t('spread.model.wang')];
    model.querySelectorAll('option').forEach((o, i) => {
      o.textContent = names[i] ?? '';
    });
    fromIncident.textContent = t('spread.fromIncident');
    fromIncident.disabled = incident === null;
  };

  const placeKind = (p: SpreadPlace) => t(`spread.place.${p.kind}`);
  // How many crews beat the fire there, then the three fastest, each marked before or late.
  const crewsCell = (p: SpreadPlace): (HTMLElement | string)[] => {
    if (p.crews === null) return [];
    const zh = locale() === 'zh-CN';
    const count = p.crewsBeforeCount ?? 0;
    return [
      h(
        'span',
        { class: count > 0 ? 'count' : 'count none' },
        count > 0 ? tn('spread.crewsFirst', count) : t('spread.noCrewFirst'),
      ),
      ...p.crews.slice(0, 3).map((c) =>
        h(
          'span',
          {
            class: c.beforeFire ? 'crew before' : 'crew late',
            'data-crew': c.id,
            'data-before-fire': String(c.beforeFire),
          },
          `${c.beforeFire ? '✓' : '✗'} ${c.name ?? c.id} ${aboutMinutes(c.seconds, zh)}` +
            (c.beforeFire ? '' : ` (${t('spread.afterFire')})`),
        ),
      ),
    ];
  };
  const render = () => {
    container.hidden = origin === null && state === 'idle';
    if (state === 'busy') {
      results.replaceChildren(h('p', { class: 'muted', role: 'status' }, t('reach.computing')));
      container.dataset.ready = 'false';
      return;
    }
    if (state === 'error' || !answer) {
      results.replaceChildren(h('p', { class: 'error' }, errorText || t('spread.pick')));
      return;
    }
    const a = answer;
    const modelName = a.model === 'wang' ? t('spread.model.wang') : t('spread.model.rothermel');
    results.replaceChildren(
      h('p', { class: 'summary' }, `${t('spread.drawnBy')} ${modelName}`),
      h(
        'p',
        { class: 'muted small' },
        `${t('spread.windMs')} ${a.windMs.toFixed(1)} (${t(`spread.source.${a.sources.wind}`)}) · ` +
          `${t('spread.fineMoisture')} ${(a.moisture.d1h * 100).toFixed(1)}% (${
            a.ffmc === null ? t(`spread.source.${a.sources.moisture}`) : `FFMC ${a.ffmc.toFixed(1)}`
          })`,
      ),
      h('p', { class: 'muted small', 'data-wind-direction': a.sources.windDirection }, windLine(a)),
      h(
        'p',
        { class: 'muted small' },
        `${t('spread.head')} ${a.head.rosMMin.toFixed(1)} m/min · ${Math.round(a.head.azimuthDeg)}°`,
      ),
      h(
        'p',
        { class: 'legend small' },
        ...a.perimeters.features.map((f) =>
          h(
            'span',
            { class: 'ring', style: `--ring:${colourOf(f.properties.minutes)}` },
            `+${f.properties.minutes} ${t('reach.minutes')} ${f.properties.areaHa} ha`,
          ),
        ),
      ),
      h('h3', {}, t('spread.reaches')),
      a.places.length === 0
        ? h('p', { class: 'muted' }, t('spread.noPlaces'))
        : h(
            'table',
            { class: 'spread-places' },
            h(
              'tbody',
              {},
              ...a.places.slice(0, 12).map((p) =>
                h(
                  'tr',
                  { 'data-place': p.id },
                  h(
                    'td',
                    { class: 'name' },
                    p.name,
                    h('span', { class: 'muted' }, ` ${placeKind(p)}`),
                  ),
                  // When the fire gets there, rounded down (never promising more time than there is).
                  h('td', { class: 'time' }, formatSpan(p.minutes * 60_000, locale() === 'zh-CN')),
                  h('td', { class: 'crews' }, ...crewsCell(p)),
                ),
              ),
            ),
          ),
      h('p', { class: 'muted small' }, t('spread.caveat')),
    );
    container.dataset.ready = 'true';
  };

  const clearPerimeters = () => {
    (map.getSource('spread-perimeters') as GeoJSONSource).setData(empty);
    (map.getSource('spread-labels') as GeoJSONSource).setData(empty);
  };

  /**
   * The answer's perimeters on the map, widest first so the earlier ones lie on top, their
   * labels, and the fire's mark moved to the cell centre the engine lit (up to half a cell
   * from the click).
   */
  function drawPerimeters() {
    if (!answer) return;
    (map.getSource('spread-origin') as GeoJSONSource).setData({
      type: 'Feature',
      properties: {},
      geometry: { type: 'Point', coordinates: answer.ignition },
    });
    const by = t(`spread.model.short.${answer.model}`);
    const features: Feature[] = [...answer.perimeters.features].reverse().map((f) => ({
      ...f,
      properties: {
        ...f.properties,
        colour: colourOf(f.properties.minutes),
        label: `+${f.properties.minutes} ${t('reach.minutes')} · ${by}`,
      },
    }));
    (map.getSource('spread-perimeters') as GeoJSONSource).setData({
      type: 'FeatureCollection',
      features,
    });
    (map.getSource('spread-labels') as GeoJSONSource).setData({
      type: 'FeatureCollection',
      features: features.map((f) => ({
        type: 'Feature',
        properties: f.properties,
        geometry: {
          type: 'Point',
          coordinates: headVertex(
            f as Feature<MultiPolygon>,
            (answer as SpreadAnswer).ignition,
            (answer as SpreadAnswer).head.azimuthDeg,
          ),
        },
      })),
    });
  }

  async function compute() {
    if (!origin) return;
    const mine = ++request;
    state = 'busy';
    render();
    const [lon, lat] = origin;
    (map.getSource('spread-origin') as GeoJSONSource).setData({
      type: 'Feature',
      properties: {},
      geometry: { type: 'Point', coordinates: [lon, lat] },
    });
    const q = new URLSearchParams({
      lon: lon.toFixed(6),
      lat: lat.toFixed(6),
      minutes: horizon.value,
      barriers: String(barriers.checked),
    });
    // Empty: the server reads the day's direction on record.
    if (windFrom.value !== '') q.set('windFromDeg', windFrom.value);
    if (model.value) q.set('model', model.value);
    // Empty: the server reads the day's maximum wind on record.
    if (wind.value.trim() !== '')
      q.set('windMs', String(Math.min(40, Math.max(0, Number(wind.value) || 0))));
    try {
      const res = await get<SpreadAnswer>(`/api/spread?${q}`);
      if (mine !== request) return;
      if (!res.ok) {
        errorText =
          res.status === 401
            ? t('spread.signIn')
            : res.status === 0
              ? t('reach.error')
              : res.message;
        state = 'error';
        answer = null;
        clearPerimeters();
        render();
        return;
      }
      answer = res.value;
      state = 'idle';
      drawPerimeters();
      render();
      // The left column scrolls: bring the answer into view below the layer list.
      container.scrollIntoView({ block: 'nearest' });
    } catch (err) {
      if (mine !== request) return;
      console.warn(err);
      errorText = t('reach.error');
      state = 'error';
      render();
    }
  }

  const setPicking = (on: boolean) => {
    picking = on;
    toggle.setAttribute('aria-pressed', String(on));
    map.getCanvas().style.cursor = on ? 'crosshair' : '';
    if (on) {
      for (const fn of openListeners) fn();
      container.hidden = false;
      if (!answer && state !== 'busy')
        results.replaceChildren(h('p', { class: 'muted' }, t('spread.pick')));
    }
  };
  const startAt = (lonLat: [number, number]) => {
    origin = lonLat;
    setPicking(false);
    for (const fn of openListeners) fn();
    void compute();
  };

  const api: SpreadPanel = {
    isPicking: () => picking,
    setIncident(location) {
      incident = location;
      fromIncident.disabled = incident === null;
    },
    onOpen(fn) {
      openListeners.push(fn);
    },
    close() {
      request++;
      origin = null;
      answer = null;
      state = 'idle';
      setPicking(false);
      clearPerimeters();
      (map.getSource('spread-origin') as GeoJSONSource).setData(empty);
      container.hidden = true;
    },
  };

  toggle.addEventListener('click', () => setPicking(!picking));
  closeButton.addEventListener('click', () => api.close());
  fromIncident.addEventListener('click', () => {
    if (incident) startAt(incident);
  });
  form.addEventListener('submit', (e) => e.preventDefault());
  form.addEventListener('change', () => void compute());
  map.on('click', (e) => {
    if (picking) startAt([e.lngLat.lng, e.lngLat.lat]);
  });
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && picking) setPicking(false);
  });
  renderStatic();
  onLocaleChange(() => {
    renderStatic();
    render();
    drawPerimeters();
  });
  container.hidden = true;
  return api;
}
