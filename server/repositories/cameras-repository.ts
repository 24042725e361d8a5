/**
 * Tower cameras and their alarms (issue 16, item 3). An alarm a camera posts again and again
 * — Hikvision devices re-post an active alarm every second or so — collapses into the first
 * one: same camera, same channel, within the window since its last post and within the
 * bearing bucket of its first bearing. Each collapsed alarm is one report.
 */
import crypto from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Database } from '../db/database.ts';

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
     * Records one post of an alarm. A repeat of an alarm still open collapses into it
     * (`collapsed`, its report's UUID); otherwise a new alarm with a new report UUID.
     */
    async recordAlarm(alarm: {
      cameraId: string;
      channel: number;
      bearingDeg: number | null;
      observedAt: Date;
    }): Promise<{ collapsed: boolean; reportUuid: string; posts: number }> {
      const at = alarm.observedAt.toISOString();
      return database.transaction(async (q) => {
        // One camera's posts are taken one at a time, so a burst cannot open two alarms.
        await q(sql`SELECT pg_advisory_xact_lock(hashtext(${`camera:${alarm.cameraId}`}))`);
        const [open] = await q<{ id: number; report_uuid: string; posts: number }>(sql`
          SELECT id, report_uuid, posts FROM camera_alarms
          WHERE camera_id = ${alarm.cameraId} AND channel = ${alarm.channel}
            AND last_at >= ${at}::timestamptz - make_interval(secs => ${ALARM_WINDOW_S})
            AND first_at <= ${at}::timestamptz + make_interval(secs => ${ALARM_WINDOW_S})
            AND ((bearing_deg IS NULL AND ${alarm.bearingDeg}::float8 IS NULL)
                 OR abs(mod((bearing_deg - ${alarm.bearingDeg}::float8 + 540)::numeric, 360) - 180)
                    <= ${ALARM_BEARING_BUCKET_DEG})
          ORDER BY last_at DESC LIMIT 1`);
        if (open) {
          await q(sql`
            UPDATE camera_alarms SET posts = posts + 1, last_at = GREATEST(last_at, ${at}::timestamptz)
            WHERE id = ${open.id}`);
          return { collapsed: true, reportUuid: open.report_uuid, posts: Number(open.posts) + 1 };
        }
        const reportUuid = crypto.randomUUID();
        await q(sql`
          INSERT INTO camera_alarms (camera_id, channel, bearing_deg, first_at, last_at, report_uuid)
          VALUES (${alarm.cameraId}, ${alarm.channel}, ${alarm.bearingDeg}, ${at}::timestamptz,
                  ${at}::timestamptz, ${reportUuid}::uuid)`);
        return { collapsed: false, reportUuid, posts: 1 };
      });
    },

    /** Forgets an alarm whose report could not be made, so the next post tries again. */
    async dropAlarm(reportUuid: string): Promise<void> {
      await database.query(sql`DELETE FROM camera_alarms WHERE report_uuid = ${reportUuid}::uuid`);
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
