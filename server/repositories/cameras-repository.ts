/**
 * Tower cameras and their alarms (issue 16, item 3). An alarm a camera posts again and again
 * — Hikvision devices re-post an active alarm every second or so — collapses into the first
 * one: same camera, same channel, within the window since its last post and within the
 * bearing bucket of its first bearing. Each collapsed alarm is one report.
 */
import crypto from 'node:crypto';
import { and, desc, eq, gte, isNull, lte, type SQL, sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Database } from '../db/database.ts';
import { cameraAlarms } from '../db/schema/cameras.ts';
import type { IncidentState } from '../domain/vocabulary.ts';
import type { StoredPhoto } from './incidents-repository.ts';

export interface Camera {
  id: string;
  name: string;
  lookoutId: string | null;
  lon: number;
  lat: number;
  heightM: number;
  headingDeg: number;
  rangeM: number;
}

/** Posts of one alarm within this many seconds of its last post are the same alarm. */
export const ALARM_WINDOW_S = 600;
/** ... and within this many degrees either side of its first bearing. */
export const ALARM_BEARING_BUCKET_DEG = 5;

/** SHA-256 of a device key, hex: the only form the key is kept in. */
export function deviceKeyHash(key: string): string {
  return crypto.createHash('sha256').update(key, 'utf8').digest('hex');
}

/** What a stored alarm's report is made from, kept with it until the report is made. */
export interface AlarmIntake {
  /** Where the camera's sight line puts the smoke (before the county check). */
  position: { lon: number; lat: number; accuracyM: number; method: string };
  bearingDeg: number | null;
  /** The alarm's time, never ahead of its receipt. */
  observedAt: string;
  description: string | null;
  /** The pictures kept, already at their content paths. */
  photos: StoredPhoto[];
}

export interface PendingAlarm {
  id: number;
  channel: number;
  reportUuid: string;
  intake: AlarmIntake;
  camera: Camera;
}

export type IncidentBearingRow = {
  incident_id: string;
  /** `camera`, or the source of a report that gave a bearing (lookout, ranger, public). */
  kind: string;
  /** The camera's id, or the reporter's user id (the report's UUID when anonymous). */
  station_id: string;
  station_name: string;
  lon: number;
  lat: number;
  bearing_deg: number;
  at: string | Date;
};

export type OpenAlarmRow = {
  id: number;
  camera_id: string;
  camera_name: string;
  channel: number;
  bearing_deg: number | null;
  posts: number;
  first_at: string | Date;
  last_at: string | Date;
  report_uuid: string;
  lon: number;
  lat: number;
  accuracy_m: number | null;
  incident_id: string;
  state: IncidentState;
  township_code: string | null;
  war_zone_id: number | null;
  photo_ids: number[];
  sources: { source: string; by: string | null }[];
  other_cameras: {
    id: string;
    name: string;
    distanceM: number;
    /** From that camera to the alarm's place, degrees true: where to turn it. */
    bearingDeg: number;
    /** Its pictures from alarms within half an hour of this one, newest first. */
    photoIds: number[];
  }[];
};

export type AlarmRateRow = {
  camera_id: string;
  camera_name: string;
  week: string | Date;
  alarms: number;
  false_alarms: number;
  confirmed: number;
};

type CameraRow = {
  id: string;
  name: string;
  lookout_id: string | null;
  lon: number;
  lat: number;
  height_m: number;
  heading_deg: number;
  range_m: number;
  key_hash: string;
};
const toCamera = (r: CameraRow): Camera => ({
  id: r.id,
  name: r.name,
  lookoutId: r.lookout_id,
  lon: Number(r.lon),
  lat: Number(r.lat),
  heightM: Number(r.height_m),
  headingDeg: Number(r.heading_deg),
  rangeM: Number(r.range_m),
});
const columns = sql`id, name, lookout_id, ST_X(geom) AS lon, ST_Y(geom) AS lat, height_m, heading_deg, range_m, key_hash`;

type AlarmPost = { cameraId: string; channel: number; bearingDeg: number | null; observedAt: Date };

/**
 * The alarms a post repeats: same camera and channel, within the window of their last post,
 * within the bearing bucket of their first bearing (or both without one). The open alarm is
 * the one of them posted last; served by the (camera_id, channel, last_at) index.
 */
