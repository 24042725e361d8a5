/**
 * A flood of unverified reports (issue: anonymous input is hostile). Hundreds of anonymous
 * reports, each a marker and a list row, would push the county's real fires off the wall.
 * The map instead shows incidents that are still `reported` and that no signed-in person
 * has reported as one line ("N 条未核实报告"), once there are `threshold` of them, and
 * raises an alert. Shared by the server (log and audit) and the command page.
 */

/** The window the flood line counts new reports in. */
export const FLOOD_WINDOW_MS = 5 * 60_000;

export interface FloodCandidate {
  id: string;
  state: string;
  /** ISO 8601. */
  firstReportedAt: string;
  /** No report of it came from a signed-in user or device account. */
  anonymousOnly: boolean;
}

/** Still unverified and only ever reported anonymously. */
export function isUnverifiedAnonymous(i: FloodCandidate): boolean {
  return i.state === 'reported' && i.anonymousOnly;
}

export interface Flood {
  /** Every unverified anonymous incident the line stands for. */
  ids: Set<string>;
  /** How many of them were first reported within the last FLOOD_WINDOW_MS. */
  recent: number;
}

/**
 * The flood among incidents, or null when there is none.
 * @param incidents the incidents on the map
 * @param nowMs the current time, ms since the epoch
 * @param threshold unverified anonymous incidents that make a flood
 */
export function floodOf(
  incidents: Iterable<FloodCandidate>,
  nowMs: number,
  threshold: number,
): Flood | null {
  const ids = new Set<string>();
  let recent = 0;
  for (const i of incidents) {
    if (!isUnverifiedAnonymous(i)) continue;
    ids.add(i.id);
    if (nowMs - Date.parse(i.firstReportedAt) <= FLOOD_WINDOW_MS) recent++;
  }
  // Counted over every unverified anonymous incident, not only the recent ones: a flood's
  // older rows would otherwise come back as hundreds of markers five minutes later.
  return ids.size >= threshold ? { ids, recent } : null;
}
