/**
 * Drills 演练 and training 培训 (domain.md; issue 14 item 3). A drill runs a simulated fire
 * through the real system; its incidents are marked as drills (never in flags or statistics)
 * and scored against the same 10/20/30 targets as a real fire: each crew on the time it
 * arrived, each township on its fire reaching on scene, control and out. Training is counted
 * in person-times 人次 against the county's yearly 5,000.
 */

export const TRAINING_TARGET_PERSON_TIMES = 5000;

export const TARGET_MINUTES = { arrive: 10, control: 20, extinguish: 30 } as const;

/** Minutes between two instants, or null when the second never came. */
export function minutesAfter(from: Date, to: Date | null): number | null {
  return to === null ? null : (to.getTime() - from.getTime()) / 60_000;
}

export interface DrillFire {
  incidentId: string;
  townshipCode: string | null;
  firstReportedAt: Date;
  /** The first crew ordered to it (the report's timeline; no target of its own). */
  dispatchedAt?: Date | null;
  onSceneAt: Date | null;
  controlledAt: Date | null;
  extinguishedAt: Date | null;
  crews: { crewId: string; name: string; townshipCode: string | null; arrivedAt: Date | null }[];
}

export interface StageScore {
  minutes: number | null;
  target: number;
  met: boolean;
}

const stage = (from: Date, at: Date | null, target: number): StageScore => {
  const minutes = minutesAfter(from, at);
  return { minutes, target, met: minutes !== null && minutes <= target };
};

export interface DrillScore {
  incidentId: string;
  townshipCode: string | null;
  arrive: StageScore;
  control: StageScore;
  extinguish: StageScore;
  /** Targets met of three. */
  met: number;
  crews: { crewId: string; name: string; townshipCode: string | null; arrive: StageScore }[];
}

/** Scores one drill fire against 10/20/30 from its first report. */
export function scoreDrillFire(fire: DrillFire): DrillScore {
  const arrive = stage(fire.firstReportedAt, fire.onSceneAt, TARGET_MINUTES.arrive);
  const control = stage(fire.firstReportedAt, fire.controlledAt, TARGET_MINUTES.control);
  const extinguish = stage(fire.firstReportedAt, fire.extinguishedAt, TARGET_MINUTES.extinguish);
  return {
    incidentId: fire.incidentId,
    townshipCode: fire.townshipCode,
    arrive,
    control,
    extinguish,
    met: [arrive, control, extinguish].filter((s) => s.met).length,
    crews: fire.crews.map((c) => ({
      crewId: c.crewId,
      name: c.name,
      townshipCode: c.townshipCode,
      arrive: stage(fire.firstReportedAt, c.arrivedAt, TARGET_MINUTES.arrive),
    })),
  };
}

/** A drill fire's timeline: report → dispatch → on scene → under control → out (ISO, or null). */
export function drillTimeline(fire: DrillFire) {
  const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);
  return {
    reportedAt: fire.firstReportedAt.toISOString(),
    dispatchedAt: iso(fire.dispatchedAt),
    onSceneAt: iso(fire.onSceneAt),
    controlledAt: iso(fire.controlledAt),
    extinguishedAt: iso(fire.extinguishedAt),
  };
}

/** A township's drill fires together: how many met each target, and its crews' arrivals. */
export interface TownshipDrillScore {
  townshipCode: string | null;
  fires: number;
  arriveMet: number;
  controlMet: number;
  extinguishMet: number;
  /** Crews of this township sent to any drill fire, and those on scene within 10 minutes. */
  crews: number;
  crewsArrivedInTime: number;
}

/**
 * The drill report per township: each fire counts for the township it burned in; each crew
 * for its own township (a county unit: none), wherever it was sent. Ordered by township code.
 */
