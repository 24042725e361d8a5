/** Dispatch (调派): order crews to a fire, their status from the crew phone, GPS positions. */
import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import {
  CrewDispatch,
  CrewsLive,
  CrewTrack,
  Dispatchable,
  Dispatched,
  IncidentDispatches,
  PositionTaken,
  StatusSet,
} from '../contract/dispatch.ts';
import { IncidentEvent } from '../contract/incidents.ts';
import { COMMAND_ROLES, mayDispatch, mayReadCrewsLive } from '../domain/access.ts';
import { observationTimeProblem } from '../domain/observation-time.ts';
import { HttpError } from '../plugins/errors.ts';
import { incidentMissing, requireIncidentReader } from './incident-reads.ts';

const CrewId = Type.String({ pattern: '^[A-Za-z0-9_-]{1,40}$' });

export interface DispatchRoutesOptions {
  /** How old a GPS fix's recordedAt may be (hours); see config. */
  maxObservationAgeHours: number;
}

const dispatchRoutes: FastifyPluginAsyncTypebox<DispatchRoutesOptions> = async (app, opts) => {
  const publishCrews = async (ids: string[]) => {
    for (const id of new Set(ids))
      for (const c of await app.dispatchRepository.liveCrews(id)) app.live.publishCrew(c);
  };

  app.get(
    '/api/crews/live',
    {
      schema: {
        summary: 'Crews on duty (or heard from in 12 h) at their last GPS position, with its time',
        tags: ['dispatch'],
        response: { 200: CrewsLive },
      },
    },
    async (request) => {
      const actor = app.requireActor(request);
      if (!mayReadCrewsLive(actor))
        throw new HttpError(403, `${actor.username} may not follow crews`, 'role');
      return {
        crews: await app.dispatchRepository.liveCrews(),
        serverTime: new Date().toISOString(),
      };
    },
  );

  app.post(
    '/api/incidents/:id/dispatches',
    {
      schema: {
        summary:
          'Order one or more crews to a confirmed fire (403 outside your command, 409 if busy); with confirm, an unverified report is confirmed in the same step (确认并调派)',
        tags: ['dispatch'],
        response: { 201: Dispatched },
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
        body: Type.Object(
          {
            crewIds: Type.Array(CrewId, { minItems: 1, maxItems: 20, uniqueItems: true }),
            confirm: Type.Optional(
              Type.Boolean({
                description:
                  'confirm a reported or verifying incident first (reported → verifying → confirmed), all or nothing',
              }),
            ),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (request, reply) => {
      const actor = app.requireActor(request, COMMAND_ROLES);
      const incident = await app.incidentsRepository.get(request.params.id);
      if (!incident) throw incidentMissing(request.params.id);
      // ETAs from the reach engine at the moment of the order.
      const etas = new Map<string, number>();
      try {
        const answer = await app.reach.toPoint(...incident.location, true);
        for (const c of answer?.crews ?? []) if (c.seconds !== null) etas.set(c.id, c.seconds);
      } catch (err) {
        request.log.warn({ err }, 'no ETA for this dispatch');
      }
      const result = await app.dispatchService.dispatch(
        request.params.id,
        request.body.crewIds,
        actor,
        etas,
        request.body.confirm ?? false,
      );
      app.breachClock.poke();
      return reply.status(201).send({ dispatchIds: result.dispatchIds });
    },
  );

  app.post(
    '/api/incidents/:id/escalations',
    {
      schema: {
        summary:
          'Raise the command level (village → township → county with war-zone linkage), with a reason',
        tags: ['dispatch'],
        response: { 201: IncidentEvent },
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
        body: Type.Object(
          {
            level: Type.Union([Type.Literal('township'), Type.Literal('county')]),
            // Raising a fire is answered for: a reason that says something, not spaces.
            reason: Type.String({ minLength: 1, maxLength: 500, pattern: '\\S' }),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (request, reply) => {
      const actor = app.requireActor(request);
      const event = await app.incidentService.escalate(
        request.params.id,
        request.body.level,
        actor,
        request.body.reason.trim(),
      );
      return reply.status(201).send(event);
    },
  );

  app.get(
    '/api/incidents/:id/dispatchable',
    {
      schema: {
        summary:
          'Crews the signed-in commander may send to this incident at its command level, each with its status and the incident it serves now (busyIncidentId)',
        tags: ['dispatch'],
        response: { 200: Dispatchable },
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
      },
    },
    async (request) => {
      const actor = app.requireActor(request, COMMAND_ROLES);
      const incident = await app.incidentsRepository.get(request.params.id);
      if (!incident) throw incidentMissing(request.params.id);
      const crews = await app.dispatchRepository.standings();
      return {
        escalationLevel: incident.escalationLevel,
        crews: crews
          .filter((c) =>
            mayDispatch(actor, c, {
              townshipCode: incident.townshipCode,
              warZoneId: incident.warZoneId,
              escalationLevel: incident.escalationLevel,
            }),
          )
          .map((c) => ({
            id: c.id,
            name: c.name,
            level: c.level,
            townshipCode: c.townshipCode,
            status: c.status,
            busyIncidentId: c.busyIncidentId,
          })),
      };
    },
  );

  app.post(
    '/api/dispatches/:id/status',
    {
      schema: {
        summary:
          "A dispatch's next status: acknowledged, en_route, on_scene, released or cancelled",
        tags: ['dispatch'],
        response: { 200: StatusSet },
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
        body: Type.Object(
          {
            status: Type.Union(
              ['acknowledged', 'en_route', 'on_scene', 'released', 'cancelled'].map((s) =>
                Type.Literal(s),
              ),
            ),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (request) => {
      const actor = app.requireActor(request);
      const events = await app.dispatchService.setStatus(
        request.params.id,
        request.body.status as 'acknowledged',
        actor,
      );
      app.breachClock.poke();
      await publishCrews(
        events.flatMap((e) =>
          e.type === 'crew_dispatched' || e.type === 'dispatch_updated' ? [e.payload.crewId] : [],
        ),
      );
      return { events: events.map((e) => e.seq) };
    },
  );

  app.post(
    '/api/crews/:id/positions',
    {
      schema: {
        summary:
          "A crew phone's GPS fix (AVL); within the arrival radius of its fire, arrival is recorded",
        tags: ['dispatch'],
        response: { 201: PositionTaken },
        params: Type.Object({ id: CrewId }),
        body: Type.Object(
          {
            lon: Type.Number({ minimum: -180, maximum: 180 }),
            lat: Type.Number({ minimum: -90, maximum: 90 }),
            accuracyM: Type.Optional(Type.Number({ minimum: 0, maximum: 100_000 })),
            recordedAt: Type.String({ format: 'date-time' }),
            speedMs: Type.Optional(Type.Number({ minimum: 0, maximum: 100 })),
            headingDeg: Type.Optional(Type.Number({ minimum: 0, exclusiveMaximum: 360 })),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (request, reply) => {
      const actor = app.requireActor(request);
      const b = request.body;
      const recordedAt = new Date(b.recordedAt);
      // A fix dated 2099 would otherwise stay the crew's "latest" position for ever.
      const late = observationTimeProblem(recordedAt, Date.now(), opts.maxObservationAgeHours);
      if (late) throw new HttpError(422, `recordedAt ${late}`, 'recordedAt');
      const events = await app.dispatchService.position(
        request.params.id,
        {
          lon: b.lon,
          lat: b.lat,
          accuracyM: b.accuracyM ?? null,
          recordedAt,
          speedMs: b.speedMs ?? null,
          headingDeg: b.headingDeg ?? null,
        },
        actor,
      );
      if (events.length > 0) app.breachClock.poke();
      await publishCrews([request.params.id]);
      return reply.status(201).send({
        arrived: events.some((e) => e.type === 'state_changed' && e.payload.to === 'on_scene'),
      });
    },
  );

  app.get(
    '/api/crews/:id/dispatch',
    {
      schema: {
        summary: "The crew's current assignment (for its phone), or null",
        tags: ['dispatch'],
        response: { 200: CrewDispatch },
        params: Type.Object({ id: CrewId }),
      },
    },
    async (request) => {
      const actor = app.requireActor(request);
      if (actor.crewId !== request.params.id && !mayReadCrewsLive(actor))
        throw new HttpError(
          403,
          `${actor.username} does not speak for crew ${request.params.id}`,
          'id',
        );
      return { dispatch: await app.dispatchRepository.active(request.params.id) };
    },
  );

  app.get(
    '/api/incidents/:id/dispatches',
    {
      schema: {
        summary: 'Crews dispatched to an incident and their status',
        tags: ['dispatch'],
        response: { 200: IncidentDispatches },
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
      },
    },
    async (request) => {
      await requireIncidentReader(app, request, request.params.id);
      return { dispatches: await app.dispatchRepository.ofIncident(request.params.id) };
    },
  );

  app.get(
    '/api/crews/:id/track',
    {
      schema: {
        summary: "A crew's GPS track (for replay), optionally since a time",
        tags: ['dispatch'],
        response: { 200: CrewTrack },
        params: Type.Object({ id: CrewId }),
        querystring: Type.Object(
          { since: Type.Optional(Type.String({ format: 'date-time' })) },
          { additionalProperties: false },
        ),
      },
    },
    async (request) => {
      const actor = app.requireActor(request);
      if (actor.crewId !== request.params.id && !mayReadCrewsLive(actor))
        throw new HttpError(403, `${actor.username} may not read crew tracks`, 'id');
      const since = request.query.since ? new Date(request.query.since) : null;
      return { track: await app.dispatchRepository.track(request.params.id, since) };
    },
  );
};

export default dispatchRoutes;
