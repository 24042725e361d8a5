/**
 * Fire weather in and danger out: daily observations and 3-day forecasts posted as JSON
 * (every bad row and field named at once, nothing stored unless all are good), the stations
 * for the map, and the danger per township or grid for a day.
 * `GET /api/fire-danger?date=YYYY-MM-DD&level=township|grid` answers exactly
 * `[{ code, name, level, index, fwi, issuedAt }]` (outside checks read it).
 */
import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import {
  DangerRow,
  DangerSummary,
  GridDanger,
  WeatherAccepted,
  WeatherRefused,
  WeatherStations,
} from '../contract/danger.ts';
import { DANGER_LEVEL_INFO, type DangerLevel } from '../domain/fire-danger/lyt1172.ts';
import { addDays, beijingDate, type WeatherKind } from '../domain/fire-danger/weather-input.ts';
import { errorBody } from '../plugins/errors.ts';

/** A calendar day: the format also refuses 2026-13-45, which the pattern alone lets by. */
const DateString = Type.String({
  format: 'date',
  pattern: '^\\d{4}-\\d{2}-\\d{2}$',
  description: 'YYYY-MM-DD (Beijing time)',
});
const WeatherRow = Type.Object(
  {
    stationId: Type.Optional(Type.String({ description: 'station id (or townshipCode)' })),
    townshipCode: Type.Optional(
      Type.String({ description: '9-digit township code (or stationId)' }),
    ),
    date: Type.String({ description: 'the day, YYYY-MM-DD' }),
    issuedAt: Type.Optional(
      Type.String({ description: 'issue time with offset (forecasts: required)' }),
    ),
    tmaxC: Type.Number({ description: 'daily maximum temperature, °C' }),
    rh14Pct: Type.Number({ description: 'relative humidity at 14:00, %' }),
    windMs: Type.Number({ description: "the day's maximum 10 m wind, m/s" }),
    rainMm: Type.Number({ description: '24 h precipitation, mm' }),
    windFromDeg: Type.Optional(
      Type.Union([Type.Number(), Type.String(), Type.Null()], {
        description:
          'where the wind blows from: degrees 0–360 (0 north, 90 east; 360 stored as 0), a compass point N … NNW or 北 … 西北; null or C: calm',
      }),
    ),
  },
  { description: 'one day of weather at a station or for a township' },
);

