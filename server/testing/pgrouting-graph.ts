/**
 * The county's road graph as pgRouting tables (pgr_road_nodes, pgr_road_edges), built in
 * SQL only from the roads table — independent of the reach engine's own graph building —
 * for the parity test and the benchmark.
 */
import { sql } from 'drizzle-orm';

/** The road graph as pgRouting tables, built in SQL only. */
export const PGR_GRAPH_SQL = [
  sql`CREATE EXTENSION IF NOT EXISTS pgrouting`,
  sql`DROP TABLE IF EXISTS pgr_road_points, pgr_road_nodes, pgr_road_edges`,
  sql`CREATE TABLE pgr_road_points AS
      SELECT r.id AS road, r.speed_kmh, (dp).path[1] AS i,
             round(ST_X((dp).geom)::numeric, 6) AS x, round(ST_Y((dp).geom)::numeric, 6) AS y
      FROM roads r, LATERAL ST_DumpPoints(r.geom) AS dp`,
  sql`CREATE TABLE pgr_road_nodes AS
      SELECT row_number() OVER (ORDER BY x, y) AS id, x, y
      FROM (SELECT DISTINCT x, y FROM pgr_road_points) v`,
  sql`CREATE TABLE pgr_road_edges AS
      SELECT row_number() OVER () AS id, na.id AS source, nb.id AS target,
             ST_Length(ST_MakeLine(ST_SetSRID(ST_MakePoint(a.x, a.y), 4326),
                                   ST_SetSRID(ST_MakePoint(b.x, b.y), 4326))::geography, false)
               / (a.speed_kmh / 3.6) AS cost
      FROM pgr_road_points a
      JOIN pgr_road_points b ON b.road = a.road AND b.i = a.i + 1
      JOIN pgr_road_nodes na ON na.x = a.x AND na.y = a.y
      JOIN pgr_road_nodes nb ON nb.x = b.x AND nb.y = b.y
      WHERE na.id <> nb.id`,
];
