/**
 * The error body every refusal carries (server/plugins/errors.ts): `{ error, message, field?,
 * code, params? }`. `message` is English for logs and scripts; `code` is stable and the client
 * shows it in the user's language (client/src/i18n/messages.ts, key `error.<code>`), filling
 * `{name}` from `params`. A code, once shipped, keeps its meaning: add new ones, never reuse.
 */
import { Type } from 'typebox';

/** Codes for refusals a user meets on the incident card (dispatch, transitions, command). */
export const REFUSAL_CODES = [
  // Incidents and their states
  'incident.not_found',
  'incident.illegal_transition',
  'incident.reached_by_crews',
  'incident.may_not_move',
  'incident.close_needs_area',
  'incident.close_needs_cause',
  // Dispatch 调派
  'dispatch.not_dispatchable_state',
  'dispatch.may_not_confirm',
  'dispatch.crew_not_found',
  'dispatch.crew_not_yours',
  'dispatch.crew_busy',
  'dispatch.illegal_status',
  'dispatch.not_your_crew',
  // Forward command post and orders
  'command.not_commander',
  'command.outside_county',
  'order.no_crew_serving',
  // Escalation
  'escalation.not_allowed',
  'escalation.already_at_level',
  // Upward alerts (escalations and breaches) and their acknowledgement
  'alert.not_found',
  'alert.not_yours',
  'alert.already_acknowledged',
] as const;

/** What any other failure says, by HTTP status (bad input, sign-in, rate limits, …). */
export const GENERIC_CODES = [
  'invalid_input',
  'unauthorized',
  'forbidden',
  'not_found',
  'conflict',
  'payload_too_large',
  'unsupported_media_type',
  'unprocessable',
  'rate_limited',
  'unavailable',
  'internal',
  'error',
] as const;

export type RefusalCode = (typeof REFUSAL_CODES)[number];
export type GenericCode = (typeof GENERIC_CODES)[number];
export type ErrorCode = RefusalCode | GenericCode;

/** Values a message fills in: a crew's name, a state, a level. */
export type ErrorParams = Record<string, string | number>;

export interface ErrorBody {
  /** The HTTP status text ("Conflict"). */
  error: string;
  /** English, for logs and scripts; the UI shows `code` translated. */
  message: string;
  /** The request field at fault, when one is. */
  field?: string;
  code: ErrorCode;
  params?: ErrorParams;
}

/**
 * The error shape as a schema: every /api route declares it for its 4xx answers (the error
 * plugin adds it), so the OpenAPI document says what a refusal looks like. Further fields a
 * refusal may carry (a weather batch's `problems`) are kept.
 */
export const ErrorBodySchema = Type.Object(
  {
    error: Type.String({ description: 'The HTTP status text ("Conflict")' }),
    message: Type.String({ description: 'English, for logs and scripts' }),
    field: Type.Optional(Type.String({ description: 'The request field at fault' })),
    code: Type.String({ description: 'Stable code the client translates (contract/errors.ts)' }),
    params: Type.Optional(Type.Record(Type.String(), Type.Union([Type.String(), Type.Number()]))),
  },
  { additionalProperties: true },
);

/** The code of a refusal that names none, from its HTTP status. */
export function genericCode(status: number): GenericCode {
  switch (status) {
    case 400:
      return 'invalid_input';
    case 401:
      return 'unauthorized';
    case 403:
      return 'forbidden';
    case 404:
      return 'not_found';
    case 409:
      return 'conflict';
    case 413:
      return 'payload_too_large';
    case 415:
      return 'unsupported_media_type';
    case 422:
      return 'unprocessable';
    case 429:
      return 'rate_limited';
    case 503:
      return 'unavailable';
    default:
      return status >= 500 ? 'internal' : 'error';
  }
}
