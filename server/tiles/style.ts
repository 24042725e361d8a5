/**
 * The command map's MapLibre style: every source is this server's own (vector tiles of the
 * county's layers, shaded relief and Terrarium terrain tiles), so the map works with no
 * internet.
 */
import type { LayerSpecification, StyleSpecification } from 'maplibre-gl';
import { LABEL_FONT, PALETTE } from '../domain/map-palette.ts';
import { LAYER_MIN_ZOOM, TILE_MAX_ZOOM } from './vector-tiles.ts';

/** Grid lines and grid clicks start here; grid polygons are in tiles a zoom earlier. */
const GRID_LINES_MIN_ZOOM = 10;

/** Fonts a command-centre PC has (Windows, Debian with fonts-noto-cjk, macOS), then any sans. */

/**
 * 天地图 imagery in Web Mercator (`img_w`): CGCS2000 ≈ WGS84, so it sits under the county's
 * data without the hundreds-of-metres offset of GCJ-02 basemaps. Only with a key.
 */
function tiandituSource(key: string) {
  return {
    type: 'raster' as const,
    tiles: [0, 1, 2, 3].map(
      (n) =>
        `https://t${n}.tianditu.gov.cn/img_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=img&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk=${encodeURIComponent(key)}`,
    ),
    tileSize: 256,
    maxzoom: 18,
    attribution: '天地图 © 国家地理信息公共服务平台',
  };
}

