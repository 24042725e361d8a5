/**
 * Who may issue a warning (预警) for which townships (access.ts mayWarn), as a role × place
 * table beside the HTTP access matrix: the county command centre anywhere, a township
 * commander for his own township alone, nobody else.
 */
import { describe, expect, it } from 'vitest';
import { newActor } from '../testing/factories.ts';
import type { Actor } from './access.ts';
import { mayWarn } from './access.ts';
import type { UserRole } from './vocabulary.ts';

const GAOCUN = '431226106';
const LANLI = '431226107';

describe('who may warn which townships', () => {
  /** [role, the actor's own place, Gaocun, Gaocun and Lanli, Lanli] */
  const TABLE: [UserRole, Partial<Actor>, boolean, boolean, boolean][] = [
    ['county_command', {}, true, true, true],
    ['township_commander', { townshipCode: GAOCUN, warZoneId: 4 }, true, false, false],
    ['township_commander', { townshipCode: null }, false, false, false],
    ['war_zone_commander', { warZoneId: 4 }, false, false, false],
    ['supervisor', {}, false, false, false],
    ['village_head', { townshipCode: GAOCUN }, false, false, false],
    ['lookout_operator', { townshipCode: GAOCUN }, false, false, false],
    ['ranger', { townshipCode: GAOCUN }, false, false, false],
    ['viewer', {}, false, false, false],
  ];
  for (const [role, own, gaocun, both, lanli] of TABLE)
    it(`${role} ${JSON.stringify(own)}`, () => {
      const a = newActor(role, own);
      expect([mayWarn(a, [GAOCUN]), mayWarn(a, [GAOCUN, LANLI]), mayWarn(a, [LANLI])]).toEqual([
        gaocun,
        both,
        lanli,
      ]);
    });
});
