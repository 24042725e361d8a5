/** What the incident list shows of the 10/20/30 clock: the target that matters now. */
import { TARGETS, type Target, targetMet } from '../../../server/domain/incident-lifecycle.ts';
import type { IncidentSummary } from '../../../server/domain/live-events.ts';

export interface ClockView {
  target: Target;
  /** Milliseconds to the deadline; negative once past it. */
  leftMs: number;
  breached: boolean;
}

/** The first target not yet met: its countdown, or how far past due it is. */
export function clockView(i: IncidentSummary, nowMs: number): ClockView | null {
  if (i.state === 'false_alarm' || i.state === 'closed') return null;
  for (const t of TARGETS) {
    if (targetMet(i.state, t.target)) continue;
    const leftMs = Date.parse(i.deadlines[t.target]) - nowMs;
    return { target: t.target, leftMs, breached: i.breached.includes(t.target) || leftMs <= 0 };
  }
  return null;
}

/** 372_000 → "6:12"; −130_000 → "+2:10". */
export function formatLeft(ms: number): string {
  const s = Math.round(Math.abs(ms) / 1000);
  const body = `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
  return ms < 0 ? `+${body}` : body;
}

/**
 * How long past due, as a wall is read from 3 m away: 45_000 → "45秒" / "45 s"; 12 min →
 * "12分钟" / "12 min"; 4 h 11 min → "4小时11分" / "4 h 11 min" (never "+251:06").
 */
export function formatSpan(ms: number, zh: boolean): string {
  const s = Math.max(0, Math.round(Math.abs(ms) / 1000));
  if (s < 60) return zh ? `${s}秒` : `${s} s`;
  const min = Math.floor(s / 60);
  if (min < 60) return zh ? `${min}分钟` : `${min} min`;
  const h = Math.floor(min / 60);
  const m = min % 60;
  if (zh) return m === 0 ? `${h}小时` : `${h}小时${m}分`;
  return m === 0 ? `${h} h` : `${h} h ${m} min`;
}

/** A 10/20/30 clock: "6:12" while it runs (to the second), "4小时11分" once past due. */
export function formatClock(leftMs: number, zh: boolean): string {
  return leftMs >= 0 ? formatLeft(leftMs) : formatSpan(-leftMs, zh);
}

/**
 * A trip time, rounded up to the whole minute a commander plans by: 1894 s → "约 32 分钟" /
 * "about 32 min"; under a minute → "约 1 分钟".
 */
export function aboutMinutes(seconds: number, zh: boolean): string {
  // To the second first (as data-seconds holds it), so 1140.3 s is "约 19 分钟", not 20.
  const min = Math.max(1, Math.ceil(Math.round(seconds) / 60));
  return zh ? `约 ${min} 分钟` : `about ${min} min`;
}

/** "12 秒" / "3 分钟" / "2 小时" for the age of data (English: "12 s", "3 min", "2 h"). */
export function age(ms: number, zh: boolean): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return zh ? `${s} 秒` : `${s} s`;
  if (s < 3600) return zh ? `${Math.floor(s / 60)} 分钟` : `${Math.floor(s / 60)} min`;
  return zh ? `${Math.floor(s / 3600)} 小时` : `${Math.floor(s / 3600)} h`;
}

/** English count with its noun: 1 → "1 minute", 2 → "2 minutes". */
export function countOf(n: number, one: string, other = `${one}s`): string {
  return `${n} ${n === 1 ? one : other}`;
}

/**
 * How long ago, in words and with the right plural: 90_000 → "1 分钟前" / "1 minute ago";
 * 150_000 → "2 分钟前" / "2 minutes ago"; 2 h → "2 小时前" / "2 hours ago".
 */
export function ago(ms: number, zh: boolean): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (zh) return `${age(ms, true)}前`;
  if (s < 60) return `${countOf(s, 'second')} ago`;
  if (s < 3600) return `${countOf(Math.floor(s / 60), 'minute')} ago`;
  return `${countOf(Math.floor(s / 3600), 'hour')} ago`;
}

/** An instant as month, day and time in Beijing (county) time, e.g. "12/01 20:00"; — for none. */
export function localTime(iso: string | null): string {
  if (!iso) return '—';
  return new Date(iso).toLocaleString('zh-CN', {
    timeZone: 'Asia/Shanghai',
    hour12: false,
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  });
}
