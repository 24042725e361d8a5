import { describe, expect, it } from 'vitest';
import {
  CREW_STATUS_OF,
  canMoveDispatch,
  crewStatusOnFix,
  type DispatchStatus,
  holdsCrew,
  stepsOnFix,
} from './dispatch-lifecycle.ts';
import { DISPATCH_STATUSES } from './vocabulary.ts';

// Every pair of statuses, as the crew phone and the command page use them: the phone
// acknowledges an order (已接收), reports en route (途中) and on scene; a commander cancels an
// order not yet on scene (已取消) or releases a crew from the fire (已撤回). Nothing comes back
// from released or cancelled, and nothing goes backwards.
const TABLE: [DispatchStatus, DispatchStatus, boolean][] = [
  ['ordered', 'ordered', false],
  ['ordered', 'acknowledged', true],
  ['ordered', 'en_route', false],
  ['ordered', 'on_scene', false],
  ['ordered', 'released', false],
  ['ordered', 'cancelled', true],
  ['acknowledged', 'ordered', false],
  ['acknowledged', 'acknowledged', false],
  ['acknowledged', 'en_route', true],
  ['acknowledged', 'on_scene', true],
  ['acknowledged', 'released', false],
  ['acknowledged', 'cancelled', true],
  ['en_route', 'ordered', false],
  ['en_route', 'acknowledged', false],
  ['en_route', 'en_route', false],
  ['en_route', 'on_scene', true],
  ['en_route', 'released', false],
  ['en_route', 'cancelled', true],
  ['on_scene', 'ordered', false],
  ['on_scene', 'acknowledged', false],
  ['on_scene', 'en_route', false],
  ['on_scene', 'on_scene', false],
  ['on_scene', 'released', true],
  ['on_scene', 'cancelled', false],
  ['released', 'ordered', false],
  ['released', 'acknowledged', false],
  ['released', 'en_route', false],
  ['released', 'on_scene', false],
  ['released', 'released', false],
  ['released', 'cancelled', false],
  ['cancelled', 'ordered', false],
  ['cancelled', 'acknowledged', false],
  ['cancelled', 'en_route', false],
  ['cancelled', 'on_scene', false],
  ['cancelled', 'released', false],
  ['cancelled', 'cancelled', false],
];

describe('dispatch lifecycle', () => {
  it('covers every pair of statuses once', () => {
    expect(TABLE).toHaveLength(DISPATCH_STATUSES.length ** 2);
  });

  it.each(TABLE)('%s → %s allowed: %s', (from, to, allowed) => {
    expect(canMoveDispatch(from, to)).toBe(allowed);
  });

  it.each([
    ['ordered', 'dispatched'],
    ['acknowledged', 'dispatched'],
    ['en_route', 'en_route'],
    ['on_scene', 'on_scene'],
    ['released', 'returning'],
    ['cancelled', 'standby'],
  ] as const)('a dispatch %s puts its crew %s', (status, crew) => {
    expect(CREW_STATUS_OF[status]).toBe(crew);
  });

  it.each([
    ['ordered', true],
    ['acknowledged', true],
    ['en_route', true],
    ['on_scene', true],
    ['released', false],
    ['cancelled', false],
  ] as const)('a dispatch %s holds its crew: %s', (status, holds) => {
    expect(holdsCrew(status)).toBe(holds);
  });

  it.each([
    // Near the fire: arrived; an order never acknowledged is acknowledged first.
    ['ordered', true, ['acknowledged', 'on_scene']],
    ['acknowledged', true, ['on_scene']],
    ['en_route', true, ['on_scene']],
    ['on_scene', true, []],
    // Away from it: only an acknowledged crew is under way.
    ['ordered', false, []],
    ['acknowledged', false, ['en_route']],
    ['en_route', false, []],
    ['on_scene', false, []],
  ] as const)('a fix of a crew %s (near its fire: %s) moves it %j', (status, near, steps) => {
    expect(stepsOnFix(status, near)).toEqual(steps);
  });

  it('each step a fix takes is one the lifecycle allows', () => {
    for (const from of DISPATCH_STATUSES)
      for (const near of [true, false]) {
        let at: DispatchStatus = from;
        for (const to of stepsOnFix(from, near)) {
          expect(canMoveDispatch(at, to), `${at} → ${to}`).toBe(true);
          at = to;
        }
      }
  });

  it.each([
    ['returning', true, 'standby'],
    ['returning', false, null],
    ['on_scene', true, null],
    ['dispatched', true, null],
    ['standby', true, null],
  ] as const)('a crew %s whose fix is at its base (%s) becomes %s', (status, near, after) => {
    expect(crewStatusOnFix(status, near)).toBe(after);
  });
});
