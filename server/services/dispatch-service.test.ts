/**
 * What a dispatch and a crew's arrival do to an incident, over in-memory rows: the incident
 * moves only along its lifecycle (confirmed → dispatched by the first crew sent, dispatched →
 * on_scene by the first crew there), and a later crew, sent or arriving, moves nothing. The
 * rows are fakes so that a state written by any path but the lifecycle shows here.
 */
import { describe, expect, it } from 'vitest';
import type { TxQuery } from '../db/database.ts';
import type { Actor } from '../domain/access.ts';
import type { CrewStatus, DispatchStatus } from '../domain/dispatch-lifecycle.ts';
import type { IncidentState } from '../domain/vocabulary.ts';
import type { DispatchRepository } from '../repositories/dispatch-repository.ts';
import type { IncidentsRepository } from '../repositories/incidents-repository.ts';
import { fakeLog } from '../testing/fake-log.ts';
import { createDispatchService } from './dispatch-service.ts';
import { createIncidentService } from './incident-service.ts';

const COUNTY: Actor = {
  id: '00000000-0000-4000-8000-000000000001',
  username: 'county',
  displayName: '县指挥中心',
  role: 'county_command',
  warZoneId: null,
  townshipCode: null,
  villageCode: null,
  gridCode: null,
  crewId: null,
};

/** One incident, crews and dispatches held in memory, and every write to an incident's state. */
function world(state: IncidentState) {
  const incident = { id: 'fire-1', state };
  const crews = new Map<string, { status: CrewStatus; atFire: boolean }>([
    ['CR-1', { status: 'standby', atFire: false }],
    ['CR-2', { status: 'standby', atFire: false }],
  ]);
  const dispatches = new Map<string, { status: DispatchStatus; crewId: string }>();
  const written: string[] = [];
  const { log, appended } = fakeLog();

  const incidentRows = {
    async lock(_q: TxQuery, id: string) {
      return id === incident.id
        ? {
            state: incident.state,
            townshipCode: '431226100',
            warZoneId: 1,
            escalationLevel: 'village',
          }
        : null;
    },
    async setState(_q: TxQuery, _id: string, to: IncidentState) {
      written.push(`${incident.state}→${to}`);
      incident.state = to;
    },
  } as unknown as IncidentsRepository;

  const active = (crewId: string) =>
    [...dispatches].find(
      ([, d]) => d.crewId === crewId && !['released', 'cancelled'].includes(d.status),
    );
  const dispatchRows = {
    async lock(_q: TxQuery, id: string) {
      const d = dispatches.get(id);
      return d ? { status: d.status, incidentId: incident.id, crewId: d.crewId } : null;
    },
    async setStatus(_q: TxQuery, id: string, to: DispatchStatus) {
      (dispatches.get(id) as { status: DispatchStatus }).status = to;
    },
    async setCrewStatus(_q: TxQuery, crewId: string, status: CrewStatus) {
      (crews.get(crewId) as { status: CrewStatus }).status = status;
    },
    async crewOf(_q: TxQuery, crewId: string) {
      return crews.has(crewId)
        ? { name: crewId, level: 'county', townshipCode: null, warZoneId: null }
        : null;
    },
    async activeOf(_q: TxQuery, crewId: string) {
      const a = active(crewId);
      if (!a) return null;
      const [id, d] = a;
      return { id, status: d.status, incidentId: incident.id, nearFire: crews.get(crewId)?.atFire };
    },
    async insert(_q: TxQuery, _incidentId: string, crewId: string) {
      const id = `d-${dispatches.size + 1}`;
      dispatches.set(id, { status: 'ordered', crewId });
      return id;
    },
    async placeOf(_q: TxQuery, id: string) {
      const d = dispatches.get(id);
      return d ? { crewId: d.crewId, townshipCode: '431226100', warZoneId: 1 } : null;
    },
    async crewAt(_q: TxQuery, crewId: string) {
      const c = crews.get(crewId);
      return c ? { status: c.status, nearBase: false } : null;
    },
    async insertPosition() {},
  } as unknown as DispatchRepository;

  const incidents = createIncidentService(incidentRows, log, {
    mergeDistanceM: 1000,
    mergeWindowMinutes: 90,
  });
  const service = createDispatchService(dispatchRows, incidents, log);
  return {
    service,
    incident,
    crews,
    dispatches,
    written,
    stateEvents: () =>
      appended
        .filter((e) => e.type === 'state_changed')
        .map((e) => `${e.payload.from}→${e.payload.to}`),
    send: (crewId: string, confirm = false) =>
      service.dispatch(incident.id, [crewId], COUNTY, new Map(), confirm),
    fix: (crewId: string) =>
      service.position(
        crewId,
        {
          lon: 109.8,
          lat: 27.87,
          accuracyM: 5,
          recordedAt: new Date('2026-03-15T06:05:00Z'),
          speedMs: null,
          headingDeg: null,
        },
        COUNTY,
      ),
  };
}

