/**
 * 考核 (issue 14 item 5) over HTTP on a small county: a month and a quarter for 高村镇 built
 * from hand-made fires, inspections, drills, training and publicity, the .xlsx read back with
 * exceljs, and the printable page.
 */
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../app.ts';
import type { Database } from '../db/database.ts';
import { incidentEvents } from '../db/schema/index.ts';
import { openSmallApp } from '../testing/demo-sessions.ts';
import { newIncident, SMALL_COUNTY } from '../testing/factories.ts';
import { testBackend } from '../testing/test-database.ts';

let app: App;
let database: Database;
let tokens: Map<string, string>;
const as = (who: string) => ({ authorization: `Bearer ${tokens.get(who)}` });
let gaocun = '';
const TOWNSHIP_CODES = Object.values(SMALL_COUNTY.townships)
  .map((t) => t.code)
  .sort();

/** 10:00 Beijing time on a day of 2026. */
const at = (month: number, day: number, minutes = 0) =>
  new Date(Date.UTC(2026, month - 1, day, 2, minutes));

async function fire(
  day: number,
  stages: [number, number, number],
  over: { dismissed?: boolean; drill?: boolean } = {},
) {
  const id = await newIncident(database, {
    townshipCode: gaocun,
    firstReportedAt: at(4, day),
    state: 'extinguished',
    ...over,
  });
  const names = ['on_scene', 'controlled', 'extinguished'];
  for (const [i, m] of stages.entries())
    await database.db.insert(incidentEvents).values({
      incidentId: id,
      type: 'state_changed',
      actorLabel: 'test',
      at: at(4, day, m),
      payload: { to: names[i] },
    });
}

beforeAll(async () => {
  ({ app, database, tokens } = await openSmallApp());
  const [t] = await database.query<{ code: string }>(
    sql`SELECT code FROM townships WHERE name = '高村镇'`,
  );
  gaocun = t?.code as string;
  // Two real fires in April: one meets 10/20/30, the other arrives at 12 min, is under
  // control at 19 and out at 40. A false alarm and a drill that never count.
  await fire(3, [8, 18, 29]);
  await fire(17, [12, 19, 40]);
  await fire(20, [5, 6, 7], { dismissed: true });
  await fire(21, [5, 6, 7], { drill: true });
  // Two inspections in April, one finding still open; one in May.
  await database.query(sql`
    INSERT INTO inspections (kind, inspector, township_code, inspected_at, findings, rectified_at) VALUES
      ('county_leader', '县领导', ${gaocun}, '2026-04-02T02:00:00Z', '防火通道堵塞', '2026-04-03T02:00:00Z'),
      ('inspection_group', '督查组', ${gaocun}, '2026-04-10T02:00:00Z', '野外用火未登记', NULL),
      ('command_hq', '指挥部', ${gaocun}, '2026-05-10T02:00:00Z', NULL, NULL)`);
  await database.query(sql`
    INSERT INTO drills (title, held_on, township_code, participants) VALUES
      ('春季扑火演练', '2026-04-12', ${gaocun}, 40)`);
  await database.query(sql`
    INSERT INTO trainings (title, held_on, township_code, audience, person_times, crew_id, unit_name) VALUES
      ('护林员培训', '2026-04-08', ${gaocun}, '护林员', 60, NULL, NULL),
      ('应急队员培训', '2026-04-28', ${gaocun}, '应急队员', 80, 'CR-T106', NULL),
      ('学校防火培训', '2026-04-08', ${gaocun}, '师生', 60, NULL, '高村镇中学'),
      ('五月培训', '2026-05-02', ${gaocun}, '护林员', 500, NULL, NULL)`);
  const [v1, v2] = await database.query<{ code: string }>(
    sql`SELECT code FROM villages WHERE township_code = ${gaocun} ORDER BY code LIMIT 2`,
  );
  // Village 1 twice (the later record stands), village 2 once.
  await database.query(sql`
    INSERT INTO publicity_records (village_code, recorded_on, channel, households_total, households_visited, pledges_signed) VALUES
      (${v1?.code}, '2026-04-05', '入户', 100, 60, 50),
      (${v1?.code}, '2026-04-20', '入户', 100, 90, 80),
      (${v2?.code}, '2026-04-15', '入户', 50, 50, 40)`);
  // A third village records per grid: its grids' latest records add up (grid 1 twice).
  const [g1, g2] = await database.query<{ code: string; village_code: string }>(sql`
    SELECT code, village_code FROM grids WHERE village_code = (
      SELECT village_code FROM grids WHERE township_code = ${gaocun}
        AND village_code NOT IN (${v1?.code}, ${v2?.code})
      GROUP BY village_code HAVING count(*) >= 2 ORDER BY village_code LIMIT 1)
    ORDER BY code LIMIT 2`);
  await database.query(sql`
    INSERT INTO publicity_records (village_code, grid_code, recorded_on, channel, households_total, households_visited, pledges_signed) VALUES
      (${g1?.village_code}, ${g1?.code}, '2026-04-06', '入户', 40, 10, 5),
      (${g1?.village_code}, ${g1?.code}, '2026-04-25', '入户', 40, 40, 32),
      (${g2?.village_code}, ${g2?.code}, '2026-04-18', '入户', 35, 20, 28)`);
}, 120_000);
afterAll(async () => {
  await app?.close();
});

