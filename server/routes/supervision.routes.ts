/**
 * 督战体系 (issue 14): the monthly red/yellow/black flags per township and village, their
 * history, the assessment office's notes on them and the assessments. Read whole by the county
 * command centre and the supervision office; township and war-zone commanders read the rows of
 * their own area (item 7); 401 without sign-in, 403 for other roles.
 */
import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  AssessmentReport,
  FlagAnnotationInput,
  Level,
  Month,
  SupervisionChoices,
} from '../contract/supervision.ts';
import { Binary, Text } from '../contract/wire.ts';
import { mayAnnotateFlags, mayWriteSupervision, supervisionScope } from '../domain/access.ts';
import { type Period, parsePeriod } from '../domain/assessment.ts';
import { addMonths, monthBounds, shanghaiMonthOf } from '../domain/flags.ts';
import { HttpError } from '../plugins/errors.ts';
import { assessmentHtml, assessmentXlsx } from '../services/assessment-export.ts';

export const AreaFlagSchema = Type.Object({
  code: Type.String(),
  name: Type.String(),
  fires: Type.Integer({ minimum: 0, description: 'confirmed fires in the month' }),
  flag: Type.Union([Type.Literal('red'), Type.Literal('yellow'), Type.Literal('black')]),
});
const Thresholds = Type.Object({ yellowMin: Type.Integer(), blackMin: Type.Integer() });
const MonthQuery = Type.Object(
  { month: Month, level: Type.Optional(Level) },
  { additionalProperties: false },
);
const AnnotationSchema = Type.Object({
  id: Type.String(),
  month: Type.String(),
  level: Type.String(),
  code: Type.String(),
  note: Type.String(),
  author: Type.String(),
  createdAt: Type.String(),
});

const PeriodQuery = Type.Object(
  {
    period: Type.String({
      maxLength: 7,
      description: 'YYYY-MM (month), YYYY-Qn (quarter) or YYYY (year), Asia/Shanghai',
    }),
  },
  { additionalProperties: false },
);

/**
 * Which township (or village) codes the reader sees of the supervision figures: every one for
 * the county's readers, his own area's for a commander (issue 14 item 7); 403 for anyone else.
 */
export async function supervisionReader(
  app: FastifyInstance,
  request: FastifyRequest,
  level: 'township' | 'village' = 'township',
): Promise<(code: string | null) => boolean> {
  const actor = app.requireActor(request);
  const scope = supervisionScope(actor);
  if (!scope)
    throw new HttpError(403, `role ${actor.role} may not read the supervision figures`, 'role');
  if (scope === 'all') return () => true;
  const places = await app.supervisionRepository.areaPlaces(level);
  return (code) => {
    const place = code === null ? undefined : places.get(code);
    return place !== undefined && scope(place);
  };
}

const supervisionRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const reader = (
    request: Parameters<typeof app.requireActor>[0],
    level: 'township' | 'village' = 'township',
  ) => supervisionReader(app, request, level);

  /** The period asked for, after the reader check (so a stranger learns nothing from a 400). */
  const assessmentFor = async (request: Parameters<typeof app.requireActor>[0], id: string) => {
    const sees = await reader(request);
    const period: Period | null = parsePeriod(id);
    if (!period)
      throw new HttpError(400, `period must be YYYY-MM, YYYY-Qn or YYYY, got "${id}"`, 'period');
    const report = await app.supervisionRepository.assessment(period, new Date());
    // A commander's rows are his area's; the county line stays the county's total.
    return {
      ...report,
      townships: report.townships.filter((t) => sees(t.code)),
      cadres: report.cadres.filter((c) => sees(c.code)),
      trainingUnits: report.trainingUnits.filter((u) => sees(u.townshipCode)),
    };
  };

  app.get(
    '/api/assessments',
    {
      schema: {
        summary: '考核: a month, quarter or year per township and per responsible cadre',
        tags: ['supervision'],
        querystring: PeriodQuery,
        response: { 200: AssessmentReport },
      },
    },
    async (request) => assessmentFor(request, request.query.period),
  );

  app.get(
    '/api/assessments.xlsx',
    {
      schema: {
        summary: 'The assessment as an .xlsx workbook with Chinese headers',
        tags: ['supervision'],
        response: {
          200: Binary(
            'an Office Open XML workbook',
            'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
          ),
        },
        querystring: PeriodQuery,
      },
    },
    async (request, reply) => {
      const report = await assessmentFor(request, request.query.period);
      const body = await assessmentXlsx(report, new Date());
      const name = `assessment-${report.period.id}.xlsx`;
      reply
        .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header(
          'content-disposition',
          `attachment; filename="${name}"; filename*=UTF-8''${encodeURIComponent(`森林防火考核-${report.period.id}.xlsx`)}`,
        );
      return body;
    },
  );

  app.get(
    '/api/assessments/print',
    {
      schema: {
        summary: 'The assessment as a printable page (A4 landscape)',
        tags: ['supervision'],
        response: { 200: Text('a printable HTML page', 'text/html') },
        querystring: PeriodQuery,
      },
    },
    async (request, reply) => {
      const report = await assessmentFor(request, request.query.period);
      reply.type('text/html; charset=utf-8');
      return assessmentHtml(report, new Date());
    },
  );

  app.get(
    '/api/supervision/choices',
    {
      schema: {
        summary:
          "What the supervision work page's forms choose from: townships, villages and crews",
        tags: ['supervision'],
        response: { 200: SupervisionChoices },
      },
    },
    async (request): Promise<SupervisionChoices> => {
      const actor = app.requireActor(request);
      if (!mayWriteSupervision(actor))
        throw new HttpError(403, `role ${actor.role} records no supervision work`, 'role');
      return app.supervisionRepository.choices();
    },
  );

  app.get(
    '/api/flags',
    {
      schema: {
        summary:
          '红黄黑旗: every township (or village) with its confirmed fires and flag for a month',
        tags: ['supervision'],
        querystring: MonthQuery,
        // The response schema also keeps the answer to exactly these four keys.
        response: { 200: Type.Array(AreaFlagSchema) },
      },
    },
    async (request) => {
      const level = request.query.level ?? 'township';
      const sees = await reader(request, level);
      return (await app.supervisionRepository.flags(request.query.month, level)).filter((f) =>
        sees(f.code),
      );
    },
  );

  app.get(
    '/api/flags/history',
    {
      schema: {
        summary:
          'Flags of the `months` months up to and including `to` (default: this month), each with the thresholds it was judged by; `code` keeps one township or village',
        tags: ['supervision'],
        querystring: Type.Object(
          {
            level: Type.Optional(Level),
            to: Type.Optional(Month),
            months: Type.Optional(Type.Integer({ minimum: 1, maximum: 36, default: 12 })),
            code: Type.Optional(
              Type.String({ pattern: '^[0-9]{9,12}$', description: 'township or village code' }),
            ),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            thresholds: Thresholds,
            months: Type.Array(
              Type.Object({
                month: Type.String(),
                thresholds: Thresholds,
                flags: Type.Array(AreaFlagSchema),
              }),
            ),
          }),
        },
      },
    },
    async (request) => {
      const level = request.query.level ?? 'township';
      const sees = await reader(request, level);
      const { code } = request.query;
      const keep = (c: string) => sees(c) && (code === undefined || c === code);
      const now = new Date();
      const to = request.query.to ?? shanghaiMonthOf(now);
      const n = request.query.months ?? 12;
      const from = addMonths(to, -(n - 1));
      const months = Array.from({ length: n }, (_, i) => addMonths(from, i));
      return {
        // The settings of today: what the current month and later ones are judged by.
        thresholds: app.supervisionRepository.thresholds,
        months: (await app.supervisionRepository.flagHistory(level, months, now)).map((m) => ({
          month: m.month,
          thresholds: m.thresholds,
          flags: m.flags.filter((f) => keep(f.code)),
        })),
      };
    },
  );

  app.get(
    '/api/flags/annotations',
    {
      schema: {
        summary: "The assessment office's notes on a month's flags",
        tags: ['supervision'],
        querystring: MonthQuery,
        response: { 200: Type.Array(AnnotationSchema) },
      },
    },
    async (request) => {
      const level = request.query.level ?? 'township';
      const sees = await reader(request, level);
      return (await app.supervisionRepository.annotations(request.query.month, level)).filter((a) =>
        sees(a.code),
      );
    },
  );

  app.post(
    '/api/flags/annotations',
    {
      schema: {
        summary: "Annotate a township's or village's flag for a month (the colour stays computed)",
        tags: ['supervision'],
        body: FlagAnnotationInput,
        response: { 201: AnnotationSchema },
      },
    },
    async (request, reply) => {
      const actor = app.requireActor(request);
      if (!mayAnnotateFlags(actor))
        throw new HttpError(403, `role ${actor.role} may not annotate flags`, 'role');
      const { month, level, code } = request.body;
      const note = request.body.note.trim();
      if (note === '') throw new HttpError(400, 'note must not be blank', 'note');
      if (monthBounds(month).start.getTime() > Date.now())
        throw new HttpError(422, `month ${month} has not begun`, 'month');
      const saved = await app.supervisionRepository.annotate({
        month,
        level,
        code,
        note,
        authorUserId: actor.id,
      });
      if (!saved) throw new HttpError(404, `no ${level} with code ${code}`, 'code');
      reply.code(201);
      return saved;
    },
  );
};

export default supervisionRoutes;
