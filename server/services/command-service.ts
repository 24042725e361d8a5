/**
 * The rules of command at a fire: a commander of the incident's area sets its forward command
 * post (前指) inside the county and sends orders (指令) to every crew serving it, signed from the post when there
 * is one; only a crew's own phone takes delivery of its orders and reads them. Every step is
 * an incident event in the same unit of work of the incident log as its rows, so command
 * centre pages see posts, orders and receipts arrive live.
 */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { TxQuery } from '../db/database.ts';
import { type Actor, COMMAND_ROLES, commands } from '../domain/access.ts';
import { AccessDenied, DomainError, IncidentConflict, incidentNotFound } from '../domain/errors.ts';
import type { IncidentEvent } from '../domain/live-events.ts';
import type { AreasRepository } from '../repositories/areas-repository.ts';
import type { CommandRepository, OrderView } from '../repositories/command-repository.ts';
import type { IncidentLog } from '../repositories/incident-log.ts';

export function createCommandService(
  commandRows: CommandRepository,
  log: IncidentLog,
  areas: Pick<AreasRepository, 'placeAt'>,
) {
  /** The commander must command the incident's area (404 without the incident, 403 outside). */
  async function guard(q: TxQuery, incidentId: string, actor: Actor): Promise<void> {
    const place = await commandRows.incidentPlace(q, incidentId);
    if (!place) throw incidentNotFound(incidentId);
    if (!COMMAND_ROLES.has(actor.role) || !commands(actor, place))
      throw new AccessDenied(
        `${actor.username} does not command this incident`,
        'id',
        'command.not_commander',
      );
  }

  /** Only the crew's own phone speaks for it. */
  function speakFor(crewId: string, actor: Actor): void {
    if (actor.crewId !== crewId)
      throw new AccessDenied(`${actor.username} does not speak for crew ${crewId}`, 'id');
  }

  return {
    /** Sets the incident's command post: 422 outside the county, then 404 and 403 (guard). */
    async setCommandPost(
      incidentId: string,
      post: { name: string; lon: number; lat: number },
      actor: Actor,
    ): Promise<IncidentEvent> {
      if (!(await areas.placeAt(post.lon, post.lat)).inCounty)
        throw new DomainError(
          `(${post.lon}, ${post.lat}) is outside the county`,
          'lon,lat',
          422,
          'command.outside_county',
        );
      return log.run(async (q) => {
        await guard(q, incidentId, actor);
        const commandPostId = await commandRows.insertCommandPost(q, incidentId, post, actor.id);
        return q.append(incidentId, 'command_post_set', actor.username, {
          commandPostId,
          name: post.name,
          location: [post.lon, post.lat],
        });
      });
    },

    /** Sends an order to every crew serving the incident now (409 if none); a receipt each. */
    async sendOrder(
      incidentId: string,
      text: string,
      actor: Actor,
    ): Promise<{ orderId: string; event: IncidentEvent }> {
      return log.run(async (q) => {
        await guard(q, incidentId, actor);
        const crews = await commandRows.servingCrews(q, incidentId);
        if (crews.length === 0)
          throw new IncidentConflict(
            'no crew is serving this incident yet',
            'id',
            409,
            'order.no_crew_serving',
          );
        const cp = await commandRows.latestCommandPost(q, incidentId);
        const orderId = await commandRows.insertOrder(
          q,
          {
            incidentId,
            fromUser: actor.id,
            fromLabel: cp ? `${cp.name} · ${actor.displayName}` : actor.displayName,
            commandPostId: cp?.id ?? null,
            text,
          },
          crews,
        );
        const event = await q.append(incidentId, 'order_sent', actor.username, {
          orderId,
          text,
          recipients: crews,
          fromCommandPost: cp?.name ?? null,
        });
        return { orderId, event };
      });
    },

    /**
     * The crew's phone fetches its orders: undelivered ones become delivered (an event each,
     * so the command centre sees the receipt).
     */
    async crewOrders(
      crewId: string,
      actor: Actor,
    ): Promise<{ orders: (OrderView & { incidentId: string })[]; events: IncidentEvent[] }> {
      speakFor(crewId, actor);
      const events = await log.run(async (q) => {
        const out: IncidentEvent[] = [];
        for (const f of await commandRows.markDelivered(q, crewId))
          out.push(
            await q.append(f.incidentId, 'order_receipt', actor.username, {
              orderId: f.orderId,
              crewId,
              receipt: 'delivered',
            }),
          );
        return out;
      });
      return { orders: await commandRows.ordersOfCrew(crewId), events };
    },

    /** The crew read the order: a read receipt once; 404 for an order not sent to it. */
    async markRead(orderId: string, crewId: string, actor: Actor): Promise<IncidentEvent | null> {
      speakFor(crewId, actor);
      return log.run(async (q) => {
        const incidentId = await commandRows.markRead(q, orderId, crewId);
        if (!incidentId) {
          if (!(await commandRows.hasReceipt(q, orderId, crewId)))
            throw new IncidentConflict(
              `order ${orderId} was not sent to crew ${crewId}`,
              'id',
              404,
            );
          return null;
        }
        return q.append(incidentId, 'order_receipt', actor.username, {
          orderId,
          crewId,
          receipt: 'read',
        });
      });
    },
  };
}

export type CommandService = ReturnType<typeof createCommandService>;

declare module 'fastify' {
  interface FastifyInstance {
    commandService: CommandService;
  }
}

export default fp(
  async (app: FastifyInstance) => {
    app.decorate(
      'commandService',
      createCommandService(app.commandRepository, app.incidentLog, app.areasRepository),
    );
  },
  {
    name: 'command-service',
    dependencies: ['command-repository', 'incident-log', 'areas-repository'],
  },
);
