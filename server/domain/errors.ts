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
