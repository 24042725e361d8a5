/**
 * `npm run --silent fwi [-- --ffmc 85 --dmc 6 --dc 15] < in.csv`
 *
 * Runs the Canadian FWI System (server/domain/fire-danger/fwi.ts) over daily noon weather in
 * order. Input: CSV whose header holds mth, day, temp (°C), rh (%), ws (km/h), pr (mm, 24 h);
 * other columns are carried through unchanged. Output on stdout: CSV with the input columns
 * plus ffmc, dmc, dc, isi, bui, fwi to 4 decimals (an input column already named one of these,
 * such as the expected values of a reference table, is replaced by the computed one).
 * Start codes FFMC 85, DMC 6, DC 15 unless the flags say otherwise. Bad input: a message
 * naming the line and column on stderr, exit code 2.
 */
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { csvCell, parseCsv } from '../server/domain/csv.ts';
import { FWI_START, fwiDay } from '../server/domain/fire-danger/fwi.ts';

function fail(message: string): never {
  process.stderr.write(`fwi: ${message}\n`);
  process.exit(2);
}

const OPTIONS = {
  ffmc: { type: 'string' },
  dmc: { type: 'string' },
  dc: { type: 'string' },
} as const;
let args: ReturnType<typeof parseArgs<{ options: typeof OPTIONS }>>['values'];
try {
  args = parseArgs({ options: OPTIONS, allowPositionals: false }).values;
} catch (err) {
  fail((err as Error).message);
}
function start(name: 'ffmc' | 'dmc' | 'dc', max: number): number {
  const raw = args[name];
  if (raw === undefined) return FWI_START[name];
  const v = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(v) || v < 0 || v > max)
    fail(`--${name} must be a number from 0 to ${max}, got "${raw}"`);
  return v;
}
let prev = { ffmc: start('ffmc', 101), dmc: start('dmc', 10_000), dc: start('dc', 10_000) };

const OUT = ['ffmc', 'dmc', 'dc', 'isi', 'bui', 'fwi'] as const;
const table = parseCsv(fs.readFileSync(0, 'utf8'));
const col = (name: string) => {
  const i = table.header.findIndex((h) => h.toLowerCase() === name);
  if (i < 0) fail(`the header has no column "${name}" (needs mth,day,temp,rh,ws,pr)`);
  return i;
};
const at = {
  mth: col('mth'),
  day: col('day'),
  temp: col('temp'),
  rh: col('rh'),
  ws: col('ws'),
  pr: col('pr'),
};
const kept = table.header
  .map((h, i) => ({ h, i }))
  .filter(({ h }) => !(OUT as readonly string[]).includes(h.toLowerCase()));

const lines = [[...kept.map(({ h }) => csvCell(h)), ...OUT].join(',')];
for (const { line, cells } of table.rows) {
  const num = (name: keyof typeof at, lo: number, hi: number) => {
    const raw = (cells[at[name]] ?? '').trim();
    const v = Number(raw);
    if (raw === '' || !Number.isFinite(v) || v < lo || v > hi)
      fail(`line ${line}, column ${name}: expected a number from ${lo} to ${hi}, got "${raw}"`);
    return v;
  };
  const month = num('mth', 1, 12);
  if (!Number.isInteger(month)) fail(`line ${line}, column mth: expected a month 1–12`);
  num('day', 1, 31);
  const today = fwiDay(prev, {
    month,
    tempC: num('temp', -60, 60),
    rhPct: num('rh', 0, 100),
    windKmh: num('ws', 0, 500),
    rainMm: num('pr', 0, 2000),
  });
  lines.push(
    [...kept.map(({ i }) => csvCell(cells[i] ?? '')), ...OUT.map((k) => today[k].toFixed(4))].join(
      ',',
    ),
  );
  prev = today;
}
process.stdout.write(`${lines.join('\n')}\n`);
