/**
 * Vector tiles encoded in Node (design.md: PGlite has no ST_AsMVT): each layer is indexed
 * once per geodata version with geojson-vt, and a tile is the protobuf of every layer's
 * slice. Layers appear from the zoom where the map draws them, so low-zoom tiles stay small.
 */
import { GeoJSONVT } from '@maplibre/geojson-vt';
import { fromGeojsonVt } from '@maplibre/vt-pbf';
import type { FeatureCollection } from 'geojson';
import type { MapLayer } from '../repositories/layers-repository.ts';

/** The county's layers from the database, plus contour lines from the DEM. */
export type TileLayer = MapLayer | 'contours';

/** First zoom at which a layer is put in tiles (the style's minzoom matches). */
export const LAYER_MIN_ZOOM: Record<TileLayer, number> = {
  contours: 11,
  outside: 0,
  county: 0,
  war_zones: 0,
  townships: 0,
  villages: 8,
  // From z9 so the coverage audit can colour grids on the county view; lines are drawn from z10.
  grids: 9,
  roads: 8,
  rivers: 8,
  firebreaks: 10,
  water_sources: 10,
  lookouts: 10,
  key_areas: 11,
  crews: 9,
  township_labels: 0,
  village_labels: 10,
  grid_labels: 12,
};
export const TILE_MAX_ZOOM = 14;

export class VectorTileSet {
  private readonly indexes: Partial<Record<TileLayer, GeoJSONVT>> = {};

  constructor(
    readonly version: string,
    private readonly load: (layer: TileLayer) => Promise<FeatureCollection>,
  ) {}

  private async index(layer: TileLayer): Promise<GeoJSONVT> {
    let idx = this.indexes[layer];
    if (!idx) {
      idx = new GeoJSONVT(await this.load(layer), {
        maxZoom: TILE_MAX_ZOOM,
        indexMaxZoom: 5,
        // ~0.5 px at 4096 extent: boundaries stay crisp at the zoom they are drawn.
        tolerance: 2,
        extent: 4096,
        buffer: 64,
      });
      this.indexes[layer] = idx;
    }
    return idx;
  }

  /** The tile's protobuf, or null when no layer has anything there. */
  async tile(z: number, x: number, y: number): Promise<Uint8Array | null> {
    const layers: Record<string, NonNullable<ReturnType<GeoJSONVT['getTile']>>> = {};
    for (const layer of Object.keys(LAYER_MIN_ZOOM) as TileLayer[]) {
      if (z < LAYER_MIN_ZOOM[layer]) continue;
      const t = (await this.index(layer)).getTile(z, x, y);
      if (t && t.features.length > 0) layers[layer] = t;
    }
    if (Object.keys(layers).length === 0) return null;
    return fromGeojsonVt(layers as never, { version: 2, extent: 4096 });
  }
}
