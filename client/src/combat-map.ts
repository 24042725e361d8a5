/**
 * The printable village combat map 作战图 (issue 14 item 6): the command map's own style and
 * tiles framed on one village, its grids outlined and everything outside veiled, with legend,
 * north arrow, scale bar, the roster of every grid and the water, lookouts and key areas
 * inside them. Headless Chromium prints it to PDF on the server (A4 or A3 landscape); anyone
 * may also print it from the browser. `body[data-ready]` tells the printer it is drawn.
 */
import 'maplibre-gl/dist/maplibre-gl.css';
import './combat-map.css';
import type { Feature, MultiPolygon } from 'geojson';
import type { Map as MapLibreMap } from 'maplibre-gl';
import type { TownshipCombatMap, VillageCombatMap } from '../../server/contract/combat-map.ts';
import { PALETTE } from '../../server/domain/map-palette.ts';
import { getJson } from './api/http.ts';
import { tValue } from './i18n/i18n.ts';
import { createCountyMap } from './map/county-map.ts';
import { h, printablePage } from './ui/dom.ts';

/** Legend rows: style layer, paint property, how to draw the swatch, label. */
const LEGEND: [string, string, 'line' | 'dash' | 'fill' | 'dot', string][] = [
  ['village-outline', 'line-color', 'line', '本村(镇)界'],
  ['grids-line', 'line-color', 'line', '森林防火网格'],
  ['roads', 'line-color', 'line', '道路'],
  ['rivers', 'line-color', 'line', '水系'],
  ['firebreaks', 'line-color', 'dash', '防火阻隔带'],
  ['key-areas-fill', 'fill-color', 'fill', '重点区域'],
  ['water-sources', '', 'dot', '应急水源'],
  ['lookouts', '', 'dot', '铁塔哨兵'],
  ['crews', '', 'dot', '扑火队伍驻地'],
];

async function start() {
  const params = new URLSearchParams(location.search);
  const townshipCode = params.get('township');
  if (townshipCode) return startTownship(townshipCode, paperOf(params));
  const code = params.get('village') ?? '';
  paperOf(params);
  const [data, county] = await Promise.all([
    getJson<VillageCombatMap>(`/api/villages/${encodeURIComponent(code)}/combat-map`),
    getJson<Feature<MultiPolygon>>('/api/county'),
  ]);
  const title = `麻阳苗族自治县${data.township.name}${data.name}森林防火作战图`;
  document.title = title;
  (document.getElementById('cm-title') as HTMLElement).textContent = title;
  (document.getElementById('cm-sub') as HTMLElement).textContent =
    `村代码 ${data.code} · 网格 ${data.grids.length} 个 · 地形、边界与人员为示意数据(合成) · ${new Date().toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai' })}`;

  const map = await drawMap(county, 'villages', data.code, data.bbox);
  const roster = document.querySelector('#cm-roster tbody') as HTMLElement;
  for (const g of data.grids)
    for (const [i, p] of g.roster.entries())
      roster.append(
        h(
          'tr',
          {},
          i === 0 ? h('td', { rowspan: String(g.roster.length) }, g.code.slice(-3)) : null,
          h('td', {}, tValue('role', p.role)),
          h('td', {}, p.name),
          h('td', {}, p.phone ?? '—'),
        ),
      );
  const resources = document.getElementById('cm-resources') as HTMLElement;
  const list = (label: string, names: string[]) =>
    names.length > 0
      ? resources.append(h('li', {}, h('b', {}, `${label}: `), names.join('、')))
      : undefined;
  list('应急水源', [...new Set(data.grids.flatMap((g) => g.waterSources.map((x) => x.name)))]);
  list('铁塔哨兵', [...new Set(data.grids.flatMap((g) => g.lookouts.map((x) => x.name)))]);
  list('重点区域', [...new Set(data.grids.flatMap((g) => g.keyAreas.map((x) => x.name)))]);

  const people = data.grids.reduce((n, g) => n + g.roster.length, 0);
  document.body.dataset.rosterPeople = String(people);
  rosterOrOverflow(title, `网格责任人共 ${people} 人`);
  await freeze(map, title);
}

/**
 * The roster is never cut: when it does not fit beside the map (a village of 97 people does
 * not), the whole table moves to the pages after the sheet, full width, its head repeated on
 * every page, and the sheet says where it went. `body[data-roster-pages]` tells which.
 */
function rosterOrOverflow(title: string, count: string) {
  const side = document.querySelector('.cm-side') as HTMLElement;
  const table = document.getElementById('cm-roster') as HTMLTableElement;
  if (side.scrollHeight <= side.clientHeight + 1) {
    document.body.dataset.rosterPages = 'sheet';
    return;
  }
  const more = document.getElementById('cm-more') as HTMLElement;
  (document.getElementById('cm-more-title') as HTMLElement).textContent =
    `${title} · ${(document.getElementById('cm-roster-head') as HTMLElement).textContent}(续页)`;
  // Every row names its grid: a page may begin in the middle of one.
  for (const row of table.tBodies[0]?.rows ?? []) {
    const first = row.cells[0];
    if (first?.rowSpan && first.rowSpan > 1) {
      let next = row.nextElementSibling;
      for (let i = 1; i < first.rowSpan && next; i++, next = next.nextElementSibling)
        next.prepend(h('td', {}, first.textContent ?? ''));
      first.rowSpan = 1;
    }
  }
  more.append(table);
  more.hidden = false;
  const note = document.getElementById('cm-roster-note') as HTMLElement;
  note.textContent = `${count},表长,见第 2 页起(续页)。`;
  note.hidden = false;
  document.body.dataset.rosterPages = 'more';
}

