/**
 * GET /api/situation: the county wall's status bar and event feed (issue 19, item 3), over
 * the incidents the reader's own list shows (the same scope as GET /api/incidents), so the
 * bar's counts and the list agree. Open to everyone, like the list; the feed carries only
 * what a public room hears of an event.
 */
import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import { Situation } from '../contract/situation.ts';
import { incidentReadScope } from '../domain/access.ts';
import { situationOf } from '../domain/situation.ts';

/** Events the feed starts with; the page adds live ones on top. */
const FEED_LENGTH = 12;

const situationRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/situation',
    {
      schema: {
        summary:
          'The situation at a glance: open fires by state, targets missed, fires by command level, stale fires, crews on duty and committed, the latest events',
        tags: ['incidents'],
        querystring: Type.Object(
          {
            warZoneId: Type.Optional(Type.Integer({ minimum: 1 })),
            townshipCode: Type.Optional(Type.String({ pattern: '^[0-9]{9}$' })),
            countyCode: Type.Optional(
              Type.String({ pattern: '^[0-9]{6}$', description: 'one county of a province' }),
            ),
          },
          { additionalProperties: false },
        ),
        response: { 200: Situation },
      },
    },
    async (request) => {
      const scope = incidentReadScope(request.actor, request.query);
      const county = request.query.countyCode;
      const [rows, events, crews] = await Promise.all([
        app.incidentsRepository.situationRows(scope, county),
        app.incidentsRepository.recentEvents(scope, FEED_LENGTH, county),
        app.fireDangerRepository.crewsOnDuty(county),
      ]);
      const now = new Date();
      return {
        serverTime: now.toISOString(),
        counts: situationOf(rows, now.getTime()),
        crews: { onDuty: crews.onDuty, committed: crews.deployed },
        lastEventAt: events[0]?.at ?? null,
        events,
      };
    },
  );
};

export default situationRoutes;
