/**
 * A camera alarm becomes a report (issue 16, item 3): placed by the camera's bearing (and
 * tilt or distance when it sends them) on the county DEM, collapsed with the alarm's
 * repeats, then taken in by the same report intake as a ranger's or the public's report —
 * so it merges into the incident of the same fire and goes out live like any other.
 *
 * The camera is answered once the alarm is stored (≤ 200 ms at 50 alarms/s): a repeat is
 * counted into its open alarm by one UPDATE; a new alarm is committed `pending` with its
 * pictures already on disk, and `fuseStoredAlarms` (run behind the answer, and at start)
 * makes its report. A report is made once however often that runs: its UUID is the alarm's.
 */
import type { FastifyInstance } from 'fastify';
import type { AlarmOutcome } from '../contract/cameras.ts';
import type { CameraAlarm } from '../domain/cameras/alarm-formats.ts';
import { locateAlarm } from '../domain/cameras/alarm-position.ts';
import { DomainError } from '../domain/errors.ts';
import { HttpError } from '../plugins/errors.ts';
import type { Camera, PendingAlarm } from '../repositories/cameras-repository.ts';
import { sampleDem } from '../tiles/terrain-tiles.ts';
import type { PhotoIntake, ReceivedPhoto } from './photo-intake.ts';

export async function takeCameraAlarm(
  app: FastifyInstance,
  photos: PhotoIntake,
  camera: Camera,
  alarm: CameraAlarm,
  pictures: ReceivedPhoto[],
): Promise<AlarmOutcome> {
  const answer = { reported: false, incidentId: null } as const;
  if (!alarm.active)
    return {
      ...answer,
      state: 'ended',
      reportUuid: null,
      posts: 0,
      position: null,
      bearingDeg: null,
      photos: [],
    };
  const dem = await app.tiles.dem();
  const where = locateAlarm(camera, alarm, (lon, lat) => sampleDem(dem, lon, lat));
  const located = {
    lon: where.lon,
    lat: where.lat,
    accuracyM: Math.round(where.accuracyM),
    method: where.method,
  };
  const post = {
    cameraId: camera.id,
    channel: alarm.channel,
    bearingDeg: where.bearingDeg,
    observedAt: alarm.observedAt,
  };
  // Most posts repeat an open alarm: counted into it by one UPDATE before any place lookup,
  // lock or report (they were the bulk of the time at 50 alarms/s).
  const repeat = await app.camerasRepository.collapseRepeat(post);
  if (repeat) {
    // Where the alarm's report stands (the camera itself when its sight line left the county).
    const at = repeat.report;
    const atCamera =
      at !== null && where.method !== 'camera' && at.lon === camera.lon && at.lat === camera.lat;
    return {
      ...answer,
      state: 'collapsed',
      reportUuid: repeat.reportUuid,
      posts: repeat.posts,
      position: at
        ? {
            lon: at.lon,
            lat: at.lat,
            accuracyM: at.accuracyM ?? located.accuracyM,
            method: atCamera ? 'camera' : where.method,
          }
        : located,
      bearingDeg: where.bearingDeg,
      photos: [],
    };
  }
  // The pictures go to their content paths before the alarm is committed, so a stored alarm
  // never names a picture that is not on disk (a crash between leaves only a file).
  const kept = photos.kept(pictures);
  const outcomes = await photos.settle(pictures, kept, true);
  const onDisk = new Set(pictures.filter((_, i) => outcomes[i]?.stored).map((p) => p.photo.sha256));
  // Under the camera's lock: a post of the same burst may have opened the alarm meanwhile.
  const record = await app.camerasRepository.recordAlarm(post, {
    position: located,
    bearingDeg: where.bearingDeg,
    observedAt: new Date(Math.min(alarm.observedAt.getTime(), Date.now())).toISOString(),
    description: alarm.description,
    photos: kept.filter((p) => onDisk.has(p.sha256)),
  });
  if (record.collapsed)
    return {
      ...answer,
      state: 'collapsed',
      reportUuid: record.reportUuid,
      posts: record.posts,
      position: located,
      bearingDeg: where.bearingDeg,
      photos: [],
    };
  app.cameraAlarmFusion.kick();
  return {
    ...answer,
    state: 'stored',
    reportUuid: record.reportUuid,
    posts: 1,
    position: located,
    bearingDeg: where.bearingDeg,
    photos: outcomes,
  };
}

/** How many stored alarms one pass reads at a time. */
const FUSION_BATCH = 16;

/**
 * Makes the reports of the stored alarms, oldest first, until none is pending. An alarm whose
 * report cannot be made (its camera stands outside the county, its UUID was taken by other
 * content) is marked failed; any other error (the database) stops the pass with the alarm
 * still pending, for the next pass.
 */
export async function fuseStoredAlarms(
  app: FastifyInstance,
  /** Awaited before each report (the caller's chance to let requests go first). */
  giveWay: () => Promise<void> = async () => {},
): Promise<number> {
  let made = 0;
  for (;;) {
    const batch = await app.camerasRepository.pendingAlarms(FUSION_BATCH);
    if (batch.length === 0) return made;
    for (const alarm of batch) {
      await giveWay();
      try {
        await reportAlarm(app, alarm);
        made++;
      } catch (err) {
        if (!(err instanceof HttpError || err instanceof DomainError)) throw err;
        app.log.error({ err, alarm: alarm.id }, 'a camera alarm cannot become a report');
        await app.camerasRepository.settleAlarm(alarm.id, { error: err.message });
      }
    }
  }
}

async function reportAlarm(app: FastifyInstance, alarm: PendingAlarm): Promise<void> {
  const { camera, intake } = alarm;
  const where = { ...intake.position };
  let place = await app.areasRepository.placeAt(where.lon, where.lat);
  if (!place.inCounty) {
    // The sight line left the county: the report stands at the camera with its bearing.
    Object.assign(where, {
      lon: camera.lon,
      lat: camera.lat,
      accuracyM: Math.round(camera.rangeM),
      method: 'camera',
    });
    place = await app.areasRepository.placeAt(camera.lon, camera.lat);
    if (!place.inCounty)
      throw new HttpError(422, `camera ${camera.id} stands outside the county`, 'camera');
  }
  const note = [
    `监控报警 · ${camera.name} · 通道 ${alarm.channel}`,
    intake.description,
    where.method === 'tilt'
      ? '位置由俯角与地形求得'
      : where.method === 'camera'
        ? '位置为摄像机处,仅有方位'
        : null,
  ]
    .filter(Boolean)
    .join(' · ');
  // Idempotent on the alarm's UUID: a pass that died after this commit finds it made.
  await app.incidentService.submitReport(
    {
      clientUuid: alarm.reportUuid,
      source: 'camera',
      lon: where.lon,
      lat: where.lat,
      accuracyM: where.accuracyM,
      observedAt: new Date(intake.observedAt),
      note,
      bearingDeg: intake.bearingDeg,
      reporterName: camera.name,
      reporterUserId: null,
      photos: intake.photos,
      sentPhotos: intake.photos,
    },
    place,
    `camera:${camera.id}`,
    // A registered camera, authenticated by its device key: its alarm time (bounded by the
    // route to a day back, never ahead) may start the fire's clock.
    true,
  );
  await app.camerasRepository.settleAlarm(alarm.id, { reported: true });
}
