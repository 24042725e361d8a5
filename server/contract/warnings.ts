/**
 * Warnings 预警信息 on the wire: what a commander posts (client/src/danger/warning-form.ts), and
 * a warning as the map, the wall and the field page show it (GET /api/warnings, the live
 * `warning:issued` event).
 */
import { type Static, Type } from 'typebox';
import type { WarningView as DomainWarningView } from '../domain/live-events.ts';
import { WARNING_LEVELS } from '../domain/vocabulary.ts';
import { DateTime, Nullable, type Same } from './wire.ts';

const Level = Type.Unsafe<(typeof WARNING_LEVELS)[number]>(
  Type.Union(
    WARNING_LEVELS.map((l) => Type.Literal(l)),
    { description: '预警信号: blue 蓝, yellow 黄, orange 橙, red 红' },
  ),
);
const Position = Type.Array(Type.Number(), { minItems: 2, maxItems: 2 });

/** POST /api/warnings: the area as township codes or a drawn polygon (one of them). */
export const WarningInput = Type.Object(
  {
    level: Level,
    title: Type.Optional(Type.String({ minLength: 1, maxLength: 120 })),
    body: Type.String({ minLength: 1, maxLength: 4000, description: '预警内容' }),
    measures: Type.Optional(Type.String({ maxLength: 4000, description: '防御措施' })),
    townshipCodes: Type.Optional(
      Type.Array(Type.String({ pattern: '^[0-9]{9}$' }), { minItems: 1, maxItems: 50 }),
    ),
    polygon: Type.Optional(
      Type.Object(
        {
          type: Type.Literal('Polygon'),
          coordinates: Type.Array(Type.Array(Position, { minItems: 4, maxItems: 2000 }), {
            minItems: 1,
            maxItems: 1,
          }),
        },
        { description: 'a drawn area, GeoJSON Polygon [lon, lat]' },
      ),
    ),
    onsetAt: Type.Optional(Type.String({ format: 'date-time' })),
    expiresAt: Type.String({ format: 'date-time' }),
  },
  { additionalProperties: false },
);
export type WarningInput = Static<typeof WarningInput>;

/** A warning in force, as pages show it (201 to its issuer; GET /api/warnings). */
export const WarningView = Type.Object({
  id: Type.String({ format: 'uuid' }),
  identifier: Type.String({ description: 'GB/T 35965.1 identifier (also the CAP identifier)' }),
  level: Level,
  title: Type.String(),
  body: Type.String(),
  measures: Nullable(Type.String()),
  townshipCodes: Type.Array(Type.String()),
  townshipNames: Type.Array(Type.String()),
  area: Nullable(
    Type.Object(
      {
        type: Type.Literal('MultiPolygon'),
        coordinates: Type.Array(Type.Array(Type.Array(Type.Array(Type.Number())))),
      },
      { description: 'the drawn area; null when named by townships' },
    ),
  ),
  issuedAt: DateTime,
  onsetAt: DateTime,
  expiresAt: DateTime,
  issuedBy: Type.String({ description: "the issuer's name" }),
});
export type WarningView = Static<typeof WarningView>;
/** The schema and the live event's warning say the same thing (a compile error otherwise). */
const sameWarning: Same<WarningView, DomainWarningView> = true;
void sameWarning;
