/**
 * GET /api/drills/{id}/report: the drill report 演练评估报告 as the printable page
 * (client/src/drill-report.ts) reads it — each drill fire scored against 10/20/30 with its
 * timeline, each crew against the 10-minute target, each township's totals.
 */
import type { DrillScore, drillTimeline, TownshipDrillScore } from '../domain/drills.ts';

export interface DrillReport {
  drill: {
    id: string;
    title: string;
    heldOn: string;
    townshipCode: string | null;
    warZoneId: number | null;
    departments: string[];
    participants: number;
    notes: string | null;
  };
  fires: (DrillScore & { timeline: ReturnType<typeof drillTimeline> })[];
  townships: TownshipDrillScore[];
  /** Names of the county's townships by code (a county unit's crew has none: 县级). */
  townshipNames: Record<string, string>;
}
