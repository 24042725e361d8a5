/**
 * Command on the ground: the forward command post (临时作战指挥中心) of an incident, and
 * orders (指令) from it or any commander to the crews on the incident, with a receipt per
 * crew: delivered when its phone received the order, read when someone opened it.
 */
import { sql } from 'drizzle-orm';
import { check, index, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { crews } from './crews.ts';
import { gist, point } from './geometry.ts';
import { incidents } from './incidents.ts';
import { users } from './users.ts';

export const commandPosts = pgTable(
  'command_posts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    incidentId: uuid('incident_id')
      .notNull()
      .references(() => incidents.id),
    name: text('name').notNull(),
    location: point('location').notNull(),
    setBy: uuid('set_by').references(() => users.id),
    setAt: timestamp('set_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    gist('command_posts_location_gist', t.location),
    index('command_posts_incident_idx').on(t.incidentId),
    check('command_posts_name_length', sql`char_length(${t.name}) BETWEEN 1 AND 64`),
  ],
);

export const orders = pgTable(
  'orders',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    incidentId: uuid('incident_id')
      .notNull()
      .references(() => incidents.id),
    fromUser: uuid('from_user').references(() => users.id),
    fromLabel: text('from_label').notNull(),
    /** Sent from the forward command post, when one is set. */
    commandPostId: uuid('command_post_id').references(() => commandPosts.id),
    text: text('text').notNull(),
    sentAt: timestamp('sent_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('orders_incident_idx').on(t.incidentId),
    check('orders_text_length', sql`char_length(${t.text}) BETWEEN 1 AND 500`),
  ],
);

export const orderReceipts = pgTable(
  'order_receipts',
  {
    orderId: uuid('order_id')
      .notNull()
      .references(() => orders.id),
    crewId: text('crew_id')
      .notNull()
      .references(() => crews.id),
    deliveredAt: timestamp('delivered_at', { withTimezone: true }),
    readAt: timestamp('read_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.orderId, t.crewId] }),
    index('order_receipts_crew_idx').on(t.crewId),
  ],
);
