/**
 * Sign-in answers (POST /api/auth/login, /unlock, /logout, /logout-everywhere, GET /me):
 * the wire types the pages import.
 */
import { type Static, Type } from 'typebox';
import type { Actor } from '../domain/access.ts';
import { USER_ROLES } from '../domain/vocabulary.ts';
import { DateTime, Nullable, OneOf } from './wire.ts';

/** The signed-in user and his scope (server/domain/access.ts Actor). */
export const User = Type.Object({
  id: Type.String(),
  username: Type.String(),
  displayName: Type.String(),
  role: OneOf(USER_ROLES),
  warZoneId: Nullable(Type.Integer()),
  townshipCode: Nullable(Type.String()),
  villageCode: Nullable(Type.String()),
  gridCode: Nullable(Type.String()),
  crewId: Nullable(Type.String()),
});
export type User = Static<typeof User>;
/** The schema and the domain's Actor say the same thing (a compile error otherwise). */
const sameAsActor: [User, Actor] extends [Actor, User] ? true : never = true;
void sameAsActor;

export const LoginAnswer = Type.Object({
  user: User,
  /** The field page's bearer token and its expiry; the web page gets a cookie instead. */
  token: Type.Optional(Type.String()),
  expiresAt: Type.Optional(DateTime),
});
export type LoginAnswer = Static<typeof LoginAnswer>;

export const Me = Type.Object({ user: Nullable(User) });
export type Me = Static<typeof Me>;

export const Unlocked = Type.Object({ username: Type.String() });
export const LoggedOutEverywhere = Type.Object({
  sessions: Type.Integer({ minimum: 0, description: 'sessions ended' }),
});