const fireDangerRoutes: FastifyPluginAsyncTypebox = async (app) => {
  for (const [path, kind] of [
    ['/api/weather/observations', 'observation'],
    ['/api/weather/forecasts', 'forecast'],
  ] as const) {
    app.post(
      path,
      {
        schema: {
          summary:
            kind === 'observation'
              ? 'Daily weather observations (county command); the danger is recomputed'
              : 'A 3-day weather forecast (county command); the danger is recomputed',
          tags: ['fire-danger'],
          description:
            'Body: an array of rows, or { "rows": [...] }. A 422 lists every problem as { row, field, message } (row 1 = the first).',
          // Checked by validateWeatherRows so every row's problems are named, not the first only.
          body: Type.Unknown({
            description: `rows of ${JSON.stringify(Object.keys(WeatherRow.properties))}`,
            examples: [
              [
                {
                  stationId: 'MY-A01',
                  date: '2026-03-01',
                  tmaxC: 22,
                  rh14Pct: 30,
                  windMs: 4,
                  rainMm: 0,
                  windFromDeg: 22.5,
                },
              ],
            ],
          }),
          response: { 201: WeatherAccepted, 422: WeatherRefused },
        },
      },
      async (request, reply) => {
        app.requireActor(request, ['county_command']);
        const body = request.body as unknown;
        const rows = Array.isArray(body) ? body : (body as { rows?: unknown } | null)?.rows;
        const result = await app.fireDanger.ingest(kind as WeatherKind, rows);
        if (result.problems.length > 0) {
          const [first] = result.problems;
          const field = first && first.row > 0 ? `rows[${first.row - 1}].${first.field}` : 'rows';
          return reply.status(422).send({
            ...errorBody(
              422,
              result.problems.map((p) => `row ${p.row} ${p.field}: ${p.message}`).join('; '),
              field,
            ),
            problems: result.problems,
          });
        }
        app.live.io.to(['county', 'public:county']).emit('danger:updated', { dates: result.dates });
        return reply.status(201).send({ accepted: result.accepted, recomputed: result.dates });
      },
    );
  }

  app.get(
    '/api/weather/stations',
    {
      schema: {
        summary: 'Weather stations as GeoJSON points',
        tags: ['fire-danger'],
        response: { 200: WeatherStations },
      },
    },
    async (): Promise<WeatherStations> => {
      const stations = await app.fireDangerRepository.stations();
      return {
        type: 'FeatureCollection',
        features: stations.map((s) => ({
          type: 'Feature',
          geometry: { type: 'Point', coordinates: s.location },
          properties: {
            id: s.id,
            name: s.name,
            townshipCode: s.townshipCode,
            synthetic: s.synthetic,
          },
        })),
      };
    },
  );

  app.get(
    '/api/fire-danger',
    {
      schema: {
        summary: 'Fire danger of one day per township or per grid',
        tags: ['fire-danger'],
        querystring: Type.Object({
          date: Type.Optional(DateString),
          level: Type.Optional(Type.Union([Type.Literal('township'), Type.Literal('grid')])),
        }),
        response: { 200: Type.Array(DangerRow) },
      },
    },
    async (request) =>
      app.fireDangerRepository.danger(
        request.query.date ?? beijingDate(new Date()),
        request.query.level ?? 'township',
      ),
  );

  app.get(
    '/api/fire-danger/summary',
    {
      schema: {
        summary:
          "The wall's today strip: highest level, townships per level, days available, weather age",
        tags: ['fire-danger'],
        querystring: Type.Object({ date: Type.Optional(DateString) }),
        response: { 200: DangerSummary },
      },
    },
    async (request): Promise<DangerSummary> => {
      const today = beijingDate(new Date());
      const date = request.query.date ?? today;
      const rows = await app.fireDangerRepository.danger(date, 'township');
      const counts: Record<string, number> = { 1: 0, 2: 0, 3: 0, 4: 0, 5: 0 };
      for (const r of rows) counts[r.level] = (counts[r.level] ?? 0) + 1;
      const highest = rows.reduce<number>((m, r) => Math.max(m, r.level), 0) as DangerLevel | 0;
      /** A day's highest level and the townships at 四级 or above, a grid of theirs included. */
      const dayAt = async (d: string, townshipRows: DangerRow[]) => {
        const grids = await app.fireDangerRepository.gridsAtOrAbove(d, 4);
        const names = new Set(townshipRows.filter((r) => r.level >= 4).map((r) => r.name));
        for (const n of grids.townships) names.add(n);
        return {
          date: d,
          highest: Math.max(grids.highest, ...townshipRows.map((r) => r.level)),
          at4: [...names].sort(),
        };
      };
      const ahead = await Promise.all(
        [1, 2, 3].map(async (n) => {
          const d = addDays(today, n);
          return dayAt(d, await app.fireDangerRepository.danger(d, 'township'));
        }),
      );
      const weather = await app.fireDangerRepository.latestWeather();
      // 四级 or above anywhere, a single grid included: suggest a warning.
      const suggestDays = [await dayAt(date, rows), ...ahead].filter((d) => d.highest >= 4);
      return {
        date,
        today,
        system: app.fireDanger.settings.system,
        highest: highest === 0 ? null : highest,
        highestName: highest === 0 ? null : DANGER_LEVEL_INFO[highest].name,
        counts,
        issuedAt:
          rows
            .map((r) => r.issuedAt)
            .sort()
            .at(-1) ?? null,
        dates: await app.fireDangerRepository.dangerDates(today),
        weather,
        crews: await app.fireDangerRepository.crewsOnDuty(),
        // 四级 or above in the forecast anywhere: suggest a warning.
        suggestWarning: suggestDays.length > 0 ? { days: suggestDays } : null,
      };
    },
  );

  app.get(
    '/api/fire-danger/grids/:code',
    {
      schema: {
        summary: "A grid's danger for today and the next 3 days (its card)",
        tags: ['fire-danger'],
        params: Type.Object({ code: Type.String({ pattern: '^[0-9]{12,18}$' }) }),
        response: { 200: GridDanger },
      },
    },
    async (request) => ({
      days: await app.fireDangerRepository.gridDanger(request.params.code, beijingDate(new Date())),
    }),
  );
};

export default fireDangerRoutes;
