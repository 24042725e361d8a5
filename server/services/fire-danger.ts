/**
 * Weather in, danger out: validates and stores daily weather, then computes the danger of
 * every township and grid for the days the weather reaches (today and the next 3 with a
 * forecast), from a week back so the table can show the run-up. A township with its own
 * weather rows uses them (and so do its grids); every other place takes the stations' values
 * weighted by inverse distance (danger-series.ts).
 */

import {
  type DayWeather,
  dangerSeries,
  dateRange,
  interpolatedSeries,
} from '../domain/fire-danger/danger-series.ts';
import type { DangerSystem } from '../domain/fire-danger/lyt1172.ts';
import {
  addDays,
  beijingDate,
  type RowProblem,
  validateWeatherRows,
  type WeatherKind,
} from '../domain/fire-danger/weather-input.ts';
import type { FireDangerRepository } from '../repositories/fire-danger-repository.ts';

export interface FireDangerSettings {
  system: DangerSystem;
  /** G of LY/T 1172 by month, January first. */
  gByMonth: readonly number[];
}

/** Danger is kept from this many days before today. */
export const DANGER_HISTORY_DAYS = 7;
/** Weather read before the first day computed, for the dry-day count and the FWI's memory. */
export const WEATHER_SPINUP_DAYS = 45;

export function createFireDangerService(
  repo: FireDangerRepository,
  settings: FireDangerSettings,
  now: () => Date = () => new Date(),
) {
  async function recompute(changedFrom?: string): Promise<{ dates: string[]; rows: number }> {
    const today = beijingDate(now());
    const { lastDate } = await repo.latestWeather();
    if (!lastDate) return { dates: [], rows: 0 };
    const floor = addDays(today, -DANGER_HISTORY_DAYS);
    const outFrom = changedFrom && changedFrom > floor ? changedFrom : floor;
    if (outFrom > lastDate) return { dates: [], rows: 0 };
    const spinFrom = addDays(outFrom, -WEATHER_SPINUP_DAYS);
    const weather = await repo.weatherFrom(spinFrom);
    const stations = (await repo.stations()).flatMap((s) => {
      const days = weather.stations.get(s.id);
      return days ? [{ at: s.location, days }] : [];
    });
    const places = await repo.places();
    const dates = dateRange(spinFrom, lastDate);
    const outDates = dates.filter((d) => d >= outFrom);
    const rows: Parameters<FireDangerRepository['replaceDanger']>[1][number][] = [];
    const seriesAt = (townshipCode: string, at: [number, number]): DayWeather[] => {
      const own = weather.townships.get(townshipCode);
      if (own) return dates.flatMap((d) => (own.has(d) ? [own.get(d) as DayWeather] : []));
      return stations.length > 0 ? interpolatedSeries(at, stations, dates) : [];
    };
    for (const [list, isGrid] of [
      [places.townships, false],
      [places.grids, true],
    ] as const)
      for (const p of list)
        for (const d of dangerSeries(seriesAt(p.townshipCode, p.at), settings))
          if (d.date >= outFrom)
            rows.push({ townshipCode: p.townshipCode, gridCode: isGrid ? p.code : null, d });
    await repo.replaceDanger(outDates, rows);
    return { dates: outDates, rows: rows.length };
  }

  return {
    settings,
    recompute,

    /**
     * Validates rows of daily weather (every problem with its row and field), refuses unknown
     * stations and townships, stores the rest all or nothing, and recomputes the danger from
     * the earliest day they touch.
     * @param rowNumbers row numbers to name in problems (CSV lines); default 1, 2, …
     */
    async ingest(
      kind: WeatherKind,
      input: unknown,
      rowNumbers?: readonly number[],
    ): Promise<{ accepted: number; problems: RowProblem[]; dates: string[] }> {
      const { rows, problems } = validateWeatherRows(input, kind, now(), rowNumbers);
      const stations = new Set((await repo.stations()).map((s) => s.id));
      const townships = await repo.townshipCodes();
      if (Array.isArray(input))
        input.forEach((raw, i) => {
          const r = (raw ?? {}) as Record<string, unknown>;
          const row = rowNumbers?.[i] ?? i + 1;
          if (
            typeof r.stationId === 'string' &&
            r.stationId.trim() &&
            !stations.has(r.stationId.trim())
          )
            problems.push({ row, field: 'stationId', message: `no station ${r.stationId}` });
          if (
            typeof r.townshipCode === 'string' &&
            /^\d{9}$/.test(r.townshipCode) &&
            !townships.has(r.townshipCode)
          )
            problems.push({
              row,
              field: 'townshipCode',
              message: `no township ${r.townshipCode} in the county`,
            });
        });
      if (problems.length > 0) {
        problems.sort((a, b) => a.row - b.row);
        return { accepted: 0, problems, dates: [] };
      }
      await repo.insertWeather(rows);
      const from = rows.map((r) => r.date).sort()[0];
      const { dates } = await recompute(from);
      return { accepted: rows.length, problems: [], dates };
    },
  };
}

export type FireDangerService = ReturnType<typeof createFireDangerService>;
