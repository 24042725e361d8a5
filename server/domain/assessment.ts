/**
 * 考核 (domain.md: 一月一小考, 一季一大考, 一年一终考; issue 14 item 5): a month, quarter or
 * year per township — confirmed fires, how many met 10/20/30 (on scene within 10 minutes of
 * the first report, controlled within 20, out within 30), the flags of its months,
 * inspections and open findings, drills, training person-times and publicity coverage.
 * Pure: the repository gathers the figures, these rules judge them.
 */
import {
  addMonths,
  type FlagColour,
  type FlagThresholds,
  flagFor,
  monthBounds,
  shanghaiMonthOf,
} from './flags.ts';

export type PeriodKind = 'month' | 'quarter' | 'year';

export interface Period {
  kind: PeriodKind;
  /** As asked: "2026-04", "2026-Q2", "2026". */
  id: string;
  /** "2026年4月", "2026年第2季度", "2026年度". */
  label: string;
  months: string[];
  start: Date;
  end: Date;
}

/** "2026-04" (month), "2026-Q2" (quarter) or "2026" (year) → the period, or null. */
export function parsePeriod(id: string): Period | null {
  const shape = periodShape(id);
  if (!shape) return null;
  const year = Number(id.slice(0, 4));
  if (year < 2000 || year > 2999) return null;
  const months = Array.from({ length: shape.n }, (_, i) => addMonths(shape.first, i));
  return {
    kind: shape.kind,
    id,
    label: shape.label,
    months,
    start: monthBounds(months[0] as string).start,
    end: monthBounds(months[shape.n - 1] as string).end,
  };
}

function periodShape(
  id: string,
): { kind: PeriodKind; first: string; n: number; label: string } | null {
  const month = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(id);
  if (month) return { kind: 'month', first: id, n: 1, label: `${month[1]}年${Number(month[2])}月` };
  const quarter = /^(\d{4})-Q([1-4])$/.exec(id);
  if (quarter) {
    const firstMonth = String((Number(quarter[2]) - 1) * 3 + 1).padStart(2, '0');
    return {
      kind: 'quarter',
      first: `${quarter[1]}-${firstMonth}`,
      n: 3,
      label: `${quarter[1]}年第${quarter[2]}季度`,
    };
  }
  const year = /^(\d{4})$/.exec(id);
  if (year) return { kind: 'year', first: `${year[1]}-01`, n: 12, label: `${year[1]}年度` };
  return null;
}

/** A confirmed fire with minutes from the first report to each stage (null: not reached). */
export interface AssessedFire {
  areaCode: string;
  firstReportedAt: Date;
  onSceneMin: number | null;
  controlledMin: number | null;
  extinguishedMin: number | null;
}

export interface AreaFigures {
  inspections: number;
  openFindings: number;
  drills: number;
  drillParticipants: number;
  trainingPersonTimes: number;
  households: number;
  householdsVisited: number;
  pledgesSigned: number;
}

export const NO_FIGURES: AreaFigures = {
  inspections: 0,
  openFindings: 0,
  drills: 0,
  drillParticipants: 0,
  trainingPersonTimes: 0,
  households: 0,
  householdsVisited: 0,
  pledgesSigned: 0,
};

export interface AssessmentRow extends AreaFigures {
  code: string;
  name: string;
  fires: number;
  arrivedIn10: number;
  controlledIn20: number;
  outIn30: number;
  /** Months of the period that have begun, by flag. */
  redMonths: number;
  yellowMonths: number;
  blackMonths: number;
  /** The flag of a one-month period; null for quarters and years. */
  flag: FlagColour | null;
  /** Shares 0…1, null when there is nothing to divide by. */
  visitRate: number | null;
  pledgeRate: number | null;
}

const within = (min: number | null, limit: number) => min !== null && min <= limit;
const share = (n: number, of: number) => (of > 0 ? n / of : null);

/**
 * One row per area in the order given. Months that have not begun at `now` get no flag (a
 * year assessed in March has three flags, not twelve).
 */
