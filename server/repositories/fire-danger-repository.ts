/**
 * SQL of fire weather and danger: weather stations, daily weather observed and forecast, and
 * the danger computed from it per township and per grid (fire_danger_forecasts), kept with
 * the issue time of the weather it came from.
 */
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { DangerRow, GridDangerDay } from '../contract/danger.ts';
import type { Database } from '../db/database.ts';
import type { DayDanger, DayWeather } from '../domain/fire-danger/danger-series.ts';
import type { DangerLevel } from '../domain/fire-danger/lyt1172.ts';
import type { DailyWeather } from '../domain/fire-danger/weather-input.ts';

export interface Station {
  id: string;
  name: string;
  townshipCode: string | null;
  elevationM: number | null;
  synthetic: boolean;
  location: [number, number];
}

export interface DangerPlace {
  code: string;
  name: string;
  townshipCode: string;
  at: [number, number];
}

/** A day's wind direction on record and the row it came from. */
export interface WindFromRecord {
  /** Degrees the wind blows from (0 north, 90 east). */
  deg: number;
  kind: 'observation' | 'forecast';
  /** The station that reported it, or null for a township's own row. */
  stationId: string | null;
  townshipCode: string | null;
  /** The station's name, or the township's. */
  name: string | null;
  date: string;
  issuedAt: string;
}

const iso = (v: unknown) => new Date(v as string).toISOString();
const day = (v: unknown) =>
  v instanceof Date ? v.toISOString().slice(0, 10) : String(v).slice(0, 10);

