/**
 * The supervision system's writes 督战体系 (issue 14): special protection periods, inspections
 * and their rectification, drills, training per unit, publicity and the assessment office's
 * notes on the flags. One TypeBox schema per request body is the route's validation, its
 * OpenAPI description and the type the supervision work page (client/src/supervision/) sends;
 * the answers the page shows are typed here too.
 */
import { type Static, Type } from 'typebox';
import type { AssessmentRow as DomainAssessmentRow } from '../domain/assessment.ts';
import { FLAG_COLOURS } from '../domain/flags.ts';
import type { GridCoverage, VillageCoverage } from '../domain/publicity.ts';
import type { TownshipRhythm as DomainTownshipRhythm } from '../domain/rhythm.ts';
import { INSPECTION_KINDS } from '../domain/vocabulary.ts';
import { PhotoOutcome } from './reports.ts';
import { Nullable, OneOf, type Same } from './wire.ts';

const literals = <T extends readonly string[]>(xs: T) =>
  Type.Unsafe<T[number]>(Type.Union(xs.map((x) => Type.Literal(x))));

const TownshipCode = Type.String({ pattern: '^[0-9]{9}$', description: 'township code' });
const Instant = Type.String({ format: 'date-time', description: 'ISO 8601 with offset' });
const Day = Type.String({ format: 'date', description: 'YYYY-MM-DD (Beijing date)' });
const Count = Type.Integer({ minimum: 0, maximum: 1_000_000 });

/** POST /api/protection-periods: 森林特护期 for the county (no townships) or some townships. */
export const ProtectionPeriodInput = Type.Object(
  {
    title: Type.String({ minLength: 1, maxLength: 200 }),
    startsAt: Instant,
    endsAt: Instant,
    townshipCodes: Type.Optional(Type.Array(TownshipCode, { maxItems: 100 })),
  },
  { additionalProperties: false },
);
export type ProtectionPeriodInput = Static<typeof ProtectionPeriodInput>;

export const ProtectionPeriodView = Type.Object({
  id: Type.String(),
  title: Type.String(),
  startsAt: Type.String({ format: 'date-time' }),
  endsAt: Type.String({ format: 'date-time' }),
  /** The townships it covers; none: the whole county. */
  townshipCodes: Type.Unsafe<readonly string[]>(Type.Array(Type.String())),
});
export type ProtectionPeriodView = Static<typeof ProtectionPeriodView>;

/** What a write that records a row answers: the new row's id. */
export const Recorded = Type.Object({ id: Type.String({ format: 'uuid' }) });
export type Recorded = Static<typeof Recorded>;

/** POST /api/inspections: one of the three levels' inspections 三级督导, with its findings. */
export const InspectionInput = Type.Object(
  {
    kind: literals(INSPECTION_KINDS),
    inspector: Type.String({ minLength: 1, maxLength: 100 }),
    townshipCode: TownshipCode,
    inspectedAt: Type.Optional(Instant),
    findings: Type.Optional(Type.String({ maxLength: 4000 })),
  },
  { additionalProperties: false },
);
export type InspectionInput = Static<typeof InspectionInput>;

/** POST /api/inspections/{id}/rectification: the finding put right 立行立改, and how. */
export const RectificationInput = Type.Object(
  { note: Type.String({ minLength: 1, maxLength: 2000 }) },
  { additionalProperties: false },
);
export type RectificationInput = Static<typeof RectificationInput>;

/** An inspection as GET /api/inspections lists it. */
export const InspectionView = Type.Object({
  id: Type.String(),
  kind: literals(INSPECTION_KINDS),
  inspector: Type.String(),
  townshipCode: Nullable(Type.String()),
  townshipName: Nullable(Type.String()),
  warZoneId: Nullable(Type.Integer()),
  inspectedAt: Type.String({ format: 'date-time' }),
  findings: Nullable(Type.String()),
  rectifiedAt: Nullable(Type.String({ format: 'date-time' })),
  rectification: Nullable(Type.String()),
  /** Its photos (GET /api/inspection-photos/{id}), oldest first. */
  photos: Type.Array(
    Type.Object({ id: Type.Integer(), mimeType: Type.String(), sizeBytes: Type.Integer() }),
  ),
});
export type InspectionView = Static<typeof InspectionView>;