describe('what a dispatch does to its incident', () => {
  it('moves a confirmed fire to dispatched with the first crew, and logs the move', async () => {
    const w = world('confirmed');
    await w.send('CR-1');
    expect(w.incident.state).toBe('dispatched');
    expect(w.written).toEqual(['confirmed→dispatched']);
    expect(w.stateEvents()).toEqual(['confirmed→dispatched']);
  });

  it.each(['dispatched', 'on_scene', 'controlled'] as const)(
    'leaves a fire %s where it is when another crew is sent',
    async (state) => {
      const w = world(state);
      await w.send('CR-2');
      expect(w.incident.state).toBe(state);
      expect(w.written).toEqual([]);
      expect(w.stateEvents()).toEqual([]);
      expect(w.crews.get('CR-2')?.status).toBe('dispatched');
    },
  );

  it('confirms an unverified report step by step before the crews go (确认并调派)', async () => {
    const w = world('reported');
    await w.send('CR-1', true);
    expect(w.written).toEqual([
      'reported→verifying',
      'verifying→confirmed',
      'confirmed→dispatched',
    ]);
    expect(w.stateEvents()).toEqual(w.written);
  });

  it('refuses crews for a fire that is out, and writes nothing', async () => {
    const w = world('extinguished');
    await expect(w.send('CR-1')).rejects.toMatchObject({
      status: 409,
      code: 'dispatch.not_dispatchable_state',
    });
    expect(w.written).toEqual([]);
    expect(w.dispatches.size).toBe(0);
  });
});

describe("what a crew's arrival does to its incident", () => {
  it('moves a dispatched fire on scene when the first crew reaches it', async () => {
    const w = world('confirmed');
    await w.send('CR-1');
    (w.crews.get('CR-1') as { atFire: boolean }).atFire = true;
    await w.fix('CR-1');
    expect(w.incident.state).toBe('on_scene');
    expect(w.written).toEqual(['confirmed→dispatched', 'dispatched→on_scene']);
    expect(w.crews.get('CR-1')?.status).toBe('on_scene');
  });

  it('leaves a fire already under control where it is when another crew arrives', async () => {
    const w = world('controlled');
    const { dispatchIds } = await w.send('CR-2');
    await w.service.setStatus(dispatchIds[0] as string, 'acknowledged', COUNTY);
    await w.service.setStatus(dispatchIds[0] as string, 'on_scene', COUNTY);
    expect(w.incident.state).toBe('controlled');
    expect(w.written).toEqual([]);
    expect(w.dispatches.get(dispatchIds[0] as string)?.status).toBe('on_scene');
  });

  it('a second crew arriving at a fire already on scene moves nothing', async () => {
    const w = world('confirmed');
    await w.send('CR-1');
    await w.send('CR-2');
    for (const crew of ['CR-1', 'CR-2']) {
      (w.crews.get(crew) as { atFire: boolean }).atFire = true;
      await w.fix(crew);
    }
    expect(w.written).toEqual(['confirmed→dispatched', 'dispatched→on_scene']);
  });
});
