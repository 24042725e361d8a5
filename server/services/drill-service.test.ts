/**
 * The drill rules over in-memory rows: who records, runs, marks and reads a drill, which
 * incidents may be marked as a drill's, where a drill's report may be made, and which unit
 * and township a training counts for. Refusals must write nothing.
 */
import { describe, expect, it } from 'vitest';
import type { TxQuery } from '../db/database.ts';
import type { PlaceAt } from '../repositories/areas-repository.ts';
import type { DrillsRepository } from '../repositories/drills-repository.ts';
import type { SupervisionRepository } from '../repositories/supervision-repository.ts';
import { newActor } from '../testing/factories.ts';
import { fakeLog } from '../testing/fake-log.ts';
import { createDrillService, type DrillReportInput } from './drill-service.ts';
import type { IncidentService } from './incident-service.ts';

const GAOCUN = '431226106';
const LANLI = '431226107';
const ZONE = 4;
const DRILL_DAY = '2026-03-15';
/** 10:00 in Beijing on the drill's day. */
const ON_THE_DAY = new Date('2026-03-15T02:00:00Z');

const county = newActor('county_command', { username: 'county' });
const office = newActor('supervisor', { username: 'office' });
const gaocunCmd = newActor('township_commander', { townshipCode: GAOCUN, warZoneId: ZONE });
const zoneCmd = newActor('war_zone_commander', { warZoneId: ZONE });
const ranger = newActor('ranger', { townshipCode: GAOCUN });

interface FakeIncident {
  townshipCode: string | null;
  firstReportedAt: Date;
  state: string;
  drill?: boolean;
  everConfirmed?: boolean;
  anonymousReports?: number;
}

function world(incidents: Record<string, FakeIncident> = {}) {
  const { log, appended } = fakeLog();
  const drills = new Map([
    [
      'drill-g',
      {
        id: 'drill-g',
        title: '高村演练',
        heldOn: DRILL_DAY,
        townshipCode: GAOCUN as string | null,
        warZoneId: ZONE as number | null,
        departments: [],
        participants: 30,
        notes: null,
      },
    ],
    [
      'drill-c',
      {
        id: 'drill-c',
        title: '全县演练',
        heldOn: DRILL_DAY,
        townshipCode: null,
        warZoneId: null,
        departments: [],
        participants: 80,
        notes: null,
      },
    ],
  ]);
  const marks: string[] = [];
  const created: unknown[] = [];
  const trainings: unknown[] = [];
  const crewsLookedUp: string[] = [];
  const reports: { drillId: string | null; townshipCode: string | null }[] = [];
  const rows = {
    async drill(id: string) {
      return drills.get(id) ?? null;
    },
    async createDrill(input: unknown) {
      created.push(input);
      return { id: 'new-drill' };
    },
    async townshipExists(code: string) {
      return code === GAOCUN || code === LANLI;
    },
    async lockIncident(_q: TxQuery, id: string) {
      const i = incidents[id];
      return i
        ? { townshipCode: i.townshipCode, firstReportedAt: i.firstReportedAt, state: i.state }
        : null;
    },
    async markFacts(_q: TxQuery, id: string) {
      const i = incidents[id];
      return {
        drill: Boolean(i?.drill),
        everConfirmed: Boolean(i?.everConfirmed),
        anonymousReports: i?.anonymousReports ?? 0,
      };
    },
    async insertMark(_q: TxQuery, incidentId: string, drillId: string) {
      marks.push(`${incidentId}→${drillId}`);
    },
    async drillFires() {
      return [];
    },
    async crewPlace(id: string) {
      crewsLookedUp.push(id);
      return id === 'CR-G' ? { id, townshipCode: GAOCUN } : null;
    },
    async recordTraining(input: unknown) {
      trainings.push(input);
      return input;
    },
  } as unknown as DrillsRepository;
  const incidentService = {
    async submitReport(
      _input: DrillReportInput,
      place: PlaceAt,
      _actor: string,
      _trusted: boolean,
      drillId: string | null,
    ) {
      reports.push({ drillId, townshipCode: place.townshipCode });
      return { created: true };
    },
  } as unknown as IncidentService;
  const areas = {
    async areas() {
      return [{ code: GAOCUN, name: '高村镇' }];
    },
  } as unknown as SupervisionRepository;
  const service = createDrillService(rows, log, incidentService, areas);
  return { service, appended, marks, created, trainings, crewsLookedUp, reports };
}