/** POST /api/inspections/{id}/photos: what became of each photo, and the inspection after. */
export const InspectionPhotosAnswer = Type.Object({
  photos: Type.Array(PhotoOutcome),
  inspection: InspectionView,
});
export type InspectionPhotosAnswer = Static<typeof InspectionPhotosAnswer>;

/** One inspection kind in a township under a special protection period (the 321 rhythm). */
export const KindStatus = Type.Object({
  kind: OneOf(INSPECTION_KINDS),
  everyDays: Type.Integer({ description: 'the rhythm: 3, 2 or 1 day(s)' }),
  lastAt: Nullable(
    Type.String({ format: 'date-time', description: 'none since the period began: null' }),
  ),
  dueAt: Type.String({ format: 'date-time' }),
  overdue: Type.Boolean(),
});

/** GET /api/rhythm: a township under a period in force, kind by kind (the command page). */
export const TownshipRhythm = Type.Object({
  townshipCode: Type.String(),
  townshipName: Type.String(),
  warZoneId: Nullable(Type.Integer()),
  periodId: Type.String(),
  periodTitle: Type.String(),
  kinds: Type.Array(KindStatus),
  compliant: Type.Boolean(),
});
export type TownshipRhythm = Static<typeof TownshipRhythm>;
const sameRhythm: Same<TownshipRhythm, DomainTownshipRhythm> = true;
void sameRhythm;

/** POST /api/drills: a drill 演练 of the county (no township) or of a township. */
export const DrillInput = Type.Object(
  {
    title: Type.String({ minLength: 1, maxLength: 200 }),
    heldOn: Day,
    townshipCode: Type.Optional(TownshipCode),
    departments: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 40 }), { maxItems: 20 }),
    ),
    participants: Type.Integer({ minimum: 0, maximum: 100_000 }),
    notes: Type.Optional(Type.String({ maxLength: 4000 })),
  },
  { additionalProperties: false },
);
export type DrillInput = Static<typeof DrillInput>;

/**
 * POST /api/drills/{id}/start: drill mode — the drill's simulated fire report, opened as a
 * drill from its first moment (never a real fire in flags or statistics).
 */
export const DrillStartInput = Type.Object(
  {
    clientUuid: Type.String({ format: 'uuid' }),
    position: Type.Object(
      {
        lon: Type.Number({ minimum: -180, maximum: 180 }),
        lat: Type.Number({ minimum: -90, maximum: 90 }),
      },
      { additionalProperties: false },
    ),
    observedAt: Type.String({ format: 'date-time' }),
    source: Type.Optional(
      Type.Union(
        ['ranger', 'lookout', 'public'].map((s) => Type.Literal(s)),
        { description: 'who the scenario says reported it (default ranger)' },
      ),
    ),
    note: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: false },
);
export type DrillStartInput = Static<typeof DrillStartInput>;

/**
 * POST /api/trainings: a training 培训 in person-times, for a unit: a crew of the crews table
 * (`crewId`; its township is the crew's) or a named organisation (`unitName`: a village's
 * 护林员队, a school, an enterprise) with its `townshipCode`. Neither: 未注明单位.
 */
export const TrainingInput = Type.Object(
  {
    title: Type.String({ minLength: 1, maxLength: 200 }),
    heldOn: Day,
    townshipCode: Type.Optional(TownshipCode),
    audience: Type.String({ minLength: 1, maxLength: 40, description: '护林员, 应急队员 …' }),
    personTimes: Type.Integer({ minimum: 1, maximum: 100_000 }),
    crewId: Type.Optional(
      Type.String({ minLength: 1, maxLength: 64, description: 'the crew trained' }),
    ),
    unitName: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 100,
        description: 'the organisation trained, when it is not a crew (needs townshipCode)',
      }),
    ),
  },
  { additionalProperties: false },
);
export type TrainingInput = Static<typeof TrainingInput>;

