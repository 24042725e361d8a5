/**
 * Assessments as they go up the chain (domain.md: "Excel and print are what they hand
 * upward"): an .xlsx workbook with Chinese headers (exceljs) — one sheet per township, one
 * per responsible cadre — and a printable HTML page (A4 landscape).
 */
import ExcelJS from 'exceljs';
import type { AssessmentReport } from '../contract/supervision.ts';
import { ASSESSMENT_COLUMNS, type AssessmentRow } from '../domain/assessment.ts';
import { FLAG_LABELS, type FlagColour } from '../domain/flags.ts';

/** A training unit's name as the county writes it; its township ('县级' for county units). */
export const NO_UNIT = '未注明单位';
const unitCells = (u: AssessmentReport['trainingUnits'][number]) => [
  u.unitName ?? NO_UNIT,
  u.townshipName ?? (u.townshipCode === null ? '县级' : u.townshipCode),
  u.personTimes,
];
const UNIT_HEADERS = ['培训单位', '乡镇', '培训(人次)'];

const KIND_LABEL: Record<string, string> = {
  month: '月度考核(一月一小考)',
  quarter: '季度考核(一季一大考)',
  year: '年度考核(一年一终考)',
};

export function reportTitle(report: AssessmentReport): string {
  return `麻阳苗族自治县森林防火${report.period.label}${KIND_LABEL[report.period.kind] ?? ''}`;
}

function cellValue(row: AssessmentRow, key: keyof AssessmentRow): string | number | null {
  const v = row[key];
  if (key === 'flag') return v ? FLAG_LABELS[v as FlagColour] : null;
  return v as string | number | null;
}

/** The workbook as bytes. Rates are numbers formatted as percentages, so they sum and sort. */
export async function assessmentXlsx(report: AssessmentReport, generatedAt: Date): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = '森林防火挂图作战指挥平台';
  wb.created = generatedAt;
  const sheet = (
    name: string,
    lead: { header: string; key: string }[],
    rows: Record<string, unknown>[],
  ) => {
    const ws = wb.addWorksheet(name, {
      pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1 },
    });
    const columns = [...lead, ...ASSESSMENT_COLUMNS.map((c) => ({ header: c.header, key: c.key }))];
    ws.addRow([reportTitle(report)]);
    ws.mergeCells(1, 1, 1, columns.length);
    ws.getCell(1, 1).font = { bold: true, size: 14 };
    ws.addRow([`生成时间 ${generatedAt.toISOString()} (UTC)`]);
    ws.addRow(columns.map((c) => c.header)).font = { bold: true };
    for (const r of rows) ws.addRow(columns.map((c) => r[c.key] ?? null));
    ASSESSMENT_COLUMNS.forEach((c, i) => {
      const col = ws.getColumn(lead.length + i + 1);
      col.width = Math.max(10, c.header.length * 2 + 2);
      if (c.kind === 'rate') col.numFmt = '0.0%';
    });
    ws.views = [{ state: 'frozen', ySplit: 3 }];
  };
  const asRecord = (r: AssessmentRow) =>
    Object.fromEntries(ASSESSMENT_COLUMNS.map((c) => [c.key, cellValue(r, c.key)]));
  sheet('乡镇', [], [...report.townships, report.county].map(asRecord));
  sheet(
    '责任人',
    [{ header: '责任人', key: 'cadre' }],
    report.cadres.map((r) => ({ cadre: r.cadre, ...asRecord(r) })),
  );
  const units = wb.addWorksheet('培训单位');
  units.addRow([reportTitle(report)]).font = { bold: true, size: 14 };
  units.addRow(UNIT_HEADERS).font = { bold: true };
  for (const u of report.trainingUnits) units.addRow(unitCells(u));
  units.getColumn(1).width = 30;
  units.getColumn(2).width = 14;
  units.getColumn(3).width = 12;
  units.views = [{ state: 'frozen', ySplit: 2 }];
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const escapeHtml = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );

function htmlCell(row: AssessmentRow, c: (typeof ASSESSMENT_COLUMNS)[number]): string {
  const v = cellValue(row, c.key);
  if (v === null || v === '') return '<td>—</td>';
  if (c.kind === 'rate') return `<td class="n">${((v as number) * 100).toFixed(1)}%</td>`;
  if (c.kind === 'int') return `<td class="n">${v}</td>`;
  const cls = c.kind === 'flag' ? ` class="flag flag-${row.flag}"` : '';
  return `<td${cls}>${escapeHtml(String(v))}</td>`;
}

/** A self-contained page for the browser's print dialog (A4 landscape, no scripts). */
export function assessmentHtml(report: AssessmentReport, generatedAt: Date): string {
  const head = (lead: string[]) =>
    `<tr>${[...lead, ...ASSESSMENT_COLUMNS.map((c) => c.header)].map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr>`;
  const row = (r: AssessmentRow, lead: string[] = [], cls = '') =>
    `<tr${cls ? ` class="${cls}"` : ''}>${lead.map((l) => `<td>${escapeHtml(l)}</td>`).join('')}${ASSESSMENT_COLUMNS.map((c) => htmlCell(r, c)).join('')}</tr>`;
  const title = escapeHtml(reportTitle(report));
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>${title}</title>
<style>
@page { size: A4 landscape; margin: 12mm; }
body { font-family: "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; font-size: 10pt; color: #000; }
h1 { font-size: 15pt; text-align: center; margin: 0 0 4mm; }
h2 { font-size: 12pt; margin: 6mm 0 2mm; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #444; padding: 1mm 1.5mm; }
th { background: #eee; font-weight: bold; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
tr.total td { font-weight: bold; }
td.flag-red { color: #c62828; } td.flag-yellow { color: #b28704; } td.flag-black { color: #000; font-weight: bold; }
.meta { font-size: 8pt; color: #444; }
h2.cadres { break-before: page; }
</style></head>
<body>
<h1>${title}</h1>
<p class="meta">统计口径:北京时间自然月;已确认火情(误报、演练不计);10/20/30分钟自首报起算。生成时间 ${generatedAt.toISOString()} (UTC)</p>
<h2>乡镇</h2>
<table id="townships"><thead>${head([])}</thead><tbody>
${report.townships.map((r) => row(r)).join('\n')}
${row(report.county, [], 'total')}
</tbody></table>
<h2 class="cadres">责任人</h2>
<table id="cadres"><thead>${head(['责任人'])}</thead><tbody>
${report.cadres.map((r) => row(r, [r.cadre])).join('\n')}
</tbody></table>
<h2>培训单位</h2>
<table id="training-units"><thead><tr>${UNIT_HEADERS.map((h) => `<th>${h}</th>`).join('')}</tr></thead><tbody>
${report.trainingUnits
  .map((u) => {
    const [name, township, n] = unitCells(u);
    return `<tr><td>${escapeHtml(String(name))}</td><td>${escapeHtml(String(township))}</td><td class="n">${n}</td></tr>`;
  })
  .join('\n')}
</tbody></table>
</body></html>`;
}
