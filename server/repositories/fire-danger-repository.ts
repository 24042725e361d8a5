/**
 * Rows of fire weather and danger: weather stations, daily weather observed and forecast, and
 * the danger computed from it per township and per grid (fire_danger_forecasts), kept with
 * the issue time of the weather it came from. Daily weather and danger rows are read and
 * written with the query builder over the schema's typed columns; what reads or writes a
 * place's geometry (stations, the places danger is computed at, the nearest wind) and what
 * sums up (the latest issue, the highest grid level, crews on duty) stays raw SQL.
 */
import { and, desc, eq, gte, inArray, isNotNull, isNull, or, sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { DangerRow, GridDangerDay } from '../contract/danger.ts';
import type { Database } from '../db/database.ts';
import { grids, townships, villages } from '../db/schema/admin.ts';
import { fireDangerForecasts, weatherDaily } from '../db/schema/weather.ts';
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
  const { db } = database;
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
      const rows = await db.select({ code: townships.code }).from(townships);
      return new Set(rows.map((r) => r.code));
    },

    async insertWeather(rows: readonly DailyWeather[]): Promise<void> {
      await database.transaction(async (q) => {
        for (let i = 0; i < rows.length; i += 200)
          await q.db.insert(weatherDaily).values(
            rows.slice(i, i + 200).map((r) => ({
              kind: r.kind,
              stationId: r.stationId,
              townshipCode: r.townshipCode,
              validDate: r.date,
              issuedAt: new Date(r.issuedAt),
              tmaxC: r.tmaxC,
              rh14Pct: r.rh14Pct,
              windMs: r.windMs,
              rainMm: r.rainMm,
              windFromDeg: r.windFromDeg,
            })),
          );
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
      const w = weatherDaily;
      const rows = await db
        .selectDistinctOn([w.stationId, w.townshipCode, w.validDate], {
          stationId: w.stationId,
          townshipCode: w.townshipCode,
          date: w.validDate,
          issuedAt: w.issuedAt,
          tmaxC: w.tmaxC,
          rh14Pct: w.rh14Pct,
          windMs: w.windMs,
          rainMm: w.rainMm,
        })
        .from(w)
        .where(gte(w.validDate, from))
        .orderBy(
          w.stationId,
          w.townshipCode,
          w.validDate,
          desc(sql`${w.kind} = 'observation'`),
          desc(w.issuedAt),
          desc(w.id),
        );
      const stations = new Map<string, Map<string, DayWeather>>();
      const townships = new Map<string, Map<string, DayWeather>>();
      for (const { stationId, townshipCode, ...r } of rows) {
        const key = (stationId ?? townshipCode) as string;
        const into = stationId ? stations : townships;
        let m = into.get(key);
        if (!m) {
          m = new Map();
          into.set(key, m);
        }
        m.set(r.date, { ...r, issuedAt: r.issuedAt.toISOString() });
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
      const fd = fireDangerForecasts;
      const [f] = await db
        .select({ ffmc: fd.ffmc })
        .from(fd)
        .where(
          and(
            eq(fd.validDate, date),
            isNotNull(fd.ffmc),
            // A null code names no row, as `= NULL` never holds.
            or(
              gridCode === null ? sql`FALSE` : eq(fd.gridCode, gridCode),
              townshipCode === null
                ? sql`FALSE`
                : and(isNull(fd.gridCode), eq(fd.townshipCode, townshipCode)),
            ),
          ),
        )
        .orderBy(isNull(fd.gridCode), desc(fd.issuedAt))
        .limit(1);
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
        ffmc: f?.ffmc ?? null,
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
        await q.db
          .delete(fireDangerForecasts)
          .where(inArray(fireDangerForecasts.validDate, [...dates]));
        for (let i = 0; i < rows.length; i += 300)
          await q.db.insert(fireDangerForecasts).values(
            rows.slice(i, i + 300).map(({ townshipCode, gridCode, d }) => ({
              issuedAt: new Date(d.issuedAt),
              validDate: d.date,
              townshipCode,
              gridCode,
              level: d.level,
              ffmc: d.ffmc,
              dmc: d.dmc,
              dc: d.dc,
              isi: d.isi,
              bui: d.bui,
              fwi: d.fwi,
              dangerIndex: d.index,
              components: d.components,
              lytLevel: d.lytLevel,
              fwiLevel: d.fwiLevel,
            })),
          );
      });
    },

    /** Danger of one day per township or per grid. */
    async danger(date: string, level: 'township' | 'grid'): Promise<DangerRow[]> {
      const f = fireDangerForecasts;
      const figures = {
        level: f.level,
        dangerIndex: f.dangerIndex,
        fwi: f.fwi,
        issuedAt: f.issuedAt,
      };
      const rows =
        level === 'township'
          ? await db
              .select({ code: townships.code, name: townships.name, ...figures })
              .from(f)
              .innerJoin(townships, eq(townships.code, f.townshipCode))
              .where(and(eq(f.validDate, date), isNull(f.gridCode), isNotNull(f.townshipCode)))
              .orderBy(f.townshipCode)
          : (
              await db
                .select({ code: grids.code, village: villages.name, ...figures })
                .from(f)
                .innerJoin(grids, eq(grids.code, f.gridCode))
                .innerJoin(villages, eq(villages.code, grids.villageCode))
                .where(and(eq(f.validDate, date), isNotNull(f.gridCode)))
                .orderBy(f.gridCode)
            ).map(({ village, ...r }) => ({ ...r, name: `${village}${r.code.slice(-3)}网格` }));
      return rows.map((r) => ({
        code: r.code,
        name: r.name,
        // 1–5: a CHECK of fire_danger_forecasts.
        level: r.level as DangerLevel,
        index: Number(r.dangerIndex),
        fwi: Math.round(Number(r.fwi) * 10) / 10,
        issuedAt: r.issuedAt.toISOString(),
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
      const f = fireDangerForecasts;
      const rows = await db
        .select({
          date: f.validDate,
          level: f.level,
          index: f.dangerIndex,
          fwi: f.fwi,
          components: f.components,
          lytLevel: f.lytLevel,
          fwiLevel: f.fwiLevel,
          issuedAt: f.issuedAt,
        })
        .from(f)
        .where(and(eq(f.gridCode, code), gte(f.validDate, from)))
        .orderBy(f.validDate)
        .limit(4);
      return rows.map((r) => ({
        ...r,
        level: r.level as DangerLevel,
        index: Number(r.index),
        fwi: Math.round(Number(r.fwi) * 10) / 10,
        components: r.components as Record<string, number>,
        lytLevel: Number(r.lytLevel),
        fwiLevel: Number(r.fwiLevel),
        issuedAt: r.issuedAt.toISOString(),
      }));
    },

    /** Crews on duty (standby or out) and those out on a fire now, for the wall's strip. */
    /** Crews on duty and committed; `countyCode`: of one county of a province. */
    async crewsOnDuty(countyCode?: string): Promise<{ onDuty: number; deployed: number }> {
      const [r] = await database.query<Record<string, unknown>>(sql`
        SELECT count(*) FILTER (WHERE status <> 'returning') AS on_duty,
               count(*) FILTER (WHERE status IN ('dispatched', 'en_route', 'on_scene')) AS deployed
        FROM crews
        WHERE ${countyCode ? sql`left(township_code, 6) = ${countyCode}` : sql`TRUE`}`);
      return { onDuty: Number(r?.on_duty ?? 0), deployed: Number(r?.deployed ?? 0) };
    },

    /** The dates that have danger computed, ascending. */
    async dangerDates(from: string): Promise<string[]> {
      const f = fireDangerForecasts;
      const rows = await db
        .selectDistinct({ d: f.validDate })
        .from(f)
        .where(gte(f.validDate, from))
        .orderBy(f.validDate);
      return rows.map((r) => r.d);
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
