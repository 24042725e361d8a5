/**
 * The rules of drills 演练 and training 培训 (issue 14 item 3): who records and runs a drill
 * (domain/access.ts), which incidents may be marked as a drill's (domain/drills.ts
 * drillMarkProblem, under the incident log's lock, with a `drill_marked` event), where a drill's
 * simulated report may be made, who reads a drill's report, and which unit and township a
 * training counts for. Refusals are the DomainErrors of domain/errors.ts.
 */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { DrillReport } from '../contract/drills.ts';
import type { TrainingView } from '../contract/supervision.ts';
import {
  type Actor,
  mayMarkDrillIncident,
  mayOrganiseDrill,
  mayReadDrill,
  mayRecordTraining,
} from '../domain/access.ts';
import {
  drillMarkProblem,
  drillTimeline,
  scoreByTownship,
  scoreDrillFire,
} from '../domain/drills.ts';
import { AccessDenied, DomainError, IncidentConflict } from '../domain/errors.ts';
import type { IncidentEvent } from '../domain/live-events.ts';
import type { PlaceAt } from '../repositories/areas-repository.ts';
import type { DrillsRepository } from '../repositories/drills-repository.ts';
import type { IncidentLog } from '../repositories/incident-log.ts';
import type { SupervisionRepository } from '../repositories/supervision-repository.ts';
import type { IncidentService } from './incident-service.ts';

export type Drill = NonNullable<Awaited<ReturnType<DrillsRepository['drill']>>>;

/** A training as given: a crew, a named organisation, or neither (未注明单位). */
export interface TrainingInput {
  title: string;
  heldOn: string;
  townshipCode?: string | null;
  audience: string;
  personTimes: number;
  crewId?: string;
  unitName?: string;
}

/** What a drill's simulated report carries besides its place (see DrillStartInput). */
export type DrillReportInput = Parameters<IncidentService['submitReport']>[0];

