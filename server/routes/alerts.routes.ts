/**
 * Upward alerts (issue 19, item 6): the escalations and missed targets waiting on the signed-in
 * user's badge, and their acknowledgement by someone at the level alarmed. Rules in
 * domain/upward-alerts.ts, applied by services/alert-service.ts.
 */
import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import { UpwardAlerts } from '../contract/alerts.ts';
import { IncidentEvent } from '../contract/incidents.ts';

const alertsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/alerts',
    {
      schema: {
        summary:
          'Escalations and missed targets not yet acknowledged at the signed-in user’s level, newest first',
        tags: ['incidents'],
        response: { 200: UpwardAlerts },
      },
    },
    async (request) => {
      const actor = app.requireActor(request);
      return { alerts: await app.alertService.unacknowledged(actor) };
    },
  );

  app.post(
    '/api/alerts/:seq/acknowledgement',
    {
      schema: {
        summary:
          'Acknowledge an escalation or missed target at the level it alarmed (the county, a war zone, a township)',
        tags: ['incidents'],
        response: { 201: IncidentEvent },
        params: Type.Object({
          seq: Type.Integer({
            minimum: 1,
            maximum: 2 ** 53 - 1,
            description: 'the alert event’s sequence',
          }),
        }),
      },
    },
    async (request, reply) => {
      const actor = app.requireActor(request);
      const event = await app.alertService.acknowledge(request.params.seq, actor);
      return reply.status(201).send(event);
    },
  );
};

export default alertsRoutes;
