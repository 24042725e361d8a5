/**
 * Warnings (预警信息): `POST /api/warnings` by a county commander (anywhere) or a township
 * commander (his township); pushed live to every map and field page of the area; each one as
 * CAP 1.2 at `GET /api/warnings/{id}/cap.xml`, the active ones as Atom at
 * `GET /api/warnings.atom` (outside checks use these names).
 */
import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import { WarningInput, WarningView } from '../contract/warnings.ts';
import { Text } from '../contract/wire.ts';
import { atomFeed, capXml } from '../domain/fire-danger/cap.ts';
import { SIGNAL_NAMES } from '../domain/vocabulary.ts';
import { HttpError } from '../plugins/errors.ts';

const DAY_MS = 86_400_000;
const SENDER_NAME = '麻阳苗族自治县森林防火指挥部';

const warningsRoutes: FastifyPluginAsyncTypebox<{ senderCode?: string }> = async (app, opts) => {
  const senderCode = opts.senderCode ?? '43122600000000';

  app.post(
    '/api/warnings',
    {
      schema: {
        summary: 'Issue a warning (county commander anywhere, township commander in his township)',
        tags: ['warnings'],
        body: WarningInput,
        response: { 201: WarningView },
      },
    },
    async (request, reply) => {
      const actor = app.requireActor(request, ['county_command', 'township_commander']);
      const b = request.body;
      const now = new Date();
      if (!b.townshipCodes === !b.polygon)
        throw new HttpError(
          400,
          'give the area as townshipCodes or as a drawn polygon (one of them)',
          'townshipCodes',
        );
      if (b.polygon) {
        const ring = b.polygon.coordinates[0] ?? [];
        const [first, last] = [ring[0], ring[ring.length - 1]];
        if (first?.[0] !== last?.[0] || first?.[1] !== last?.[1])
          throw new HttpError(
            400,
            'the polygon ring must be closed (first position = last)',
            'polygon.coordinates',
          );
        if (
          ring.some(
            ([lon, lat]) => !(Math.abs(lon as number) <= 180 && Math.abs(lat as number) <= 90),
          )
        )
          throw new HttpError(400, 'positions are [lon, lat] in degrees', 'polygon.coordinates');
      }
      const onset = b.onsetAt ? new Date(b.onsetAt) : now;
      const expires = new Date(b.expiresAt);
      if (onset.getTime() < now.getTime() - DAY_MS)
        throw new HttpError(400, 'onsetAt lies more than a day in the past', 'onsetAt');
      if (expires <= onset || expires <= now)
        throw new HttpError(400, 'expiresAt must come after onsetAt and now', 'expiresAt');
      if (expires.getTime() - onset.getTime() > 7 * DAY_MS)
        throw new HttpError(400, 'a warning is valid for at most 7 days', 'expiresAt');
      const { warZoneIds, ...warning } = await app.warningService.issue(
        {
          level: b.level,
          title: b.title?.trim() || `麻阳县森林火险${SIGNAL_NAMES[b.level]}预警`,
          body: b.body.trim(),
          measures: b.measures?.trim() || null,
          townshipCodes: b.townshipCodes ?? null,
          polygon: (b.polygon as never) ?? null,
          onsetAt: onset.toISOString(),
          expiresAt: expires.toISOString(),
        },
        actor,
        senderCode,
        now,
      );
      app.live.publishWarning(warning, warZoneIds);
      return reply.status(201).send(warning);
    },
  );

  app.get(
    '/api/warnings',
    {
      schema: {
        summary: 'Warnings in force (not yet expired), optionally those covering one township',
        tags: ['warnings'],
        querystring: Type.Object({
          township: Type.Optional(Type.String({ pattern: '^[0-9]{9}$' })),
        }),
        response: { 200: Type.Array(WarningView) },
      },
    },
    async (request) =>
      (await app.warningsRepository.active(new Date(), request.query.township)).map(
        ({ warZoneIds: _, ...w }) => w,
      ),
  );

  app.get(
    '/api/warnings/:id/cap.xml',
    {
      schema: {
        summary:
          'A warning as OASIS CAP 1.2 XML (GB/T 35965.1 identifier, +08:00 times, lat,lon polygons)',
        tags: ['warnings'],
        response: { 200: Text('a CAP 1.2 alert', 'application/cap+xml') },
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
      },
    },
    async (request, reply) => {
      const w = await app.warningsRepository.get(request.params.id);
      if (!w) throw new HttpError(404, `no warning ${request.params.id}`, 'id');
      const rings = await app.warningsRepository.rings(w.id);
      const { warZoneIds: _, ...warning } = w;
      return reply
        .type('application/cap+xml; charset=utf-8')
        .send(capXml(warning, { sender: senderCode, senderName: SENDER_NAME, rings }));
    },
  );

  app.get(
    '/api/warnings.atom',
    {
      schema: {
        summary: 'Atom feed of the warnings in force, each linking to its CAP',
        tags: ['warnings'],
        response: { 200: Text('an Atom feed of CAP alerts', 'application/atom+xml') },
      },
    },
    async (request, reply) => {
      const now = new Date();
      const list = (await app.warningsRepository.active(now)).map(({ warZoneIds: _, ...w }) => w);
      const base = `${request.protocol}://${request.headers.host ?? 'localhost'}`;
      return reply
        .type('application/atom+xml; charset=utf-8')
        .send(atomFeed(list, base, now, `${SENDER_NAME} 森林火险预警`));
    },
  );
};

export default warningsRoutes;