/** A training as GET /api/trainings lists it; `unitName` null: 未注明单位. */
export const TrainingView = Type.Object({
  id: Type.String(),
  title: Type.String(),
  heldOn: Type.String({ format: 'date' }),
  townshipCode: Nullable(Type.String()),
  townshipName: Nullable(Type.String()),
  audience: Type.String(),
  personTimes: Type.Integer(),
  crewId: Nullable(Type.String()),
  unitName: Nullable(Type.String()),
});
export type TrainingView = Static<typeof TrainingView>;

/** Person-times of one unit in a year (crewId null and unitName null: 未注明单位). */
export const TrainingUnitTotal = Type.Object({
  crewId: Nullable(Type.String()),
  unitName: Nullable(Type.String()),
  townshipCode: Nullable(Type.String()),
  personTimes: Type.Integer(),
});
export type TrainingUnitTotal = Static<typeof TrainingUnitTotal>;

/** GET /api/trainings/summary?year=: the county against 5,000, per township and per unit. */
export const TrainingSummary = Type.Object({
  year: Type.Integer(),
  county: Type.Object({
    personTimes: Type.Integer(),
    target: Type.Integer(),
    share: Type.Number(),
    met: Type.Boolean(),
  }),
  byTownship: Type.Array(
    Type.Object({ townshipCode: Nullable(Type.String()), personTimes: Type.Integer() }),
  ),
  byUnit: Type.Array(TrainingUnitTotal),
});
export type TrainingSummary = Static<typeof TrainingSummary>;

/** POST /api/publicity: a village's (or grid's) households visited, pledges, awareness. */
export const PublicityInput = Type.Object(
  {
    villageCode: Type.String({ pattern: '^[0-9]{12}$' }),
    gridCode: Type.Optional(Type.String({ pattern: '^[0-9]{15}$' })),
    recordedOn: Type.String({ format: 'date' }),
    channel: Type.String({ minLength: 1, maxLength: 40, description: '入户, 村村响 …' }),
    householdsTotal: Count,
    householdsVisited: Count,
    pledgesSigned: Count,
    awarePersons: Type.Optional(Count),
    surveyedPersons: Type.Optional(Count),
  },
  { additionalProperties: false },
);
export type PublicityInput = Static<typeof PublicityInput>;

/** POST /api/publicity: the record's id. */
export const PublicityRecorded = Type.Object({ id: Type.Integer() });
export type PublicityRecorded = Static<typeof PublicityRecorded>;

/**
 * GET /api/publicity/coverage: a village's (or, with level=grid, a grid's) standing against the
 * 100% targets from its latest records, with its township.
 */
export const PublicityCoverage = Type.Object({
  villageCode: Type.String(),
  gridCode: Type.Optional(Type.String({ description: 'with level=grid: the grid' })),
  recordedOn: Nullable(
    Type.String({ format: 'date', description: 'the latest record counted; null: none' }),
  ),
  visitRate: Nullable(Type.Number({ description: 'share 0…1; null: nothing to divide by' })),
  pledgeRate: Nullable(Type.Number()),
  awarenessRate: Nullable(Type.Number({ description: 'null where awareness was not checked' })),
  complete: Type.Boolean({ description: 'all three at 100%' }),
  villageName: Type.String(),
  townshipCode: Type.String(),
  townshipName: Type.String(),
});
export type PublicityCoverage = Static<typeof PublicityCoverage>;
/** The schema is the domain's village coverage, or its grid coverage, named. */
type Named = Pick<PublicityCoverage, 'villageName' | 'townshipCode' | 'townshipName'>;
const sameCoverage: Same<PublicityCoverage, (VillageCoverage | GridCoverage) & Named> = true;
void sameCoverage;