export function commandMapStyle(
  origin: string,
  version: string,
  /** The terrain model's extent: relief and terrain tiles are asked for inside it only. */
  bounds: [number, number, number, number],
  /** Deepest terrain tile the server renders (the DEM's resolution); MapLibre overzooms it. */
  terrainMaxZoom: number,
  tiandituKey?: string,
  /** Every loaded county's extent (a province's is wider than its one DEM); default `bounds`. */
  areaBounds: [number, number, number, number] = bounds,
): StyleSpecification {
  const v = `v=${version.slice(0, 12)}`;
  // By the zone's index in its county (layers-repository.ts war_zones colour_index).
  const zoneColour = [
    'to-color',
    [
      'at',
      ['%', ['to-number', ['get', 'colour_index'], 0], PALETTE.warZones.length],
      ['literal', PALETTE.warZones],
    ],
  ];
  const layers: LayerSpecification[] = [
    { id: 'background', type: 'background', paint: { 'background-color': '#eef0ea' } },
    ...(tiandituKey
      ? [
          {
            id: 'online-imagery',
            type: 'raster',
            source: 'tianditu',
            paint: { 'raster-opacity': 0.85 },
          } satisfies LayerSpecification,
        ]
      : []),
    {
      // Shaded relief rendered on the server (shaded-relief.ts): a plain raster, not a GPU
      // `hillshade` layer, which cost a software-rendered wall PC seconds on every redraw.
      id: 'hillshade',
      type: 'raster',
      source: 'relief',
      paint: { 'raster-fade-duration': 0 },
    },
    {
      id: 'contours',
      type: 'line',
      source: 'county',
      'source-layer': 'contours',
      minzoom: LAYER_MIN_ZOOM.contours,
      paint: {
        'line-color': '#9a7b55',
        'line-width': ['case', ['get', 'index'], 1.1, 0.5],
        'line-opacity': ['case', ['get', 'index'], 0.8, 0.55],
      },
    },
    {
      id: 'outside-veil',
      type: 'fill',
      source: 'county',
      'source-layer': 'outside',
      paint: { 'fill-color': '#eef0ea', 'fill-opacity': 0.9 },
    },
    {
      id: 'war-zones-fill',
      type: 'fill',
      source: 'county',
      'source-layer': 'war_zones',
      paint: { 'fill-color': zoneColour as never, 'fill-opacity': 0.16 },
    },
    {
      id: 'key-areas-fill',
      type: 'fill',
      source: 'county',
      'source-layer': 'key_areas',
      minzoom: LAYER_MIN_ZOOM.key_areas,
      filter: ['==', ['geometry-type'], 'Polygon'],
      paint: { 'fill-color': PALETTE.keyArea, 'fill-opacity': 0.3 },
    },
    {
      // Invisible fill so a click anywhere inside a grid finds it.
      id: 'grids-fill',
      type: 'fill',
      source: 'county',
      'source-layer': 'grids',
      minzoom: GRID_LINES_MIN_ZOOM,
      paint: { 'fill-color': '#2f6b3a', 'fill-opacity': 0 },
    },
    {
      // Coverage audit (client/src/reach): grids no crew reaches within 10 minutes. Off until
      // the layer is switched on; the page then sets the filter from /api/reach/coverage.
      id: 'coverage-gaps',
      type: 'fill',
      source: 'county',
      'source-layer': 'grids',
      minzoom: LAYER_MIN_ZOOM.grids,
      filter: ['==', ['get', 'code'], ''],
      layout: { visibility: 'none' },
      paint: { 'fill-color': PALETTE.shortfall, 'fill-opacity': 0.38 },
    },
    {
      id: 'grids-line',
      type: 'line',
      source: 'county',
      'source-layer': 'grids',
      minzoom: GRID_LINES_MIN_ZOOM,
      paint: {
        'line-color': '#2f6b3a',
        'line-width': ['interpolate', ['linear'], ['zoom'], 10, 0.3, 14, 1.2],
        'line-opacity': 0.7,
      },
    },
    {
      id: 'rivers',
      type: 'line',
      source: 'county',
      'source-layer': 'rivers',
      minzoom: LAYER_MIN_ZOOM.rivers,
      paint: {
        'line-color': '#3a7fc1',
        'line-width': [
          'interpolate',
          ['linear'],
          ['zoom'],
          8,
          ['*', 0.35, ['get', 'stream_order']],
          14,
          ['*', 1.4, ['get', 'stream_order']],
        ],
      },
    },
    {
      id: 'villages-line',
      type: 'line',
      source: 'county',
      'source-layer': 'villages',
      minzoom: LAYER_MIN_ZOOM.villages,
      paint: { 'line-color': '#6d6d6d', 'line-width': 0.6, 'line-dasharray': [3, 2] },
    },
    {
      id: 'firebreaks',
      type: 'line',
      source: 'county',
      'source-layer': 'firebreaks',
      minzoom: LAYER_MIN_ZOOM.firebreaks,
      paint: { 'line-color': PALETTE.firebreak, 'line-width': 2, 'line-dasharray': [2, 1] },
    },
    {
      id: 'roads',
      type: 'line',
      source: 'county',
      'source-layer': 'roads',
      minzoom: LAYER_MIN_ZOOM.roads,
      layout: { 'line-cap': 'round', 'line-join': 'round' },
      paint: {
        'line-color': [
          'match',
          ['get', 'class'],
          'county',
          PALETTE.road.county,
          'township',
          PALETTE.road.township,
          'village',
          PALETTE.road.village,
          PALETTE.road.track,
        ],
        'line-width': [
          'match',
          ['get', 'class'],
          'county',
          2.2,
          'township',
          1.6,
          'village',
          1,
          0.7,
        ],
      },
    },
    {
      id: 'townships-line',
      type: 'line',
      source: 'county',
      'source-layer': 'townships',
      paint: {
        'line-color': '#444444',
        'line-width': ['interpolate', ['linear'], ['zoom'], 8, 1, 13, 2.5],
      },
    },
    {
      id: 'war-zones-line',
      type: 'line',
      source: 'county',
      'source-layer': 'war_zones',
      paint: { 'line-color': zoneColour as never, 'line-width': 2.5 },
    },
    {
      id: 'county-line',
      type: 'line',
      source: 'county',
      'source-layer': 'county',
      paint: { 'line-color': PALETTE.countyLine, 'line-width': 3 },
    },
    {
      // The command map dims everything outside the focused war zone or township; the client
      // sets the filter (none matches until then).
      id: 'focus-dim',
      type: 'fill',
      source: 'county',
      'source-layer': 'townships',
      filter: ['==', ['get', 'code'], ''],
      paint: { 'fill-color': '#1b1b1b', 'fill-opacity': 0.45 },
    },
    {
      id: 'grid-selected',
      type: 'line',
      source: 'county',
      'source-layer': 'grids',
      minzoom: GRID_LINES_MIN_ZOOM,
      filter: ['==', ['get', 'code'], ''],
      paint: { 'line-color': '#ffd60a', 'line-width': 4 },
    },
    {
      id: 'contour-labels',
      type: 'symbol',
      source: 'county',
      'source-layer': 'contours',
      minzoom: 12.5,
      filter: ['get', 'index'],
      layout: {
        'symbol-placement': 'line',
        'text-field': ['to-string', ['get', 'elevation_m']],
        'text-font': LABEL_FONT,
        'text-size': 10,
      },
      paint: { 'text-color': '#7a5c36', 'text-halo-color': '#ffffff', 'text-halo-width': 1 },
    },
    // No `glyphs`: MapLibre draws text with the machine's own fonts (local TinySDF), so
    // Chinese labels need no glyph server and nothing leaves the machine.
    {
      id: 'grid-labels',
      type: 'symbol',
      source: 'county',
      'source-layer': 'grid_labels',
      minzoom: 13,
      layout: {
        'text-field': ['slice', ['get', 'code'], 9],
        'text-font': LABEL_FONT,
        'text-size': 10,
      },
      paint: { 'text-color': '#2f6b3a', 'text-halo-color': '#ffffff', 'text-halo-width': 1.2 },
    },
    {
      id: 'village-labels',
      type: 'symbol',
      source: 'county',
      'source-layer': 'village_labels',
      minzoom: LAYER_MIN_ZOOM.village_labels + 0.5,
      layout: {
        'text-field': ['get', 'name'],
        'text-font': LABEL_FONT,
        'text-size': 12,
        'text-variable-anchor': ['top', 'bottom', 'left', 'right'],
        'text-radial-offset': 0.8,
      },
      paint: { 'text-color': '#333333', 'text-halo-color': '#ffffff', 'text-halo-width': 1.5 },
    },
    {
      id: 'township-labels',
      type: 'symbol',
      source: 'county',
      'source-layer': 'township_labels',
      layout: {
        'text-field': ['get', 'name'],
        'text-font': LABEL_FONT,
        'text-size': ['interpolate', ['linear'], ['zoom'], 8, 13, 12, 18],
        'text-variable-anchor': ['center', 'top', 'bottom', 'left', 'right'],
        'text-radial-offset': 1,
        'text-allow-overlap': false,
      },
      paint: { 'text-color': '#1b1b1b', 'text-halo-color': '#ffffff', 'text-halo-width': 2 },
    },
    // Point symbols on top, with icons the command page draws (client/src/map/icons.ts).
    // Placed first, so labels below move aside (variable anchors) instead of hiding a crew
    // base at a township seat; `icon-allow-overlap` keeps every one on the map.
    {
      id: 'water-sources',
      type: 'symbol',
      source: 'county',
      'source-layer': 'water_sources',
      minzoom: LAYER_MIN_ZOOM.water_sources,
      layout: {
        'icon-image': ['match', ['get', 'kind'], 'reservoir', 'icon-reservoir', 'icon-water'],
        'icon-size': ['interpolate', ['linear'], ['zoom'], 10, 0.75, 14, 1.1],
        'icon-allow-overlap': true,
      },
    },
    {
      id: 'lookouts',
      type: 'symbol',
      source: 'county',
      'source-layer': 'lookouts',
      minzoom: LAYER_MIN_ZOOM.lookouts,
      layout: {
        'icon-image': 'icon-lookout',
        'icon-size': ['interpolate', ['linear'], ['zoom'], 10, 0.75, 14, 1.1],
        'icon-allow-overlap': true,
      },
    },
    {
      id: 'crews',
      type: 'symbol',
      source: 'county',
      'source-layer': 'crews',
      minzoom: LAYER_MIN_ZOOM.crews,
      // Village crews (15+ each, 200 of them) appear once the map is close enough to tell them apart.
      filter: ['any', ['!=', ['get', 'level'], 'village'], ['>=', ['zoom'], 11]],
      layout: {
        'icon-image': ['concat', 'icon-crew-', ['get', 'level']],
        'icon-size': ['match', ['get', 'level'], 'village', 0.8, 1],
        'icon-allow-overlap': true,
      },
    },
  ];
  return {
    version: 8,
    name: '森林防火挂图作战 · offline',
    center: [(bounds[0] + bounds[2]) / 2, (bounds[1] + bounds[3]) / 2],
    zoom: 9.5,
    sources: {
      county: {
        type: 'vector',
        tiles: [`${origin}/api/tiles/county/{z}/{x}/{y}.pbf?${v}`],
        // Townships and grids are known by their codes: the danger layer colours them by
        // feature state (client danger-panel.ts).
        promoteId: { townships: 'code', grids: 'code' },
        minzoom: 0,
        maxzoom: TILE_MAX_ZOOM,
        bounds: areaBounds,
      },
      relief: {
        type: 'raster',
        tiles: [`${origin}/api/tiles/relief/{z}/{x}/{y}.png?${v}`],
        tileSize: 256,
        minzoom: 6,
        maxzoom: terrainMaxZoom,
        bounds,
      },
      // The DEM itself, Terrarium-encoded (no layer draws it: for clients that read heights).
      terrain: {
        type: 'raster-dem',
        tiles: [`${origin}/api/tiles/terrain/{z}/{x}/{y}.png?${v}`],
        encoding: 'terrarium',
        tileSize: 256,
        minzoom: 6,
        maxzoom: terrainMaxZoom,
        bounds,
      },
      ...(tiandituKey ? { tianditu: tiandituSource(tiandituKey) } : {}),
      // The same tiles for the optional 3D view.
      'terrain-3d': {
        type: 'raster-dem',
        tiles: [`${origin}/api/tiles/terrain/{z}/{x}/{y}.png?${v}`],
        encoding: 'terrarium',
        tileSize: 256,
        minzoom: 6,
        maxzoom: terrainMaxZoom,
        bounds,
      },
    },
    layers,
  } satisfies StyleSpecification;
}
