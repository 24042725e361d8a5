/**
 * What the command map's cards, search and focus panels receive (GET /api/grids/{code},
 * /api/search, /api/war-zones/{id}/stats, …): the wire types the client imports. Produced by
 * server/repositories/cards-repository.ts.
 */
import { type Static, Type } from 'typebox';
import { DateTime, Nullable } from './wire.ts';

export const Bbox = Type.Tuple([Type.Number(), Type.Number(), Type.Number(), Type.Number()], {
  description: '[west, south, east, north]',
});
export type Bbox = [number, number, number, number];

export const Nearby = Type.Object({
  id: Type.String(),
  name: Type.String(),
  kind: Nullable(Type.String()),
  distanceM: Type.Number(),
  inside: Type.Boolean(),
  lon: Type.Number(),
  lat: Type.Number(),
});
export type Nearby = Static<typeof Nearby>;

export const RosterEntry = Type.Object({
  role: Type.String(),
  name: Type.String(),
  phone: Nullable(Type.String({ description: 'masked unless the reader may see it' })),
});
export type RosterEntry = Static<typeof RosterEntry>;

export const GridFire = Type.Object({
  id: Type.String(),
  state: Type.String(),
  firstReportedAt: DateTime,
  /** A drill's simulated fire (演练), labelled as such. */
  drill: Type.Boolean(),
});
export type GridFire = Static<typeof GridFire>;

const Code = Type.Object({ code: Type.String(), name: Type.String() });

export const GridCard = Type.Object({
  code: Type.String(),
  village: Code,
  township: Code,
  warZone: Type.Object({ id: Type.Integer(), name: Type.String() }),
  areaHa: Type.Number(),
  forestShare: Nullable(Type.Number()),
  fuelType: Nullable(Type.String()),
  elevation: Type.Object({
    minM: Nullable(Type.Number()),
    meanM: Nullable(Type.Number()),
    maxM: Nullable(Type.Number()),
  }),
  slopeMeanDeg: Nullable(Type.Number()),
  riskClass: Nullable(Type.Integer()),
  firebreakKm: Nullable(Type.Number()),
  synthetic: Type.Boolean(),
  bbox: Bbox,
  lookouts: Type.Array(Nearby),
  waterSources: Type.Array(Nearby),
  firebreaks: Type.Array(Nearby),
  keyAreas: Type.Array(
    Type.Object({ id: Type.String(), name: Type.String(), kind: Type.String() }),
  ),
  roster: Type.Array(RosterEntry),
  /** Open fires (not closed, not false alarms) whose report fell in this grid, oldest first. */
  fires: Type.Array(GridFire),
});
export type GridCard = Static<typeof GridCard>;

export const SearchHit = Type.Object({
  kind: Type.Union([
    Type.Literal('township'),
    Type.Literal('village'),
    Type.Literal('grid'),
    Type.Literal('crew'),
  ]),
  id: Type.String(),
  name: Type.String(),
  /** Where it is: the township (and village) it belongs to. */
  context: Type.String(),
  bbox: Bbox,
});
export type SearchHit = Static<typeof SearchHit>;
export const SearchAnswer = Type.Object({ hits: Type.Array(SearchHit) });
export type SearchAnswer = Static<typeof SearchAnswer>;

export const AreaStats = Type.Object({
  kind: Type.Union([Type.Literal('war_zone'), Type.Literal('township')]),
  id: Type.String(),
  name: Type.String(),
  bbox: Bbox,
  townships: Type.Integer(),
  villages: Type.Integer(),
  grids: Type.Integer(),
  crews: Type.Integer(),
  members: Type.Integer(),
  equipment: Type.Record(Type.String(), Type.Integer(), { description: 'count by kind' }),
  reservoirs: Type.Integer(),
  waterSources: Type.Integer(),
  lookouts: Type.Integer(),
});
export type AreaStats = Static<typeof AreaStats>;

export const LookoutCard = Type.Object({
  id: Type.String(),
  name: Type.String(),
  cameraKind: Type.String(),
  heightM: Type.Number(),
  rangeM: Nullable(Type.Number()),
  gridCode: Nullable(Type.String()),
  township: Nullable(Type.String()),
  lon: Type.Number(),
  lat: Type.Number(),
});
export type LookoutCard = Static<typeof LookoutCard>;

export const WaterSourceCard = Type.Object({
  id: Type.String(),
  name: Type.String(),
  kind: Type.String(),
  capacityM3: Nullable(Type.Number()),
  gridCode: Nullable(Type.String()),
  township: Nullable(Type.String()),
  lon: Type.Number(),
  lat: Type.Number(),
});
export type WaterSourceCard = Static<typeof WaterSourceCard>;

export const CrewCard = Type.Object({
  id: Type.String(),
  name: Type.String(),
  level: Type.String(),
  unitKind: Nullable(Type.String()),
  members: Type.Integer(),
  status: Type.String(),
  phone: Nullable(Type.String({ description: 'masked unless the reader may see it' })),
  township: Nullable(Type.String()),
  village: Nullable(Type.String()),
  equipment: Type.Record(Type.String(), Type.Integer(), { description: 'count by kind' }),
  lon: Type.Number(),
  lat: Type.Number(),
  updatedAt: DateTime,
});
export type CrewCard = Static<typeof CrewCard>;

export const WarZone = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  townships: Type.Array(Code),
});
export type WarZone = Static<typeof WarZone>;
export const WarZones = Type.Object({ warZones: Type.Array(WarZone) });
export type WarZones = Static<typeof WarZones>;
