/**
 * A refusal from the server in the user's language: the body's stable `code`
 * (server/contract/errors.ts) is looked up as `error.<code>`, its `{name}` filled from
 * `params` — a state, dispatch status or command level itself translated. A code this page
 * does not know yet falls back to the generic one of the HTTP status, never to English.
 */
import {
  type ErrorBody,
  type ErrorCode,
  type ErrorParams,
  genericCode,
} from '../../../server/contract/errors.ts';
import { t, tValue } from './i18n.ts';
import { type MessageKey, messages } from './messages.ts';

/** Parameters that are vocabulary values, and the vocabulary each comes from. */
const PARAM_VOCABULARY: Partial<Record<ErrorCode, Record<string, string>>> = {
  'incident.illegal_transition': { from: 'state', to: 'state' },
  'incident.reached_by_crews': { to: 'state' },
  'incident.may_not_move': { to: 'state' },
  'dispatch.not_dispatchable_state': { state: 'state' },
  'dispatch.illegal_status': { from: 'dispatch', to: 'dispatch' },
  'escalation.not_allowed': { level: 'escalation' },
  'escalation.already_at_level': { level: 'escalation' },
  'alert.not_yours': { level: 'escalation' },
};

export type Refusal = { code: ErrorCode | 'network'; params?: ErrorParams };

/** What a failed answer says, as a refusal to show (network failures included). */
export function refusalOf(status: number, body: unknown): Refusal {
  const b = (body ?? {}) as Partial<ErrorBody>;
  const known = typeof b.code === 'string' && `error.${b.code}` in messages['zh-CN'];
  return {
    code: known ? (b.code as ErrorCode) : genericCode(status),
    ...(known && b.params ? { params: b.params } : {}),
  };
}

export function refusalText(r: Refusal): string {
  const vocabulary = r.code === 'network' ? undefined : PARAM_VOCABULARY[r.code];
  return t(`error.${r.code}` as MessageKey).replace(/\{(\w+)\}/g, (_, name: string) => {
    const v = r.params?.[name];
    if (v === undefined) return '';
    const prefix = vocabulary?.[name];
    return prefix ? tValue(prefix, String(v)) : String(v);
  });
}
