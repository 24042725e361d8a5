/**
 * Village combat map 作战图 (issue 14 item 6): what the printable page shows (village, grids,
 * roster, nearby water, lookouts, firebreaks and key areas) and the page printed as a PDF by
 * headless Chromium. Read by the county-wide readers, commanders of the area and the
 * village's head; phones as the reader may see them.
 */
import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import { TownshipCombatMap, VillageCombatMap } from '../contract/combat-map.ts';
import { Binary } from '../contract/wire.ts';
import { mayReadCombatMap, maySeeRosterPhones } from '../domain/access.ts';
import { maskPhone } from '../domain/phone-visibility.ts';
import { SESSION_COOKIE, tokenOf } from '../plugins/auth.ts';
import { HttpError } from '../plugins/errors.ts';
import { combatMapPage, ownBaseUrl, type PagePrinter } from '../services/combat-map-pdf.ts';

const Params = Type.Object({
  code: Type.String({ pattern: '^[0-9]{12}$', description: '12-digit village code' }),
});

const combatMapRoutes: FastifyPluginAsyncTypebox<{ printer: PagePrinter }> = async (app, opts) => {
  const { printer } = opts;

  /** Prints this server's combat-map page for the area with the requester's session. */
  const printPdf = async (
    request: Parameters<typeof app.requireActor>[0] & { query: { paper?: 'A4' | 'A3' } },
    reply: { type(t: string): unknown; header(k: string, v: string): unknown },
    area: { level: 'village' | 'township'; code: string },
    fileName: string,
  ) => {
    const base = ownBaseUrl(app.server.address());
    if (!base) throw new HttpError(503, 'the server is not listening; cannot render', 'code');
    const paper = request.query.paper ?? 'A4';
    const pdf = await printer.print(
      base,
      combatMapPage(area, paper),
      `${paper}-landscape`,
      { cookieName: SESSION_COOKIE, token: tokenOf(request) as string },
      'code',
    );
    reply.type('application/pdf');
    reply.header(
      'content-disposition',
      `inline; filename="combat-map-${area.code}-${paper}.pdf"; filename*=UTF-8''${encodeURIComponent(`${fileName}-${paper}.pdf`)}`,
    );
    return pdf;
  };
  const PaperQuery = Type.Object(
    { paper: Type.Optional(Type.Union([Type.Literal('A4'), Type.Literal('A3')])) },
    { additionalProperties: false },
  );

  const villageFor = async (request: Parameters<typeof app.requireActor>[0], code: string) => {
    const actor = app.requireActor(request);
    const village = await app.supervisionRepository.village(code);
    if (!village) throw new HttpError(404, `no village ${code}`, 'code');
    const place = {
      townshipCode: village.township.code,
      warZoneId: village.warZoneId,
      villageCode: village.code,
    };
    if (!mayReadCombatMap(actor, place))
      throw new HttpError(
        403,
        `role ${actor.role} may not print this village's combat map`,
        'role',
      );
    return { actor, village, place };
  };

  app.get(
    '/api/villages/:code/combat-map',
    {
      schema: {
        summary:
          "What a village's combat map shows: place, extent, grids with roster and resources",
        tags: ['supervision'],
        params: Params,
        response: { 200: VillageCombatMap },
      },
    },
    async (request) => {
      const { actor, village, place } = await villageFor(request, request.params.code);
      const visible = maySeeRosterPhones(actor, place);
      const cards = await Promise.all(
        village.gridCodes.map((c) => app.cardsRepository.gridCard(c)),
      );
      return {
        ...village,
        grids: cards.flatMap((card) =>
          card
            ? [
                {
                  code: card.code,
                  areaHa: card.areaHa,
                  riskClass: card.riskClass,
                  roster: card.roster.map((p) => ({
                    ...p,
                    phone: visible ? p.phone : p.phone && maskPhone(p.phone),
                  })),
                  waterSources: card.waterSources.filter((w) => w.inside),
                  lookouts: card.lookouts.filter((l) => l.inside),
                  keyAreas: card.keyAreas,
                },
              ]
            : [],
        ),
      };
    },
  );

  app.get(
    '/api/villages/:code/combat-map.pdf',
    {
      schema: {
        summary: "A village's combat map as a landscape PDF (A4 or A3) rendered from the map",
        tags: ['supervision'],
        response: { 200: Binary('the combat map as a PDF (A4 or A3)', 'application/pdf') },
        params: Params,
        querystring: PaperQuery,
      },
    },
    async (request, reply) => {
      const { village } = await villageFor(request, request.params.code);
      return printPdf(
        request,
        reply,
        { level: 'village', code: village.code },
        `${village.township.name}${village.name}作战图`,
      );
    },
  );

  const townshipFor = async (request: Parameters<typeof app.requireActor>[0], code: string) => {
    const actor = app.requireActor(request);
    const sheet = await app.supervisionRepository.townshipSheet(code);
    if (!sheet) throw new HttpError(404, `no township ${code}`, 'code');
    if (
      !mayReadCombatMap(actor, {
        townshipCode: sheet.code,
        warZoneId: sheet.warZoneId,
        villageCode: '',
      })
    )
      throw new HttpError(
        403,
        `role ${actor.role} may not print this township's combat map`,
        'role',
      );
    return sheet;
  };
  const TownshipParams = Type.Object({
    code: Type.String({ pattern: '^[0-9]{9}$', description: '9-digit township code' }),
  });

  app.get(
    '/api/townships/:code/combat-map',
    {
      schema: {
        summary: "What a township's combat map shows: extent, villages with grids and grid heads",
        tags: ['supervision'],
        params: TownshipParams,
        response: { 200: TownshipCombatMap },
      },
    },
    async (request) => townshipFor(request, request.params.code),
  );

  app.get(
    '/api/townships/:code/combat-map.pdf',
    {
      schema: {
        summary: "A township's combat map as a landscape PDF (A4 or A3)",
        tags: ['supervision'],
        response: { 200: Binary('the combat maps as a PDF (A4 or A3)', 'application/pdf') },
        params: TownshipParams,
        querystring: PaperQuery,
      },
    },
    async (request, reply) => {
      const sheet = await townshipFor(request, request.params.code);
      return printPdf(
        request,
        reply,
        { level: 'township', code: sheet.code },
        `${sheet.name}作战图`,
      );
    },
  );
};

export default combatMapRoutes;
