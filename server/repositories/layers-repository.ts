/**
 * The county's map layers as GeoJSON, read once per geodata version for tile building.
 * Only what the map draws and its cards need travels in the properties.
 */
import { type SQL, sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import type { Database } from '../db/database.ts';

export const MAP_LAYERS = [
  'outside',
  'county',
  'war_zones',
  'townships',
  'villages',
  'grids',
  'roads',
  'rivers',
  'firebreaks',
  'water_sources',
  'lookouts',
  'key_areas',
  'crews',
  'township_labels',
  'village_labels',
  'grid_labels',
] as const;
export type MapLayer = (typeof MAP_LAYERS)[number];

/** Per layer: SELECT producing `geojson` plus property columns. */
const QUERIES: Record<MapLayer, SQL> = {
  // Everything around the county, so the map can veil it and the county stands out.
  // One veil around all the counties loaded (a province's would cover each other otherwise).
  outside: sql`SELECT ST_AsGeoJSON(ST_Difference(ST_Expand(ST_Envelope(ST_Collect(geom)), 1.5), ST_Union(geom)), 6) AS geojson
               FROM counties HAVING count(*) > 0`,
  county: sql`SELECT code, name, ST_AsGeoJSON(geom, 6) AS geojson FROM counties`,
  // colour_index: the zone's place in the county (0, 1, …), which picks its map colour.
  war_zones: sql`SELECT id, name, (row_number() OVER (ORDER BY id) - 1)::int AS colour_index,
                        ST_AsGeoJSON(geom, 6) AS geojson FROM war_zones ORDER BY id`,
  townships: sql`SELECT t.code, t.name, t.kind, z.name AS war_zone, t.war_zone_id, ST_AsGeoJSON(t.geom, 6) AS geojson
                 FROM townships t JOIN war_zones z ON z.id = t.war_zone_id ORDER BY t.code`,
  villages: sql`SELECT code, name, kind, township_code, ST_AsGeoJSON(geom, 6) AS geojson FROM villages ORDER BY code`,
  grids: sql`SELECT g.code, g.village_code, g.township_code, t.war_zone_id, g.risk_class, g.fuel_type, ST_AsGeoJSON(g.geom, 6) AS geojson
             FROM grids g JOIN townships t ON t.code = g.township_code ORDER BY g.code`,
  roads: sql`SELECT id, class, speed_kmh, bridge, ST_AsGeoJSON(geom, 6) AS geojson FROM roads ORDER BY id`,
  rivers: sql`SELECT id, name, stream_order, ST_AsGeoJSON(geom, 6) AS geojson FROM rivers ORDER BY id`,
  firebreaks: sql`SELECT id, name, width_m, ST_AsGeoJSON(geom, 6) AS geojson FROM firebreaks ORDER BY id`,
  water_sources: sql`SELECT id, name, kind, capacity_m3, ST_AsGeoJSON(geom, 6) AS geojson FROM water_sources ORDER BY id`,
  lookouts: sql`SELECT id, name, camera_kind, height_m, ST_AsGeoJSON(geom, 6) AS geojson FROM lookouts ORDER BY id`,
  key_areas: sql`SELECT id, name, kind, ST_AsGeoJSON(geom, 6) AS geojson FROM key_areas ORDER BY id`,
  // Label anchors: one point per area, so a name is drawn once, not once per tile piece.
  township_labels: sql`SELECT code, name, ST_AsGeoJSON(COALESCE(seat, ST_PointOnSurface(geom)), 6) AS geojson FROM townships ORDER BY code`,
  village_labels: sql`SELECT code, name, kind, ST_AsGeoJSON(COALESCE(seat, ST_PointOnSurface(geom)), 6) AS geojson FROM villages ORDER BY code`,
  grid_labels: sql`SELECT code, ST_AsGeoJSON(ST_PointOnSurface(geom), 6) AS geojson FROM grids ORDER BY code`,
  // Crews' bases only: status and positions are live data (Socket.IO), never in a tile.
  crews: sql`SELECT id, name, level, members, township_code, ST_AsGeoJSON(base, 6) AS geojson FROM crews ORDER BY id`,
};

export function createLayersRepository(database: Database) {
  return {
    async layer(name: MapLayer): Promise<FeatureCollection> {
      const rows = await database.query<Record<string, unknown> & { geojson: string }>(
        QUERIES[name],
      );
      const features: Feature[] = rows.map(({ geojson, ...props }) => ({
        type: 'Feature',
        properties: Object.fromEntries(
          Object.entries(props).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v]),
        ),
        geometry: JSON.parse(geojson) as Geometry,
      }));
      return { type: 'FeatureCollection', features };
    },

    /**
     * Changes whenever the loaded geodata changes (every load touches updated_at and the
     * asset layers are rewritten), so tiles and their ETags follow a reload.
     */
    /** The geodata's version (geodata_version, bumped by triggers: migration 0019). */
    async version(): Promise<string> {
      const [row] = await database.query<{ v: string }>(
        sql`SELECT version::text AS v FROM geodata_version WHERE id = 1`,
      );
      return row?.v ?? 'empty';
    },
  };
}

export type LayersRepository = ReturnType<typeof createLayersRepository>;

declare module 'fastify' {
  interface FastifyInstance {
    layersRepository: LayersRepository;
  }
}

export default fp(
  async (app: FastifyInstance) => {
    app.decorate('layersRepository', createLayersRepository(app.database));
  },
  { name: 'layers-repository', dependencies: ['db'] },
);
