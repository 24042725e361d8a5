/**
 * Fire weather and danger on the wire (森林火险, issue 13): what posting weather answers, the
 * weather stations for the map, the danger per township or grid for a day, the wall's
 * today strip (client/src/danger/danger-panel.ts) and a grid's days on its card
 * (client/src/panels/info-card.ts).
 */
import { type Static, Type } from 'typebox';
import { DANGER_SYSTEMS, type DangerLevel } from '../domain/fire-danger/lyt1172.ts';
import { ErrorBodySchema } from './errors.ts';
import { LonLat } from './incidents.ts';
import { DateTime, Nullable, OneOf } from './wire.ts';

/** 一级 … 五级 (LY/T 1172 and the county's FWI classes alike). */
const Level = Type.Unsafe<DangerLevel>(Type.Integer({ minimum: 1, maximum: 5 }));
const Day = Type.String({ format: 'date', description: 'YYYY-MM-DD (Beijing date)' });

/** POST /api/weather/observations and /forecasts: rows stored, and the days recomputed. */
export const WeatherAccepted = Type.Object({
  accepted: Type.Integer({ description: 'rows stored' }),
  recomputed: Type.Array(Day, { description: 'the days whose danger was computed anew' }),
});
export type WeatherAccepted = Static<typeof WeatherAccepted>;

/** A weather batch refused (422): the refusal, with every problem of every row named. */
export const WeatherRefused = Type.Object(
  {
    ...ErrorBodySchema.properties,
    problems: Type.Optional(
      Type.Array(
        Type.Object({
          row: Type.Integer({ description: '1-based: the first row is 1' }),
          field: Type.String(),
          message: Type.String(),
        }),
      ),
    ),
  },
  { additionalProperties: true },
);
export type WeatherRefused = Static<typeof WeatherRefused>;

/** GET /api/weather/stations: the stations as GeoJSON points. */
export const WeatherStations = Type.Object({
  type: Type.Literal('FeatureCollection'),
  features: Type.Array(
    Type.Object({
      type: Type.Literal('Feature'),
      geometry: Type.Object({ type: Type.Literal('Point'), coordinates: LonLat }),
      properties: Type.Object({
        id: Type.String(),
        name: Type.String(),
        townshipCode: Nullable(Type.String()),
        synthetic: Type.Boolean({ description: 'a station made up for the demo county' }),
      }),
    }),
  ),
});
export type WeatherStations = Static<typeof WeatherStations>;

/**
 * GET /api/fire-danger: one township's or grid's danger of the day. Outside checks read
 * exactly these six keys.
 */
export const DangerRow = Type.Object({
  code: Type.String(),
  name: Type.String(),
  level: Level,
  index: Type.Integer(),
  fwi: Type.Number(),
  issuedAt: Type.String(),
});
export type DangerRow = Static<typeof DangerRow>;

/** GET /api/fire-danger/summary: the wall's today strip. */
export const DangerSummary = Type.Object({
  /** The day asked for, and today (Beijing). */
  date: Day,
  today: Day,
  system: OneOf(DANGER_SYSTEMS),
  highest: Nullable(Level),
  highestName: Nullable(Type.String({ description: '一级 … 五级' })),
  counts: Type.Record(Type.String(), Type.Integer(), { description: 'townships per level 1–5' }),
  issuedAt: Nullable(DateTime),
  dates: Type.Array(Day, { description: 'the days from today that have danger computed' }),
  weather: Type.Object({
    issuedAt: Nullable(DateTime),
    receivedAt: Nullable(DateTime),
    lastDate: Nullable(Day),
  }),
  crews: Type.Object({
    onDuty: Type.Integer(),
    deployed: Type.Integer({ description: 'out on a fire now' }),
  }),
  /** 四级 or above anywhere (a single grid included) on the day or the next three: warn. */
  suggestWarning: Nullable(
    Type.Object({
      days: Type.Array(
        Type.Object({
          date: Day,
          highest: Type.Integer(),
          at4: Type.Array(Type.String(), { description: 'townships at 四级 or above' }),
        }),
      ),
    }),
  ),
});
export type DangerSummary = Static<typeof DangerSummary>;

/** One day of a grid's danger on its card. */
export const GridDangerDay = Type.Object({
  date: Day,
  level: Level,
  index: Type.Integer(),
  fwi: Type.Number(),
  components: Type.Record(Type.String(), Type.Number(), {
    description: 'the LY/T 1172 index components (A, B, C, E, G)',
  }),
  lytLevel: Type.Integer({ description: 'the level by LY/T 1172' }),
  fwiLevel: Type.Integer({ description: "the level by the FWI's classes" }),
  issuedAt: DateTime,
});
export type GridDangerDay = Static<typeof GridDangerDay>;

/** GET /api/fire-danger/grids/{code}: today and the next three days. */
export const GridDanger = Type.Object({ days: Type.Array(GridDangerDay) });
export type GridDanger = Static<typeof GridDanger>;
