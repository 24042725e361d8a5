/**
 * Read-side policy (access.ts) as role × place tables beside the HTTP access matrix: the
 * incidents a reader's list covers, who reads a drill's report, who reads the cameras'
 * false-alarm rates. Written out by hand, not derived from the code.
 */
import { describe, expect, it } from 'vitest';
import { newActor } from '../testing/factories.ts';
import {
  type Actor,
  incidentReadScope,
  mayReadCameraStatistics,
  mayReadDrill,
  type ReadScope,
} from './access.ts';
import type { UserRole } from './vocabulary.ts';

const GAOCUN = '431226106';
const LANLI = '431226107';
const ZONE = 4;
const actor = newActor;

describe("the incidents a reader's list covers", () => {
  const ranger = actor('ranger', { townshipCode: GAOCUN, gridCode: 'G-1' });
  const crewPhone = actor('ranger', { crewId: 'CR-T106', townshipCode: GAOCUN });
  /** [who, reader, asked, covers] */
  const TABLE: [string, Actor | null, { townshipCode?: string; warZoneId?: number }, ReadScope][] =
    [
      ['no sign-in: the county', null, {}, { kind: 'county' }],
      [
        'no sign-in: the township asked',
        null,
        { townshipCode: LANLI },
        { kind: 'township', code: LANLI },
      ],
      ['no sign-in: the war zone asked', null, { warZoneId: ZONE }, { kind: 'war_zone', id: ZONE }],
      [
        'county command: what it asks',
        actor('county_command'),
        { townshipCode: LANLI },
        { kind: 'township', code: LANLI },
      ],
      ['supervisor: the county', actor('supervisor'), {}, { kind: 'county' }],
      [
        'viewer: what it asks',
        actor('viewer'),
        { warZoneId: ZONE },
        { kind: 'war_zone', id: ZONE },
      ],
      [
        'a county-wide reader is not narrowed by a township on his account',
        actor('viewer', { townshipCode: GAOCUN }),
        { townshipCode: LANLI },
        { kind: 'township', code: LANLI },
      ],
      [
        'war-zone commander: his zone, whatever he asks',
        actor('war_zone_commander', { warZoneId: ZONE }),
        { townshipCode: '431226101' },
        { kind: 'war_zone', id: ZONE },
      ],
      [
        'township commander: his township and his zone’s county-level fires',
        actor('township_commander', { townshipCode: GAOCUN, warZoneId: ZONE }),
        { townshipCode: LANLI },
        { kind: 'township_command', code: GAOCUN, warZoneId: ZONE },
      ],
      [
        'ranger: his grid and his own reports',
        ranger,
        {},
        { kind: 'reporter', userId: ranger.id, gridCode: 'G-1' },
      ],
      [
        'crew phone: its township',
        crewPhone,
        { townshipCode: LANLI },
        { kind: 'township', code: GAOCUN },
      ],
      [
        'village head: his township',
        actor('village_head', { townshipCode: GAOCUN, villageCode: '431226106201' }),
        {},
        { kind: 'township', code: GAOCUN },
      ],
      [
        'lookout operator: his township',
        actor('lookout_operator', { townshipCode: LANLI }),
        { townshipCode: GAOCUN },
        { kind: 'township', code: LANLI },
      ],
    ];
  for (const [what, who, asked, covers] of TABLE)
    it(what, () => {
      expect(incidentReadScope(who, asked)).toEqual(covers);
    });
});

describe("who reads a drill's report", () => {
  const gaocun = { townshipCode: GAOCUN, warZoneId: ZONE };
  const elsewhere = { townshipCode: '431226101', warZoneId: 1 };
  /** [role, the reader's own place, county drill, Gaocun's drill, another zone's drill] */
  const TABLE: [UserRole, Partial<Actor>, boolean, boolean, boolean][] = [
    ['county_command', {}, true, true, true],
    ['supervisor', {}, true, true, true],
    ['war_zone_commander', { warZoneId: ZONE }, false, true, false],
    ['township_commander', { townshipCode: GAOCUN, warZoneId: ZONE }, false, true, false],
    ['township_commander', { townshipCode: LANLI, warZoneId: ZONE }, false, false, false],
    ['village_head', { townshipCode: GAOCUN }, false, false, false],
    ['lookout_operator', { townshipCode: GAOCUN }, false, false, false],
    ['ranger', { townshipCode: GAOCUN }, false, false, false],
    ['viewer', {}, false, false, false],
  ];
  for (const [role, own, countyDrill, gaocunDrill, otherDrill] of TABLE)
    it(`${role} ${JSON.stringify(own)}`, () => {
      const a = actor(role, own);
      expect([mayReadDrill(a, null), mayReadDrill(a, gaocun), mayReadDrill(a, elsewhere)]).toEqual([
        countyDrill,
        gaocunDrill,
        otherDrill,
      ]);
    });
});

describe("who reads the cameras' false-alarm rates", () => {
  it.each([
    ['county_command', true],
    ['war_zone_commander', true],
    ['township_commander', true],
    ['supervisor', true],
    ['viewer', true],
    ['lookout_operator', true],
    ['village_head', false],
    ['ranger', false],
  ] as const)('%s: %s', (role, may) => {
    expect(mayReadCameraStatistics(actor(role, { townshipCode: GAOCUN, warZoneId: ZONE }))).toBe(
      may,
    );
  });
});
