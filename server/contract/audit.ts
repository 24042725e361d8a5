/** GET /api/audit/verify: the audit trail's hash chain compared with its anchors. */
import { type Static, Type } from 'typebox';
import { DateTime, Nullable } from './wire.ts';

const AuditAnchor = Type.Object({
  at: DateTime,
  rows: Type.Integer(),
  lastSeq: Type.Integer(),
  lastHash: Type.String(),
  firstKeyedSeq: Nullable(Type.Integer()),
});

export const AuditVerification = Type.Object({
  ok: Type.Boolean(),
  rows: Type.Integer({ minimum: 0, description: 'rows read' }),
  brokenAt: Nullable(Type.Integer({ description: "the first bad row's seq" })),
  reason: Nullable(Type.String()),
  firstKeyedSeq: Nullable(Type.Integer()),
  anchorsChecked: Type.Integer({ minimum: 0 }),
  lastAnchor: Nullable(AuditAnchor),
  anchorFile: Nullable(Type.String()),
});
export type AuditVerification = Static<typeof AuditVerification>;
