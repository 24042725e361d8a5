/**
 * The card on the right of the command map: a grid (its place, land, risk, what is near and
 * its roster 格中定人, led by any fire burning in it), a lookout, a water source or a crew. Esc or the close button hides
 * it; focus moves into the card when it opens so a keyboard user lands on it.
 */

import type { GridCard, GridFire, Nearby } from '../../../server/contract/cards.ts';
import type { GridDanger, GridDangerDay } from '../../../server/contract/danger.ts';
import { DANGER_LEVEL_INFO } from '../../../server/domain/fire-danger/lyt1172.ts';
import { getJson } from '../api/http.ts';
import { flagBadge } from '../danger/flag-badge.ts';
import { onLocaleChange, t, tValue } from '../i18n/i18n.ts';
import type { MessageKey } from '../i18n/messages.ts';
import { distance, fmt, h } from '../ui/dom.ts';

export type CardTarget =
  | { kind: 'grid'; id: string }
  | { kind: 'lookout'; id: string }
  | { kind: 'water'; id: string }
  | { kind: 'crew'; id: string };

const URLS: Record<CardTarget['kind'], (id: string) => string> = {
  grid: (id) => `/api/grids/${encodeURIComponent(id)}`,
  lookout: (id) => `/api/lookouts/${encodeURIComponent(id)}`,
  water: (id) => `/api/water-sources/${encodeURIComponent(id)}`,
  crew: (id) => `/api/crews/${encodeURIComponent(id)}`,
};

function rows(pairs: [MessageKey, string | Node][]): HTMLElement {
  return h(
    'dl',
    { class: 'facts' },
    ...pairs.flatMap(([k, v]) => [h('dt', {}, t(k)), h('dd', {}, v)]),
  );
}

function nearList(title: MessageKey, items: Nearby[], kindPrefix?: string): HTMLElement {
  return h(
    'section',
    {},
    h('h3', {}, t(title)),
    items.length === 0
      ? h('p', { class: 'muted' }, t('card.none'))
      : h(
          'ul',
          { class: 'near' },
          ...items.map((n) =>
            h(
              'li',
              {},
              h('span', {}, n.name),
              kindPrefix && n.kind
                ? h('span', { class: 'muted' }, ` ${tValue(kindPrefix, n.kind)}`)
                : null,
              h(
                'span',
                { class: n.inside ? 'dist inside' : 'dist' },
                n.inside ? t('card.inside') : distance(n.distanceM),
              ),
            ),
          ),
        ),
  );
}

/** The grid's danger today and the next 3 days (森林火险等级), coloured by level. */
function dangerSection(days: GridDangerDay[] | undefined): HTMLElement | null {
  if (!days || days.length === 0) return null;
  return h(
    'section',
    { class: 'card-danger' },
    h('h3', {}, t('danger.card')),
    h(
      'div',
      { class: 'days' },
      ...days.map((d) =>
        h(
          'div',
          {
            class: 'day',
            style: `background:${DANGER_LEVEL_INFO[d.level].colour}`,
            'data-level': String(d.level),
          },
          h('div', {}, d.date.slice(5)),
          h('strong', {}, DANGER_LEVEL_INFO[d.level].name),
          h('div', {}, `${d.index} · FWI ${d.fwi.toFixed(1)}`),
          flagBadge(d.level),
        ),
      ),
    ),
  );
}

const clock = (iso: string) =>
  new Date(iso).toLocaleTimeString('zh-CN', { hour12: false, hour: '2-digit', minute: '2-digit' });

/** The fires burning in the grid, first on its card: each opens its incident card. */
function firesSection(fires: GridFire[], open: (id: string) => void): HTMLElement | null {
  if (fires.length === 0) return null;
  return h(
    'section',
    { class: 'grid-fires' },
    h('h3', {}, t('card.fires')),
    h(
      'ul',
      {},
      ...fires.map((f) => {
        const button = h(
          'button',
          { type: 'button', 'data-incident': f.id },
          `${tValue('state', f.state)} · ${t('card.fireReported')} ${clock(f.firstReportedAt)}${f.drill ? ` · ${t('card.drill')}` : ''}`,
        );
        button.addEventListener('click', () => open(f.id));
        return h('li', {}, button);
      }),
    ),
  );
}

