/**
 * Which forms of the supervision work page (督战工作台) each role sees: the rules its APIs ask
 * (the county command centre declares periods and drills, the supervision office
 * and the command centre record inspections, commanders put findings right in their area,
 * training by the office and the organisers, publicity by the area's own, flag notes by the
 * assessment office), written out as a table rather than derived from the code.
 */
import { describe, expect, it } from 'vitest';
import { newActor } from '../testing/factories.ts';
import { mayWriteSupervision, supervisionForms } from './access.ts';

const GAOCUN = '431226106';

describe('supervision work page forms per role', () => {
  it.each([
    ['county_command', {}, 'period inspection rectify drill training publicity'],
    ['supervisor', {}, 'inspection rectify training publicity annotate'],
    ['war_zone_commander', { warZoneId: 4 }, 'rectify'],
    [
      'township_commander',
      { townshipCode: GAOCUN, warZoneId: 4 },
      'rectify drill training publicity',
    ],
    ['village_head', { townshipCode: GAOCUN, villageCode: '431226106201' }, 'publicity'],
    ['ranger', { townshipCode: GAOCUN }, ''],
    ['lookout_operator', { townshipCode: GAOCUN }, ''],
    ['viewer', {}, ''],
  ] as const)('%s', (role, place, expected) => {
    const a = newActor(role, place);
    const forms = Object.entries(supervisionForms(a))
      .filter(([, may]) => may)
      .map(([form]) => form)
      .sort();
    expect(forms).toEqual(expected.split(' ').filter(Boolean).sort());
    expect(mayWriteSupervision(a)).toBe(expected !== '');
  });
});