export function assess(
  period: Period,
  areas: readonly { code: string; name: string }[],
  fires: readonly AssessedFire[],
  figures: ReadonlyMap<string, AreaFigures>,
  /** The settings, or each month's own (a past month keeps those it was judged by). */
  thresholds: FlagThresholds | ((month: string) => FlagThresholds),
  now: Date,
): AssessmentRow[] {
  const judgedBy = typeof thresholds === 'function' ? thresholds : () => thresholds;
  const begun = period.months.filter((m) => monthBounds(m).start.getTime() <= now.getTime());
  return areas.map((a) => {
    const own = fires.filter((f) => f.areaCode === a.code);
    const byMonth = new Map<string, number>();
    for (const f of own) {
      const m = shanghaiMonthOf(f.firstReportedAt);
      byMonth.set(m, (byMonth.get(m) ?? 0) + 1);
    }
    const flags = begun.map((m) => flagFor(byMonth.get(m) ?? 0, judgedBy(m)));
    const fig = figures.get(a.code) ?? NO_FIGURES;
    return {
      code: a.code,
      name: a.name,
      fires: own.length,
      arrivedIn10: own.filter((f) => within(f.onSceneMin, 10)).length,
      controlledIn20: own.filter((f) => within(f.controlledMin, 20)).length,
      outIn30: own.filter((f) => within(f.extinguishedMin, 30)).length,
      redMonths: flags.filter((f) => f === 'red').length,
      yellowMonths: flags.filter((f) => f === 'yellow').length,
      blackMonths: flags.filter((f) => f === 'black').length,
      flag: period.kind === 'month' ? (flags[0] ?? null) : null,
      ...fig,
      visitRate: share(fig.householdsVisited, fig.households),
      pledgeRate: share(fig.pledgesSigned, fig.households),
    };
  });
}

/** The county line: sums of every column, rates over the sums. */
export function countyTotal(rows: readonly AssessmentRow[], name = '全县合计'): AssessmentRow {
  const sum = (k: keyof AssessmentRow) => rows.reduce((s, r) => s + ((r[k] as number) ?? 0), 0);
  const households = sum('households');
  return {
    code: '',
    name,
    fires: sum('fires'),
    arrivedIn10: sum('arrivedIn10'),
    controlledIn20: sum('controlledIn20'),
    outIn30: sum('outIn30'),
    redMonths: sum('redMonths'),
    yellowMonths: sum('yellowMonths'),
    blackMonths: sum('blackMonths'),
    flag: null,
    inspections: sum('inspections'),
    openFindings: sum('openFindings'),
    drills: sum('drills'),
    drillParticipants: sum('drillParticipants'),
    trainingPersonTimes: sum('trainingPersonTimes'),
    households,
    householdsVisited: sum('householdsVisited'),
    pledgesSigned: sum('pledgesSigned'),
    visitRate: share(sum('householdsVisited'), households),
    pledgeRate: share(sum('pledgesSigned'), households),
  };
}

/** Columns of the spreadsheet and the printed page, Chinese headers as the county uses them. */
export const ASSESSMENT_COLUMNS: readonly {
  key: keyof AssessmentRow;
  header: string;
  kind: 'text' | 'int' | 'rate' | 'flag';
}[] = [
  { key: 'code', header: '代码', kind: 'text' },
  { key: 'name', header: '单位', kind: 'text' },
  { key: 'fires', header: '森林火情(起)', kind: 'int' },
  { key: 'arrivedIn10', header: '10分钟到场(起)', kind: 'int' },
  { key: 'controlledIn20', header: '20分钟控制(起)', kind: 'int' },
  { key: 'outIn30', header: '30分钟扑灭(起)', kind: 'int' },
  { key: 'flag', header: '旗', kind: 'flag' },
  { key: 'redMonths', header: '红旗(月)', kind: 'int' },
  { key: 'yellowMonths', header: '黄旗(月)', kind: 'int' },
  { key: 'blackMonths', header: '黑旗(月)', kind: 'int' },
  { key: 'inspections', header: '督查(次)', kind: 'int' },
  { key: 'openFindings', header: '未整改问题', kind: 'int' },
  { key: 'drills', header: '演练(次)', kind: 'int' },
  { key: 'drillParticipants', header: '演练人数', kind: 'int' },
  { key: 'trainingPersonTimes', header: '培训(人次)', kind: 'int' },
  { key: 'visitRate', header: '入户宣传率', kind: 'rate' },
  { key: 'pledgeRate', header: '承诺书签订率', kind: 'rate' },
];
