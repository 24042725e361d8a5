/**
 * GET /api/reports/{clientUuid}/receipt: what became of a report, for the phone that sent it
 * (the field page's receipt, issue 19 item 5). The report's UUID, made on the phone and known
 * only to it, is what asks: no sign-in, so a villager who reported as the public learns it too.
 */
import { type Static, Type } from 'typebox';
import { DISPATCH_STATUSES, ESCALATION_LEVELS, INCIDENT_STATES } from '../domain/vocabulary.ts';

const literals = <T extends readonly string[]>(xs: T) =>
  Type.Unsafe<T[number]>(Type.Union(xs.map((x) => Type.Literal(x))));

export const ReportReceipt = Type.Object({
  clientUuid: Type.String({ format: 'uuid' }),
  receivedAt: Type.String({ format: 'date-time' }),
  incidentId: Type.String({ format: 'uuid' }),
  /** The report joined a fire someone reported before: when that was. */
  joinedFireReportedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  state: literals(INCIDENT_STATES),
  place: Type.Object({
    townshipName: Type.Union([Type.String(), Type.Null()]),
    villageName: Type.Union([Type.String(), Type.Null()]),
  }),
  /** Who handles it now (village → township → county), and when someone first acted on it. */
  escalationLevel: literals(ESCALATION_LEVELS),
  firstActionAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  /** The crews sent (cancelled ones left out): their state and when they are due. */
  crews: Type.Array(
    Type.Object({
      name: Type.String(),
      status: literals(DISPATCH_STATUSES),
      orderedAt: Type.String({ format: 'date-time' }),
      /** ordered + the reach engine's travel time; null without an estimate. */
      dueAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
      arrivedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    }),
  ),
});
export type ReportReceipt = Static<typeof ReportReceipt>;
