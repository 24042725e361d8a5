/** The forward command post (临时作战指挥中心) and orders (指令) with delivered/read receipts. */
import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import { CrewOrders, IncidentCommand, OrderSent } from '../contract/command.ts';
import { IncidentEvent } from '../contract/incidents.ts';
import { Ok } from '../contract/wire.ts';
import { requireIncidentReader } from './incident-reads.ts';

const Uuid = Type.String({ format: 'uuid' });
const CrewId = Type.String({ pattern: '^[A-Za-z0-9_-]{1,40}$' });

const commandRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/api/incidents/:id/command-post',
    {
      schema: {
        summary: 'Set up the forward command post of an incident on the map',
        tags: ['command'],
        response: { 201: IncidentEvent },
        params: Type.Object({ id: Uuid }),
        body: Type.Object(
          {
            name: Type.String({ minLength: 1, maxLength: 64 }),
            lon: Type.Number({ minimum: -180, maximum: 180 }),
            lat: Type.Number({ minimum: -90, maximum: 90 }),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (request, reply) => {
      const actor = app.requireActor(request);
      const { name, lon, lat } = request.body;
      const event = await app.commandService.setCommandPost(
        request.params.id,
        { name: name.trim(), lon, lat },
        actor,
      );
      return reply.status(201).send(event);
    },
  );

  app.get(
    '/api/incidents/:id/command',
    {
      schema: {
        summary: "An incident's forward command post and orders with their receipts",
        tags: ['command'],
        response: { 200: IncidentCommand },
        params: Type.Object({ id: Uuid }),
      },
    },
    async (request) => {
      await requireIncidentReader(app, request, request.params.id);
      return {
        commandPost: await app.commandRepository.commandPost(request.params.id),
        orders: await app.commandRepository.ordersOf(request.params.id),
      };
    },
  );

  app.post(
    '/api/incidents/:id/orders',
    {
      schema: {
        summary:
          'Send an order to every crew serving the incident (from its command post when set)',
        tags: ['command'],
        response: { 201: OrderSent },
        params: Type.Object({ id: Uuid }),
        body: Type.Object(
          { text: Type.String({ minLength: 1, maxLength: 500 }) },
          { additionalProperties: false },
        ),
      },
    },
    async (request, reply) => {
      const actor = app.requireActor(request);
      const { orderId } = await app.commandService.sendOrder(
        request.params.id,
        request.body.text.trim(),
        actor,
      );
      return reply.status(201).send({ orderId });
    },
  );

  app.get(
    '/api/crews/:id/orders',
    {
      schema: {
        summary: "The crew phone's orders; fetching them marks them delivered",
        tags: ['command'],
        response: { 200: CrewOrders },
        params: Type.Object({ id: CrewId }),
      },
    },
    async (request) => {
      const actor = app.requireActor(request);
      const { orders } = await app.commandService.crewOrders(request.params.id, actor);
      return { orders };
    },
  );

  app.post(
    '/api/crews/:id/orders/:orderId/read',
    {
      schema: {
        summary: 'The crew has read the order (read receipt)',
        tags: ['command'],
        response: { 200: Ok },
        params: Type.Object({ id: CrewId, orderId: Uuid }),
      },
    },
    async (request) => {
      const actor = app.requireActor(request);
      await app.commandService.markRead(request.params.orderId, request.params.id, actor);
      return { ok: true };
    },
  );
};

export default commandRoutes;
