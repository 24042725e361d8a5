/**
 * `npm run weather:import -- --kind observations|forecasts FILE.csv`
 *
 * Imports daily weather from a CSV file into the configured database (like geodata:load: the
 * server must not hold the embedded database meanwhile), then recomputes the fire danger.
 * Header names: stationId (or station) or townshipCode (or township), date (YYYY-MM-DD),
 * issuedAt (ISO with offset; required for forecasts), tmaxC (tmax, °C), rh14Pct (rh14, %),
 * windMs (wind_ms, m/s), rainMm (rain_mm, mm), and optionally windFromDeg (wind_from_deg,
 * wind_dir or 风向): where the wind blows from, in degrees (0 north, 90 east; 360 is north), as a
 * 16-point compass letter (N, NNE, … NNW) or as 北/东北/东/东南/南/西南/西/西北, a station
 * export's C or 静风 or an empty cell for calm. Every problem is printed as
 * "line N, FIELD: message" and nothing is stored unless the whole file is good (exit 1).
 */
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { loadConfig, loadEnvFile } from '../server/config/config.ts';
import { openDatabase } from '../server/db/database.ts';
import { migrate } from '../server/db/migrate.ts';
import { parseCsv } from '../server/domain/csv.ts';
import { CSV_COLUMNS } from '../server/domain/fire-danger/weather-input.ts';
import { createFireDangerRepository } from '../server/repositories/fire-danger-repository.ts';
import { createFireDangerService } from '../server/services/fire-danger.ts';

function fail(message: string): never {
  process.stderr.write(`weather:import: ${message}\n`);
  process.exit(2);
}

const OPTIONS = { kind: { type: 'string' } } as const;
let parsed: ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>;
try {
  parsed = parseArgs({ options: OPTIONS, allowPositionals: true });
} catch (err) {
  fail((err as Error).message);
}
const kind = parsed.values.kind;
if (kind !== 'observations' && kind !== 'forecasts')
  fail('--kind must be observations or forecasts');
const file = parsed.positionals[0];
if (!file || !fs.existsSync(file)) fail('give the CSV file to import, e.g. weather.csv');

const table = parseCsv(fs.readFileSync(file, 'utf8'));
const columns = table.header.map((h) => {
  const key = h.toLowerCase().replace(/\s+/g, '');
  return Object.entries(CSV_COLUMNS).find(([, names]) => names.includes(key))?.[0] ?? h;
});
const rows = table.rows.map(({ cells }) =>
  Object.fromEntries(
    columns.flatMap((c, i) =>
      (cells[i] ?? '').trim() === '' ? [] : [[c, (cells[i] as string).trim()]],
    ),
  ),
);

loadEnvFile('.env');
const config = loadConfig();
const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
try {
  await migrate(database);
  const service = createFireDangerService(createFireDangerRepository(database), {
    system: config.dangerSystem,
    gByMonth: config.dangerSeasonCorrection,
  });
  const result = await service.ingest(
    kind === 'observations' ? 'observation' : 'forecast',
    rows,
    table.rows.map((r) => r.line),
  );
  if (result.problems.length > 0) {
    for (const p of result.problems) {
      // The column as the file names it, where that is not the field's own name.
      const i = columns.indexOf(p.field);
      const header = i >= 0 && table.header[i] !== p.field ? ` (column "${table.header[i]}")` : '';
      console.error(`line ${p.row}, ${p.field}${header}: ${p.message}`);
    }
    console.error('nothing was imported');
    process.exitCode = 1;
  } else
    console.log(
      `imported ${result.accepted} rows; danger recomputed for ${result.dates.length} days (${result.dates[0] ?? '—'} … ${result.dates.at(-1) ?? '—'})`,
    );
} finally {
  await database.close();
}
