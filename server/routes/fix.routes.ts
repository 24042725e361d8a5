/**
 * Cross-bearing fix over HTTP (issue 16, item 2): a lookout operator enters the bearings of
 * one smoke from two or more towers or rangers' compasses; the answer is where they meet
 * with its 95 % error ellipse, and the ellipse's outline to draw on the map. Bearings read on
 * a compass are turned to true north with the county's MAGNETIC_DECLINATION_DEG. And the fix
 * of an incident that two or more cameras' alarms joined, from their bearings
 * (services/incident-fixes.ts), for its readers.
 */
import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import { BearingFix, IncidentFix } from '../contract/lookouts.ts';
import {
  crossBearingFix,
  ellipseOutline,
  trueFromMagnetic,
} from '../domain/lookouts/bearing-fix.ts';
import { incidentFixes } from '../services/incident-fixes.ts';
import { requireIncidentReader } from './incident-reads.ts';

const FixBody = Type.Object(
  {
    bearings: Type.Array(
      Type.Object(
        {
          lon: Type.Number({ minimum: -180, maximum: 180, description: 'station longitude' }),
          lat: Type.Number({ minimum: -90, maximum: 90, description: 'station latitude' }),
          azimuthDeg: Type.Number({
            minimum: 0,
            maximum: 360,
            description: 'bearing of the smoke, degrees',
          }),
          north: Type.Optional(
            Type.Union([Type.Literal('true'), Type.Literal('magnetic')], {
              description: 'true (default) or magnetic (a compass reading)',
            }),
          ),
          sigmaDeg: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 45 })),
        },
        { additionalProperties: false },
      ),
      { minItems: 2, maxItems: 20 },
    ),
    sigmaDeg: Type.Optional(
      Type.Number({
        exclusiveMinimum: 0,
        maximum: 45,
        description: 'standard error of a bearing without its own (0.5)',
      }),
    ),
  },
  { additionalProperties: false },
);

const fixRoutes: FastifyPluginAsyncTypebox<{ magneticDeclinationDeg: number }> = async (
  app,
  opts,
) => {
  app.post(
    '/api/bearing-fix',
    {
      schema: {
        summary: 'Where two or more bearings of one smoke meet, with the 95 % error ellipse',
        tags: ['lookouts'],
        response: { 200: BearingFix },
        body: FixBody,
      },
      // Pure arithmetic on what the caller sends, stored nowhere: open to the public map.
      config: { public: true },
    },
    async (request) => {
      const { bearings, sigmaDeg } = request.body;
      const fix = crossBearingFix(
        bearings.map((b) => ({
          lon: b.lon,
          lat: b.lat,
          azimuthDeg:
            b.north === 'magnetic'
              ? trueFromMagnetic(b.azimuthDeg, opts.magneticDeclinationDeg)
              : b.azimuthDeg,
          ...(b.sigmaDeg !== undefined ? { sigmaDeg: b.sigmaDeg } : {}),
        })),
        sigmaDeg !== undefined ? { sigmaDeg } : {},
      );
      return {
        ...fix,
        declinationDeg: opts.magneticDeclinationDeg,
        outline: {
          type: 'Feature' as const,
          properties: { confidence: 0.95 },
          geometry: { type: 'Polygon' as const, coordinates: [ellipseOutline(fix)] },
        },
      };
    },
  );

  app.get(
    '/api/incidents/:id/bearing-fix',
    {
      schema: {
        summary:
          'Where the cameras whose alarms joined this incident say the smoke is: their bearings intersected, with the 95 % error ellipse (null with the reason when fewer than two cameras, or bearings that do not meet)',
        tags: ['lookouts'],
        response: { 200: IncidentFix },
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
      },
    },
    async (request) => {
      await requireIncidentReader(app, request, request.params.id);
      const fixes = await incidentFixes(app, [request.params.id]);
      return fixes.get(request.params.id);
    },
  );
};

export default fixRoutes;
