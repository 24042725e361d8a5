/**
 * 红黄黑旗 (domain.md, supervision system; issue 14 item 1): every township and village gets a
 * flag per calendar month from its confirmed fires — none → red 红旗, 1–2 → yellow 黄旗,
 * 3 or more → black 黑旗. The article's wording ("1–2 fires yellow, more than 2 black")
 * overlaps nowhere once read as 0 / 1–2 / ≥3; the two cut-offs are settings so a county that
 * reads it otherwise changes configuration, not code.
 *
 * Months are Asia/Shanghai calendar months (UTC+8 all year, no daylight saving since 1991):
 * a fire reported at 2026-03-31T16:30Z is 1 April 00:30 in Mayang and counts for April.
 * False alarms never count, nor does anything short of confirmation, nor a drill 演练.
 */
import type { LiveEventShape } from './live-events.ts';
import type { IncidentState } from './vocabulary.ts';

export const FLAG_COLOURS = ['red', 'yellow', 'black'] as const;
export type FlagColour = (typeof FLAG_COLOURS)[number];

export const FLAG_LABELS: Readonly<Record<FlagColour, string>> = {
  red: '红旗',
  yellow: '黄旗',
  black: '黑旗',
};

export const FLAG_LEVELS = ['township', 'village'] as const;
export type FlagLevel = (typeof FLAG_LEVELS)[number];

/** Confirmed fires at or above `yellowMin` earn yellow, at or above `blackMin` black. */
export interface FlagThresholds {
  yellowMin: number;
  blackMin: number;
}

export const DEFAULT_FLAG_THRESHOLDS: FlagThresholds = { yellowMin: 1, blackMin: 3 };

/** The flag for a month with `fires` confirmed fires. */
export function flagFor(fires: number, t: FlagThresholds = DEFAULT_FLAG_THRESHOLDS): FlagColour {
  if (fires >= t.blackMin) return 'black';
  if (fires >= t.yellowMin) return 'yellow';
  return 'red';
}

/**
 * The thresholds a month's flags are judged by. The current month (and any later one) follows
 * the settings; a past month keeps those of its record, written at its first computation and
 * kept in step with the settings while the month was current, so changing the settings never
 * recolours a month already decided (the flags decide funding). A past month without a record
 * (never computed) takes the settings, and its record keeps them from then on.
 */
export function monthThresholds(
  month: string,
  currentMonth: string,
  recorded: FlagThresholds | undefined,
  settings: FlagThresholds,
): FlagThresholds {
  return month >= currentMonth || !recorded ? settings : recorded;
}

/** Why the thresholds are unusable, or null when they are fine. */
export function thresholdsProblem(t: FlagThresholds): string | null {
  if (!Number.isInteger(t.yellowMin) || t.yellowMin < 1)
    return 'yellowMin must be an integer of at least 1 (a month without fires is always red)';
  if (!Number.isInteger(t.blackMin) || t.blackMin <= t.yellowMin)
    return 'blackMin must be an integer greater than yellowMin';
  return null;
}

/** States that mean the fire was confirmed and not dismissed (closed needs a look at history). */
export const CONFIRMED_STATES: readonly IncidentState[] = [
  'confirmed',
  'dispatched',
  'on_scene',
  'controlled',
  'extinguished',
];

/**
 * Does this incident count towards the flags? Confirmed (or further along), never a false
 * alarm (also once closed), never a drill.
 */
export function countsForFlags(incident: {
  state: IncidentState;
  wasFalseAlarm: boolean;
  drill: boolean;
}): boolean {
  if (incident.drill || incident.wasFalseAlarm) return false;
  return CONFIRMED_STATES.includes(incident.state) || incident.state === 'closed';
}

/**
 * May this incident event change a month's flags? A fire confirmed (it now counts) or ruled a
 * false alarm (it no longer does), and one marked as a drill; the flags layer reads the flags
 * again when one arrives. Other events (dispatches, crews, further states of a fire already
 * counted) leave the counts as they were.
 */
export function eventChangesFlags(event: LiveEventShape): boolean {
  if (event.type === 'drill_marked') return true;
  if (event.type !== 'state_changed') return false;
  const { from, to } = event.payload;
  return to === 'confirmed' || to === 'false_alarm' || from === 'false_alarm';
}

const SHANGHAI_OFFSET_MS = 8 * 3_600_000;
const MONTH_RE = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** The Asia/Shanghai calendar month ("YYYY-MM") an instant falls in. */
export function shanghaiMonthOf(at: Date): string {
  const local = new Date(at.getTime() + SHANGHAI_OFFSET_MS);
  return `${local.getUTCFullYear()}-${String(local.getUTCMonth() + 1).padStart(2, '0')}`;
}

export function isMonth(s: string): boolean {
  const m = MONTH_RE.exec(s);
  return m !== null && Number(m[1]) >= 2000 && Number(m[1]) <= 2999;
}

/**
 * The instants a Shanghai month covers: [start, end) in UTC, e.g. "2026-04" →
 * 2026-03-31T16:00Z … 2026-04-30T16:00Z.
 */
export function monthBounds(month: string): { start: Date; end: Date } {
  const m = MONTH_RE.exec(month);
  if (!m) throw new RangeError(`month must be YYYY-MM, got "${month}"`);
  const y = Number(m[1]);
  const mo = Number(m[2]) - 1;
  return {
    start: new Date(Date.UTC(y, mo, 1) - SHANGHAI_OFFSET_MS),
    end: new Date(Date.UTC(y, mo + 1, 1) - SHANGHAI_OFFSET_MS),
  };
}

/** The month before / after "YYYY-MM". */
export function addMonths(month: string, n: number): string {
  const { start } = monthBounds(month);
  const local = new Date(start.getTime() + SHANGHAI_OFFSET_MS);
  const d = new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth() + n, 1));
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}

/** The assessment office's note on a month's flag; it never changes the colour. */
export interface FlagAnnotation {
  id: string;
  month: string;
  level: FlagLevel;
  code: string;
  note: string;
  author: string;
  createdAt: string;
}

export interface AreaFlag {
  code: string;
  name: string;
  fires: number;
  flag: FlagColour;
}

/**
 * One entry per area — areas without a fire included (they are the red flags) — in the
 * order given; counts for codes that are not areas are ignored. Pure: inputs untouched.
 */
export function flagTable(
  areas: readonly { code: string; name: string }[],
  firesByCode: ReadonlyMap<string, number>,
  t: FlagThresholds = DEFAULT_FLAG_THRESHOLDS,
): AreaFlag[] {
  return areas.map((a) => {
    const fires = firesByCode.get(a.code) ?? 0;
    return { code: a.code, name: a.name, fires, flag: flagFor(fires, t) };
  });
}

/**
 * The league table 排行: red before yellow before black, then fewer fires, then code; ranks
 * are shared by equal records (1, 1, 3 …).
 */
export function leagueTable(rows: readonly AreaFlag[]): (AreaFlag & { rank: number })[] {
  const order = (f: FlagColour) => FLAG_COLOURS.indexOf(f);
  const sorted = [...rows].sort(
    (a, b) => order(a.flag) - order(b.flag) || a.fires - b.fires || a.code.localeCompare(b.code),
  );
  let rank = 0;
  return sorted.map((r, i) => {
    const prev = sorted[i - 1];
    if (!prev || prev.flag !== r.flag || prev.fires !== r.fires) rank = i + 1;
    return { ...r, rank };
  });
}
