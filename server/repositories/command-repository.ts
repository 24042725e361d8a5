/**
 * The forward command post of an incident and the orders (指令) sent to its crews, each with
 * a receipt per crew: delivered when the crew's phone fetched it, read when it was opened.
 * Rows only: who may set a post or send an order, and the events that tell of them, are the
 * command service's (services/command-service.ts); the writes here take the transaction of
 * the incident log's unit of work.
 */
import { and, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { OrderView } from '../contract/command.ts';
import type { Database, TxQuery } from '../db/database.ts';
import { commandPosts, orderReceipts, orders } from '../db/schema/command.ts';
import { dispatches, incidents } from '../db/schema/incidents.ts';
import { ACTIVE_DISPATCH_STATUSES } from '../domain/vocabulary.ts';

export type { OrderView };

const iso = (v: unknown) => (v ? new Date(v as string).toISOString() : null);

export function createCommandRepository(database: Database) {
  return {
    // Rows written and read inside a unit of work of the incident log (`q`).

    /** The incident's place; null if there is no such incident. */
    async incidentPlace(
      q: TxQuery,
      incidentId: string,
    ): Promise<{ townshipCode: string | null; warZoneId: number | null } | null> {
      const [inc] = await q.db
        .select({ townshipCode: incidents.townshipCode, warZoneId: incidents.warZoneId })
        .from(incidents)
        .where(eq(incidents.id, incidentId));
      return inc ?? null;
    },

    async insertCommandPost(
      q: TxQuery,
      incidentId: string,
      post: { name: string; lon: number; lat: number },
      setBy: string,
    ): Promise<string> {
      const [cp] = await q<{ id: string }>(sql`
        INSERT INTO command_posts (incident_id, name, location, set_by)
        VALUES (${incidentId}::uuid, ${post.name}, ST_SetSRID(ST_MakePoint(${post.lon}, ${post.lat}), 4326), ${setBy}::uuid)
        RETURNING id`);
      if (!cp) throw new Error('command post insert returned no row');
      return cp.id;
    },

    /** The incident's latest command post, if any. */
    async latestCommandPost(
      q: TxQuery,
      incidentId: string,
    ): Promise<{ id: string; name: string } | null> {
      const [cp] = await q.db
        .select({ id: commandPosts.id, name: commandPosts.name })
        .from(commandPosts)
        .where(eq(commandPosts.incidentId, incidentId))
        .orderBy(desc(commandPosts.setAt))
        .limit(1);
      return cp ?? null;
    },

    /** The crews whose dispatch to the incident holds them now (ordered … on scene). */
    async servingCrews(q: TxQuery, incidentId: string): Promise<string[]> {
      const rows = await q.db
        .select({ crewId: dispatches.crewId })
        .from(dispatches)
        .where(
          and(
            eq(dispatches.incidentId, incidentId),
            inArray(dispatches.status, [...ACTIVE_DISPATCH_STATUSES]),
          ),
        )
        .orderBy(dispatches.crewId);
      return rows.map((r) => r.crewId);
    },

    /** An order with a receipt, not yet delivered, for each crew. */
    async insertOrder(
      q: TxQuery,
      order: {
        incidentId: string;
        fromUser: string;
        fromLabel: string;
        commandPostId: string | null;
        text: string;
      },
      crewIds: string[],
    ): Promise<string> {
      const [o] = await q.db.insert(orders).values(order).returning({ id: orders.id });
      if (!o) throw new Error('order insert returned no row');
      if (crewIds.length > 0)
        await q.db
          .insert(orderReceipts)
          .values(crewIds.map((crewId) => ({ orderId: o.id, crewId })));
      return o.id;
    },

    /** Marks the crew's undelivered orders delivered; returns them. */
    async markDelivered(
      q: TxQuery,
      crewId: string,
    ): Promise<{ orderId: string; incidentId: string }[]> {
      return q.db
        .update(orderReceipts)
        .set({ deliveredAt: sql`now()` })
        .from(orders)
        .where(
          and(
            eq(orders.id, orderReceipts.orderId),
            eq(orderReceipts.crewId, crewId),
            isNull(orderReceipts.deliveredAt),
          ),
        )
        .returning({ orderId: orderReceipts.orderId, incidentId: orders.incidentId });
    },

    /**
     * Marks the order read by the crew (and delivered, if it was not); the order's incident,
     * or null when it was read already or never sent to the crew.
     */
    async markRead(q: TxQuery, orderId: string, crewId: string): Promise<string | null> {
      const [r] = await q.db
        .update(orderReceipts)
        .set({
          readAt: sql`now()`,
          deliveredAt: sql`COALESCE(${orderReceipts.deliveredAt}, now())`,
        })
        .from(orders)
        .where(
          and(
            eq(orders.id, orderReceipts.orderId),
            eq(orderReceipts.orderId, orderId),
            eq(orderReceipts.crewId, crewId),
            isNull(orderReceipts.readAt),
          ),
        )
        .returning({ incidentId: orders.incidentId });
      return r?.incidentId ?? null;
    },

    async hasReceipt(q: TxQuery, orderId: string, crewId: string): Promise<boolean> {
      const n = await q.db.$count(
        orderReceipts,
        and(eq(orderReceipts.orderId, orderId), eq(orderReceipts.crewId, crewId)),
      );
      return n > 0;
    },

    // Reads outside a unit of work.

    async commandPost(incidentId: string) {
      const [r] = await database.query<Record<string, unknown>>(sql`
        SELECT id, name, ST_X(location) AS lon, ST_Y(location) AS lat, set_at FROM command_posts
        WHERE incident_id = ${incidentId}::uuid ORDER BY set_at DESC LIMIT 1`);
      return r
        ? {
            id: r.id as string,
            name: r.name as string,
            location: [Number(r.lon), Number(r.lat)] as [number, number],
            setAt: iso(r.set_at),
          }
        : null;
    },

    async ordersOf(incidentId: string): Promise<OrderView[]> {
      const rows = await database.query<Record<string, unknown>>(sql`
        SELECT o.id, o.text, o.from_label, o.sent_at, cp.name AS cp_name,
               (SELECT COALESCE(json_agg(json_build_object('crewId', r.crew_id, 'crewName', c.name,
                         'deliveredAt', r.delivered_at, 'readAt', r.read_at) ORDER BY r.crew_id), '[]'::json)
                  FROM order_receipts r JOIN crews c ON c.id = r.crew_id WHERE r.order_id = o.id) AS receipts
        FROM orders o LEFT JOIN command_posts cp ON cp.id = o.command_post_id
        WHERE o.incident_id = ${incidentId}::uuid ORDER BY o.sent_at`);
      return rows.map((r) => ({
        id: r.id as string,
        text: r.text as string,
        fromLabel: r.from_label as string,
        sentAt: iso(r.sent_at) as string,
        commandPost: (r.cp_name as string | null) ?? null,
        receipts: (r.receipts as OrderView['receipts']).map((x) => ({
          ...x,
          deliveredAt: iso(x.deliveredAt),
          readAt: iso(x.readAt),
        })),
      }));
    },

    /** The crew's latest 50 orders, newest first, each with the crew's own receipt. */
    async ordersOfCrew(crewId: string): Promise<(OrderView & { incidentId: string })[]> {
      const rows = await database.db
        .select({ incidentId: orders.incidentId, id: orders.id })
        .from(orders)
        .innerJoin(orderReceipts, eq(orderReceipts.orderId, orders.id))
        .where(eq(orderReceipts.crewId, crewId))
        .orderBy(desc(orders.sentAt))
        .limit(50);
      const crewOrders: (OrderView & { incidentId: string })[] = [];
      const byIncident = new Map<string, OrderView[]>();
      for (const r of rows) {
        let list = byIncident.get(r.incidentId);
        if (!list) {
          list = await this.ordersOf(r.incidentId);
          byIncident.set(r.incidentId, list);
        }
        const o = list.find((x) => x.id === r.id);
        if (o)
          crewOrders.push({
            ...o,
            incidentId: r.incidentId,
            receipts: o.receipts.filter((x) => x.crewId === crewId),
          });
      }
      return crewOrders;
    },
  };
}

export type CommandRepository = ReturnType<typeof createCommandRepository>;

declare module 'fastify' {
  interface FastifyInstance {
    commandRepository: CommandRepository;
  }
}

export default fp(
  async (app: FastifyInstance) => {
    app.decorate('commandRepository', createCommandRepository(app.database));
  },
  { name: 'command-repository', dependencies: ['db'] },
);
