/**
 * Cards and search for the command map: click a grid, lookout, water source or crew; search
 * by township, village, grid code or crew; focus on a war zone or township.
 */
import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import {
  AreaStats,
  CrewCard,
  GridCard,
  LookoutCard,
  SearchAnswer,
  WarZones,
  WaterSourceCard,
} from '../contract/cards.ts';
import { maySeeRosterPhones } from '../domain/access.ts';
import { maskPhone, phoneFor } from '../domain/phone-visibility.ts';
import { HttpError } from '../plugins/errors.ts';

const Id = (pattern: string, description: string) =>
  Type.String({ pattern, maxLength: 40, description });

const cardsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const notFound = (what: string, id: string, field: string) =>
    new HttpError(404, `${what} ${id} not found`, field);

  app.get(
    '/api/search',
    {
      schema: {
        summary: 'Find townships, villages, grids and crews by name or code',
        tags: ['map'],
        response: { 200: SearchAnswer },
        querystring: Type.Object(
          {
            q: Type.String({ minLength: 1, maxLength: 40, description: 'name or code fragment' }),
            limit: Type.Integer({ minimum: 1, maximum: 50, default: 12 }),
            countyCode: Type.Optional(
              Type.String({ pattern: '^[0-9]{6}$', description: 'one county of a province' }),
            ),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (request) => {
      const q = request.query.q.trim();
      if (q.length === 0) throw new HttpError(400, 'q must not be blank', 'q');
      return {
        hits: await app.searchService.search(q, request.query.limit, request.query.countyCode),
      };
    },
  );

  app.get(
    '/api/grids/:code',
    {
      schema: {
        summary: "A grid's card: place, land, risk, nearest resources and roster",
        tags: ['map'],
        response: { 200: GridCard },
        params: Type.Object({ code: Id('^[0-9]{15}$', '15-digit grid code') }),
      },
    },
    async (request) => {
      const card = await app.cardsRepository.gridCard(request.params.code);
      if (!card) throw notFound('grid', request.params.code, 'code');
      const visible = maySeeRosterPhones(request.actor, {
        townshipCode: card.township.code,
        warZoneId: card.warZone.id,
        villageCode: card.village.code,
      });
      return {
        ...card,
        roster: card.roster.map((p) => ({
          ...p,
          phone: visible ? p.phone : p.phone && maskPhone(p.phone),
        })),
      };
    },
  );

  app.get(
    '/api/lookouts/:id',
    {
      schema: {
        summary: 'A lookout (铁塔哨兵) card',
        tags: ['map'],
        response: { 200: LookoutCard },
        params: Type.Object({ id: Id('^[A-Za-z0-9_-]+$', 'lookout id') }),
      },
    },
    async (request) => {
      const card = await app.cardsRepository.lookout(request.params.id);
      if (!card) throw notFound('lookout', request.params.id, 'id');
      return card;
    },
  );

  app.get(
    '/api/water-sources/:id',
    {
      schema: {
        summary: 'A water source (应急水源) card',
        tags: ['map'],
        response: { 200: WaterSourceCard },
        params: Type.Object({ id: Id('^[A-Za-z0-9_-]+$', 'water source id') }),
      },
    },
    async (request) => {
      const card = await app.cardsRepository.waterSource(request.params.id);
      if (!card) throw notFound('water source', request.params.id, 'id');
      return card;
    },
  );

  app.get(
    '/api/crews/:id',
    {
      schema: {
        summary: 'A crew (扑火队伍) card',
        tags: ['map'],
        response: { 200: CrewCard },
        params: Type.Object({ id: Id('^[A-Za-z0-9_-]+$', 'crew id') }),
      },
    },
    async (request) => {
      const card = await app.cardsRepository.crew(request.params.id);
      if (!card) throw notFound('crew', request.params.id, 'id');
      return { ...card, phone: phoneFor(request.viewerRole, card.phone) };
    },
  );

  app.get(
    '/api/war-zones',
    {
      schema: {
        summary: 'War zones (战区) and their townships',
        tags: ['areas'],
        querystring: Type.Object(
          {
            countyCode: Type.Optional(
              Type.String({ pattern: '^[0-9]{6}$', description: 'one county of a province' }),
            ),
          },
          { additionalProperties: false },
        ),
        response: { 200: WarZones },
      },
    },
    async (request) => ({
      warZones: await app.cardsRepository.warZones(request.query.countyCode),
    }),
  );

  app.get(
    '/api/war-zones/:id/stats',
    {
      schema: {
        summary: 'Statistics of a war zone (战区) for the focus panel',
        tags: ['map'],
        response: { 200: AreaStats },
        params: Type.Object({ id: Type.Integer({ minimum: 1 }) }),
      },
    },
    async (request) => {
      const stats = await app.cardsRepository.areaStats('war_zone', String(request.params.id));
      if (!stats) throw notFound('war zone', String(request.params.id), 'id');
      return stats;
    },
  );

  app.get(
    '/api/townships/:code/stats',
    {
      schema: {
        summary: 'Statistics of a township (乡镇) for the focus panel',
        tags: ['map'],
        response: { 200: AreaStats },
        params: Type.Object({ code: Id('^[0-9]{9}$', '9-digit township code') }),
      },
    },
    async (request) => {
      const stats = await app.cardsRepository.areaStats('township', request.params.code);
      if (!stats) throw notFound('township', request.params.code, 'code');
      return stats;
    },
  );
};

export default cardsRoutes;
