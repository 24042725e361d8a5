/**
 * Upward alerts over in-memory rows: whose badge an alert is on, and who may acknowledge it
 * (the level it alarmed, once). The rows are fakes, so a refusal that wrote anything shows
 * as an appended event.
 */
import { describe, expect, it } from 'vitest';
import type { TxQuery } from '../db/database.ts';
import type { CommandLevel } from '../domain/access.ts';
import type { AlertRecord, AlertsRepository } from '../repositories/alerts-repository.ts';
import { newActor } from '../testing/factories.ts';
import { fakeLog } from '../testing/fake-log.ts';
import { createAlertService } from './alert-service.ts';

const GAOCUN = '431226106';
const LANLI = '431226107';
const ZONE = 4;

/** A fire in Gaocun (war zone 4) handled at `level`, and one of its alert events. */
function alert(
  seq: number,
  event: { type: 'escalated'; to: 'township' | 'county' } | { type: 'target_breached' },
  level: CommandLevel,
  actor = 'someone',
  acknowledgement: AlertRecord['acknowledgement'] = null,
): AlertRecord {
  const base = { seq, incidentId: `fire-${seq}`, at: '2026-03-15T06:00:00.000Z', actor };
  return {
    event:
      event.type === 'escalated'
        ? {
            ...base,
            type: 'escalated',
            payload: { from: 'village', to: event.to, reason: '火势扩大', role: 'county_command' },
          }
        : {
            ...base,
            type: 'target_breached',
            payload: {
              target: 'arrive',
              deadline: '2026-03-15T06:10:00.000Z',
              state: 'dispatched',
            },
          },
    place: { townshipCode: GAOCUN, warZoneId: ZONE, escalationLevel: level },
    fire: {
      townshipName: '高村镇',
      villageName: null,
      escalationLevel: level,
      firstReportedAt: '2026-03-15T05:50:00.000Z',
      drill: false,
    },
    acknowledgement,
  };
}

function world(records: AlertRecord[]) {
  const { log, appended } = fakeLog();
  const rows = {
    async unacknowledged() {
      return records.filter((r) => r.acknowledgement === null);
    },
    async alert(_q: TxQuery, seq: number) {
      return records.find((r) => r.event.seq === seq) ?? null;
    },
  } as unknown as AlertsRepository;
  return { service: createAlertService(rows, log), appended };
}

const county = newActor('county_command', { username: 'county' });
const zoneCmd = newActor('war_zone_commander', { username: 'zone4', warZoneId: ZONE });
const gaocunCmd = newActor('township_commander', {
  username: 'gaocun',
  townshipCode: GAOCUN,
  warZoneId: ZONE,
});
const lanliCmd = newActor('township_commander', {
  username: 'lanli',
  townshipCode: LANLI,
  warZoneId: ZONE,
});

describe('whose badge an alert is on', () => {
  const records = [
    alert(3, { type: 'escalated', to: 'county' }, 'county', 'gaocun'),
    // A village fire's missed target alarms its township.
    alert(2, { type: 'target_breached' }, 'village'),
    alert(1, { type: 'escalated', to: 'county' }, 'county', 'zone4'),
  ];
  it.each([
    ['the county: both raises, not the village fire’s breach', county, [3, 1]],
    ['the war zone: the raise it did not make', zoneCmd, [3]],
    ['the township: the breach, not its own raise', gaocunCmd, [2]],
    ['another township: nothing', lanliCmd, []],
  ] as const)('%s', async (_what, who, seqs) => {
    const { service } = world(records);
    expect((await service.unacknowledged(who)).map((a) => a.seq)).toEqual(seqs);
  });

  it('lists each alert at the level it alarmed', async () => {
    const { service } = world(records);
    expect((await service.unacknowledged(gaocunCmd)).map((a) => a.level)).toEqual(['township']);
  });
});

describe('acknowledging an alert', () => {
  it('appends alert_acknowledged naming the alert, its level and the role', async () => {
    const { service, appended } = world([
      alert(7, { type: 'escalated', to: 'county' }, 'county', 'gaocun'),
    ]);
    await service.acknowledge(7, zoneCmd);
    expect(appended).toEqual([
      {
        incidentId: 'fire-7',
        type: 'alert_acknowledged',
        actor: 'zone4',
        payload: { seq: 7, alertType: 'escalated', level: 'county', role: 'war_zone_commander' },
      },
    ]);
  });

  it('refuses a sequence that is no alert (404), writing nothing', async () => {
    const { service, appended } = world([]);
    await expect(service.acknowledge(9, county)).rejects.toMatchObject({
      status: 404,
      field: 'seq',
      code: 'alert.not_found',
    });
    expect(appended).toEqual([]);
  });

  it('refuses someone not at the level alarmed (403), naming the level', async () => {
    const { service, appended } = world([alert(5, { type: 'target_breached' }, 'village')]);
    await expect(service.acknowledge(5, county)).rejects.toMatchObject({
      status: 403,
      field: 'seq',
      code: 'alert.not_yours',
      params: { level: 'township' },
    });
    await expect(service.acknowledge(5, lanliCmd)).rejects.toMatchObject({ status: 403 });
    expect(appended).toEqual([]);
  });

  it('refuses a second acknowledgement (409), saying who and when on Beijing time', async () => {
    const { service, appended } = world([
      alert(6, { type: 'escalated', to: 'county' }, 'county', 'gaocun', {
        by: 'county',
        at: '2026-03-15T06:05:00.000Z',
      }),
    ]);
    await expect(service.acknowledge(6, zoneCmd)).rejects.toMatchObject({
      status: 409,
      code: 'alert.already_acknowledged',
      params: { by: 'county', at: '14:05' },
    });
    expect(appended).toEqual([]);
  });
});
