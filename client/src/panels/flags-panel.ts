/**
 * 红黄黑旗 (issue 14): the month's flags as a map layer (townships or villages filled red,
 * yellow or black) and a league table 排行, with the assessment office's notes. The county
 * command centre and the supervision office read all of them, township and war-zone
 * commanders their own area's (the server decides); anyone else is told who may.
 */
import type { ExpressionSpecification, Map as MapLibreMap } from 'maplibre-gl';
import {
  type AreaFlag,
  eventChangesFlags,
  type FlagAnnotation,
  type FlagColour,
  type FlagLevel,
  leagueTable,
  shanghaiMonthOf,
} from '../../../server/domain/flags.ts';
import type { LiveEventShape } from '../../../server/domain/live-events.ts';
import { get, post } from '../api/http.ts';
import { onLocaleChange, t } from '../i18n/i18n.ts';
import type { MessageKey } from '../i18n/messages.ts';
import { h } from '../ui/dom.ts';

export const FLAG_FILL: Readonly<Record<FlagColour, string>> = {
  red: '#d32f2f',
  yellow: '#fbc02d',
  black: '#212121',
};

const LAYER = 'flags-fill';

export interface FlagsPanel {
  refresh(): Promise<void>;
  /** An incident event arrived: read the flags again (shortly) if it may change them. */
  incidentEvent(e: LiveEventShape): void;
  close(): void;
  onOpen(fn: () => void): void;
}

