/**
 * The tower coverage layer (issue 16): the county's forest coloured by how many lookout
 * towers see it — violet none, lavender one, green two or more (PALETTE.coverage) — as an image on the DEM's cells,
 * and the suggested sites for new towers. The image is north-up in degrees; MapLibre places
 * it by its four corners, which over the county's 0.5° of latitude bends its rows by under
 * a tenth of a cell in Web Mercator.
 */
import type { Map as MapLibreMap } from 'maplibre-gl';
import type { LookoutViewshed, TowerCoverage } from '../../../server/contract/lookouts.ts';
import { getJson } from '../api/http.ts';
import { t } from '../i18n/i18n.ts';

export async function loadTowerCoverageLayer(map: MapLibreMap): Promise<TowerCoverage> {
  const cov = await getJson<TowerCoverage>('/api/lookouts/coverage');
  const [w, s, e, n] = cov.bounds;
  const before = map.getLayer('lookouts') ? 'lookouts' : undefined;
  map.addSource('tower-coverage', {
    type: 'image',
    url: `/api/lookouts/coverage.png?v=${encodeURIComponent(cov.version)}`,
    coordinates: [
      [w, n],
      [e, n],
      [e, s],
      [w, s],
    ],
  });
  map.addLayer(
    {
      id: 'tower-coverage',
      type: 'raster',
      source: 'tower-coverage',
      paint: { 'raster-opacity': 0.75, 'raster-resampling': 'nearest' },
    },
    before,
  );
  map.addSource('tower-suggestions', {
    type: 'geojson',
    data: {
      type: 'FeatureCollection',
      features: cov.suggestions.map((s, i) => ({
        type: 'Feature',
        properties: {
          rank: i + 1,
          label: `${t('towerCoverage.suggestion')} ${i + 1} (+${Math.round(s.newlySeenHa)} ha)`,
        },
        geometry: { type: 'Point', coordinates: [s.lon, s.lat] },
      })),
    },
  });
  map.addLayer({
    id: 'tower-suggestions',
    type: 'circle',
    source: 'tower-suggestions',
    paint: {
      'circle-radius': 7,
      'circle-color': '#ffffff',
      'circle-stroke-color': '#6a1b9a',
      'circle-stroke-width': 3,
    },
  });
  // While the layer is on, a click on a tower shows that tower's own viewshed.
  map.on('click', 'lookouts', (e) => {
    const id = e.features?.[0]?.properties?.id;
    if (typeof id === 'string' && map.getLayoutProperty('tower-coverage', 'visibility') !== 'none')
      void showLookoutViewshed(map, id);
  });
  const win = window as unknown as { __towerCoverage: TowerCoverage };
  win.__towerCoverage = cov;
  return cov;
}

/** One tower's viewshed (seen green, hidden grey) over the coverage layer. */
export async function showLookoutViewshed(map: MapLibreMap, id: string): Promise<void> {
  const v = await getJson<LookoutViewshed>(`/api/lookouts/${encodeURIComponent(id)}/viewshed`);
  const [w, s, e, n] = v.bounds;
  const coordinates: [[number, number], [number, number], [number, number], [number, number]] = [
    [w, n],
    [e, n],
    [e, s],
    [w, s],
  ];
  const source = map.getSource('lookout-viewshed') as import('maplibre-gl').ImageSource | undefined;
  if (source) {
    source.updateImage({ url: v.image, coordinates });
    return;
  }
  map.addSource('lookout-viewshed', { type: 'image', url: v.image, coordinates });
  map.addLayer(
    {
      id: 'lookout-viewshed',
      type: 'raster',
      source: 'lookout-viewshed',
      paint: { 'raster-opacity': 0.85, 'raster-resampling': 'nearest' },
    },
    map.getLayer('lookouts') ? 'lookouts' : undefined,
  );
}