export function createFireDangerRepository(database: Database) {
  return {
    async stations(): Promise<Station[]> {
      const rows = await database.query<Record<string, unknown>>(sql`
        SELECT id, name, township_code, elevation_m, synthetic, ST_X(geom) AS lon, ST_Y(geom) AS lat
        FROM weather_stations ORDER BY id`);
      return rows.map((r) => ({
        id: r.id as string,
        name: r.name as string,
        townshipCode: (r.township_code as string | null) ?? null,
        elevationM: r.elevation_m === null ? null : Number(r.elevation_m),
        synthetic: Boolean(r.synthetic),
        location: [Number(r.lon), Number(r.lat)],
      }));
    },

    /** Adds or moves stations; the township is found by point-in-polygon. */
    async upsertStations(list: Omit<Station, 'townshipCode'>[]): Promise<void> {
      for (const s of list)
        await database.query(sql`
          INSERT INTO weather_stations (id, name, elevation_m, synthetic, geom, township_code)
          SELECT ${s.id}, ${s.name}, ${s.elevationM}, ${s.synthetic}, p.g,
                 (SELECT code FROM townships t WHERE ST_Intersects(t.geom, p.g) LIMIT 1)
          FROM (SELECT ST_SetSRID(ST_MakePoint(${s.location[0]}, ${s.location[1]}), 4326) AS g) p
          ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, elevation_m = EXCLUDED.elevation_m,
            synthetic = EXCLUDED.synthetic, geom = EXCLUDED.geom, township_code = EXCLUDED.township_code`);
    },

    async townshipCodes(): Promise<Set<string>> {
      const rows = await database.query<{ code: string }>(sql`SELECT code FROM townships`);
      return new Set(rows.map((r) => r.code));
    },

    async insertWeather(rows: readonly DailyWeather[]): Promise<void> {
      await database.transaction(async (q) => {
        for (let i = 0; i < rows.length; i += 200) {
          const values = rows
            .slice(i, i + 200)
            .map(
              (r) =>
                sql`(${r.kind}, ${r.stationId}, ${r.townshipCode}, ${r.date}::date, ${r.issuedAt}::timestamptz, ${r.tmaxC}, ${r.rh14Pct}, ${r.windMs}, ${r.rainMm}, ${r.windFromDeg})`,
            );
          await q(sql`
            INSERT INTO weather_daily (kind, station_id, township_code, valid_date, issued_at, tmax_c, rh14_pct, wind_ms, rain_mm, wind_from_deg)
            VALUES ${sql.join(values, sql`, `)}`);
        }
      });
    },

    /**
     * The best weather per place and day from `from` on: the day's observation when there is
     * one, else its latest forecast. Keyed by station id or township code.
     */
    async weatherFrom(from: string): Promise<{
      stations: Map<string, Map<string, DayWeather>>;
      townships: Map<string, Map<string, DayWeather>>;
    }> {
      const rows = await database.query<Record<string, unknown>>(sql`
        SELECT DISTINCT ON (station_id, township_code, valid_date)
          station_id, township_code, valid_date::text AS valid_date, issued_at, tmax_c, rh14_pct, wind_ms, rain_mm
        FROM weather_daily WHERE valid_date >= ${from}::date
        ORDER BY station_id, township_code, valid_date, (kind = 'observation') DESC, issued_at DESC, id DESC`);
      const stations = new Map<string, Map<string, DayWeather>>();
      const townships = new Map<string, Map<string, DayWeather>>();
      for (const r of rows) {
        const key = (r.station_id ?? r.township_code) as string;
        const into = r.station_id ? stations : townships;
        let m = into.get(key);
        if (!m) {
          m = new Map();
          into.set(key, m);
        }
        const date = day(r.valid_date);
        m.set(date, {
          date,
          issuedAt: iso(r.issued_at),
          tmaxC: Number(r.tmax_c),
          rh14Pct: Number(r.rh14_pct),
          windMs: Number(r.wind_ms),
          rainMm: Number(r.rain_mm),
        });
      }
      return { stations, townships };
    },

    /**
     * What a fire-spread projection reads from the day's weather at a place: the grid's FFMC
     * (else its township's), and the day's maximum wind: its township's own (an observation
     * before a forecast, a township row before its stations', the latest issue first), else,
     * for a township with no weather of its own, the nearest station's or township's to the
     * point `at` in the same order. The wind's direction comes from the first row in that
     * order that reports one (so from the row the speed came from, when it has a direction),
     * with where and when it was reported. Nulls where nothing is on record.
     */
    async spreadWeather(
      gridCode: string | null,
      townshipCode: string | null,
      date: string,
      at: [number, number],
    ): Promise<{ ffmc: number | null; windMs: number | null; windFrom: WindFromRecord | null }> {
      const [f] = await database.query<{ ffmc: number | null }>(sql`
        SELECT ffmc FROM fire_danger_forecasts
        WHERE valid_date = ${date}::date AND ffmc IS NOT NULL
          AND (grid_code = ${gridCode} OR (grid_code IS NULL AND township_code = ${townshipCode}))
        ORDER BY (grid_code IS NULL), issued_at DESC LIMIT 1`);
      const rows = sql`weather_daily w
        LEFT JOIN weather_stations s ON s.id = w.station_id
        LEFT JOIN townships t ON t.code = w.township_code
        WHERE w.valid_date = ${date}::date`;
      const own = sql`((w.township_code = ${townshipCode} OR s.township_code = ${townshipCode}) IS TRUE)`;
      const point = sql`ST_SetSRID(ST_MakePoint(${at[0]}, ${at[1]}), 4326)::geography`;
      const distance = sql`ST_Distance(COALESCE(s.geom, t.seat, ST_PointOnSurface(t.geom))::geography, ${point})`;
      const order = sql`ORDER BY ${own} DESC, (w.kind <> 'observation'),
        CASE WHEN ${own} THEN 0 ELSE ${distance} END, (w.station_id IS NOT NULL),
        w.issued_at DESC, w.id DESC LIMIT 1`;
      const [w] = await database.query<{ wind_ms: number | null }>(
        sql`SELECT w.wind_ms FROM ${rows} ${order}`,
      );
      const [d] = await database.query<Record<string, unknown>>(sql`
        SELECT w.wind_from_deg, w.kind, w.station_id, w.township_code, w.valid_date::text AS valid_date,
               w.issued_at, COALESCE(s.name, t.name) AS name
        FROM ${rows} AND w.wind_from_deg IS NOT NULL ${order}`);
      return {
        ffmc: f?.ffmc === null || f?.ffmc === undefined ? null : Number(f.ffmc),
        windMs: w?.wind_ms === null || w?.wind_ms === undefined ? null : Number(w.wind_ms),
        windFrom: d
          ? {
              deg: Number(d.wind_from_deg),
              kind: d.kind as WindFromRecord['kind'],
              stationId: (d.station_id as string | null) ?? null,
              townshipCode: (d.township_code as string | null) ?? null,
              name: (d.name as string | null) ?? null,
              date: day(d.valid_date),
              issuedAt: iso(d.issued_at),
            }
          : null,
      };
    },

    async latestWeather(): Promise<{
      issuedAt: string | null;
      receivedAt: string | null;
      lastDate: string | null;
    }> {
      const [r] = await database.query<Record<string, unknown>>(sql`
        SELECT max(issued_at) AS issued_at, max(received_at) AS received_at, max(valid_date)::text AS last_date
        FROM weather_daily`);
      return {
        issuedAt: r?.issued_at ? iso(r.issued_at) : null,
        receivedAt: r?.received_at ? iso(r.received_at) : null,
        lastDate: r?.last_date ? day(r.last_date) : null,
      };
    },

    /** Townships at their seat (or a point on them), grids at a point on them. */
    async places(): Promise<{ townships: DangerPlace[]; grids: DangerPlace[] }> {
      const t = await database.query<Record<string, unknown>>(sql`
        SELECT code, name, ST_X(p) AS lon, ST_Y(p) AS lat
        FROM (SELECT code, name, COALESCE(seat, ST_PointOnSurface(geom)) AS p FROM townships) x ORDER BY code`);
      const g = await database.query<Record<string, unknown>>(sql`
        SELECT g.code, v.name AS village, g.township_code, ST_X(p) AS lon, ST_Y(p) AS lat
        FROM (SELECT code, village_code, township_code, ST_PointOnSurface(geom) AS p FROM grids) g
        JOIN villages v ON v.code = g.village_code ORDER BY g.code`);
      return {
        townships: t.map((r) => ({
          code: r.code as string,
          name: r.name as string,
          townshipCode: r.code as string,
          at: [Number(r.lon), Number(r.lat)],
        })),
        grids: g.map((r) => ({
          code: r.code as string,
          name: `${r.village as string}${(r.code as string).slice(-3)}网格`,
          townshipCode: r.township_code as string,
          at: [Number(r.lon), Number(r.lat)],
        })),
      };
    },

    /** Replaces the danger of the dates given, for every township and grid, in one transaction. */
    async replaceDanger(
      dates: readonly string[],
      rows: readonly { townshipCode: string; gridCode: string | null; d: DayDanger }[],
    ): Promise<void> {
      if (dates.length === 0) return;
      await database.transaction(async (q) => {
        await q(
          sql`DELETE FROM fire_danger_forecasts WHERE valid_date IN (${sql.join(
            dates.map((d) => sql`${d}::date`),
            sql`, `,
          )})`,
        );
        for (let i = 0; i < rows.length; i += 300) {
          const values = rows
            .slice(i, i + 300)
            .map(
              ({ townshipCode, gridCode, d }) =>
                sql`(${d.issuedAt}::timestamptz, ${d.date}::date, ${townshipCode}, ${gridCode}, ${d.level}, ${d.ffmc}, ${d.dmc}, ${d.dc}, ${d.isi}, ${d.bui}, ${d.fwi}, ${d.index}, ${JSON.stringify(d.components)}::jsonb, ${d.lytLevel}, ${d.fwiLevel})`,
            );
          await q(sql`
            INSERT INTO fire_danger_forecasts (issued_at, valid_date, township_code, grid_code, level, ffmc, dmc, dc, isi, bui, fwi, danger_index, components, lyt_level, fwi_level)
            VALUES ${sql.join(values, sql`, `)}`);
        }
      });
    },

    /** Danger of one day per township or per grid. */
    async danger(date: string, level: 'township' | 'grid'): Promise<DangerRow[]> {
      const rows =
        level === 'township'
          ? await database.query<Record<string, unknown>>(sql`
              SELECT f.township_code AS code, t.name, f.level, f.danger_index, f.fwi, f.issued_at
              FROM fire_danger_forecasts f JOIN townships t ON t.code = f.township_code
              WHERE f.valid_date = ${date}::date AND f.grid_code IS NULL AND f.township_code IS NOT NULL
              ORDER BY f.township_code`)
          : await database.query<Record<string, unknown>>(sql`
              SELECT f.grid_code AS code, v.name || right(f.grid_code, 3) || '网格' AS name, f.level,
                     f.danger_index, f.fwi, f.issued_at
              FROM fire_danger_forecasts f JOIN grids g ON g.code = f.grid_code
              JOIN villages v ON v.code = g.village_code
              WHERE f.valid_date = ${date}::date AND f.grid_code IS NOT NULL
              ORDER BY f.grid_code`);
      return rows.map((r) => ({
        code: r.code as string,
        name: r.name as string,
        // 1–5: a CHECK of fire_danger_forecasts.
        level: Number(r.level) as DangerLevel,
        index: Number(r.danger_index),
        fwi: Math.round(Number(r.fwi) * 10) / 10,
        issuedAt: iso(r.issued_at),
      }));
    },

    /**
     * The highest grid level on `date`, and the townships that hold a grid at `minLevel` or
     * above (a grid's own weather may be worse than its township's).
     */
    async gridsAtOrAbove(
      date: string,
      minLevel: number,
    ): Promise<{ highest: number; townships: string[] }> {
      const [r] = await database.query<{ highest: number | null; names: string[] | null }>(sql`
        SELECT max(f.level)::int AS highest,
               json_agg(DISTINCT t.name) FILTER (WHERE f.level >= ${minLevel}) AS names
        FROM fire_danger_forecasts f JOIN grids g ON g.code = f.grid_code
        JOIN townships t ON t.code = g.township_code
        WHERE f.valid_date = ${date}::date AND f.grid_code IS NOT NULL`);
      return { highest: Number(r?.highest ?? 0), townships: r?.names ?? [] };
    },

    /** One grid's danger for the days from `from` (its card). */
    async gridDanger(code: string, from: string): Promise<GridDangerDay[]> {
      const rows = await database.query<Record<string, unknown>>(sql`
        SELECT valid_date::text AS date, level, danger_index, fwi, components, lyt_level, fwi_level, issued_at
        FROM fire_danger_forecasts WHERE grid_code = ${code} AND valid_date >= ${from}::date
        ORDER BY valid_date LIMIT 4`);
      return rows.map((r) => ({
        date: day(r.date),
        level: Number(r.level) as DangerLevel,
        index: Number(r.danger_index),
        fwi: Math.round(Number(r.fwi) * 10) / 10,
        components: r.components as Record<string, number>,
        lytLevel: Number(r.lyt_level),
        fwiLevel: Number(r.fwi_level),
        issuedAt: iso(r.issued_at),
      }));
    },

    /** Crews on duty (standby or out) and those out on a fire now, for the wall's strip. */
    async crewsOnDuty(): Promise<{ onDuty: number; deployed: number }> {
      const [r] = await database.query<Record<string, unknown>>(sql`
        SELECT count(*) FILTER (WHERE status <> 'returning') AS on_duty,
               count(*) FILTER (WHERE status IN ('dispatched', 'en_route', 'on_scene')) AS deployed
        FROM crews`);
      return { onDuty: Number(r?.on_duty ?? 0), deployed: Number(r?.deployed ?? 0) };
    },

    /** The dates that have danger computed, ascending. */
    async dangerDates(from: string): Promise<string[]> {
      const rows = await database.query<{ d: string }>(sql`
        SELECT DISTINCT valid_date::text AS d FROM fire_danger_forecasts WHERE valid_date >= ${from}::date ORDER BY 1`);
      return rows.map((r) => day(r.d));
    },
  };
}

export type FireDangerRepository = ReturnType<typeof createFireDangerRepository>;

declare module 'fastify' {
  interface FastifyInstance {
    fireDangerRepository: FireDangerRepository;
  }
}

export default fp(
  async (app: FastifyInstance) => {
    app.decorate('fireDangerRepository', createFireDangerRepository(app.database));
  },
  { name: 'fire-danger-repository', dependencies: ['db'] },
);
