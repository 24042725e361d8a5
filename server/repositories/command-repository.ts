/**
 * The forward command post of an incident and the orders (指令) sent to its crews, each with
 * a receipt per crew: delivered when the crew's phone fetched it, read when it was opened.
 * Every step is an incident event, so command centre pages see receipts arrive live.
 */
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { OrderView } from '../contract/command.ts';
import type { Database } from '../db/database.ts';
import { type Actor, COMMAND_ROLES, commands } from '../domain/access.ts';
import type { IncidentEvent } from '../domain/live-events.ts';
import { AccessDenied } from './dispatch-repository.ts';
import type { IncidentLog } from './incident-log.ts';
import { IncidentConflict, incidentNotFound } from './incidents-repository.ts';

export type { OrderView };

const iso = (v: unknown) => (v ? new Date(v as string).toISOString() : null);

export function createCommandRepository(database: Database, log: IncidentLog) {
  /** The commander must command the incident's area. */
  async function guard(q: Database['query'], incidentId: string, actor: Actor) {
    const [inc] = await q<{ township_code: string | null; war_zone_id: number | null }>(
      sql`SELECT township_code, war_zone_id FROM incidents WHERE id = ${incidentId}::uuid`,
    );
    if (!inc) throw incidentNotFound(incidentId);
    const place = {
      townshipCode: inc.township_code,
      warZoneId: inc.war_zone_id === null ? null : Number(inc.war_zone_id),
    };
    if (!COMMAND_ROLES.has(actor.role) || !commands(actor, place))
      throw new AccessDenied(
        `${actor.username} does not command this incident`,
        'id',
        'command.not_commander',
      );
  }

  return {
    async setCommandPost(
      incidentId: string,
      post: { name: string; lon: number; lat: number },
      actor: Actor,
    ): Promise<IncidentEvent> {
      await guard(database.query.bind(database) as Database['query'], incidentId, actor);
      return log.run(async (q) => {
        const [cp] = await q<{ id: string }>(sql`
          INSERT INTO command_posts (incident_id, name, location, set_by)
          VALUES (${incidentId}::uuid, ${post.name}, ST_SetSRID(ST_MakePoint(${post.lon}, ${post.lat}), 4326), ${actor.id}::uuid)
          RETURNING id`);
        if (!cp) throw new Error('command post insert returned no row');
        return q.append(incidentId, 'command_post_set', actor.username, {
          commandPostId: cp.id,
          name: post.name,
          location: [post.lon, post.lat],
        });
      });
    },

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

    /** Sends an order to every crew serving the incident now; a receipt each. */
    async sendOrder(
      incidentId: string,
      text: string,
      actor: Actor,
    ): Promise<{ orderId: string; event: IncidentEvent }> {
      await guard(database.query.bind(database) as Database['query'], incidentId, actor);
      return log.run(async (q) => {
        const crews = (
          await q<{ crew_id: string }>(sql`
            SELECT crew_id FROM dispatches WHERE incident_id = ${incidentId}::uuid
              AND status IN ('ordered', 'acknowledged', 'en_route', 'on_scene') ORDER BY crew_id`)
        ).map((r) => r.crew_id);
        if (crews.length === 0)
          throw new IncidentConflict(
            'no crew is serving this incident yet',
            'id',
            409,
            'order.no_crew_serving',
          );
        const [cp] = await q<{ id: string; name: string }>(sql`
          SELECT id, name FROM command_posts WHERE incident_id = ${incidentId}::uuid ORDER BY set_at DESC LIMIT 1`);
        const [o] = await q<{ id: string }>(sql`
          INSERT INTO orders (incident_id, from_user, from_label, command_post_id, text)
          VALUES (${incidentId}::uuid, ${actor.id}::uuid, ${cp ? `${cp.name} · ${actor.displayName}` : actor.displayName},
                  ${cp?.id ?? null}::uuid, ${text})
          RETURNING id`);
        const orderId = (o as { id: string }).id;
        for (const crewId of crews)
          await q(
            sql`INSERT INTO order_receipts (order_id, crew_id) VALUES (${orderId}::uuid, ${crewId})`,
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

    /**
     * The crew's phone fetches its orders: undelivered ones become delivered (an event each
     * incident, so the command centre sees the receipt).
     */
    async crewOrders(
      crewId: string,
      actor: Actor,
    ): Promise<{ orders: (OrderView & { incidentId: string })[]; events: IncidentEvent[] }> {
      if (actor.crewId !== crewId)
        throw new AccessDenied(`${actor.username} does not speak for crew ${crewId}`, 'id');
      const events = await log.run(async (q) => {
        const fresh = await q<{ order_id: string; incident_id: string }>(sql`
          UPDATE order_receipts r SET delivered_at = now()
          FROM orders o WHERE o.id = r.order_id AND r.crew_id = ${crewId} AND r.delivered_at IS NULL
          RETURNING r.order_id, o.incident_id`);
        const out: IncidentEvent[] = [];
        for (const f of fresh)
          out.push(
            await q.append(f.incident_id, 'order_receipt', actor.username, {
              orderId: f.order_id,
              crewId,
              receipt: 'delivered',
            }),
          );
        return out;
      });
      const rows = await database.query<{ incident_id: string; id: string }>(sql`
        SELECT o.incident_id, o.id FROM orders o JOIN order_receipts r ON r.order_id = o.id
        WHERE r.crew_id = ${crewId} ORDER BY o.sent_at DESC LIMIT 50`);
      const orders: (OrderView & { incidentId: string })[] = [];
      const byIncident = new Map<string, OrderView[]>();
      for (const r of rows) {
        let list = byIncident.get(r.incident_id);
        if (!list) {
          list = await this.ordersOf(r.incident_id);
          byIncident.set(r.incident_id, list);
        }
        const o = list.find((x) => x.id === r.id);
        if (o)
          orders.push({
            ...o,
            incidentId: r.incident_id,
            receipts: o.receipts.filter((x) => x.crewId === crewId),
          });
      }
      return { orders, events };
    },

    async markRead(orderId: string, crewId: string, actor: Actor): Promise<IncidentEvent | null> {
      if (actor.crewId !== crewId)
        throw new AccessDenied(`${actor.username} does not speak for crew ${crewId}`, 'id');
      return log.run(async (q) => {
        const [r] = await q<{ incident_id: string }>(sql`
          UPDATE order_receipts r SET read_at = now(), delivered_at = COALESCE(delivered_at, now())
          FROM orders o WHERE o.id = r.order_id AND r.order_id = ${orderId}::uuid AND r.crew_id = ${crewId} AND r.read_at IS NULL
          RETURNING o.incident_id`);
        if (!r) {
          const [exists] = await q<{ n: number }>(
            sql`SELECT count(*)::int AS n FROM order_receipts WHERE order_id = ${orderId}::uuid AND crew_id = ${crewId}`,
          );
          if (!Number(exists?.n))
            throw new IncidentConflict(
              `order ${orderId} was not sent to crew ${crewId}`,
              'id',
              404,
            );
          return null;
        }
        return q.append(r.incident_id, 'order_receipt', actor.username, {
          orderId,
          crewId,
          receipt: 'read',
        });
      });
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
    app.decorate('commandRepository', createCommandRepository(app.database, app.incidentLog));
  },
  { name: 'command-repository', dependencies: ['db', 'incident-log'] },
);