export function scoreByTownship(scores: DrillScore[]): TownshipDrillScore[] {
  const by = new Map<string | null, TownshipDrillScore>();
  const of = (code: string | null) => {
    let t = by.get(code);
    if (!t) {
      t = {
        townshipCode: code,
        fires: 0,
        arriveMet: 0,
        controlMet: 0,
        extinguishMet: 0,
        crews: 0,
        crewsArrivedInTime: 0,
      };
      by.set(code, t);
    }
    return t;
  };
  for (const s of scores) {
    const t = of(s.townshipCode);
    t.fires++;
    if (s.arrive.met) t.arriveMet++;
    if (s.control.met) t.controlMet++;
    if (s.extinguish.met) t.extinguishMet++;
    for (const c of s.crews) {
      const ct = of(c.townshipCode);
      ct.crews++;
      if (c.arrive.met) ct.crewsArrivedInTime++;
    }
  }
  // Townships by code, the county's own units (no township) last.
  return [...by.values()].sort((a, b) =>
    a.townshipCode === b.townshipCode
      ? 0
      : a.townshipCode === null
        ? 1
        : b.townshipCode === null
          ? -1
          : a.townshipCode < b.townshipCode
            ? -1
            : 1,
  );
}

/** Person-times against the yearly target: share 0…(more than 1 when exceeded). */
export function trainingProgress(
  personTimes: number,
  target = TRAINING_TARGET_PERSON_TIMES,
): { personTimes: number; target: number; share: number; met: boolean } {
  return { personTimes, target, share: personTimes / target, met: personTimes >= target };
}

/** What the marking rule needs of an incident someone wants to mark as a drill's. */
export interface MarkCandidate {
  townshipCode: string | null;
  firstReportedAt: Date;
  state: string;
  /** Some event moved it to confirmed (a real report chain made it a fire), even if since moved on. */
  everConfirmed: boolean;
  /** Reports of it from no signed-in user (the public, a camera, a satellite). */
  anonymousReports: number;
}

/** States of a fire not yet confirmed: not yet in any flag, so marking it moves no flag. */
const MARKABLE_STATES: ReadonlySet<string> = new Set(['reported', 'verifying']);

/** The Beijing calendar date (YYYY-MM-DD) of an instant. */
const beijingDay = (at: Date) => new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);

/**
 * Why an incident may not be marked as this drill's (null: it may). Marking takes a fire out
 * of the flags and assessments, so only a fire that can only be the drill's qualifies: in the
 * drill's township (a county drill: any township of the county), first reported on the drill's
 * day in Beijing time, reported only by signed-in people, and not yet confirmed — marked before
 * anyone confirms it, it never was in a flag. A fire that was confirmed stays a fire. (A drill
 * opened with POST /api/drills/{id}/start is marked from its first report and needs none of this.)
 */
export function drillMarkProblem(
  drill: { townshipCode: string | null; heldOn: string },
  incident: MarkCandidate,
): { status: 409 | 422; message: string } | null {
  if (incident.townshipCode === null)
    return { status: 422, message: 'the incident is outside the county' };
  if (drill.townshipCode !== null && incident.townshipCode !== drill.townshipCode)
    return {
      status: 422,
      message: `the incident is in township ${incident.townshipCode}, the drill in ${drill.townshipCode}`,
    };
  const day = beijingDay(incident.firstReportedAt);
  if (day !== drill.heldOn)
    return {
      status: 422,
      message: `the incident was first reported on ${day} (Beijing), the drill was held on ${drill.heldOn}`,
    };
  if (incident.everConfirmed || !MARKABLE_STATES.has(incident.state))
    return {
      status: 409,
      message: `the incident is ${incident.state}${incident.everConfirmed ? ' and was confirmed' : ''}: only a fire not yet confirmed may be marked as a drill`,
    };
  if (incident.anonymousReports > 0)
    return {
      status: 422,
      message: `${incident.anonymousReports} report(s) of the incident came from no signed-in user: a real report, not the drill's`,
    };
  return null;
}
