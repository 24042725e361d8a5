/**
 * Areas for benchmarks before the demo county exists in the database: the real county
 * outline, cut into hexagons by PostGIS in UTM 49N sized to Mayang's counts (18 townships,
 * ≈223 villages, ≈815 grids). Not the demo county; only a load of the right size and shape
 * for point-in-polygon timing.
 */
import { sql } from 'drizzle-orm';
import type { Database } from '../../server/db/database.ts';
import { counties, warZones } from '../../server/db/schema/index.ts';
import { readCountyOutline } from '../geodata/sources.ts';

/** Hexagon edge (m) giving about `count` cells over an area of `areaM2`. */
const edgeFor = (areaM2: number, count: number) =>
  Math.sqrt((2 * areaM2) / (3 * Math.sqrt(3) * count));

export async function seedBenchAreas(database: Database): Promise<{ grids: number }> {
  const outline = readCountyOutline();
  await database.db
    .insert(counties)
    .values({ code: '431226', name: outline.properties.name, geom: outline.geometry });
  const [zone] = await database.db
    .insert(warZones)
    .values({ name: '基准战区', countyCode: '431226', geom: outline.geometry })
    .returning({ id: warZones.id });
  const [{ area } = { area: 0 }] = await database.query<{ area: number }>(
    sql`SELECT ST_Area(ST_Transform(geom, 32649)) AS area FROM counties`,
  );
  const cells = (table: string, count: number) => sql`
    SELECT row_number() OVER () AS n,
           ST_Multi(ST_Transform(ST_CollectionExtract(ST_Intersection(h.geom, c.g), 3), 4326)) AS geom,
           ST_Transform(ST_PointOnSurface(ST_Intersection(h.geom, c.g)), 4326) AS seat
    FROM (SELECT ST_Transform(geom, 32649) AS g FROM counties) c,
         ST_HexagonGrid(${edgeFor(area, count)}, c.g) h
    WHERE ST_Intersects(h.geom, c.g) AND NOT ST_IsEmpty(ST_CollectionExtract(ST_Intersection(h.geom, c.g), 3))
    -- ${sql.raw(table)}
  `;
  await database.query(sql`
    INSERT INTO townships (code, name, kind, war_zone_id, seat, geom)
    SELECT '431226' || lpad((100 + n)::text, 3, '0'), '基准乡镇' || n, '乡', ${zone?.id ?? 0}, seat, geom
    FROM (${cells('townships', 18)}) t`);
  await database.query(sql`
    INSERT INTO villages (code, name, kind, township_code, seat, geom)
    SELECT t.code || lpad(v.n::text, 3, '0'), '基准村' || v.n, '村', t.code, v.seat, v.geom
    FROM (${cells('villages', 223)}) v
    JOIN LATERAL (SELECT code FROM townships WHERE ST_Intersects(townships.geom, v.seat) LIMIT 1) t ON true`);
  await database.query(sql`
    INSERT INTO grids (code, village_code, township_code, area_ha, synthetic, geom)
    SELECT v.code || lpad(g.n::text, 4, '0'), v.code, v.township_code,
           ST_Area(g.geom::geography) / 10000, true, g.geom
    FROM (${cells('grids', 815)}) g
    JOIN LATERAL (SELECT code, township_code FROM villages WHERE ST_Intersects(villages.geom, g.seat) LIMIT 1) v ON true`);
  const [{ n } = { n: 0 }] = await database.query<{ n: number }>(
    sql`SELECT count(*)::int AS n FROM grids`,
  );
  return { grids: n };
}

/** Deterministic points over the county's bounding box (some fall outside it, as real input does). */
export function benchPoints(count: number, seed = 42): [number, number][] {
  let s = seed >>> 0;
  const rand = () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
  const [w, so, e, n] = [109.45, 27.55, 110.05, 28.15];
  return Array.from({ length: count }, () => [w + rand() * (e - w), so + rand() * (n - so)]);
}
