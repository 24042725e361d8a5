/**
 * The combat maps 作战图 on the wire (issue 14 item 6): what the printable village and township
 * pages (client/src/combat-map.ts) draw — the area and its extent, and for a village each grid
 * with its roster (phones as the reader may see them), the water and lookouts inside it and its
 * key areas; for a township each village with its grids and grid heads.
 */
import { type Static, Type } from 'typebox';
import { Bbox, GridCard, Nearby, RosterEntry } from './cards.ts';
import { Nullable } from './wire.ts';

const Code = Type.Object({ code: Type.String(), name: Type.String() });

/** GET /api/villages/{code}/combat-map. */
export const VillageCombatMap = Type.Object({
  code: Type.String(),
  name: Type.String(),
  township: Code,
  warZoneId: Nullable(Type.Integer()),
  bbox: Bbox,
  gridCodes: Type.Array(Type.String()),
  grids: Type.Array(
    Type.Object({
      code: Type.String(),
      areaHa: Type.Number(),
      riskClass: GridCard.properties.riskClass,
      roster: Type.Array(RosterEntry),
      waterSources: Type.Array(Nearby, { description: 'those inside the grid' }),
      lookouts: Type.Array(Nearby, { description: 'those inside the grid' }),
      keyAreas: GridCard.properties.keyAreas,
    }),
  ),
});
export type VillageCombatMap = Static<typeof VillageCombatMap>;

/** GET /api/townships/{code}/combat-map. */
export const TownshipCombatMap = Type.Object({
  code: Type.String(),
  name: Type.String(),
  warZoneId: Nullable(Type.Integer()),
  bbox: Bbox,
  villages: Type.Array(
    Type.Object({
      code: Type.String(),
      name: Type.String(),
      grids: Type.Integer({ description: 'how many grids' }),
      gridHeads: Type.Array(Type.String(), { description: 'the names of its grid heads' }),
    }),
  ),
});
export type TownshipCombatMap = Static<typeof TownshipCombatMap>;
