/**
 * What the command map's cards, search and focus panels receive (GET /api/grids/{code},
 * /api/search, /api/war-zones/{id}/stats, …): the wire types the client imports. Produced by
 * server/repositories/cards-repository.ts.
 */
export type Bbox = [number, number, number, number];

export interface Nearby {
  id: string;
  name: string;
  kind: string | null;
  distanceM: number;
  inside: boolean;
  lon: number;
  lat: number;
}

export interface RosterEntry {
  role: string;
  name: string;
  phone: string | null;
}

export interface GridCard {
  code: string;
  village: { code: string; name: string };
  township: { code: string; name: string };
  warZone: { id: number; name: string };
  areaHa: number;
  forestShare: number | null;
  fuelType: string | null;
  elevation: { minM: number | null; meanM: number | null; maxM: number | null };
  slopeMeanDeg: number | null;
  riskClass: number | null;
  firebreakKm: number | null;
  synthetic: boolean;
  bbox: Bbox;
  lookouts: Nearby[];
  waterSources: Nearby[];
  firebreaks: Nearby[];
  keyAreas: { id: string; name: string; kind: string }[];
  roster: RosterEntry[];
  /** Open fires (not closed, not false alarms) whose report fell in this grid, oldest first. */
  fires: GridFire[];
}

export interface GridFire {
  id: string;
  state: string;
  firstReportedAt: string;
  /** A drill's simulated fire (演练), labelled as such. */
  drill: boolean;
}

export interface SearchHit {
  kind: 'township' | 'village' | 'grid' | 'crew';
  id: string;
  name: string;
  /** Where it is: the township (and village) it belongs to. */
  context: string;
  bbox: Bbox;
}

export interface AreaStats {
  kind: 'war_zone' | 'township';
  id: string;
  name: string;
  bbox: Bbox;
  townships: number;
  villages: number;
  grids: number;
  crews: number;
  members: number;
  equipment: Record<string, number>;
  reservoirs: number;
  waterSources: number;
  lookouts: number;
}
