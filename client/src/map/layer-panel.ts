/**
 * Layer switcher and legend: one checkbox per layer group of the command map's style, with a
 * swatch in the colour the map draws it. Checkboxes are real inputs, so the panel works with
 * the keyboard.
 */
import type { Map as MapLibreMap } from 'maplibre-gl';
import { PALETTE } from '../../../server/domain/map-palette.ts';
import { onLocaleChange, t } from '../i18n/i18n.ts';
import type { MessageKey } from '../i18n/messages.ts';
import { loadCoverageLayer } from '../reach/coverage-layer.ts';
import { iconDataUrl } from './icons.ts';
import { loadTowerCoverageLayer } from './tower-coverage-layer.ts';

export interface LayerGroup {
  key: MessageKey;
  layers: string[];
  swatch: { kind: 'fill' | 'line' | 'dash' | 'icon'; colour: string; icon?: string };
  visible: boolean;
  /** Runs once, the first time the group is switched on (e.g. to fetch what it shows). */
  load?: (map: MapLibreMap) => Promise<unknown>;
}

export const LAYER_GROUPS: LayerGroup[] = [
  {
    key: 'layer.hillshade',
    layers: ['hillshade'],
    swatch: { kind: 'fill', colour: '#8a968c' },
    visible: true,
  },
  {
    key: 'layer.contours',
    layers: ['contours', 'contour-labels'],
    swatch: { kind: 'line', colour: '#9a7b55' },
    visible: true,
  },
  {
    key: 'layer.warZones',
    layers: ['war-zones-fill', 'war-zones-line'],
    swatch: { kind: 'fill', colour: '#CC79A7' },
    visible: true,
  },
  {
    key: 'layer.boundaries',
    layers: ['townships-line', 'villages-line', 'township-labels', 'village-labels'],
    swatch: { kind: 'line', colour: '#444444' },
    visible: true,
  },
  {
    key: 'layer.grids',
    layers: ['grids-line', 'grid-labels'],
    swatch: { kind: 'line', colour: '#2f6b3a' },
    visible: true,
  },
  {
    key: 'layer.roads',
    layers: ['roads'],
    swatch: { kind: 'line', colour: PALETTE.road.county },
    visible: true,
  },
  {
    key: 'layer.rivers',
    layers: ['rivers'],
    swatch: { kind: 'line', colour: '#3a7fc1' },
    visible: true,
  },
  {
    key: 'layer.firebreaks',
    layers: ['firebreaks'],
    swatch: { kind: 'dash', colour: PALETTE.firebreak },
    visible: true,
  },
  {
    key: 'layer.water',
    layers: ['water-sources'],
    swatch: { kind: 'icon', colour: '#1565c0', icon: 'icon-reservoir' },
    visible: true,
  },
  {
    key: 'layer.lookouts',
    layers: ['lookouts'],
    swatch: { kind: 'icon', colour: '#6a1b9a', icon: 'icon-lookout' },
    visible: true,
  },
  {
    key: 'layer.crews',
    layers: ['crews'],
    swatch: { kind: 'icon', colour: PALETTE.crew.township, icon: 'icon-crew-township' },
    visible: true,
  },
  {
    key: 'layer.coverage',
    layers: ['coverage-gaps', 'coverage-suggestions'],
    swatch: { kind: 'fill', colour: PALETTE.shortfall },
    visible: false,
    load: loadCoverageLayer,
  },
  {
    key: 'layer.towerCoverage',
    layers: ['tower-coverage', 'tower-suggestions', 'lookout-viewshed'],
    swatch: { kind: 'fill', colour: PALETTE.coverage.none },
    visible: false,
    load: loadTowerCoverageLayer,
  },
  {
    key: 'layer.keyAreas',
    layers: ['key-areas-fill'],
    swatch: { kind: 'fill', colour: PALETTE.keyArea },
    visible: true,
  },
];

export function mountLayerPanel(container: HTMLElement, map: MapLibreMap): void {
  const title = document.createElement('h2');
  const list = document.createElement('ul');
  container.append(title, list);

  const render = () => {
    title.textContent = t('layer.title');
    list.replaceChildren(
      ...LAYER_GROUPS.map((group, i) => {
        const li = document.createElement('li');
        const id = `layer-toggle-${i}`;
        const input = document.createElement('input');
        input.type = 'checkbox';
        input.id = id;
        input.checked = group.visible;
        input.dataset.layers = group.layers.join(',');
        input.addEventListener('change', async () => {
          group.visible = input.checked;
          if (input.checked && group.load) {
            const load = group.load;
            group.load = undefined;
            input.disabled = true;
            try {
              await load(map);
            } catch (err) {
              console.warn(err);
              group.load = load;
            }
            input.disabled = false;
          }
          for (const layer of group.layers) {
            if (map.getLayer(layer))
              map.setLayoutProperty(layer, 'visibility', input.checked ? 'visible' : 'none');
          }
        });
        const swatch = document.createElement('span');
        swatch.className = `swatch swatch-${group.swatch.kind}`;
        swatch.style.setProperty('--swatch', group.swatch.colour);
        if (group.swatch.icon)
          swatch.style.backgroundImage = `url(${iconDataUrl(group.swatch.icon)})`;
        swatch.setAttribute('aria-hidden', 'true');
        const label = document.createElement('label');
        label.htmlFor = id;
        label.textContent = t(group.key);
        li.append(input, swatch, label);
        return li;
      }),
    );
  };
  render();
  onLocaleChange(render);
}
