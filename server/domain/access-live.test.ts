/**
 * The live channel's policy (access.ts), as role × place tables beside the HTTP access matrix:
 * which scope a connection gets for what it asks, and who hears whole events.
 */
import { describe, expect, it } from 'vitest';
import { newActor } from '../testing/factories.ts';
import {
  type Actor,
  hearsWholeEvents,
  type LiveScopeLookups,
  liveScopeFor,
  NO_INCIDENT_SCOPE,
  publicEventView,
} from './access.ts';
import type { IncidentEvent, LiveScope } from './live-events.ts';

const GAOCUN = '431226106';
const LANLI = '431226107';
const ZONE = 4;
const FIRE_IN_GAOCUN = '11111111-1111-1111-1111-111111111111';
const FIRE_ELSEWHERE = '22222222-2222-2222-2222-222222222222';

const lookups: LiveScopeLookups = {
  linkedIncidents: async (crewId) => (crewId === 'CR-T106' ? [FIRE_IN_GAOCUN] : []),
  incidentPlace: async (id) =>
    id === FIRE_IN_GAOCUN
      ? { townshipCode: GAOCUN, warZoneId: ZONE }
      : id === FIRE_ELSEWHERE
        ? { townshipCode: '431226101', warZoneId: 1 }
        : null,
  townshipsOf: async (zone) => (zone === ZONE ? [GAOCUN, LANLI] : []),
};

const actor = newActor;

const county: LiveScope = { kind: 'county' };
const zone: LiveScope = { kind: 'war_zone', id: ZONE };
const gaocun: LiveScope = { kind: 'township', code: GAOCUN };
const lanli: LiveScope = { kind: 'township', code: LANLI };
const fire: LiveScope = { kind: 'incident', id: FIRE_IN_GAOCUN };
const otherFire: LiveScope = { kind: 'incident', id: FIRE_ELSEWHERE };

const twp = actor('township_commander', { townshipCode: GAOCUN, warZoneId: ZONE });
const zoneCmd = actor('war_zone_commander', { warZoneId: ZONE });
const crewPhone = actor('ranger', { crewId: 'CR-T106', townshipCode: GAOCUN });
const otherCrew = actor('ranger', { crewId: 'CR-X', townshipCode: GAOCUN });

/** [who, asked, gets] */
const TABLE: [string, Actor | null, LiveScope, LiveScope][] = [
  ['no sign-in keeps what it asks (public view)', null, county, county],
  ['county command: anything', actor('county_command'), lanli, lanli],
  ['supervisor: anything', actor('supervisor'), zone, zone],
  ['viewer: anything', actor('viewer'), fire, fire],
  ['township commander asking the county gets his township', twp, county, gaocun],
  ['township commander asking another township gets his own', twp, lanli, gaocun],
  ['township commander: a fire in his township', twp, fire, fire],
  ['township commander: a fire elsewhere → his township', twp, otherFire, gaocun],
  ['war-zone commander asking the county gets his zone', zoneCmd, county, zone],
  ['war-zone commander: a township of his zone', zoneCmd, lanli, lanli],
  [
    'war-zone commander: a township outside it → his zone',
    zoneCmd,
    { kind: 'township', code: '431226101' },
    zone,
  ],
  ['war-zone commander: a fire in his zone', zoneCmd, fire, fire],
  ['war-zone commander: a fire outside it → his zone', zoneCmd, otherFire, zone],
  ['village head: his township', actor('village_head', { townshipCode: GAOCUN }), county, gaocun],
  ['crew phone: the fire it was sent to', crewPhone, fire, fire],
  ['crew phone: the county → nothing', crewPhone, county, NO_INCIDENT_SCOPE],
  ['crew not sent there → nothing', otherCrew, fire, NO_INCIDENT_SCOPE],
  ['a ranger without an area → nothing', actor('ranger'), county, NO_INCIDENT_SCOPE],
];

describe('live scope by role and place', () => {
  for (const [what, who, asked, gets] of TABLE)
    it(what, async () => {
      expect(await liveScopeFor(who, asked, lookups)).toEqual(gets);
    });
});

describe('who hears whole events', () => {
  it('commanders, county-wide readers and crew phones; not the public, a village head or a ranger', () => {
    const whole = (a: Actor | null) => hearsWholeEvents(a);
    expect(
      [twp, zoneCmd, actor('county_command'), actor('supervisor'), actor('viewer'), crewPhone].map(
        whole,
      ),
    ).toEqual([true, true, true, true, true, true]);
    expect(
      [
        null,
        actor('village_head', { townshipCode: GAOCUN }),
        actor('ranger'),
        actor('lookout_operator'),
      ].map(whole),
    ).toEqual([false, false, false, false]);
  });

  it('the public view keeps the state and target, drops the actor, notes, reasons and crews', () => {
    const base = {
      seq: 7,
      incidentId: FIRE_IN_GAOCUN,
      at: '2026-04-01T06:00:00.000Z',
      actor: 'twp-gaocun',
      incident: {} as IncidentEvent['incident'],
    };
    const raise: IncidentEvent = {
      ...base,
      type: 'escalated',
      payload: { from: 'township', to: 'county', reason: '向林场蔓延', role: 'township_commander' },
    };
    const v = publicEventView(raise);
    expect(v.actor).toBe('');
    expect(v.public).toBe(true);
    expect(v.payload).toEqual({ from: 'township', to: 'county' });
    expect(raise.payload.reason).toBe('向林场蔓延');
    const sent: IncidentEvent = {
      ...base,
      type: 'crew_dispatched',
      payload: { dispatchId: 'd-1', crewId: 'CR-T106', etaSeconds: 420 },
    };
    expect(publicEventView(sent).payload).toEqual({});
  });
});
