/**
 * The coverage-audit layer: grids no crew reaches from its standby base within 10 minutes
 * (style layer `coverage-gaps`, filtered here) and the suggested extra standby points.
 */
import type { Map as MapLibreMap } from 'maplibre-gl';
import { PALETTE } from '../../../server/domain/map-palette.ts';
import type { CoverageAudit } from '../../../server/domain/reach/coverage.ts';
import { getJson } from '../api/http.ts';
import { t } from '../i18n/i18n.ts';

export async function loadCoverageLayer(map: MapLibreMap): Promise<CoverageAudit> {
  const audit = await getJson<CoverageAudit>('/api/reach/coverage');
  map.setFilter('coverage-gaps', ['in', ['get', 'code'], ['literal', audit.uncovered]]);
  map.addSource('coverage-suggestions', {
    type: 'geojson',
    data: {
      type: 'FeatureCollection',
      features: audit.suggestions.map((s, i) => ({
        type: 'Feature',
        properties: {
          rank: i + 1,
          gain: s.gridCodes.length,
          label: `${t('coverage.suggestion')} ${i + 1} (+${s.gridCodes.length})`,
        },
        geometry: { type: 'Point', coordinates: [s.lon, s.lat] },
      })),
    },
  });
  map.addLayer({
    id: 'coverage-suggestions',
    type: 'circle',
    source: 'coverage-suggestions',
    paint: {
      'circle-radius': 7,
      'circle-color': '#ffffff',
      'circle-stroke-color': PALETTE.shortfall,
      'circle-stroke-width': 3,
    },
  });
  const w = window as unknown as { __coverage: CoverageAudit };
  w.__coverage = audit;
  return audit;
}