export function createDrillService(
  drillRows: DrillsRepository,
  log: IncidentLog,
  incidents: Pick<IncidentService, 'submitReport'>,
  areas: Pick<SupervisionRepository, 'areas'>,
) {
  const knownTownship = async (code: string | null | undefined, field: string) => {
    if (code && !(await drillRows.townshipExists(code)))
      throw new DomainError(`no township ${code}`, field, 404);
  };

  const drillOf = async (id: string): Promise<Drill> => {
    const drill = await drillRows.drill(id);
    if (!drill) throw new DomainError(`no drill ${id}`, 'id', 404);
    return drill;
  };

  /**
   * The unit a training is for and the township it counts in: a crew (its own township; a
   * different townshipCode given is a 422), a named organisation (needs its township), or
   * neither (未注明单位, the township as given). Unknown crews and blank names are 400s.
   */
  async function trainingUnit(
    crewId: string | undefined,
    unitName: string | undefined,
    given: string | null,
  ): Promise<{ crewId: string | null; unitName: string | null; townshipCode: string | null }> {
    if (crewId !== undefined && unitName !== undefined)
      throw new DomainError('give crewId or unitName, not both', 'unitName', 400);
    if (crewId !== undefined) {
      const crew = await drillRows.crewPlace(crewId);
      if (!crew) throw new DomainError(`no crew ${crewId}`, 'crewId', 400);
      if (given !== null && given !== crew.townshipCode)
        throw new DomainError(`crew ${crewId} is not of township ${given}`, 'townshipCode', 422);
      return { crewId, unitName: null, townshipCode: crew.townshipCode };
    }
    if (unitName !== undefined) {
      const name = unitName.trim();
      if (name === '') throw new DomainError('unitName must not be blank', 'unitName', 400);
      if (given === null)
        throw new DomainError('a named unit needs its townshipCode', 'townshipCode', 400);
      return { crewId: null, unitName: name, townshipCode: given };
    }
    return { crewId: null, unitName: null, townshipCode: given };
  }

  return {
    /** Records a drill for the county or a township: 403 not the actor's, 404 no township. */
    async record(
      input: Omit<Parameters<DrillsRepository['createDrill']>[0], 'townshipCode'> & {
        townshipCode: string | null;
      },
      actor: Actor,
    ): Promise<{ id: string }> {
      if (!mayOrganiseDrill(actor, input.townshipCode))
        throw new AccessDenied(`role ${actor.role} may not record this drill`, 'role');
      await knownTownship(input.townshipCode, 'townshipCode');
      return drillRows.createDrill(input);
    },

    /** The drill `id` for its organiser: 404 no such drill, 403 not the actor's to run. */
    async toOrganise(id: string, actor: Actor): Promise<Drill> {
      const drill = await drillOf(id);
      if (!mayOrganiseDrill(actor, drill.townshipCode))
        throw new AccessDenied(`role ${actor.role} may not run this drill`, 'role');
      return drill;
    },

    /**
     * Marks an incident as part of a drill, in one unit of work of the incident log: the
     * incident row is held while the rule (domain/drills.ts drillMarkProblem) is checked, the
     * link written and a `drill_marked` event appended, so its timeline says so. 403 for all
     * but the county command centre and the supervision office, 404 without the drill; the
     * incident's refusals name `incidentId` (404 missing, 409 already a drill or already
     * confirmed, 422 another township, another day, or a report from no signed-in user).
     */
    async markIncident(
      drillId: string,
      incidentId: string,
      actor: Actor,
    ): Promise<{ drillId: string; event: IncidentEvent }> {
      // Never the township whose flag it would change (domain/access.ts mayMarkDrillIncident).
      if (!mayMarkDrillIncident(actor))
        throw new AccessDenied(`role ${actor.role} may not mark an incident as a drill`, 'role');
      const drill = await drillOf(drillId);
      const event = await log.run(async (q) => {
        const incident = await drillRows.lockIncident(q, incidentId);
        if (!incident)
          throw new IncidentConflict(
            `no incident ${incidentId}`,
            'incidentId',
            404,
            'incident.not_found',
          );
        const facts = await drillRows.markFacts(q, incidentId);
        if (facts.drill)
          throw new IncidentConflict('this incident is already marked as a drill', 'incidentId');
        const problem = drillMarkProblem(drill, { ...incident, ...facts });
        if (problem) throw new IncidentConflict(problem.message, 'incidentId', problem.status);
        await drillRows.insertMark(q, incidentId, drill.id);
        return q.append(incidentId, 'drill_marked', actor.username, {
          drillId: drill.id,
          title: drill.title,
        });
      });
      return { drillId: drill.id, event };
    },

    /**
     * Opens the drill's simulated fire report at `place`, marked as the drill's from the
     * start: 422 naming position outside the county or the drill's township.
     */
    async start(drill: Drill, report: DrillReportInput, place: PlaceAt, actor: Actor) {
      const { lon, lat } = report;
      if (!place.inCounty)
        throw new DomainError(`position (${lon}, ${lat}) is outside the county`, 'position', 422);
      if (drill.townshipCode && place.townshipCode !== drill.townshipCode)
        throw new DomainError(
          `position (${lon}, ${lat}) is outside the drill's township ${drill.townshipCode}`,
          'position',
          422,
        );
      return incidents.submitReport(report, place, actor.username, true, drill.id);
    },

    /**
     * The drill report of `id` for its reader (domain/access.ts mayReadDrill; 404, 403): each
     * drill fire with its timeline, each crew against 10/20/30, each township's totals, and the
     * names of the townships it mentions.
     */
    async report(id: string, actor: Actor): Promise<DrillReport> {
      const drill = await drillOf(id);
      const place = drill.townshipCode
        ? { townshipCode: drill.townshipCode, warZoneId: drill.warZoneId }
        : null;
      if (!mayReadDrill(actor, place))
        throw new AccessDenied(`role ${actor.role} may not read this drill`, 'role');
      const raw = await drillRows.drillFires(drill.id);
      const fires = raw.map((f) => ({ ...scoreDrillFire(f), timeline: drillTimeline(f) }));
      const townshipNames = Object.fromEntries(
        (await areas.areas('township')).map((t) => [t.code, t.name]),
      );
      return { drill, fires, townships: scoreByTownship(fires), townshipNames };
    },

    /**
     * Records a training in person-times for its unit and township. A role that may record no
     * training at all (not even its own township's) is refused before the unit is looked up,
     * so its answer says nothing of which crews exist; then the unit (trainingUnit), 403 for a
     * township not the actor's, 404 for no such township, 400 for a blank title or audience.
     */
    async recordTraining(input: TrainingInput, actor: Actor): Promise<TrainingView> {
      if (!mayRecordTraining(actor, actor.townshipCode))
        throw new AccessDenied(`role ${actor.role} may not record trainings`, 'role');
      const unit = await trainingUnit(input.crewId, input.unitName, input.townshipCode ?? null);
      const townshipCode = unit.townshipCode;
      if (!mayRecordTraining(actor, townshipCode))
        throw new AccessDenied(`role ${actor.role} may not record this training`, 'role');
      await knownTownship(townshipCode, 'townshipCode');
      for (const k of ['title', 'audience'] as const)
        if (input[k].trim() === '') throw new DomainError(`${k} must not be blank`, k, 400);
      return drillRows.recordTraining({
        title: input.title.trim(),
        heldOn: input.heldOn,
        townshipCode,
        audience: input.audience.trim(),
        personTimes: input.personTimes,
        crewId: unit.crewId,
        unitName: unit.unitName,
      });
    },
  };
}

export type DrillService = ReturnType<typeof createDrillService>;

declare module 'fastify' {
  interface FastifyInstance {
    drillService: DrillService;
  }
}

export default fp(
  async (app: FastifyInstance) => {
    app.decorate(
      'drillService',
      createDrillService(
        app.drillsRepository,
        app.incidentLog,
        app.incidentService,
        app.supervisionRepository,
      ),
    );
  },
  {
    name: 'drill-service',
    dependencies: [
      'drills-repository',
      'incident-log',
      'incident-service',
      'supervision-repository',
    ],
  },
);