/** The years 2000–2999, as a drill's or training's year: a date before 100 reads as 19xx. */
export const Month = Type.String({
  pattern: '^2[0-9]{3}-(0[1-9]|1[0-2])$',
  description: 'Asia/Shanghai calendar month, YYYY-MM, in the years 2000–2999',
});
export const Level = Type.Union([Type.Literal('township'), Type.Literal('village')], {
  description: 'township (乡镇) or village (村)',
});

/** POST /api/flags/annotations: the assessment office's note on an area's monthly flag. */
export const FlagAnnotationInput = Type.Object(
  {
    month: Month,
    level: Level,
    code: Type.String({ pattern: '^[0-9]{9,12}$', description: 'township or village code' }),
    note: Type.String({ minLength: 1, maxLength: 2000 }),
  },
  { additionalProperties: false },
);
export type FlagAnnotationInput = Static<typeof FlagAnnotationInput>;

/**
 * GET /api/supervision/choices: what the work page's forms choose from — the townships, the
 * villages with their township, and the crews (a training's unit).
 */
export const SupervisionChoices = Type.Object({
  townships: Type.Array(Type.Object({ code: Type.String(), name: Type.String() })),
  villages: Type.Array(
    Type.Object({ code: Type.String(), name: Type.String(), townshipCode: Type.String() }),
  ),
  crews: Type.Array(
    Type.Object({
      id: Type.String(),
      name: Type.String(),
      level: Type.String(),
      townshipCode: Nullable(Type.String()),
    }),
  ),
});
export type SupervisionChoices = Static<typeof SupervisionChoices>;

/** One row of the assessment 考核: an area's fires against 10/20/30, flags and the work done. */
export const AssessmentRow = Type.Object({
  code: Type.String({ description: "the township's code; the county line: ''" }),
  name: Type.String(),
  fires: Type.Integer(),
  arrivedIn10: Type.Integer(),
  controlledIn20: Type.Integer(),
  outIn30: Type.Integer(),
  redMonths: Type.Integer({ description: 'months of the period begun, by flag' }),
  yellowMonths: Type.Integer(),
  blackMonths: Type.Integer(),
  /** The flag of a one-month period; null for quarters and years. */
  flag: Nullable(OneOf(FLAG_COLOURS)),
  inspections: Type.Integer(),
  openFindings: Type.Integer(),
  drills: Type.Integer(),
  drillParticipants: Type.Integer(),
  trainingPersonTimes: Type.Integer(),
  households: Type.Integer(),
  householdsVisited: Type.Integer(),
  pledgesSigned: Type.Integer(),
  visitRate: Nullable(Type.Number({ description: 'share 0…1; null: no households' })),
  pledgeRate: Nullable(Type.Number()),
});
export type AssessmentRow = Static<typeof AssessmentRow>;
const sameRow: Same<AssessmentRow, DomainAssessmentRow> = true;
void sameRow;

/**
 * GET /api/assessments?period=: a month, quarter or year per township, the county's total,
 * each township commander with his township's row and the training units; the .xlsx and the
 * printable page are made from the same.
 */
export const AssessmentReport = Type.Object({
  period: Type.Object({
    id: Type.String({ description: 'as asked: 2026-04, 2026-Q2 or 2026' }),
    kind: OneOf(['month', 'quarter', 'year'] as const),
    label: Type.String({ description: '2026年4月, 2026年第2季度, 2026年度' }),
    months: Type.Array(Type.String()),
  }),
  townships: Type.Array(AssessmentRow),
  county: AssessmentRow,
  cadres: Type.Array(Type.Object({ ...AssessmentRow.properties, cadre: Type.String() })),
  trainingUnits: Type.Array(
    Type.Object({ ...TrainingUnitTotal.properties, townshipName: Nullable(Type.String()) }),
    { description: 'person-times per unit trained over the period (unitName null: 未注明单位)' },
  ),
});
export type AssessmentReport = Static<typeof AssessmentReport>;
