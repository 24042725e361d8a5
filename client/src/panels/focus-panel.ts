/**
 * Focus on a war zone (战区) or township: the map frames it, everything else is dimmed
 * (style layer `focus-dim`), and the panel shows what the area holds — grids, crews and
 * members, equipment, reservoirs and lookouts.
 */
import type { FilterSpecification, Map as MapLibreMap } from 'maplibre-gl';
import type { AreaStats, WarZones } from '../../../server/contract/cards.ts';
import { getJson } from '../api/http.ts';
import { forCounty } from '../county-choice.ts';
import { onLocaleChange, t, tValue } from '../i18n/i18n.ts';
import type { MessageKey } from '../i18n/messages.ts';
import { fmt, h } from '../ui/dom.ts';

export type Focus = { kind: 'war_zone'; id: number } | { kind: 'township'; code: string } | null;

const NOTHING: FilterSpecification = ['==', ['get', 'code'], ''];

export interface FocusPanel {
  focus(focus: Focus): Promise<void>;
}

export async function mountFocusPanel(
  container: HTMLElement,
  map: MapLibreMap,
  countyBounds: [number, number, number, number],
): Promise<FocusPanel> {
  const { warZones } = await getJson<WarZones>(forCounty('/api/war-zones'));
  const title = h('h2', { id: 'focus-title' });
  const select = h('select', { id: 'focus-select', 'aria-labelledby': 'focus-title' });
  const stats = h('div', { class: 'stats', 'aria-live': 'polite' });
  container.append(title, select, stats);
  let current: AreaStats | null = null;

  const renderSelect = () => {
    title.textContent = t('focus.title');
    const value = select.value;
    select.replaceChildren(
      h('option', { value: '' }, t('focus.all')),
      ...warZones.map((z) =>
        h(
          'optgroup',
          { label: z.name },
          h('option', { value: `zone:${z.id}` }, z.name),
          ...z.townships.map((tw) => h('option', { value: `town:${tw.code}` }, `  ${tw.name}`)),
        ),
      ),
    );
    select.value = value;
  };

  const renderStats = () => {
    if (!current) {
      stats.replaceChildren();
      return;
    }
    const cell = (k: MessageKey, v: number) =>
      h(
        'div',
        { class: 'stat' },
        h('span', { class: 'value' }, fmt(v)),
        h('span', { class: 'label' }, t(k)),
      );
    const equipment = Object.entries(current.equipment)
      .filter(([, n]) => n > 0)
      .map(([k, n]) => `${tValue('equipment', k)} ${fmt(n)}`)
      .join(' · ');
    stats.replaceChildren(
      h('h3', {}, current.name),
      h(
        'div',
        { class: 'stat-grid' },
        cell('stats.grids', current.grids),
        cell('stats.crews', current.crews),
        cell('stats.members', current.members),
        cell('stats.reservoirs', current.reservoirs),
        cell('stats.waterSources', current.waterSources),
        cell('stats.lookouts', current.lookouts),
        current.kind === 'war_zone' ? cell('stats.townships', current.townships) : null,
        cell('stats.villages', current.villages),
      ),
      h('p', { class: 'small' }, h('strong', {}, `${t('stats.equipment')}: `), equipment || '—'),
      h('p', { class: 'muted small' }, t('stats.countyUnits')),
    );
  };

  const api: FocusPanel = {
    async focus(focus) {
      if (!focus) {
        current = null;
        select.value = '';
        map.setFilter('focus-dim', NOTHING);
        renderStats();
        map.fitBounds(countyBounds, { padding: 40 });
        return;
      }
      const url =
        focus.kind === 'war_zone'
          ? `/api/war-zones/${focus.id}/stats`
          : `/api/townships/${focus.code}/stats`;
      current = await getJson<AreaStats>(url);
      select.value = focus.kind === 'war_zone' ? `zone:${focus.id}` : `town:${focus.code}`;
      map.setFilter(
        'focus-dim',
        focus.kind === 'war_zone'
          ? ['!=', ['get', 'war_zone_id'], focus.id]
          : ['!=', ['get', 'code'], focus.code],
      );
      renderStats();
      map.fitBounds(current.bbox, { padding: 60, duration: 800 });
    },
  };

  select.addEventListener('change', () => {
    const [kind, id] = select.value.split(':');
    if (kind === 'zone') void api.focus({ kind: 'war_zone', id: Number(id) });
    else if (kind === 'town' && id) void api.focus({ kind: 'township', code: id });
    else void api.focus(null);
  });
  renderSelect();
  onLocaleChange(() => {
    renderSelect();
    renderStats();
  });
  return api;
}
