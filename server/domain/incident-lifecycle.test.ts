import { describe, expect, it } from 'vitest';
import {
  canTransition,
  crewTransition,
  deadlines,
  dueBreaches,
  nextDeadline,
  stepsToDispatch,
  targetMet,
} from './incident-lifecycle.ts';
import { INCIDENT_STATES, type IncidentState } from './vocabulary.ts';

describe('incident lifecycle', () => {
  it('allows exactly the chain of the command procedure', () => {
    const allowed = INCIDENT_STATES.flatMap((from) =>
      INCIDENT_STATES.filter((to) => canTransition(from, to)).map((to) => `${from}→${to}`),
    );
    expect(allowed.sort()).toEqual(
      [
        'reported→verifying',
        'verifying→confirmed',
        'verifying→false_alarm',
        'confirmed→dispatched',
        'dispatched→on_scene',
        'on_scene→controlled',
        'controlled→extinguished',
        'extinguished→closed',
        'false_alarm→closed',
      ].sort(),
    );
    // Nothing leaves closed; nothing goes backwards.
    for (const to of INCIDENT_STATES) expect(canTransition('closed', to)).toBe(false);
    expect(canTransition('controlled', 'on_scene')).toBe(false);
  });

  it('puts the deadlines 10, 20 and 30 minutes after the first report', () => {
    const t0 = new Date('2026-03-15T06:00:00Z');
    const d = deadlines(t0);
    expect(d.arrive.toISOString()).toBe('2026-03-15T06:10:00.000Z');
    expect(d.control.toISOString()).toBe('2026-03-15T06:20:00.000Z');
    expect(d.extinguish.toISOString()).toBe('2026-03-15T06:30:00.000Z');
  });

  it('breaches a target only when its deadline passed and its state was not reached', () => {
    const first = new Date('2026-03-15T06:00:00Z');
    const at = (m: number) => new Date(first.getTime() + m * 60_000);
    const inc = (state: IncidentState) => ({ state, firstReportedAt: first, falseAlarm: false });
    expect(dueBreaches(inc('dispatched'), at(9.99), new Set())).toEqual([]);
    expect(dueBreaches(inc('dispatched'), at(10), new Set())).toEqual(['arrive']);
    expect(dueBreaches(inc('on_scene'), at(25), new Set())).toEqual(['control']);
    expect(dueBreaches(inc('dispatched'), at(31), new Set(['arrive']))).toEqual([
      'control',
      'extinguish',
    ]);
    expect(dueBreaches(inc('extinguished'), at(60), new Set())).toEqual([]);
    expect(
      dueBreaches(
        { state: 'false_alarm', firstReportedAt: first, falseAlarm: true },
        at(60),
        new Set(),
      ),
    ).toEqual([]);
    expect(targetMet('closed', 'extinguish')).toBe(true);
    expect(targetMet('false_alarm', 'arrive')).toBe(false);
  });

  it('watches the next open deadline', () => {
    const first = new Date('2026-03-15T06:00:00Z');
    const inc = (state: IncidentState) => ({ state, firstReportedAt: first, falseAlarm: false });
    expect(nextDeadline(inc('reported'), new Set())?.toISOString()).toBe(
      '2026-03-15T06:10:00.000Z',
    );
    expect(nextDeadline(inc('on_scene'), new Set())?.toISOString()).toBe(
      '2026-03-15T06:20:00.000Z',
    );
    expect(nextDeadline(inc('reported'), new Set(['arrive', 'control']))?.toISOString()).toBe(
      '2026-03-15T06:30:00.000Z',
    );
    expect(nextDeadline(inc('extinguished'), new Set())).toBeNull();
  });
});

describe('stepsToDispatch', () => {
  it('confirms an unverified report on the way, step by step, and refuses a fire that is out', () => {
    expect(stepsToDispatch('reported')).toEqual(['verifying', 'confirmed']);
    expect(stepsToDispatch('verifying')).toEqual(['confirmed']);
    for (const s of ['confirmed', 'dispatched', 'on_scene', 'controlled'] as const)
      expect(stepsToDispatch(s)).toEqual([]);
    for (const s of ['false_alarm', 'extinguished', 'closed'] as const)
      expect(stepsToDispatch(s)).toBeNull();
    // Every step is a legal transition.
    let at: IncidentState = 'reported';
    for (const to of stepsToDispatch('reported') ?? []) {
      expect(canTransition(at, to)).toBe(true);
      at = to;
    }
  });
});

describe('what crews do to an incident', () => {
  // The first crew sent moves a confirmed fire on; the first on scene moves a dispatched fire
  // on; nothing a crew does moves a fire backwards or past a state.
  it.each([
    ['confirmed', 'dispatch', 'dispatched'],
    ['dispatched', 'dispatch', null],
    ['on_scene', 'dispatch', null],
    ['controlled', 'dispatch', null],
    ['reported', 'dispatch', null],
    ['closed', 'dispatch', null],
    ['dispatched', 'arrival', 'on_scene'],
    ['on_scene', 'arrival', null],
    ['controlled', 'arrival', null],
    ['extinguished', 'arrival', null],
    ['confirmed', 'arrival', null],
  ] as const)('an incident %s, on a crew %s, goes to %s', (state, cause, to) => {
    expect(crewTransition(state, cause)).toBe(to);
  });
});
