/**
 * Which posts of a camera collapse into one alarm, at the edges: within the window of the
 * alarm's last post (either way in time), within the bearing bucket of its first bearing
 * (across north too), both without a bearing; and a stored alarm settled once.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../db/database.ts';
import { openTestDatabase } from '../testing/test-database.ts';
import {
  ALARM_BEARING_BUCKET_DEG,
  ALARM_WINDOW_S,
  type AlarmIntake,
  type CamerasRepository,
  createCamerasRepository,
  deviceKeyHash,
} from './cameras-repository.ts';

let database: Database;
let cameras: CamerasRepository;
const cameraId = 'CAM-REPO-1';
const t0 = new Date('2026-04-01T06:00:00.000Z');
const at = (s: number) => new Date(t0.getTime() + s * 1000);
const intake: AlarmIntake = {
  position: { lon: 109.8, lat: 27.87, accuracyM: 250, method: 'camera_tilt' },
  bearingDeg: null,
  observedAt: t0.toISOString(),
  description: '烟雾',
  photos: [],
};

beforeAll(async () => {
  database = await openTestDatabase();
  cameras = createCamerasRepository(database);
  await cameras.register(
    {
      id: cameraId,
      name: '铁塔哨兵',
      lookoutId: null,
      lon: 109.8,
      lat: 27.87,
      heightM: 40,
      headingDeg: 10,
      rangeM: 6000,
    },
    deviceKeyHash('k'),
  );
}, 60_000);
afterAll(async () => {
  await database?.close();
});

const post = (channel: number, bearingDeg: number | null, s: number) => ({
  cameraId,
  channel,
  bearingDeg,
  observedAt: at(s),
});
const alarmRow = async (reportUuid: string) => {
  const [r] = await database.query<{ posts: number; last_at: string | Date; state: string }>(
    sql`SELECT posts, last_at, state FROM camera_alarms WHERE report_uuid = ${reportUuid}::uuid`,
  );
  return r && { ...r, last_at: new Date(r.last_at).toISOString() };
};

describe('cameras repository', () => {
  it('collapses a post within the window of the last post and the bucket of the first bearing', async () => {
    expect(ALARM_WINDOW_S).toBe(600);
    expect(ALARM_BEARING_BUCKET_DEG).toBe(5);
    const first = await cameras.recordAlarm(post(1, 10, 0), intake);
    expect(first).toMatchObject({ collapsed: false, posts: 1 });
    // At the window's edge and the bucket's edge: the same alarm, through the lock.
    expect(await cameras.recordAlarm(post(1, 15, 600), intake)).toEqual({
      collapsed: true,
      reportUuid: first.reportUuid,
      posts: 2,
    });
    expect(await alarmRow(first.reportUuid)).toEqual({
      posts: 2,
      last_at: at(600).toISOString(),
      state: 'pending',
    });
    // The bucket stays around the first bearing; the window follows the last post.
    expect(await cameras.collapseRepeat(post(1, 15.5, 600))).toBeNull();
    expect(await cameras.collapseRepeat(post(1, null, 600))).toBeNull();
    expect(await cameras.collapseRepeat(post(2, 10, 600))).toBeNull();
    expect(await cameras.collapseRepeat(post(1, 5, 1200.001))).toBeNull();
    // The report is not made yet: the repeat answers no place.
    expect(await cameras.collapseRepeat(post(1, 5, 1200))).toEqual({
      reportUuid: first.reportUuid,
      posts: 3,
      report: null,
    });
    expect(await alarmRow(first.reportUuid)).toMatchObject({
      posts: 3,
      last_at: at(1200).toISOString(),
    });
  });

  it('a late post counts without moving the last post back; one before the window does not', async () => {
    const first = await cameras.recordAlarm(post(3, 100, 0), intake);
    expect(await cameras.recordAlarm(post(3, 100, -600), intake)).toMatchObject({
      collapsed: true,
      posts: 2,
    });
    expect(await alarmRow(first.reportUuid)).toMatchObject({ last_at: at(0).toISOString() });
    expect(await cameras.collapseRepeat(post(3, 100, -600.001))).toBeNull();
    expect(await cameras.recordAlarm(post(3, 100, -600.001), intake)).toMatchObject({
      collapsed: false,
      posts: 1,
    });
  });

  it('collapses across north, and alarms without a bearing together', async () => {
    const north = await cameras.recordAlarm(post(4, 358, 0), intake);
    expect(await cameras.collapseRepeat(post(4, 2, 1))).toMatchObject({
      reportUuid: north.reportUuid,
      posts: 2,
    });
    expect(await cameras.collapseRepeat(post(4, 3.5, 1))).toBeNull();
    const none = await cameras.recordAlarm(post(5, null, 0), intake);
    expect(await cameras.recordAlarm(post(5, null, 1), intake)).toEqual({
      collapsed: true,
      reportUuid: none.reportUuid,
      posts: 2,
    });
    expect(await cameras.collapseRepeat(post(5, 0, 1))).toBeNull();
  });

  it('lists stored alarms oldest first with their intake and camera, and settles each once', async () => {
    const pending = await cameras.pendingAlarms(100);
    expect(pending.length).toBeGreaterThanOrEqual(5);
    expect(pending.map((p) => p.id)).toEqual([...pending.map((p) => p.id)].sort((a, b) => a - b));
    const [a, b] = pending as [(typeof pending)[0], (typeof pending)[0]];
    expect(a).toMatchObject({ channel: 1, intake, camera: { id: cameraId, lon: 109.8 } });
    await cameras.settleAlarm(a.id, { reported: true });
    await cameras.settleAlarm(b.id, { error: 'outside the county' });
    await cameras.settleAlarm(b.id, { reported: true });
    const rows = await database.query<{ id: number; state: string; error: string | null }>(
      sql`SELECT id, state, error FROM camera_alarms WHERE id IN (${a.id}, ${b.id}) ORDER BY id`,
    );
    expect(rows.map((r) => ({ ...r, id: Number(r.id) }))).toEqual([
      { id: a.id, state: 'reported', error: null },
      { id: b.id, state: 'failed', error: 'outside the county' },
    ]);
    expect((await cameras.pendingAlarms(100)).map((p) => p.id)).not.toContain(a.id);
  });
});
