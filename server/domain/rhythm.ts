/**
 * The "321" rhythm of the special protection period 森林特护期 (domain.md, three-level
 * supervision; issue 14 item 2): in every township the period covers, the county leader of
 * the area inspects every 3 days, the inspection group every 2, the command HQ every day.
 * An inspection kind is due `everyDays` × 24 h after its last inspection in the township
 * (or after the period began, when there has been none yet) and overdue from then on.
 */
import type { INSPECTION_KINDS } from './vocabulary.ts';

export type InspectionKind = (typeof INSPECTION_KINDS)[number];

export const RHYTHM_DAYS: Readonly<Record<InspectionKind, number>> = {
  county_leader: 3,
  inspection_group: 2,
  command_hq: 1,
};

export const INSPECTION_LABELS: Readonly<Record<InspectionKind, string>> = {
  county_leader: '县级领导',
  inspection_group: '督查组',
  command_hq: '指挥部',
};

export interface ProtectionPeriod {
  id: string;
  title: string;
  startsAt: Date;
  endsAt: Date;
  /** Empty: the whole county. */
  townshipCodes: readonly string[];
}

/** Is the period in force at `now` for this township? */
export function periodCovers(p: ProtectionPeriod, townshipCode: string, now: Date): boolean {
  const t = now.getTime();
  return (
    t >= p.startsAt.getTime() &&
    t < p.endsAt.getTime() &&
    (p.townshipCodes.length === 0 || p.townshipCodes.includes(townshipCode))
  );
}

export interface KindStatus {
  kind: InspectionKind;
  everyDays: number;
  /** ISO; null when none since the period began. */
  lastAt: string | null;
  dueAt: string;
  overdue: boolean;
}

/** A township under a period in force, kind by kind (GET /api/rhythm; the command page). */
export interface TownshipRhythm {
  townshipCode: string;
  townshipName: string;
  warZoneId: number | null;
  periodId: string;
  periodTitle: string;
  kinds: KindStatus[];
  compliant: boolean;
}

const DAY_MS = 86_400_000;

/**
 * Where each inspection kind stands in one township at `now`. Inspections before the
 * period began do not count; ones after `now` (recorded ahead by mistake) neither.
 */
export function rhythmStatus(
  periodStart: Date,
  inspections: readonly { kind: InspectionKind; inspectedAt: Date }[],
  now: Date,
): KindStatus[] {
  return (Object.keys(RHYTHM_DAYS) as InspectionKind[]).map((kind) => {
    const times = inspections
      .filter(
        (i) =>
          i.kind === kind &&
          i.inspectedAt.getTime() >= periodStart.getTime() &&
          i.inspectedAt.getTime() <= now.getTime(),
      )
      .map((i) => i.inspectedAt.getTime());
    const last = times.length > 0 ? Math.max(...times) : null;
    const due = (last ?? periodStart.getTime()) + RHYTHM_DAYS[kind] * DAY_MS;
    return {
      kind,
      everyDays: RHYTHM_DAYS[kind],
      lastAt: last === null ? null : new Date(last).toISOString(),
      dueAt: new Date(due).toISOString(),
      overdue: now.getTime() > due,
    };
  });
}

/** The earliest moment after `now` at which some kind falls overdue (for the watcher's timer). */
export function nextDue(statuses: readonly KindStatus[], now: Date): Date | null {
  const future = statuses.map((s) => new Date(s.dueAt).getTime()).filter((t) => t >= now.getTime());
  return future.length > 0 ? new Date(Math.min(...future)) : null;
}
