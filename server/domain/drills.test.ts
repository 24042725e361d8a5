/** Which incident may be marked as a drill's (drillMarkProblem), and the drill report per township (issue 14 item 3). */
import { describe, expect, it } from 'vitest';
import { drillMarkProblem, type MarkCandidate, scoreByTownship, scoreDrillFire } from './drills.ts';

const drill = { townshipCode: '431226106', heldOn: '2026-03-20' };
const fire = (over: Partial<MarkCandidate> = {}): MarkCandidate => ({
  townshipCode: '431226106',
  // 10:00 Beijing on the drill's day.
  firstReportedAt: new Date('2026-03-20T02:00:00Z'),
  state: 'verifying',
  everConfirmed: false,
  anonymousReports: 0,
  ...over,
});

describe('drillMarkProblem', () => {
  it("lets a fire of the drill's township and day, not yet confirmed, be marked", () => {
    expect(drillMarkProblem(drill, fire())).toBeNull();
    expect(drillMarkProblem(drill, fire({ state: 'reported' }))).toBeNull();
    // A county drill: any township of the county.
    expect(
      drillMarkProblem({ ...drill, townshipCode: null }, fire({ townshipCode: '431226101' })),
    ).toBeNull();
  });

  it('takes the day in Beijing time: 16:00Z is already the next day', () => {
    // 2026-03-19T16:30Z is 00:30 on the 20th in Beijing; 2026-03-20T16:00Z is the 21st.
    expect(
      drillMarkProblem(drill, fire({ firstReportedAt: new Date('2026-03-19T16:30:00Z') })),
    ).toBeNull();
    expect(
      drillMarkProblem(drill, fire({ firstReportedAt: new Date('2026-03-19T15:59:00Z') }))?.status,
    ).toBe(422);
    expect(
      drillMarkProblem(drill, fire({ firstReportedAt: new Date('2026-03-20T16:00:00Z') }))?.status,
    ).toBe(422);
  });

  it("refuses another township's fire and one outside the county", () => {
    expect(drillMarkProblem(drill, fire({ townshipCode: '431226101' }))?.status).toBe(422);
    expect(
      drillMarkProblem({ ...drill, townshipCode: null }, fire({ townshipCode: null }))?.status,
    ).toBe(422);
  });

  it('never takes a confirmed fire out of the flags, even one moved on or sent back', () => {
    for (const state of ['confirmed', 'dispatched', 'on_scene', 'extinguished', 'closed'])
      expect(drillMarkProblem(drill, fire({ state }))?.status).toBe(409);
    expect(drillMarkProblem(drill, fire({ state: 'verifying', everConfirmed: true }))?.status).toBe(
      409,
    );
    expect(drillMarkProblem(drill, fire({ state: 'false_alarm' }))?.status).toBe(409);
  });

  it('refuses a fire someone not signed in reported', () => {
    expect(drillMarkProblem(drill, fire({ anonymousReports: 1 }))?.status).toBe(422);
  });
});

describe('scoreByTownship', () => {
  const at = (min: number | null) =>
    min === null ? null : new Date(Date.UTC(2026, 3, 1, 6, 0) + min * 60_000);
  const fire = (
    id: string,
    township: string | null,
    onScene: number | null,
    controlled: number | null,
    out: number | null,
    crews: [string, string | null, number | null][],
  ) =>
    scoreDrillFire({
      incidentId: id,
      townshipCode: township,
      firstReportedAt: at(0) as Date,
      onSceneAt: at(onScene),
      controlledAt: at(controlled),
      extinguishedAt: at(out),
      crews: crews.map(([crewId, t, arrived]) => ({
        crewId,
        name: crewId,
        townshipCode: t,
        arrivedAt: at(arrived),
      })),
    });

  it('adds each township’s fires by target met, and counts each crew for its own township', () => {
    const scores = [
      // 高村镇: on scene at 9 (met), controlled at 25 (missed), out at 28 (met).
      fire('a', 'GAOCUN', 9, 25, 28, [
        ['T1', 'GAOCUN', 9],
        ['C1', null, 14],
      ]),
      // 高村镇 again: on scene at 12 (missed), never controlled nor out.
      fire('b', 'GAOCUN', 12, null, null, [['T1', 'GAOCUN', 12]]),
      // 兰里镇: all three met (30 min out is on the target), by its own crew.
      fire('c', 'LANLI', 7, 18, 30, [['T2', 'LANLI', 7]]),
    ];
    expect(scoreByTownship(scores)).toEqual([
      {
        townshipCode: 'GAOCUN',
        fires: 2,
        arriveMet: 1,
        controlMet: 0,
        extinguishMet: 1,
        crews: 2,
        crewsArrivedInTime: 1,
      },
      {
        townshipCode: 'LANLI',
        fires: 1,
        arriveMet: 1,
        controlMet: 1,
        extinguishMet: 1,
        crews: 1,
        crewsArrivedInTime: 1,
      },
      // The county unit: no fire of its own, one crew arrival, late (14 min).
      {
        townshipCode: null,
        fires: 0,
        arriveMet: 0,
        controlMet: 0,
        extinguishMet: 0,
        crews: 1,
        crewsArrivedInTime: 0,
      },
    ]);
  });
});
