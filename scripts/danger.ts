/**
 * `npm run --silent danger -- --tmax 22 --rh 30 --dry-days 5 --wind-ms 4.0 [--g 0]`
 *
 * Prints the LY/T 1172-1995 forest-fire weather danger index of one day as one JSON line:
 * {"index":72,"level":3,"components":{"A":16,"B":16,"C":25,"E":15,"G":0}}.
 * --tmax daily maximum temperature °C, --rh relative humidity at 14:00 %, --dry-days
 * consecutive days without precipitation, --wind-ms the day's maximum 10 m wind m/s, --g the
 * county's season correction (default 0). Bad arguments: a message on stderr, exit code 2.
 */
import { parseArgs } from 'node:util';
import { lyt1172 } from '../server/domain/fire-danger/lyt1172.ts';

function fail(message: string): never {
  process.stderr.write(`danger: ${message}\n`);
  process.exit(2);
}

const OPTIONS = {
  tmax: { type: 'string' },
  rh: { type: 'string' },
  'dry-days': { type: 'string' },
  'wind-ms': { type: 'string' },
  g: { type: 'string', default: '0' },
} as const;
let args: ReturnType<typeof parseArgs<{ options: typeof OPTIONS }>>['values'];
try {
  args = parseArgs({ options: OPTIONS, allowPositionals: false }).values;
} catch (err) {
  fail((err as Error).message);
}

function num(
  name: keyof typeof OPTIONS,
  lo: number,
  hi: number,
  example: string,
  integer = false,
): number {
  const raw = args[name];
  const v = Number(raw);
  if (
    raw === undefined ||
    raw.trim() === '' ||
    !Number.isFinite(v) ||
    v < lo ||
    v > hi ||
    (integer && !Number.isInteger(v))
  )
    fail(
      `--${name} must be ${integer ? 'a whole number' : 'a number'} from ${lo} to ${hi}, e.g. --${name} ${example}`,
    );
  return v;
}

const result = lyt1172({
  tmaxC: num('tmax', -60, 60, '22'),
  rh14Pct: num('rh', 0, 100, '30'),
  dryDays: num('dry-days', 0, 366, '5', true),
  windMs: num('wind-ms', 0, 120, '4.0'),
  g: num('g', -100, 100, '0', true),
});
process.stdout.write(`${JSON.stringify(result)}\n`);
