/**
 * A camera alarm becomes a report (issue 16, item 3): placed by the camera's bearing (and
 * tilt or distance when it sends them) on the county DEM, collapsed with the alarm's
 * repeats, then taken in by the same report intake as a ranger's or the public's report —
 * so it merges into the incident of the same fire and goes out live like any other.
 */
import type { FastifyInstance } from 'fastify';
import type { PhotoOutcome } from '../contract/reports.ts';
import type { CameraAlarm } from '../domain/cameras/alarm-formats.ts';
import { locateAlarm } from '../domain/cameras/alarm-position.ts';
import { HttpError } from '../plugins/errors.ts';
import type { Camera } from '../repositories/cameras-repository.ts';
import { sampleDem } from '../tiles/terrain-tiles.ts';
import type { PhotoIntake, ReceivedPhoto } from './photo-intake.ts';

export interface AlarmOutcome {
  /** false: the alarm is a repeat of one already reported (or an end-of-alarm notice). */
  reported: boolean;
  reportUuid: string | null;
  incidentId: string | null;
  posts: number;
  position: { lon: number; lat: number; accuracyM: number; method: string } | null;
  bearingDeg: number | null;
  /** What became of each picture (a repeat's are not kept; low disk refuses them). */
  photos: PhotoOutcome[];
}

export async function takeCameraAlarm(
  app: FastifyInstance,
  photos: PhotoIntake,
  camera: Camera,
  alarm: CameraAlarm,
  pictures: ReceivedPhoto[],
): Promise<AlarmOutcome> {
  if (!alarm.active)
    return {
      reported: false,
      reportUuid: null,
      incidentId: null,
      posts: 0,
      position: null,
      bearingDeg: null,
      photos: [],
    };
  const dem = await app.tiles.dem();
  const where = locateAlarm(camera, alarm, (lon, lat) => sampleDem(dem, lon, lat));
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
      reported: false,
      reportUuid: repeat.reportUuid,
      incidentId: null,
      posts: repeat.posts,
      position: at
        ? {
            lon: at.lon,
            lat: at.lat,
            accuracyM: at.accuracyM ?? Math.round(where.accuracyM),
            method: atCamera ? 'camera' : where.method,
          }
        : {
            lon: where.lon,
            lat: where.lat,
            accuracyM: Math.round(where.accuracyM),
            method: where.method,
          },
      bearingDeg: where.bearingDeg,
      photos: [],
    };
  }
  let place = await app.areasRepository.placeAt(where.lon, where.lat);
  if (!place.inCounty) {
    // The sight line left the county: the report stands at the camera with its bearing.
    Object.assign(where, {
      lon: camera.lon,
      lat: camera.lat,
      accuracyM: camera.rangeM,
      method: 'camera',
    });
    place = await app.areasRepository.placeAt(camera.lon, camera.lat);
    if (!place.inCounty)
      throw new HttpError(422, `camera ${camera.id} stands outside the county`, 'camera');
  }
  // Under the camera's lock: a post of the same burst may have opened the alarm meanwhile.
  const record = await app.camerasRepository.recordAlarm(post);
  const position = {
    lon: where.lon,
    lat: where.lat,
    accuracyM: Math.round(where.accuracyM),
    method: where.method,
  };
  if (record.collapsed)
    return {
      reported: false,
      reportUuid: record.reportUuid,
      incidentId: null,
      posts: record.posts,
      position,
      bearingDeg: where.bearingDeg,
      photos: [],
    };
  const note = [
    `监控报警 · ${camera.name} · 通道 ${alarm.channel}`,
    alarm.description,
    where.method === 'tilt'
      ? '位置由俯角与地形求得'
      : where.method === 'camera'
        ? '位置为摄像机处,仅有方位'
        : null,
  ]
    .filter(Boolean)
    .join(' · ');
  let result: Awaited<ReturnType<typeof app.incidentsRepository.submitReport>>;
  try {
    result = await app.incidentsRepository.submitReport(
      {
        clientUuid: record.reportUuid,
        source: 'camera',
        lon: where.lon,
        lat: where.lat,
        accuracyM: position.accuracyM,
        observedAt: new Date(Math.min(alarm.observedAt.getTime(), Date.now())),
        note,
        bearingDeg: where.bearingDeg,
        reporterName: camera.name,
        reporterUserId: null,
        photos: photos.kept(pictures),
        sentPhotos: pictures.map((p) => p.photo),
      },
      place,
      `camera:${camera.id}`,
      // A registered camera, authenticated by its device key: its alarm time (bounded by the
      // route to a day back, never ahead) may start the fire's clock.
      true,
    );
  } catch (err) {
    await app.camerasRepository.dropAlarm(record.reportUuid);
    throw err;
  }
  const outcomes = await photos.settle(pictures, result.photos, result.created);
  if (result.created) app.live.publish(result.events);
  return {
    reported: true,
    reportUuid: record.reportUuid,
    incidentId: result.incident.id,
    posts: 1,
    position,
    bearingDeg: where.bearingDeg,
    photos: outcomes,
  };
}