function repeatedBy(alarm: AlarmPost): SQL {
  const t = alarm.observedAt.getTime();
  return and(
    eq(cameraAlarms.cameraId, alarm.cameraId),
    eq(cameraAlarms.channel, alarm.channel),
    gte(cameraAlarms.lastAt, new Date(t - ALARM_WINDOW_S * 1000)),
    lte(cameraAlarms.firstAt, new Date(t + ALARM_WINDOW_S * 1000)),
    alarm.bearingDeg === null
      ? isNull(cameraAlarms.bearingDeg)
      : sql`abs(mod((${cameraAlarms.bearingDeg} - ${alarm.bearingDeg}::float8 + 540)::numeric, 360) - 180)
              <= ${ALARM_BEARING_BUCKET_DEG}`,
  ) as SQL;
}

export function createCamerasRepository(database: Database) {
  return {
    async register(camera: Camera, keyHash: string): Promise<void> {
      await database.query(sql`
        INSERT INTO cameras (id, name, lookout_id, geom, height_m, heading_deg, range_m, key_hash)
        VALUES (${camera.id}, ${camera.name}, ${camera.lookoutId},
                ST_SetSRID(ST_MakePoint(${camera.lon}, ${camera.lat}), 4326),
                ${camera.heightM}, ${camera.headingDeg}, ${camera.rangeM}, ${keyHash})`);
    },

    async list(): Promise<Camera[]> {
      const rows = await database.query<CameraRow>(sql`SELECT ${columns} FROM cameras ORDER BY id`);
      return rows.map(toCamera);
    },

    /** The camera whose key this is, or null (unknown camera or wrong key). */
    async authenticate(id: string, key: string): Promise<Camera | null> {
      const [row] = await database.query<CameraRow>(
        sql`SELECT ${columns} FROM cameras WHERE id = ${id}`,
      );
      if (!row) return null;
      const a = Buffer.from(row.key_hash, 'hex');
      const b = Buffer.from(deviceKeyHash(key), 'hex');
      return a.length === b.length && crypto.timingSafeEqual(a, b) ? toCamera(row) : null;
    },

    /**
     * The fast path for a repeat (most posts: a camera re-posts an active alarm every second):
     * one indexed UPDATE … RETURNING, no transaction and no lock. It counts the post into the
     * open alarm it repeats and answers that alarm's report UUID, posts, and where its report
     * stands (null when the report is not committed yet); null when the post repeats no open
     * alarm — then `recordAlarm` decides under the camera's lock.
     */
    async collapseRepeat(alarm: AlarmPost): Promise<{
      reportUuid: string;
      posts: number;
      report: { lon: number; lat: number; accuracyM: number | null } | null;
    } | null> {
      const at = alarm.observedAt.toISOString();
      const [row] = await database.query<{
        report_uuid: string;
        posts: number;
        lon: number | null;
        lat: number | null;
        accuracy_m: number | null;
      }>(sql`
        WITH hit AS (
          UPDATE camera_alarms SET posts = posts + 1, last_at = GREATEST(last_at, ${at}::timestamptz)
          WHERE id = (SELECT id FROM camera_alarms WHERE ${repeatedBy(alarm)}
                      ORDER BY last_at DESC LIMIT 1)
          RETURNING report_uuid, posts)
        SELECT hit.report_uuid, hit.posts, ST_X(r.location) AS lon, ST_Y(r.location) AS lat, r.accuracy_m
        FROM hit LEFT JOIN incident_reports r ON r.client_uuid = hit.report_uuid`);
      if (!row) return null;
      return {
        reportUuid: row.report_uuid,
        posts: Number(row.posts),
        report:
          row.lon === null || row.lat === null
            ? null
            : {
                lon: Number(row.lon),
                lat: Number(row.lat),
                accuracyM: row.accuracy_m === null ? null : Number(row.accuracy_m),
              },
      };
    },

    /**
     * Records one post of an alarm under the camera's lock (a burst cannot open two alarms).
     * A repeat of an alarm still open collapses into it (`collapsed`, its report's UUID);
     * otherwise the alarm is stored `pending` with what its report is to be made from, and a
     * new report UUID: once this resolves the alarm is committed, whatever happens next.
     */
    async recordAlarm(
      alarm: AlarmPost,
      intake: AlarmIntake,
    ): Promise<{ collapsed: boolean; reportUuid: string; posts: number }> {
      const at = alarm.observedAt.toISOString();
      return database.transaction(async (q) => {
        await q(sql`SELECT pg_advisory_xact_lock(hashtext(${`camera:${alarm.cameraId}`}))`);
        const [open] = await q.db
          .select({
            id: cameraAlarms.id,
            reportUuid: cameraAlarms.reportUuid,
            posts: cameraAlarms.posts,
          })
          .from(cameraAlarms)
          .where(repeatedBy(alarm))
          .orderBy(desc(cameraAlarms.lastAt))
          .limit(1);
        if (open) {
          await q.db
            .update(cameraAlarms)
            .set({
              posts: sql`${cameraAlarms.posts} + 1`,
              lastAt: sql`GREATEST(${cameraAlarms.lastAt}, ${at}::timestamptz)`,
            })
            .where(eq(cameraAlarms.id, open.id));
          return { collapsed: true, reportUuid: open.reportUuid, posts: open.posts + 1 };
        }
        const reportUuid = crypto.randomUUID();
        await q.db.insert(cameraAlarms).values({
          cameraId: alarm.cameraId,
          channel: alarm.channel,
          bearingDeg: alarm.bearingDeg,
          firstAt: alarm.observedAt,
          lastAt: alarm.observedAt,
          reportUuid,
          state: 'pending',
          intake,
        });
        return { collapsed: false, reportUuid, posts: 1 };
      });
    },

    /** Stored alarms whose report is not made yet, oldest first, with their camera. */
    async pendingAlarms(limit: number): Promise<PendingAlarm[]> {
      const rows = await database.query<
        CameraRow & { alarm_id: number; channel: number; report_uuid: string; intake: AlarmIntake }
      >(sql`
        SELECT a.id AS alarm_id, a.channel, a.report_uuid, a.intake,
               c.id, c.name, c.lookout_id, ST_X(c.geom) AS lon, ST_Y(c.geom) AS lat, c.height_m,
               c.heading_deg, c.range_m, c.key_hash
        FROM camera_alarms a JOIN cameras c ON c.id = a.camera_id
        WHERE a.state = 'pending'
        ORDER BY a.id
        LIMIT ${limit}`);
      return rows.map((r) => ({
        id: Number(r.alarm_id),
        channel: Number(r.channel),
        reportUuid: r.report_uuid,
        intake: r.intake as AlarmIntake,
        camera: toCamera(r),
      }));
    },

    /** A pending alarm's report is committed, or cannot be made (`error`). */
    async settleAlarm(id: number, outcome: { reported: true } | { error: string }): Promise<void> {
      await database.db
        .update(cameraAlarms)
        .set(
          'error' in outcome
            ? { state: 'failed', error: outcome.error }
            : { state: 'reported', error: null },
        )
        .where(and(eq(cameraAlarms.id, id), eq(cameraAlarms.state, 'pending')));
    },

    /**
     * Camera alarms whose incident nobody has confirmed or dismissed yet, newest first, with
     * the report's place and pictures, every source of the incident, and up to three other
     * cameras whose range covers the report's place (to look again from there): how far, which
     * way to turn each, and its own pictures from alarms within half an hour of this one.
     */
    async openAlarms(): Promise<OpenAlarmRow[]> {
      return database.query<OpenAlarmRow>(sql`
        SELECT a.id, a.camera_id, c.name AS camera_name, a.channel, a.bearing_deg, a.posts,
               a.first_at, a.last_at, a.report_uuid, ST_X(r.location) AS lon, ST_Y(r.location) AS lat,
               r.accuracy_m, i.id AS incident_id, i.state, i.township_code, i.war_zone_id,
               (SELECT COALESCE(json_agg(p.id ORDER BY p.id), '[]'::json)
                  FROM report_photos p WHERE p.report_id = r.id) AS photo_ids,
               (SELECT json_agg(json_build_object('source', r2.source,
                          'by', COALESCE(a2.camera_id, r2.reporter_user_id::text, r2.reporter_name)))
                  FROM incident_reports r2 LEFT JOIN camera_alarms a2 ON a2.report_uuid = r2.client_uuid
                  WHERE r2.incident_id = i.id) AS sources,
               (SELECT COALESCE(json_agg(json_build_object('id', o.id, 'name', o.name, 'distanceM', o.d,
                                                           'bearingDeg', o.azimuth, 'photoIds', o.views) ORDER BY o.d), '[]'::json)
                  FROM (SELECT o.id, o.name, round(ST_Distance(o.geom::geography, r.location::geography)) AS d,
                               round(degrees(ST_Azimuth(o.geom::geography, r.location::geography))::numeric, 1) AS azimuth,
                               (SELECT COALESCE(json_agg(v.id ORDER BY v.id DESC), '[]'::json)
                                  FROM (SELECT p3.id FROM camera_alarms a3
                                          JOIN incident_reports r3 ON r3.client_uuid = a3.report_uuid
                                          JOIN report_photos p3 ON p3.report_id = r3.id
                                          WHERE a3.camera_id = o.id
                                            AND a3.last_at >= a.first_at - interval '30 minutes'
                                            AND a3.first_at <= a.last_at + interval '30 minutes'
                                          ORDER BY p3.id DESC LIMIT 2) v) AS views
                          FROM cameras o
                          WHERE o.id <> a.camera_id
                            AND ST_DWithin(o.geom::geography, r.location::geography, o.range_m)
                          ORDER BY d LIMIT 3) o) AS other_cameras
        FROM camera_alarms a
        JOIN cameras c ON c.id = a.camera_id
        JOIN incident_reports r ON r.client_uuid = a.report_uuid
        JOIN incidents i ON i.id = r.incident_id
        WHERE i.state IN ('reported', 'verifying')
        ORDER BY a.first_at DESC
        LIMIT 500`);
    },

    /**
     * The bearings of these incidents: per incident and camera, the latest camera alarm with a
     * bearing (a camera re-aiming at one smoke counts once), with where the camera stands; and
     * per incident and reporter, the latest report that gave a bearing and where it was taken
     * from (a lookout's tower, a ranger's phone). What a cross-bearing fix is made from.
     */
    async incidentBearings(incidentIds: string[]): Promise<IncidentBearingRow[]> {
      if (incidentIds.length === 0) return [];
      const ids = sql.join(
        incidentIds.map((id) => sql`${id}::uuid`),
        sql`, `,
      );
      return database.query<IncidentBearingRow>(sql`
        SELECT * FROM (
          SELECT DISTINCT ON (r.incident_id, a.camera_id)
                 r.incident_id, 'camera' AS kind, a.camera_id AS station_id, c.name AS station_name,
                 ST_X(c.geom) AS lon, ST_Y(c.geom) AS lat, a.bearing_deg, a.last_at AS at
          FROM camera_alarms a
          JOIN cameras c ON c.id = a.camera_id
          JOIN incident_reports r ON r.client_uuid = a.report_uuid
          WHERE r.incident_id IN (${ids}) AND a.bearing_deg IS NOT NULL AND a.state = 'reported'
          ORDER BY r.incident_id, a.camera_id, a.last_at DESC) cams
        UNION ALL
        SELECT * FROM (
          SELECT DISTINCT ON (r.incident_id, COALESCE(r.reporter_user_id::text, r.client_uuid::text))
                 r.incident_id, r.source AS kind,
                 COALESCE(r.reporter_user_id::text, r.client_uuid::text) AS station_id,
                 COALESCE(r.reporter_name, r.source) AS station_name,
                 ST_X(r.observer) AS lon, ST_Y(r.observer) AS lat, r.bearing_deg, r.observed_at AS at
          FROM incident_reports r
          WHERE r.incident_id IN (${ids}) AND r.bearing_deg IS NOT NULL AND r.observer IS NOT NULL
          ORDER BY r.incident_id, COALESCE(r.reporter_user_id::text, r.client_uuid::text), r.observed_at DESC) seen
        ORDER BY incident_id, kind, station_id`);
    },

    /**
     * Per camera and ISO week: alarms, those whose fire was dismissed as a false alarm and
     * those confirmed (any state past verification other than false_alarm).
     */
    async alarmRates(weeks: number): Promise<AlarmRateRow[]> {
      return database.query<AlarmRateRow>(sql`
        SELECT a.camera_id, c.name AS camera_name, date_trunc('week', a.first_at) AS week,
               count(*)::int AS alarms,
               count(*) FILTER (WHERE i.state = 'false_alarm')::int AS false_alarms,
               count(*) FILTER (WHERE i.state NOT IN ('reported', 'verifying', 'false_alarm'))::int AS confirmed
        FROM camera_alarms a
        JOIN cameras c ON c.id = a.camera_id
        JOIN incident_reports r ON r.client_uuid = a.report_uuid
        JOIN incidents i ON i.id = r.incident_id
        WHERE a.first_at >= now() - make_interval(weeks => ${weeks}::int)
        GROUP BY a.camera_id, c.name, date_trunc('week', a.first_at)
        ORDER BY a.camera_id, week`);
    },
  };
}

export type CamerasRepository = ReturnType<typeof createCamerasRepository>;

declare module 'fastify' {
  interface FastifyInstance {
    camerasRepository: CamerasRepository;
  }
}

export default fp(
  async (app: FastifyInstance) => {
    app.decorate('camerasRepository', createCamerasRepository(app.database));
  },
  { name: 'cameras-repository', dependencies: ['db'] },
);
