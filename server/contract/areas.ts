/**
 * The county and where a point lies (GET /api/county, /api/places/at): the wire types the
 * command map and the ranger's field page import.
 */
import { type Static, Type } from 'typebox';
import { Nullable } from './wire.ts';

const NullableString = Nullable(Type.String());

/** The county outline as a GeoJSON Feature; `loaded` is false for the demo outline file. */
export const CountyOutline = Type.Object({
  type: Type.Literal('Feature'),
  properties: Type.Object({
    code: Type.String(),
    name: Type.String(),
    loaded: Type.Boolean(),
  }),
  geometry: Type.Any(),
});
export type CountyOutline = Static<typeof CountyOutline>;

/** The grid, village, township and war zone containing a point. */
export const PlaceAt = Type.Object({
  gridCode: NullableString,
  villageCode: NullableString,
  villageName: NullableString,
  townshipCode: NullableString,
  townshipName: NullableString,
  warZoneId: Nullable(Type.Integer()),
  warZoneName: NullableString,
});
export type PlaceAt = Static<typeof PlaceAt>;
