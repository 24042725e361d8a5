/**
 * POST /api/reports: the smoke or fire report a phone, lookout, camera or villager sends. One
 * TypeBox schema is the request's validation, its OpenAPI description and the type the field
 * page queues.
 */
import { type Static, Type } from 'typebox';
import { REPORT_SOURCES } from '../domain/vocabulary.ts';

export const ReportBody = Type.Object(
  {
    clientUuid: Type.String({ format: 'uuid', description: 'made on the reporting device' }),
    source: Type.Unsafe<(typeof REPORT_SOURCES)[number]>(
      Type.Union(REPORT_SOURCES.map((s) => Type.Literal(s))),
    ),
    position: Type.Object(
      {
        lon: Type.Number({ minimum: -180, maximum: 180 }),
        lat: Type.Number({ minimum: -90, maximum: 90 }),
        accuracyM: Type.Optional(Type.Number({ minimum: 0, maximum: 100_000 })),
      },
      { additionalProperties: false },
    ),
    observedAt: Type.String({ format: 'date-time' }),
    note: Type.Optional(Type.String({ maxLength: 2000 })),
    bearingDeg: Type.Optional(
      Type.Number({
        minimum: 0,
        exclusiveMaximum: 360,
        description: 'direction of the smoke from `observer` (or from `position`), degrees',
      }),
    ),
    bearingNorth: Type.Optional(
      Type.Union([Type.Literal('true'), Type.Literal('magnetic')], {
        description:
          'north of bearingDeg: true (default) or magnetic (a compass; turned to true with MAGNETIC_DECLINATION_DEG)',
      }),
    ),
    observer: Type.Optional(
      Type.Object(
        {
          lon: Type.Number({ minimum: -180, maximum: 180 }),
          lat: Type.Number({ minimum: -90, maximum: 90 }),
        },
        {
          additionalProperties: false,
          description:
            'where bearingDeg was taken from (a tower, the phone); `position` is then the smoke as estimated. Two or more bearings of one fire give a cross-bearing fix',
        },
      ),
    ),
    reporterName: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  },
  { additionalProperties: false },
);
export type ReportBody = Static<typeof ReportBody>;

/** The same report with photos: the JSON in `report`, the images in `photos`. */
export const ReportMultipart = Type.Object(
  {
    report: Type.String({
      contentMediaType: 'application/json',
      description: 'the report as in the JSON body (clientUuid, source, position, observedAt, …)',
    }),
    photos: Type.Optional(
      Type.Array(Type.String({ format: 'binary' }), {
        description:
          'JPEG, PNG or WebP images, recognised by their bytes (MAX_PHOTOS, MAX_PHOTO_BYTES)',
      }),
    ),
  },
  { required: ['report'] },
);

/**
 * What became of each photo sent with a report, in the order sent. A report is never refused
 * for its photo's sake (a fire report is never lost to its picture): a photo over the daily
 * quota without sign-in, or sent while the server is short of disk, is left out and the
 * answer says why.
 */
export const PhotoOutcome = Type.Object({
  stored: Type.Boolean(),
  reason: Type.Optional(
    Type.Union([
      Type.Literal('quota', { description: 'over the daily photo quota without sign-in' }),
      Type.Literal('low_disk', { description: 'the server is short of disk space' }),
      Type.Literal('not_in_first_send', {
        description: 'a resend of a report first received without this photo',
      }),
      Type.Literal('write_failed', { description: 'the report is stored; resend to add it' }),
    ]),
  ),
  message: Type.Optional(Type.String()),
});
export type PhotoOutcome = Static<typeof PhotoOutcome>;
