/**
 * Forward command (前线指挥) on the wire: an incident's command post and its orders with each
 * crew's receipt, and a crew phone's orders.
 */
import { type Static, Type } from 'typebox';
import { LonLat } from './incidents.ts';
import { DateTime, Nullable } from './wire.ts';

export const CommandPost = Type.Object({
  id: Type.String({ format: 'uuid' }),
  name: Type.String(),
  location: LonLat,
  setAt: Nullable(DateTime),
});
export type CommandPost = Static<typeof CommandPost>;

export const OrderReceipt = Type.Object({
  crewId: Type.String(),
  crewName: Type.String(),
  deliveredAt: Nullable(DateTime),
  readAt: Nullable(DateTime),
});

export const OrderView = Type.Object({
  id: Type.String({ format: 'uuid' }),
  text: Type.String(),
  fromLabel: Type.String(),
  sentAt: DateTime,
  commandPost: Nullable(Type.String({ description: "the command post's name" })),
  receipts: Type.Array(OrderReceipt),
});
export type OrderView = Static<typeof OrderView>;

export const IncidentCommand = Type.Object({
  commandPost: Nullable(CommandPost),
  orders: Type.Array(OrderView),
});
export type IncidentCommand = Static<typeof IncidentCommand>;

export const OrderSent = Type.Object({ orderId: Type.String({ format: 'uuid' }) });

export const CrewOrder = Type.Object({
  ...OrderView.properties,
  incidentId: Type.String({ format: 'uuid' }),
});
export type CrewOrder = Static<typeof CrewOrder>;
export const CrewOrders = Type.Object({ orders: Type.Array(CrewOrder) });
export type CrewOrders = Static<typeof CrewOrders>;
