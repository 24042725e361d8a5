import { describe, expect, it } from 'vitest';
import { isStale, missedTargets, type SituationIncident, situationOf } from './situation.ts';

const T0 = Date.parse('2026-03-10T06:00:00Z');
const min = (m: number) => T0 + m * 60_000;
const iso = (ms: number) => new Date(ms).toISOString();

/** A fire first reported at T0, last acted on at `lastAction` minutes after it. */
function fire(over: Partial<SituationIncident> & { lastAction?: number } = {}): SituationIncident {
  const { lastAction = 0, ...rest } = over;
  return {
    state: 'reported',
    deadlines: { arrive: iso(min(10)), control: iso(min(20)), extinguish: iso(min(30)) },
    breached: [],
    escalationLevel: 'village',
    lastActionAt: iso(min(lastAction)),
    ...rest,
  };
}

describe('stale fires (no action for an hour)', () => {
  it('marks a fire stale once an hour has passed since the last action, not before', () => {
    expect(isStale(fire(), min(59))).toBe(false);
    expect(isStale(fire(), min(60))).toBe(true);
    expect(isStale(fire({ state: 'dispatched', lastAction: 50 }), min(100))).toBe(false);
    expect(isStale(fire({ state: 'dispatched', lastAction: 50 }), min(110))).toBe(true);
  });

  it('never marks a fire that is out, closed or a false alarm', () => {
    for (const state of ['extinguished', 'closed', 'false_alarm'] as const)
      expect(isStale(fire({ state }), min(600))).toBe(false);
  });
});

describe('missed targets', () => {
  it('counts a target missed once past its deadline and not met, or recorded by the clock', () => {
    expect(missedTargets(fire(), min(9))).toEqual([]);
    expect(missedTargets(fire(), min(10))).toEqual(['arrive']);
    expect(missedTargets(fire({ state: 'on_scene' }), min(25))).toEqual(['control']);
    // Arrived late: the breach stays recorded.
    expect(missedTargets(fire({ state: 'on_scene', breached: ['arrive'] }), min(15))).toEqual([
      'arrive',
    ]);
    expect(missedTargets(fire({ state: 'false_alarm' }), min(60))).toEqual([]);
  });
});

describe('the wall counts', () => {
  it('counts open fires by state, level, missed targets and staleness', () => {
    const incidents = [
      fire({ state: 'reported' }),
      fire({ state: 'dispatched', escalationLevel: 'township', lastAction: 40 }),
      fire({ state: 'on_scene', escalationLevel: 'county', breached: ['arrive'], lastAction: 70 }),
      fire({ state: 'extinguished', escalationLevel: 'township', lastAction: 30 }),
      fire({ state: 'false_alarm', lastAction: 5 }),
    ];
    const before = JSON.stringify(incidents);
    const c = situationOf(incidents, min(90));
    expect(c.open).toBe(4);
    expect(c.byState.reported).toBe(1);
    expect(c.byState.dispatched).toBe(1);
    expect(c.byState.on_scene).toBe(1);
    expect(c.byState.extinguished).toBe(1);
    expect(c.byState.false_alarm).toBe(1);
    expect(c.byLevel).toEqual({ village: 1, township: 2, county: 1 });
    // Reported and dispatched missed all three; on scene missed arrive (recorded) and control
    // and extinguish (past due); the extinguished one met every target.
    expect(c.breaches).toEqual({ arrive: 3, control: 3, extinguish: 3 });
    // Only the report has gone an hour without action (90 min); the dispatch was 50 min ago.
    expect(c.stale).toBe(1);
    expect(JSON.stringify(incidents)).toBe(before);
  });

  it('never counts a drill: a stale, late drill fire beside a real one leaves only the real one', () => {
    const c = situationOf(
      [
        fire({ state: 'dispatched', lastAction: 5 }),
        fire({ drill: true, escalationLevel: 'county' }),
      ],
      min(90),
    );
    expect(c.open).toBe(1);
    expect(c.byState.reported).toBe(0);
    expect(c.byState.dispatched).toBe(1);
    expect(c.byLevel).toEqual({ village: 1, township: 0, county: 0 });
    expect(c.stale).toBe(1);
    expect(c.breaches).toEqual({ arrive: 1, control: 1, extinguish: 1 });
  });

  it('counts nothing on an empty county', () => {
    const c = situationOf([], T0);
    expect(c.open).toBe(0);
    expect(c.stale).toBe(0);
    expect(c.breaches).toEqual({ arrive: 0, control: 0, extinguish: 0 });
  });
});
