/**
 * When a report's `observedAt` or a crew fix's `recordedAt` may lie. A phone queues them
 * without signal (hours in a valley, days at most), so the past is allowed up to a setting;
 * the future only by a phone clock's usual skew. Anything else is a wrong clock or a
 * forgery: an old time would start a fire's 10/20/30 clock hours ago (every target breached
 * at once), a time in 2099 would freeze a crew on the map.
 */

/** Phone clocks ahead of the server by more than this are refused. */
export const MAX_CLOCK_SKEW_MS = 5 * 60_000;

/**
 * What is wrong with an observation time, or null when it is acceptable.
 * @param at the time the device says it observed (a valid Date)
 * @param nowMs the server's time, ms since the epoch
 * @param maxAgeHours how far in the past an observation may lie, hours
 * @returns a phrase to follow the field's name in an error message, or null
 */
export function observationTimeProblem(
  at: Date,
  nowMs: number,
  maxAgeHours: number,
): string | null {
  const t = at.getTime();
  if (!Number.isFinite(t)) return 'is not a valid time';
  if (t > nowMs + MAX_CLOCK_SKEW_MS) return 'lies in the future (more than 5 minutes ahead)';
  if (t < nowMs - maxAgeHours * 3_600_000) return `lies more than ${maxAgeHours} hours in the past`;
  return null;
}