function paperOf(params: URLSearchParams): 'A4' | 'A3' {
  const paper = params.get('paper') === 'A3' ? 'A3' : 'A4';
  document.body.dataset.paper = paper;
  // The printer takes the sheet size from @page (exact millimetres, not rounded pixels).
  if (paper === 'A3') document.head.append(h('style', {}, '@page { size: A3 landscape; }'));
  return paper;
}

/** The command map framed on one area (village or township), the rest veiled, and its legend. */
async function drawMap(
  county: Feature<MultiPolygon>,
  sourceLayer: 'villages' | 'townships',
  code: string,
  bbox: [number, number, number, number],
): Promise<MapLibreMap> {
  const map = createCountyMap(document.getElementById('cm-map') as HTMLElement, county);
  await new Promise<void>((resolve) =>
    map.loaded() ? resolve() : map.once('load', () => resolve()),
  );
  map.addLayer(
    {
      id: 'village-outside',
      type: 'fill',
      source: 'county',
      'source-layer': sourceLayer,
      filter: ['!=', ['get', 'code'], code],
      paint: { 'fill-color': '#ffffff', 'fill-opacity': 0.6 },
    },
    'water-sources',
  );
  map.addLayer({
    id: 'village-outline',
    type: 'line',
    source: 'county',
    'source-layer': sourceLayer,
    filter: ['==', ['get', 'code'], code],
    // Navy as the county's outline on the wall: red on a combat map is a fire.
    paint: { 'line-color': PALETTE.countyLine, 'line-width': 3.5 },
  });
  const [w, s, e, n] = bbox;
  map.fitBounds([w, s, e, n], { padding: 24, animate: false });
  await new Promise<void>((resolve) => map.once('idle', () => resolve()));

  const legend = document.getElementById('cm-legend') as HTMLElement;
  for (const [layer, prop, kind, label] of LEGEND) {
    if (!map.getLayer(layer)) continue;
    const paint = prop ? map.getPaintProperty(layer, prop as 'line-color') : null;
    const colour = typeof paint === 'string' ? paint : '#555555';
    legend.append(
      h('li', {}, h('span', { class: `sw sw-${kind}`, style: `--c:${colour}` }), label),
    );
  }
  return map;
}

/** The printed page carries the drawn frame as an image: a WebGL canvas may print blank. */
async function freeze(map: MapLibreMap, title: string) {
  const img = h('img', {
    class: 'cm-frame',
    alt: title,
    src: map.getCanvas().toDataURL('image/png'),
  });
  (document.getElementById('cm-map') as HTMLElement).append(img);
  await img.decode();
}

async function startTownship(code: string, _paper: 'A4' | 'A3') {
  const [data, county] = await Promise.all([
    getJson<TownshipCombatMap>(`/api/townships/${encodeURIComponent(code)}/combat-map`),
    getJson<Feature<MultiPolygon>>('/api/county'),
  ]);
  const title = `麻阳苗族自治县${data.name}森林防火作战图`;
  document.title = title;
  (document.getElementById('cm-title') as HTMLElement).textContent = title;
  const grids = data.villages.reduce((n, v) => n + v.grids, 0);
  (document.getElementById('cm-sub') as HTMLElement).textContent =
    `乡镇代码 ${data.code} · 村 ${data.villages.length} 个 · 网格 ${grids} 个 · 地形、边界与人员为示意数据(合成) · ${new Date().toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai' })}`;
  const map = await drawMap(county, 'townships', data.code, data.bbox);
  document.body.classList.add('township-sheet');
  const table = document.getElementById('cm-roster') as HTMLTableElement;
  (document.getElementById('cm-roster-head') as HTMLElement).textContent = '各村网格与网格长';
  (table.tHead as HTMLTableSectionElement).replaceChildren(
    h('tr', {}, h('th', {}, '村'), h('th', {}, '网格'), h('th', {}, '网格长')),
  );
  (table.tBodies[0] as HTMLTableSectionElement).replaceChildren(
    ...data.villages.map((v) =>
      h(
        'tr',
        {},
        h('td', {}, v.name),
        h('td', {}, v.grids),
        h('td', {}, v.gridHeads.join('、') || '—'),
      ),
    ),
  );
  const resources = document.getElementById('cm-resources') as HTMLElement;
  (resources.previousElementSibling as HTMLElement).hidden = true;
  resources.hidden = true;
  rosterOrOverflow(title, `村 ${data.villages.length} 个`);
  await freeze(map, title);
}

printablePage(start);
