/** Which incident may be marked as a drill's (issue 14 item 3): drillMarkProblem. */
import { describe, expect, it } from 'vitest';
import { drillMarkProblem, type MarkCandidate } from './drills.ts';

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
