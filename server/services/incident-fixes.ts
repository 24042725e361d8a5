/**
 * Where those who see one smoke say it is (交会定位, issue 16 item 2): when two or more bearings
 * joined one incident — cameras' alarms, lookouts and rangers who reported a direction and
 * where they stood — they are intersected (least squares for three or more) into a position
 * with its 95 % error ellipse, drawn on the county map beside the incident and shown in the
 * lookout operator's queue. One bearing alone gives no fix (a camera's sight line meets the
 * terrain instead: services/camera-alarms.ts); bearings that meet nowhere (parallel, or
 * crossing behind a station) say why instead of a fix.
 */
import type { FastifyInstance } from 'fastify';
import {
  crossBearingFix,
  DEFAULT_SIGMA_DEG,
  ellipseOutline,
  type Fix,
  FixError,
} from '../domain/lookouts/bearing-fix.ts';
import type { IncidentBearingRow } from '../repositories/cameras-repository.ts';

export interface IncidentFixBearing {
  /** `camera`, or the source of a report that gave a bearing (lookout, ranger, public). */
  kind: string;
  /** The camera's id, or the reporter's (a report's UUID when anonymous). */
  stationId: string;
  stationName: string;
  /** Where the bearing was taken from (the camera, the tower, the phone), degrees WGS84. */
  lon: number;
  lat: number;
  /** True bearing of the smoke from there, degrees. */
  bearingDeg: number;
  at: string;
}

export interface IncidentFix {
  incidentId: string;
  bearings: IncidentFixBearing[];
  /** The fix, or null with `reason` (fewer than two cameras, or bearings that do not meet). */
  fix: (Pick<Fix, 'lon' | 'lat' | 'ellipse'> & { sigmaDeg: number }) | null;
  reason: string | null;
  /** The 95 % ellipse as a GeoJSON polygon feature to draw, or null without a fix. */
  outline: {
    type: 'Feature';
    properties: { confidence: 0.95 };
    geometry: { type: 'Polygon'; coordinates: [number, number][][] };
  } | null;
}

/** The fix of one incident from its bearings (pure). */
export function fixFromBearings(incidentId: string, rows: IncidentBearingRow[]): IncidentFix {
  const bearings = rows.map((r) => ({
    kind: r.kind,
    stationId: r.station_id,
    stationName: r.station_name,
    lon: Number(r.lon),
    lat: Number(r.lat),
    bearingDeg: Number(r.bearing_deg),
    at: new Date(r.at).toISOString(),
  }));
  const none = (reason: string): IncidentFix => ({
    incidentId,
    bearings,
    fix: null,
    reason,
    outline: null,
  });
  if (bearings.length < 2)
    return none('a fix needs two or more bearings: cameras, lookouts or rangers with a compass');
  try {
    const fix = crossBearingFix(
      bearings.map((b) => ({ lon: b.lon, lat: b.lat, azimuthDeg: b.bearingDeg })),
    );
    return {
      incidentId,
      bearings,
      fix: { lon: fix.lon, lat: fix.lat, ellipse: fix.ellipse, sigmaDeg: DEFAULT_SIGMA_DEG },
      reason: null,
      outline: {
        type: 'Feature',
        properties: { confidence: 0.95 },
        geometry: { type: 'Polygon', coordinates: [ellipseOutline(fix)] },
      },
    };
  } catch (err) {
    if (err instanceof FixError) return none(err.message);
    throw err;
  }
}

/** The fixes of these incidents, by incident id (every id answered). */
export async function incidentFixes(
  app: FastifyInstance,
  incidentIds: string[],
): Promise<Map<string, IncidentFix>> {
  const rows = await app.camerasRepository.incidentBearings(incidentIds);
  const byIncident = new Map<string, IncidentBearingRow[]>();
  for (const r of rows) {
    const list = byIncident.get(r.incident_id) ?? [];
    list.push(r);
    byIncident.set(r.incident_id, list);
  }
  return new Map(incidentIds.map((id) => [id, fixFromBearings(id, byIncident.get(id) ?? [])]));
}
