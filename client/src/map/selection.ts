/**
 * Clicking the map: a lookout, water source or crew symbol opens its card; anywhere else
 * inside a grid opens the grid's card and outlines the grid. The pointer shows a hand over
 * anything clickable.
 */
import type { FilterSpecification, MapGeoJSONFeature, Map as MapLibreMap } from 'maplibre-gl';
import type { CardTarget, InfoCard } from '../panels/info-card.ts';

const POINT_LAYERS: Record<string, CardTarget['kind']> = {
  crews: 'crew',
  lookouts: 'lookout',
  'water-sources': 'water',
};
const CLICKABLE = [...Object.keys(POINT_LAYERS), 'grids-fill'];
const NONE: FilterSpecification = ['==', ['get', 'code'], ''];

export function selectGrid(map: MapLibreMap, code: string | null): void {
  map.setFilter('grid-selected', code ? ['==', ['get', 'code'], code] : NONE);
}

function targetOf(feature: MapGeoJSONFeature): CardTarget | null {
  const kind = POINT_LAYERS[feature.layer.id];
  const props = feature.properties as Record<string, string>;
  if (kind && props.id) return { kind, id: props.id } as CardTarget;
  if (feature.layer.id === 'grids-fill' && props.code) return { kind: 'grid', id: props.code };
  return null;
}

export function enableSelection(
  map: MapLibreMap,
  card: InfoCard,
  ignoreClick: () => boolean = () => false,
): void {
  const layers = () =>
    CLICKABLE.filter(
      (id) => map.getLayer(id) && map.getLayoutProperty(id, 'visibility') !== 'none',
    );
  map.on('click', (e) => {
    if (ignoreClick()) return;
    // A few pixels of slack so a symbol is easy to hit on a touch wall.
    const box: [[number, number], [number, number]] = [
      [e.point.x - 4, e.point.y - 4],
      [e.point.x + 4, e.point.y + 4],
    ];
    const features = map.queryRenderedFeatures(box, { layers: layers() });
    const point = features.find((f) => f.layer.id in POINT_LAYERS);
    const chosen = point ?? features.find((f) => f.layer.id === 'grids-fill');
    const target = chosen ? targetOf(chosen) : null;
    if (!target) return;
    selectGrid(map, target.kind === 'grid' ? target.id : null);
    void card.show(target);
  });
  map.on('mousemove', (e) => {
    if (ignoreClick()) return;
    const hit = map.queryRenderedFeatures(e.point, { layers: layers() }).length > 0;
    map.getCanvas().style.cursor = hit ? 'pointer' : '';
  });
  card.onClose(() => selectGrid(map, null));
}
