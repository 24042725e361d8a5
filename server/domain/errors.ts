/**
 * A refusal by the product's rules: who may not do what, a move the lifecycle forbids, input
 * that is well-formed but wrong. Services, repositories and domain functions throw it (or a
 * subclass naming the rule's area); the error plugin answers it once for every route, as the
 * one error shape with the field at fault and the stable code the client translates.
 */
import type { ErrorParams, RefusalCode } from '../contract/errors.ts';

export type RefusalStatus = 400 | 403 | 404 | 409 | 422;

export class DomainError extends Error {
  constructor(
    message: string,
    /** The request field the refusal is about. */
    readonly field: string,
    readonly status: RefusalStatus,
    /** The stable code the client translates; by default the status's generic one. */
    readonly code?: RefusalCode,
    readonly params?: ErrorParams,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** A refusal about an incident (409 by default): a move its state forbids, a conflict. */
export class IncidentConflict extends DomainError {
  constructor(
    message: string,
    field: string,
    status: 403 | 404 | 409 | 422 = 409,
    code?: RefusalCode,
    params?: ErrorParams,
  ) {
    super(message, field, status, code, params);
  }
}

/** 403: the actor may not act on this incident or crew. */
export class AccessDenied extends DomainError {
  constructor(message: string, field: string, code?: RefusalCode, params?: ErrorParams) {
    super(message, field, 403, code, params);
  }
}

/** 404 for an incident that does not exist (code incident.not_found). */
export function incidentNotFound(id: string): IncidentConflict {
  return new IncidentConflict(`incident ${id} not found`, 'id', 404, 'incident.not_found');
}