const fireInGaocun: FakeIncident = {
  townshipCode: GAOCUN,
  firstReportedAt: ON_THE_DAY,
  state: 'reported',
};

describe('marking an incident as a drill’s', () => {
  it('links it and writes drill_marked on its timeline', async () => {
    const w = world({ f1: fireInGaocun });
    const { drillId } = await w.service.markIncident('drill-g', 'f1', county);
    expect(drillId).toBe('drill-g');
    expect(w.marks).toEqual(['f1→drill-g']);
    expect(w.appended.map((e) => [e.incidentId, e.type, e.payload])).toEqual([
      ['f1', 'drill_marked', { drillId: 'drill-g', title: '高村演练' }],
    ]);
  });

  it.each([
    ['the township commander whose flag it would change', gaocunCmd],
    ['a war-zone commander', zoneCmd],
    ['a ranger', ranger],
  ])('refuses %s (403) before looking at the drill', async (_who, actor) => {
    const w = world({ f1: fireInGaocun });
    await expect(w.service.markIncident('no-such-drill', 'f1', actor)).rejects.toMatchObject({
      status: 403,
      field: 'role',
    });
    expect(w.marks).toEqual([]);
  });

  it.each([
    ['no such drill', 'nope', 'f1', { status: 404, field: 'id' }],
    [
      'no such incident',
      'drill-g',
      'gone',
      { status: 404, field: 'incidentId', code: 'incident.not_found' },
    ],
    ['a fire already a drill’s', 'drill-g', 'marked', { status: 409, field: 'incidentId' }],
    ['a fire in another township', 'drill-g', 'lanli', { status: 422, field: 'incidentId' }],
    ['a fire of another day', 'drill-c', 'yesterday', { status: 422, field: 'incidentId' }],
    ['a fire once confirmed', 'drill-g', 'confirmed', { status: 409, field: 'incidentId' }],
    ['a fire the public reported', 'drill-g', 'public', { status: 422, field: 'incidentId' }],
  ])('refuses %s, writing nothing', async (_what, drillId, incidentId, refusal) => {
    const w = world({
      f1: fireInGaocun,
      marked: { ...fireInGaocun, drill: true },
      lanli: { ...fireInGaocun, townshipCode: LANLI },
      yesterday: { ...fireInGaocun, firstReportedAt: new Date('2026-03-14T02:00:00Z') },
      confirmed: { ...fireInGaocun, state: 'verifying', everConfirmed: true },
      public: { ...fireInGaocun, anonymousReports: 1 },
    });
    await expect(w.service.markIncident(drillId, incidentId, office)).rejects.toMatchObject(
      refusal,
    );
    expect(w.marks).toEqual([]);
    expect(w.appended).toEqual([]);
  });
});

describe('recording and running a drill', () => {
  const drill = {
    title: '演练',
    heldOn: DRILL_DAY,
    departments: [],
    participants: 10,
    notes: null,
  };

  it('the county records anywhere, a township commander his own township', async () => {
    const w = world();
    await w.service.record({ ...drill, townshipCode: null }, county);
    await w.service.record({ ...drill, townshipCode: GAOCUN }, gaocunCmd);
    expect(w.created).toHaveLength(2);
  });

  it.each([
    ['a township commander, another township', gaocunCmd, LANLI, 403, 'role'],
    ['a township commander, the county', gaocunCmd, null, 403, 'role'],
    ['the supervision office', office, GAOCUN, 403, 'role'],
    ['the county, no such township', county, '431226999', 404, 'townshipCode'],
  ] as const)('refuses %s', async (_what, actor, townshipCode, status, field) => {
    const w = world();
    await expect(w.service.record({ ...drill, townshipCode }, actor)).rejects.toMatchObject({
      status,
      field,
    });
    expect(w.created).toEqual([]);
  });

  it('runs a drill only for its organiser (403) and only one that exists (404)', async () => {
    const w = world();
    expect((await w.service.toOrganise('drill-g', gaocunCmd)).id).toBe('drill-g');
    await expect(w.service.toOrganise('drill-c', gaocunCmd)).rejects.toMatchObject({
      status: 403,
    });
    await expect(w.service.toOrganise('nope', county)).rejects.toMatchObject({ status: 404 });
  });
});

