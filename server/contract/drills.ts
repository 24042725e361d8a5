/**
 * Drills 演练 on the wire: what marking an incident as a drill's and starting a drill's
 * simulated fire answer, and GET /api/drills/{id}/report, the drill report 演练评估报告 as the
 * printable page (client/src/drill-report.ts) reads it — each drill fire scored against
 * 10/20/30 with its timeline, each crew against the 10-minute target, each township's totals.
 */
import { type Static, Type } from 'typebox';
import type {
  DrillScore as DomainDrillScore,
  TownshipDrillScore as DomainTownshipDrillScore,
  drillTimeline,
} from '../domain/drills.ts';
import { IncidentSummary } from './incidents.ts';
import { DateTime, Nullable, type Same } from './wire.ts';

/** POST /api/drills/{id}/incidents: the incident is now the drill's. */
export const DrillMarked = Type.Object({
  drillId: Type.String({ format: 'uuid' }),
  incidentId: Type.String({ format: 'uuid' }),
});
export type DrillMarked = Static<typeof DrillMarked>;

/** POST /api/drills/{id}/start: the drill's report, new (201) or a resend (200), and its fire. */
export const DrillStarted = Type.Object({
  created: Type.Boolean(),
  drillId: Type.String({ format: 'uuid' }),
  incidentId: Type.String({ format: 'uuid' }),
  incident: IncidentSummary,
});
export type DrillStarted = Static<typeof DrillStarted>;

/** Minutes from the first report to a stage, against its target. */
export const StageScore = Type.Object({
  minutes: Nullable(Type.Number({ description: 'null: the stage was never reached' })),
  target: Type.Number(),
  met: Type.Boolean(),
});
export type StageScore = Static<typeof StageScore>;

/** A drill fire's timeline: report → dispatch → on scene → under control → out. */
const DrillTimeline = Type.Object({
  reportedAt: DateTime,
  dispatchedAt: Nullable(DateTime),
  onSceneAt: Nullable(DateTime),
  controlledAt: Nullable(DateTime),
  extinguishedAt: Nullable(DateTime),
});

/** One drill fire, scored against 10/20/30 from its first report, with its timeline. */
export const DrillFireScore = Type.Object({
  incidentId: Type.String({ format: 'uuid' }),
  townshipCode: Nullable(Type.String()),
  arrive: StageScore,
  control: StageScore,
  extinguish: StageScore,
  met: Type.Integer({ description: 'targets met of three' }),
  crews: Type.Array(
    Type.Object({
      crewId: Type.String(),
      name: Type.String(),
      townshipCode: Nullable(Type.String()),
      arrive: StageScore,
    }),
  ),
  timeline: DrillTimeline,
});
export type DrillFireScore = Static<typeof DrillFireScore>;

/** A township's drill fires together, and its crews' arrivals wherever they were sent. */
export const TownshipDrillScore = Type.Object({
  townshipCode: Nullable(Type.String({ description: 'null: the county units' })),
  fires: Type.Integer(),
  arriveMet: Type.Integer(),
  controlMet: Type.Integer(),
  extinguishMet: Type.Integer(),
  crews: Type.Integer(),
  crewsArrivedInTime: Type.Integer(),
});

export const DrillReport = Type.Object({
  drill: Type.Object({
    id: Type.String({ format: 'uuid' }),
    title: Type.String(),
    heldOn: Type.String({ format: 'date' }),
    townshipCode: Nullable(Type.String()),
    warZoneId: Nullable(Type.Integer()),
    departments: Type.Array(Type.String()),
    participants: Type.Integer(),
    notes: Nullable(Type.String()),
  }),
  fires: Type.Array(DrillFireScore),
  townships: Type.Array(TownshipDrillScore),
  /** Names of the county's townships by code (a county unit's crew has none: 县级). */
  townshipNames: Type.Record(Type.String(), Type.String()),
});
export type DrillReport = Static<typeof DrillReport>;

/** The schemas and the domain's scores say the same thing (a compile error otherwise). */
const sameFire: Same<
  DrillFireScore,
  DomainDrillScore & { timeline: ReturnType<typeof drillTimeline> }
> = true;
const sameTownship: Same<Static<typeof TownshipDrillScore>, DomainTownshipDrillScore> = true;
void [sameFire, sameTownship];
