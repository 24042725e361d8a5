import { describe, expect, it } from 'vitest';
import { newActor } from '../testing/factories.ts';
import type { Actor } from './access.ts';
import { alertedAt, alertLevel, alertsActor, levelAbove } from './upward-alerts.ts';

const actor = (over: Partial<Actor>): Actor => newActor(over.role ?? 'viewer', over);
const gaocun = { townshipCode: '431226106', warZoneId: 2 };
const twp = actor({
  username: 'twp',
  role: 'township_commander',
  townshipCode: '431226106',
  warZoneId: 2,
});
const otherTwp = actor({ role: 'township_commander', townshipCode: '431226101', warZoneId: 2 });
const zone = actor({ role: 'war_zone_commander', warZoneId: 2 });
const otherZone = actor({ role: 'war_zone_commander', warZoneId: 3 });
const county = actor({ role: 'county_command' });

const raiseTo = (to: 'township' | 'county') =>
  ({
    type: 'escalated',
    payload: { from: 'village', to, reason: '火势蔓延', role: 'township_commander' },
  }) as const;
const breach = (alertLevel: 'township' | 'county' | undefined) =>
  ({
    type: 'target_breached',
    payload: {
      target: 'arrive',
      deadline: '2026-04-01T06:10:00.000Z',
      state: 'dispatched',
      ...(alertLevel ? { alertLevel } : {}),
    },
  }) as const;

describe('upward alerts', () => {
  it('the level above a fire’s: village → township → county, the county answers for itself', () => {
    expect(levelAbove('village')).toBe('township');
    expect(levelAbove('township')).toBe('county');
    expect(levelAbove('county')).toBe('county');
  });

  it('a raise alarms the level raised to; a breach the level recorded, else the one above now', () => {
    expect(alertLevel(raiseTo('county'), 'county')).toBe('county');
    expect(alertLevel(raiseTo('township'), 'county')).toBe('township');
    expect(alertLevel(breach('township'), 'county')).toBe('township');
    // A breach stored before the payload recorded its level: the one above the fire's now.
    expect(alertLevel(breach(undefined), 'township')).toBe('county');
    expect(alertLevel(breach(undefined), 'village')).toBe('township');
    expect(
      alertLevel(
        { type: 'state_changed', payload: { from: 'confirmed', to: 'dispatched', note: null } },
        'village',
      ),
    ).toBeNull();
  });

  it('the township level is its own commander; the county level the centre and the fire’s war zone', () => {
    expect(alertedAt(twp, 'township', gaocun)).toBe(true);
    expect(alertedAt(otherTwp, 'township', gaocun)).toBe(false);
    expect(alertedAt(county, 'township', gaocun)).toBe(false);
    expect(alertedAt(zone, 'township', gaocun)).toBe(false);
    expect(alertedAt(county, 'county', gaocun)).toBe(true);
    expect(alertedAt(zone, 'county', gaocun)).toBe(true);
    expect(alertedAt(otherZone, 'county', gaocun)).toBe(false);
    expect(alertedAt(twp, 'county', gaocun)).toBe(false);
    for (const role of [
      'viewer',
      'supervisor',
      'ranger',
      'village_head',
      'lookout_operator',
    ] as const)
      expect(
        alertedAt(actor({ role, townshipCode: '431226106', warZoneId: 2 }), 'county', gaocun),
      ).toBe(false);
  });

  it('nobody is alarmed by his own raise', () => {
    const raise = { ...raiseTo('county'), actor: county.username };
    const place = { ...gaocun, escalationLevel: 'county' as const };
    expect(alertsActor(county, raise, place)).toBe(false);
    expect(alertsActor(county, { ...raise, actor: twp.username }, place)).toBe(true);
  });
});
