/**
 * The counties and where a point lies (GET /api/county, /api/counties, /api/places/at): the wire types the
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

/** The grid, village, township, war zone and county containing a point. */
export const PlaceAt = Type.Object({
  countyCode: NullableString,
  countyName: NullableString,
  gridCode: NullableString,
  villageCode: NullableString,
  villageName: NullableString,
  townshipCode: NullableString,
  townshipName: NullableString,
  warZoneId: Nullable(Type.Integer()),
  warZoneName: NullableString,
});
export type PlaceAt = Static<typeof PlaceAt>;

/**
 * The counties loaded (GET /api/counties): one for a county's own server, every county of a
 * province on a provincial one (scripts/geodata/province.ts), each with its extent and size.
 */
export const CountySummary = Type.Object({
  code: Type.String({ pattern: '^[0-9]{6}$' }),
  name: Type.String(),
  /** [west, south, east, north], degrees. */
  bbox: Type.Array(Type.Number(), { minItems: 4, maxItems: 4 }),
  warZones: Type.Integer({ minimum: 0 }),
  townships: Type.Integer({ minimum: 0 }),
  grids: Type.Integer({ minimum: 0 }),
});
export type CountySummary = Static<typeof CountySummary>;
export const CountyList = Type.Object({ counties: Type.Array(CountySummary) });
export type CountyList = Static<typeof CountyList>;
