/** The backend's health (GET /api/health): the wire type the command map's status line imports. */
import { type Static, Type } from 'typebox';
import { Nullable } from './wire.ts';

export const Health = Type.Object({
  status: Type.Literal('ok'),
  backend: Type.Union([Type.Literal('embedded'), Type.Literal('server')]),
  postgresVersion: Type.String(),
  postgisVersion: Nullable(Type.String()),
  migrations: Type.Object({
    applied: Type.Integer(),
    available: Type.Integer(),
    latest: Nullable(Type.String()),
  }),
  countyLoaded: Type.Boolean(),
});
export type Health = Static<typeof Health>;