const get = (url: string, who = 'supervisor') =>
  app.inject({ method: 'GET', url, headers: as(who) });

describe(`assessments on the ${testBackend()} backend`, () => {
  it('assesses April 2026 for 高村镇 from its fires, inspections, drills, training and publicity', async () => {
    const res = await get('/api/assessments?period=2026-04');
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.period).toMatchObject({ kind: 'month', label: '2026年4月' });
    expect(body.townships.map((t: { code: string }) => t.code).sort()).toEqual(TOWNSHIP_CODES);
    const row = body.townships.find((r: { code: string }) => r.code === gaocun);
    expect(row).toMatchObject({
      name: '高村镇',
      fires: 2,
      arrivedIn10: 1,
      controlledIn20: 2,
      outIn30: 1,
      flag: 'yellow',
      yellowMonths: 1,
      inspections: 2,
      openFindings: 1,
      drills: 1,
      drillParticipants: 40,
      trainingPersonTimes: 200,
      // 100 + 50 + 40 + 35 households; 90 + 50 + 40 + 20 visited; 80 + 40 + 32 + 28 pledged.
      households: 225,
      householdsVisited: 200,
      pledgesSigned: 180,
    });
    expect(row.visitRate).toBeCloseTo(200 / 225, 10);
    expect(row.pledgeRate).toBeCloseTo(0.8, 10);
    // Every other township had no fire in April: a red month each.
    expect(body.county).toMatchObject({
      fires: 2,
      redMonths: TOWNSHIP_CODES.length - 1,
      yellowMonths: 1,
      trainingPersonTimes: 200,
    });
    // The township commanders, each with his township's line.
    expect(body.cadres.map((c: { cadre: string; name: string }) => [c.cadre, c.name])).toEqual(
      expect.arrayContaining([
        ['高村镇指挥长', '高村镇'],
        ['兰里镇指挥长', '兰里镇'],
      ]),
    );
  });

  it('assesses the second quarter: flags of three months, May’s inspection and training added', async () => {
    const body = (await get('/api/assessments?period=2026-Q2')).json();
    const row = body.townships.find((r: { code: string }) => r.code === gaocun);
    expect(row).toMatchObject({
      fires: 2,
      flag: null,
      redMonths: 2,
      yellowMonths: 1,
      blackMonths: 0,
      inspections: 3,
      trainingPersonTimes: 700,
    });
  });

  it('exports an .xlsx with Chinese headers that reads back to the same figures', async () => {
    const res = await get('/api/assessments.xlsx?period=2026-04', 'county');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['乡镇', '责任人', '培训单位']);
    const ws = wb.getWorksheet('乡镇') as ExcelJS.Worksheet;
    expect(String(ws.getCell(1, 1).value)).toContain('2026年4月');
    const headers = (ws.getRow(3).values as unknown[]).slice(1);
    expect(headers.slice(0, 7)).toEqual([
      '代码',
      '单位',
      '森林火情(起)',
      '10分钟到场(起)',
      '20分钟控制(起)',
      '30分钟扑灭(起)',
      '旗',
    ]);
    expect(headers).toContain('培训(人次)');
    expect(headers).toContain('承诺书签订率');
    // Every township and the county line under the header.
    expect(ws.rowCount).toBe(3 + TOWNSHIP_CODES.length + 1);
    const col = (h: string) => headers.indexOf(h) + 1;
    let found: ExcelJS.Row | undefined;
    ws.eachRow((r) => {
      if (r.getCell(1).value === gaocun) found = r;
    });
    const r = found as ExcelJS.Row;
    expect(r.getCell(col('单位')).value).toBe('高村镇');
    expect(r.getCell(col('森林火情(起)')).value).toBe(2);
    expect(r.getCell(col('10分钟到场(起)')).value).toBe(1);
    expect(r.getCell(col('旗')).value).toBe('黄旗');
    expect(r.getCell(col('培训(人次)')).value).toBe(200);
    const pledge = r.getCell(col('承诺书签订率'));
    expect(pledge.value).toBeCloseTo(0.8, 10);
    expect(pledge.numFmt).toBe('0.0%');
    expect(ws.getRow(ws.rowCount).getCell(col('单位')).value).toBe('全县合计');
    const cadres = wb.getWorksheet('责任人') as ExcelJS.Worksheet;
    expect(cadres.getCell(3, 1).value).toBe('责任人');
    // April's training per unit, most person-times first; the May one is another month's.
    const units = wb.getWorksheet('培训单位') as ExcelJS.Worksheet;
    const rows: unknown[][] = [];
    units.eachRow((r, i) => {
      if (i > 1) rows.push((r.values as unknown[]).slice(1));
    });
    expect(rows).toEqual([
      ['培训单位', '乡镇', '培训(人次)'],
      ['高村镇半专业扑火队', '高村镇', 80],
      ['高村镇中学', '高村镇', 60],
      ['未注明单位', '高村镇', 60],
    ]);
  });

  it('renders a printable page', async () => {
    const res = await get('/api/assessments/print?period=2026-04');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.body).toContain('2026年4月月度考核');
    expect(res.body).toContain('@page { size: A4 landscape');
    expect(res.body).toMatch(/<td>高村镇<\/td>.*<td class="flag flag-yellow">黄旗<\/td>/);
    expect(res.body).toMatch(
      /<table id="training-units">.*<td>未注明单位<\/td><td>高村镇<\/td><td class="n">60<\/td>/s,
    );
    expect(res.body).not.toContain('<script');
  });

  it('refuses bad periods with a 400 naming the field, and roles outside command and supervision with 403', async () => {
    for (const p of ['2026-13', '2026-Q5', 'x']) {
      const res = await get(`/api/assessments?period=${p}`);
      expect([res.statusCode, res.json().field]).toEqual([400, 'period']);
    }
    expect((await get('/api/assessments?period=2026-04', 'viewer')).statusCode).toBe(403);
    expect((await get('/api/assessments?period=2026-04', 'ranger')).statusCode).toBe(403);
    // A township commander reads his own township's line (issue 14 item 7).
    const own = await get('/api/assessments?period=2026-04', 'twp-gaocun');
    expect(own.json().townships.map((t: { code: string }) => t.code)).toEqual([gaocun]);
  });
});