function rosterSection(c: GridCard): HTMLElement {
  return h(
    'section',
    {},
    h('h3', {}, t('card.roster')),
    h(
      'table',
      { class: 'roster' },
      h(
        'tbody',
        {},
        ...c.roster.map((p) =>
          h(
            'tr',
            {},
            h('th', { scope: 'row' }, tValue('role', p.role)),
            h('td', {}, p.name),
            h('td', { class: 'phone' }, p.phone ?? '—'),
          ),
        ),
      ),
    ),
    c.roster.some((p) => p.phone?.includes('*'))
      ? h('p', { class: 'muted small' }, t('card.phoneMasked'))
      : null,
  );
}

function gridBody(
  c: GridCard & { danger?: GridDangerDay[] },
  openIncident: (id: string) => void,
): Node[] {
  const risk = h(
    'span',
    { class: `risk risk-${c.riskClass ?? 0}` },
    c.riskClass ? `${c.riskClass} 级` : '—',
  );
  // A fire in the grid leads, then who answers for the grid (格中定人), then the facts.
  return [
    firesSection(c.fires ?? [], openIncident),
    c.roster.length > 0 ? rosterSection(c) : null,
    rows([
      ['card.village', c.village.name],
      ['card.township', c.township.name],
      ['card.warZone', c.warZone.name],
      ['card.area', `${fmt(c.areaHa, 1)} ha`],
      ['card.forest', c.forestShare === null ? '—' : `${Math.round(c.forestShare * 100)}%`],
      [
        'card.elevation',
        `${fmt(c.elevation.minM)}–${fmt(c.elevation.maxM)} m (${fmt(c.elevation.meanM)})`,
      ],
      ['card.slope', `${fmt(c.slopeMeanDeg, 1)}°`],
      ['card.fuel', c.fuelType ?? '—'],
      ['card.risk', risk],
      ['card.firebreakKm', `${fmt(c.firebreakKm, 2)} km`],
    ]),
    dangerSection(c.danger),
    nearList('card.nearLookouts', c.lookouts),
    nearList('card.nearWater', c.waterSources, 'water'),
    nearList('card.nearFirebreaks', c.firebreaks),
    h(
      'section',
      {},
      h('h3', {}, t('card.keyAreas')),
      c.keyAreas.length === 0
        ? h('p', { class: 'muted' }, t('card.none'))
        : h('p', {}, c.keyAreas.map((k) => `${k.name}(${tValue('keyArea', k.kind)})`).join('、')),
    ),
    c.roster.length === 0 ? rosterSection(c) : null,
    c.synthetic ? h('p', { class: 'muted small' }, t('card.synthetic')) : null,
  ].filter((n): n is HTMLElement => n !== null);
}

// biome-ignore lint/suspicious/noExplicitAny: card JSON of the simpler kinds is shown field by field
type Plain = Record<string, any>;

function lookoutBody(c: Plain): Node[] {
  return [
    rows([
      ['card.camera', tValue('camera', c.cameraKind)],
      ['card.height', `${fmt(c.heightM)} m`],
      ['card.range', c.rangeM ? distance(c.rangeM) : '—'],
      ['card.township', c.township ?? '—'],
      ['card.grid', c.gridCode ?? '—'],
    ]),
  ];
}

function waterBody(c: Plain): Node[] {
  return [
    rows([
      ['card.kind', tValue('water', c.kind)],
      ['card.capacity', c.capacityM3 ? `${fmt(c.capacityM3)} m³` : '—'],
      ['card.township', c.township ?? '—'],
      ['card.grid', c.gridCode ?? '—'],
    ]),
  ];
}