export function mountFlagsPanel(
  container: HTMLElement,
  toggle: HTMLButtonElement,
  map: MapLibreMap,
  canAnnotate: () => boolean,
): FlagsPanel {
  let open = false;
  let month = shanghaiMonthOf(new Date());
  let level: FlagLevel = 'township';
  let rows: AreaFlag[] = [];
  let notes: FlagAnnotation[] = [];
  let problem: MessageKey | null = null;
  const openListeners: (() => void)[] = [];

  // Under the boundary lines so they stay readable; hidden until the panel opens.
  const before = map.getLayer('villages-line') ? 'villages-line' : undefined;
  map.addLayer(
    {
      id: LAYER,
      type: 'fill',
      source: 'county',
      'source-layer': 'townships',
      layout: { visibility: 'none' },
      paint: { 'fill-color': '#000000', 'fill-opacity': 0.5 },
    },
    before,
  );

  const paintMap = () => {
    if (!open || rows.length === 0) {
      map.setLayoutProperty(LAYER, 'visibility', 'none');
      return;
    }
    // The source layer cannot change on a layer; villages get their own once asked for.
    const sourceLayer = level === 'township' ? 'townships' : 'villages';
    if (map.getLayer(LAYER)?.sourceLayer !== sourceLayer) {
      map.removeLayer(LAYER);
      map.addLayer(
        {
          id: LAYER,
          type: 'fill',
          source: 'county',
          'source-layer': sourceLayer,
          paint: { 'fill-color': '#000000', 'fill-opacity': 0.5 },
        },
        before,
      );
    }
    const colour: ExpressionSpecification = [
      'match',
      ['get', 'code'],
      ...rows.flatMap((r) => [r.code, FLAG_FILL[r.flag]]),
      'rgba(0,0,0,0)',
    ] as unknown as ExpressionSpecification;
    map.setPaintProperty(LAYER, 'fill-color', colour);
    map.setLayoutProperty(LAYER, 'visibility', 'visible');
  };

  async function load() {
    problem = null;
    const q = `month=${month}&level=${level}`;
    const res = await get<AreaFlag[]>(`/api/flags?${q}`);
    if (res.status === 401 || res.status === 403) {
      rows = [];
      notes = [];
      problem = 'flags.denied';
    } else if (!res.ok) {
      rows = [];
      problem = 'flags.error';
    } else {
      rows = res.value;
      const n = await get<FlagAnnotation[]>(`/api/flags/annotations?${q}`);
      notes = n.ok ? n.value : [];
    }
    render();
    paintMap();
  }

  async function annotate(code: string, note: string): Promise<string | null> {
    const res = await post('/api/flags/annotations', { month, level, code, note });
    if (!res.ok) return res.message;
    await load();
    return null;
  }

  const renderToggle = () => {
    toggle.textContent = t('flags.button');
    toggle.setAttribute('aria-pressed', String(open));
  };

  function render() {
    renderToggle();
    container.hidden = !open;
    if (!open) return;
    const close = h(
      'button',
      { type: 'button', class: 'close', 'aria-label': t('card.close') },
      '×',
    );
    close.addEventListener('click', () => api.close());
    const monthInput = h('input', { type: 'month', id: 'flags-month', value: month });
    monthInput.addEventListener('change', () => {
      if (/^\d{4}-\d{2}$/.test(monthInput.value)) {
        month = monthInput.value;
        void load();
      }
    });
    const levelSelect = h(
      'select',
      { id: 'flags-level' },
      h('option', { value: 'township' }, t('flags.township')),
      h('option', { value: 'village' }, t('flags.village')),
    );
    levelSelect.value = level;
    levelSelect.addEventListener('change', () => {
      level = levelSelect.value as FlagLevel;
      void load();
    });
    const header = h(
      'header',
      {},
      h(
        'div',
        {},
        h('p', { class: 'kind' }, t('flags.kind')),
        h('h2', { tabindex: '-1' }, t('flags.title')),
      ),
      close,
    );
    const controls = h(
      'p',
      { class: 'flags-controls' },
      h('label', { for: 'flags-month' }, `${t('flags.month')} `),
      monthInput,
      ' ',
      levelSelect,
    );
    if (problem) {
      container.replaceChildren(header, controls, h('p', { class: 'error' }, t(problem)));
      container.dataset.ready = 'true';
      return;
    }
    const count = (f: FlagColour) => rows.filter((r) => r.flag === f).length;
    const summary = h(
      'p',
      { class: 'flags-summary' },
      ...(['red', 'yellow', 'black'] as const).map((f) =>
        h(
          'span',
          { class: `flag-chip flag-${f}`, 'data-flag': f },
          `${t(`flags.${f}`)} ${count(f)}`,
        ),
      ),
    );
    const notesOf = (code: string) => notes.filter((n) => n.code === code);
    const table = h(
      'table',
      { class: 'flags-league', id: 'flags-league' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', {}, t('flags.rank')),
          h('th', {}, t('flags.area')),
          h('th', {}, t('flags.fires')),
          h('th', {}, t('flags.flag')),
        ),
      ),
      h(
        'tbody',
        {},
        ...leagueTable(rows).map((r) =>
          h(
            'tr',
            { 'data-code': r.code, 'data-flag': r.flag },
            h('td', { class: 'rank' }, r.rank),
            h(
              'td',
              {},
              r.name,
              ...notesOf(r.code).map((n) =>
                h('div', { class: 'small muted note' }, `✎ ${n.note} (${n.author})`),
              ),
            ),
            h('td', { class: 'fires' }, r.fires),
            h('td', {}, h('span', { class: `flag-chip flag-${r.flag}` }, t(`flags.${r.flag}`))),
          ),
        ),
      ),
    );
    const exports = h(
      'p',
      { class: 'flags-exports small' },
      h(
        'a',
        { href: `/api/assessments.xlsx?period=${month}`, id: 'flags-xlsx', download: '' },
        t('flags.xlsx'),
      ),
      ' · ',
      h(
        'a',
        { href: `/api/assessments/print?period=${month}`, id: 'flags-print', target: '_blank' },
        t('flags.print'),
      ),
    );
    const parts: Node[] = [header, controls, summary, table, exports];
    if (canAnnotate()) parts.push(noteForm());
    parts.push(h('p', { class: 'muted small' }, t('flags.rule')));
    container.replaceChildren(...parts);
    container.dataset.ready = 'true';
  }

  function noteForm(): HTMLElement {
    const area = h(
      'select',
      { id: 'flags-note-area', 'aria-label': t('flags.area') },
      ...rows.map((r) => h('option', { value: r.code }, r.name)),
    );
    const text = h('input', {
      id: 'flags-note-text',
      type: 'text',
      maxlength: '2000',
      placeholder: t('flags.notePlaceholder'),
    });
    const send = h('button', { type: 'submit' }, t('flags.annotate'));
    const status = h('span', { class: 'error small', role: 'status' });
    const form = h('form', { class: 'flags-note' }, area, text, send, status);
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      void annotate(area.value, text.value).then((err) => {
        status.textContent = err ?? '';
      });
    });
    return form;
  }

  let again: ReturnType<typeof setTimeout> | undefined;
  const api: FlagsPanel = {
    async refresh() {
      if (open) await load();
    },
    incidentEvent(e) {
      if (!open || !eventChangesFlags(e)) return;
      // A burst of confirmations reads the flags once.
      clearTimeout(again);
      again = setTimeout(() => void api.refresh(), 1500);
    },
    close() {
      open = false;
      render();
      paintMap();
    },
    onOpen(fn) {
      openListeners.push(fn);
    },
  };

  toggle.addEventListener('click', () => {
    if (open) {
      api.close();
      return;
    }
    open = true;
    for (const fn of openListeners) fn();
    render();
    void load();
  });
  renderToggle();
  onLocaleChange(render);
  return api;
}