describe("a drill's simulated report", () => {
  const report = { lon: 109.8, lat: 27.87 } as DrillReportInput;
  const at = (inCounty: boolean, townshipCode: string | null) =>
    ({ inCounty, townshipCode }) as PlaceAt;

  it('is opened as the drill’s inside its township', async () => {
    const w = world();
    const drill = await w.service.toOrganise('drill-g', county);
    await w.service.start(drill, report, at(true, GAOCUN), county);
    expect(w.reports).toEqual([{ drillId: 'drill-g', townshipCode: GAOCUN }]);
  });

  it.each([
    ['outside the county', 'drill-c', at(false, null)],
    ['outside the drill’s township', 'drill-g', at(true, LANLI)],
  ])('is refused %s (422 naming position)', async (_what, id, place) => {
    const w = world();
    const drill = await w.service.toOrganise(id, county);
    await expect(w.service.start(drill, report, place, county)).rejects.toMatchObject({
      status: 422,
      field: 'position',
    });
    expect(w.reports).toEqual([]);
  });
});

describe("who reads a drill's report", () => {
  it.each([
    ['the county, a county drill', county, 'drill-c', true],
    ['the office, a township drill', office, 'drill-g', true],
    ['its township commander', gaocunCmd, 'drill-g', true],
    ['its war-zone commander', zoneCmd, 'drill-g', true],
    ['a township commander, a county drill', gaocunCmd, 'drill-c', false],
    ['a war-zone commander, a county drill', zoneCmd, 'drill-c', false],
    ['a ranger', ranger, 'drill-g', false],
  ] as const)('%s: %s', async (_what, actor, id, may) => {
    const w = world();
    const answer = w.service.report(id, actor);
    if (may) expect((await answer).drill.id).toBe(id);
    else await expect(answer).rejects.toMatchObject({ status: 403, field: 'role' });
  });

  it('404 for no such drill', async () => {
    await expect(world().service.report('nope', county)).rejects.toMatchObject({
      status: 404,
      field: 'id',
    });
  });
});

describe('recording a training', () => {
  const training = { title: '扑火培训', heldOn: DRILL_DAY, audience: '队员', personTimes: 20 };

  it('counts a crew’s training in the crew’s township', async () => {
    const w = world();
    await w.service.recordTraining({ ...training, crewId: 'CR-G' }, office);
    expect(w.trainings).toEqual([
      expect.objectContaining({ crewId: 'CR-G', townshipCode: GAOCUN, unitName: null }),
    ]);
  });

  it('refuses a role that records no training before looking up the crew', async () => {
    const w = world();
    await expect(
      w.service.recordTraining({ ...training, crewId: 'CR-X' }, ranger),
    ).rejects.toMatchObject({ status: 403, field: 'role' });
    expect(w.crewsLookedUp).toEqual([]);
  });

  it.each([
    ['a crew and a unit name', { crewId: 'CR-G', unitName: '林场' }, office, 400, 'unitName'],
    ['an unknown crew', { crewId: 'CR-X' }, office, 400, 'crewId'],
    [
      'a crew of another township',
      { crewId: 'CR-G', townshipCode: LANLI },
      office,
      422,
      'townshipCode',
    ],
    ['a blank unit name', { unitName: '  ' }, office, 400, 'unitName'],
    ['a named unit without a township', { unitName: '林场' }, office, 400, 'townshipCode'],
    ['another township’s training', { townshipCode: LANLI }, gaocunCmd, 403, 'role'],
    ['no such township', { townshipCode: '431226999' }, office, 404, 'townshipCode'],
    ['a blank title', { townshipCode: GAOCUN, title: ' ' }, office, 400, 'title'],
  ] as const)('refuses %s', async (_what, over, actor, status, field) => {
    const w = world();
    await expect(w.service.recordTraining({ ...training, ...over }, actor)).rejects.toMatchObject({
      status,
      field,
    });
    expect(w.trainings).toEqual([]);
  });
});