function crewBody(c: Plain): Node[] {
  const equipment = Object.entries(c.equipment as Record<string, number>)
    .map(([k, n]) => `${tValue('equipment', k)} ${n}`)
    .join(' · ');
  return [
    rows([
      ['card.level', `${tValue('level', c.level)}${c.unitKind ? ` · ${c.unitKind}` : ''}`],
      ['card.members', fmt(c.members)],
      ['card.status', tValue('crewStatus', c.status)],
      ['card.township', [c.township, c.village].filter(Boolean).join(' ') || '—'],
      ['card.equipment', equipment || '—'],
      ['card.phone', c.phone ?? '—'],
      ['card.updated', new Date(c.updatedAt).toLocaleString('zh-CN', { hour12: false })],
    ]),
  ];
}

export interface InfoCard {
  show(target: CardTarget): Promise<void>;
  close(): void;
  onClose(fn: () => void): void;
  onOpen(fn: () => void): void;
  /** A fire listed on a grid card was chosen: open its incident card. */
  onIncident(fn: (id: string) => void): void;
}

export function mountInfoCard(container: HTMLElement): InfoCard {
  let current: CardTarget | null = null;
  let data: unknown = null;
  let error = false;
  const closeListeners: (() => void)[] = [];
  const openListeners: (() => void)[] = [];
  const incidentListeners: ((id: string) => void)[] = [];

  const render = () => {
    if (!current) {
      container.hidden = true;
      container.replaceChildren();
      return;
    }
    container.hidden = false;
    const kindTitle: Record<CardTarget['kind'], MessageKey> = {
      grid: 'card.grid',
      lookout: 'card.lookout',
      water: 'card.waterSource',
      crew: 'card.crew',
    };
    const close = h(
      'button',
      { type: 'button', class: 'close', 'aria-label': t('card.close') },
      '×',
    );
    close.addEventListener('click', () => api.close());
    const name =
      current.kind === 'grid'
        ? current.id
        : (((data as Plain | null)?.name as string | undefined) ?? current.id);
    const header = h(
      'header',
      {},
      h(
        'div',
        {},
        h('p', { class: 'kind' }, t(kindTitle[current.kind])),
        h('h2', { tabindex: '-1' }, name),
      ),
      close,
    );
    let body: Node[];
    if (error) body = [h('p', { class: 'error' }, t('card.error'))];
    else if (!data) body = [h('p', { class: 'muted' }, t('card.loading'))];
    else if (current.kind === 'grid')
      body = gridBody(data as GridCard, (id) => {
        for (const fn of incidentListeners) fn(id);
      });
    else if (current.kind === 'lookout') body = lookoutBody(data as Plain);
    else if (current.kind === 'water') body = waterBody(data as Plain);
    else body = crewBody(data as Plain);
    container.replaceChildren(header, ...body);
    container.dataset.kind = current.kind;
    container.dataset.id = current.id;
    container.dataset.ready = data ? 'true' : 'false';
  };

  const api: InfoCard = {
    async show(target) {
      for (const fn of openListeners) fn();
      current = target;
      data = null;
      error = false;
      render();
      (container.querySelector('h2') as HTMLElement | null)?.focus();
      try {
        const loaded =
          target.kind === 'grid'
            ? {
                ...(await getJson<GridCard>(URLS.grid(target.id))),
                danger: await getJson<GridDanger>(
                  `/api/fire-danger/grids/${encodeURIComponent(target.id)}`,
                )
                  .then((r) => r.days)
                  .catch(() => []),
              }
            : await getJson(URLS[target.kind](target.id));
        if (current !== target) return;
        data = loaded;
      } catch (err) {
        if (current !== target) return;
        error = true;
        console.warn(err);
      }
      render();
    },
    close() {
      if (!current) return;
      current = null;
      render();
      for (const fn of closeListeners) fn();
    },
    onIncident(fn) {
      incidentListeners.push(fn);
    },
    onClose(fn) {
      closeListeners.push(fn);
    },
    onOpen(fn) {
      openListeners.push(fn);
    },
  };
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') api.close();
  });
  onLocaleChange(render);
  render();
  return api;
}
