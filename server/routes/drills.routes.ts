/**
 * Drills 演练 and training 培训 (issue 14 item 3): record a drill, mark the incidents it ran
 * through the real system as drills (so they never count in flags or statistics), score it
 * against 10/20/30 per crew and per township, and count training person-times against the
 * county's 5,000 a year. The rules are services/drill-service.ts's.
 */
import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { DrillMarked, DrillReport, DrillStarted } from '../contract/drills.ts';
import {
  DrillInput,
  DrillStartInput,
  Recorded,
  TrainingInput,
  TrainingSummary,
  TrainingView,
} from '../contract/supervision.ts';
import { Binary } from '../contract/wire.ts';
import { trainingProgress } from '../domain/drills.ts';
import { observationTimeProblem } from '../domain/observation-time.ts';
import { SESSION_COOKIE, tokenOf } from '../plugins/auth.ts';
import { HttpError } from '../plugins/errors.ts';
import { ownBaseUrl, type PagePrinter } from '../services/combat-map-pdf.ts';
import { supervisionReader } from './supervision.routes.ts';

const Year = Type.Integer({ minimum: 2000, maximum: 2999 });

const drillsRoutes: FastifyPluginAsyncTypebox<{
  maxObservationAgeHours: number;
  printer: PagePrinter;
}> = async (app, opts) => {
  const { printer } = opts;
  app.post(
    '/api/drills',
    {
      schema: {
        summary: 'Record a drill (演练) for the county or a township',
        tags: ['supervision'],
        body: DrillInput,
        response: { 201: Recorded },
      },
    },
    async (request, reply) => {
      const actor = app.requireActor(request);
      const drill = await app.drillService.record(
        {
          title: request.body.title.trim(),
          heldOn: request.body.heldOn,
          townshipCode: request.body.townshipCode ?? null,
          departments: request.body.departments ?? [],
          participants: request.body.participants,
          notes: request.body.notes ?? null,
        },
        actor,
      );
      reply.code(201);
      return drill;
    },
  );

  app.post(
    '/api/drills/:id/incidents',
    {
      schema: {
        summary: 'Mark an incident as part of this drill: never in flags or statistics',
        description:
          'County command centre and supervision office only (403). The incident must be in the drill township (any township for a county drill), first reported on the drill day (Beijing), reported only by signed-in users, and not yet confirmed (422/409 naming incidentId). Writes a drill_marked event on the incident.',
        tags: ['supervision'],
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
        body: Type.Object(
          { incidentId: Type.String({ format: 'uuid' }) },
          { additionalProperties: false },
        ),
        response: { 201: DrillMarked },
      },
    },
    async (request, reply) => {
      const actor = app.requireActor(request);
      const { incidentId } = request.body;
      const { drillId } = await app.drillService.markIncident(request.params.id, incidentId, actor);
      reply.code(201);
      return { drillId, incidentId };
    },
  );

  app.post(
    '/api/drills/:id/start',
    {
      schema: {
        summary:
          "Drill mode: the drill's simulated fire report, opened as a drill (never a real fire, not even for a moment)",
        description:
          'Creates the report and its incident, marked as this drill, in one transaction; then it runs through the real system (verify, dispatch, crew GPS: npm run drill:simulate). Idempotent on clientUuid. 201 new, 200 repeat, 409 the UUID belongs to another report, 422 outside the county or the drill township.',
        tags: ['supervision'],
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
        body: DrillStartInput,
        response: { 200: DrillStarted, 201: DrillStarted },
      },
    },
    async (request, reply) => {
      const actor = app.requireActor(request);
      const drill = await app.drillService.toOrganise(request.params.id, actor);
      const b = request.body;
      const observedAt = new Date(b.observedAt);
      const late = observationTimeProblem(observedAt, Date.now(), opts.maxObservationAgeHours);
      if (late) throw new HttpError(422, `observedAt ${late}`, 'observedAt');
      const { lon, lat } = b.position;
      const result = await app.drillService.start(
        drill,
        {
          clientUuid: b.clientUuid.toLowerCase(),
          source: (b.source ?? 'ranger') as 'ranger',
          lon,
          lat,
          accuracyM: null,
          observedAt,
          note: b.note?.trim() || `演练:${drill.title}`,
          bearingDeg: null,
          reporterName: actor.displayName,
          reporterUserId: actor.id,
          photos: [],
        },
        await app.areasRepository.placeAt(lon, lat),
        actor,
      );
      return reply.status(result.created ? 201 : 200).send({
        created: result.created,
        drillId: drill.id,
        incidentId: result.incident.id,
        incident: result.incident,
      });
    },
  );

  const drillReport = (request: FastifyRequest, id: string): Promise<DrillReport> =>
    app.drillService.report(id, app.requireActor(request));
  const DrillParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

  app.get(
    '/api/drills/:id/report',
    {
      schema: {
        summary:
          'Drill report: each drill fire (with its timeline) and each crew against 10/20/30, and each township’s totals',
        tags: ['supervision'],
        params: DrillParams,
        response: { 200: DrillReport },
      },
    },
    async (request) => drillReport(request, request.params.id),
  );

  app.get(
    '/api/drills/:id/report.pdf',
    {
      schema: {
        summary: '演练评估报告: the drill report as an A4 portrait PDF, 演练 on every page',
        description:
          "Rendered from the product's drill-report page in headless Chromium with the reader's session; the same readers as the JSON report (401, 403, 404 naming id). One render at a time for the whole server: 429 while the reader's previous PDF is still printing, 503 when the printer already holds its few renders (both naming id).",
        tags: ['supervision'],
        response: { 200: Binary('the drill report, A4', 'application/pdf') },
        params: DrillParams,
      },
    },
    async (request, reply) => {
      const { drill } = await drillReport(request, request.params.id);
      const base = ownBaseUrl(app.server.address());
      if (!base) throw new HttpError(503, 'the server is not listening; cannot render', 'id');
      const pdf = await printer.print(
        base,
        `/drill-report.html?id=${encodeURIComponent(drill.id)}`,
        'A4-portrait',
        { cookieName: SESSION_COOKIE, token: tokenOf(request) as string },
        'id',
      );
      reply.type('application/pdf');
      reply.header(
        'content-disposition',
        `inline; filename="drill-report-${drill.heldOn}.pdf"; filename*=UTF-8''${encodeURIComponent(`演练评估报告-${drill.title}-${drill.heldOn}.pdf`)}`,
      );
      return pdf;
    },
  );

  app.post(
    '/api/trainings',
    {
      schema: {
        summary: 'Record a training (培训) in person-times',
        tags: ['supervision'],
        body: TrainingInput,
        response: { 201: TrainingView },
      },
    },
    async (request, reply) => {
      const saved = await app.drillService.recordTraining(request.body, app.requireActor(request));
      reply.code(201);
      return saved;
    },
  );

  app.get(
    '/api/trainings',
    {
      schema: {
        summary: "A year's trainings with their units, newest first (the reader's area)",
        tags: ['supervision'],
        response: { 200: Type.Array(TrainingView) },
        querystring: Type.Object({ year: Year }, { additionalProperties: false }),
      },
    },
    async (request) => {
      const sees = await supervisionReader(app, request);
      return (await app.drillsRepository.trainings(request.query.year)).filter((r) =>
        sees(r.townshipCode),
      );
    },
  );

  app.get(
    '/api/trainings/summary',
    {
      schema: {
        summary:
          "A year's training person-times against the county's 5,000, per township and per unit",
        tags: ['supervision'],
        response: { 200: TrainingSummary },
        querystring: Type.Object({ year: Year }, { additionalProperties: false }),
      },
    },
    async (request): Promise<TrainingSummary> => {
      const sees = await supervisionReader(app, request);
      const { year } = request.query;
      const rows = await app.drillsRepository.trainingByTownship(year);
      const total = rows.reduce((s, r) => s + r.personTimes, 0);
      // A commander sees his area's townships and units; the county's progress stays the county's.
      return {
        year,
        county: trainingProgress(total),
        byTownship: rows.filter((r) => sees(r.townshipCode)),
        byUnit: (await app.drillsRepository.trainingByUnit(year)).filter((r) =>
          sees(r.townshipCode),
        ),
      };
    },
  );
};

export default drillsRoutes;
