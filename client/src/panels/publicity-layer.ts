/**
 * Publicity coverage layer (issue 14 item 4): villages coloured by their latest household
 * visit share against 100% — green at 100%, lavender from 80%, violet below (PALETTE.coverage:
 * red is kept for fires), grey without a record.
 * The reader sees the villages of his area (the server decides).
 */
import type { ExpressionSpecification, Map as MapLibreMap } from 'maplibre-gl';
import type { PublicityCoverage } from '../../../server/contract/supervision.ts';
import { PALETTE } from '../../../server/domain/map-palette.ts';
import type { VillageCoverage } from '../../../server/domain/publicity.ts';
import { get } from '../api/http.ts';
import { onLocaleChange, t } from '../i18n/i18n.ts';

const LAYER = 'publicity-coverage';

export function coverageColour(c: VillageCoverage): string {
  const scale = PALETTE.coverage;
  if (c.visitRate === null) return scale.unknown;
  if (c.complete || c.visitRate >= 1) return scale.met;
  return c.visitRate >= 0.8 ? scale.part : scale.none;
}

export function mountPublicityLayer(map: MapLibreMap, toggle: HTMLButtonElement): void {
  let on = false;
  map.addLayer(
    {
      id: LAYER,
      type: 'fill',
      source: 'county',
      'source-layer': 'villages',
      layout: { visibility: 'none' },
      paint: { 'fill-color': '#9e9e9e', 'fill-opacity': 0.55 },
    },
    map.getLayer('villages-line') ? 'villages-line' : undefined,
  );
  const render = () => {
    toggle.textContent = t('publicity.button');
    toggle.setAttribute('aria-pressed', String(on));
  };
  toggle.addEventListener('click', async () => {
    on = !on;
    render();
    if (!on) {
      map.setLayoutProperty(LAYER, 'visibility', 'none');
      return;
    }
    const res = await get<PublicityCoverage[]>('/api/publicity/coverage');
    if (!res.ok) {
      toggle.title = t('publicity.denied');
      on = false;
      render();
      return;
    }
    toggle.title = t('publicity.legend');
    const rows = res.value;
    if (rows.length === 0) return;
    map.setPaintProperty(LAYER, 'fill-color', [
      'match',
      ['get', 'code'],
      ...rows.flatMap((r) => [r.villageCode, coverageColour(r)]),
      'rgba(0,0,0,0)',
    ] as unknown as ExpressionSpecification);
    map.setLayoutProperty(LAYER, 'visibility', 'visible');
  });
  render();
  onLocaleChange(render);
}
