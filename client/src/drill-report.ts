/**
 * The printable drill report 演练评估报告 (issue 14 item 3): a drill's fires with their
 * timeline (report → dispatch → on scene → under control → out), each crew's arrival against
 * the 10-minute target and each township against 10/20/30, 达标 or 未达标; 演练 is stamped on
 * every page. Headless Chromium prints it to an A4 portrait PDF on the server
 * (GET /api/drills/{id}/report.pdf); `body[data-ready]` tells the printer it is drawn.
 */
import './drill-report.css';
import type { DrillReport, StageScore as Stage } from '../../server/contract/drills.ts';
import { getJson } from './api/http.ts';
import { fmt, h, printablePage } from './ui/dom.ts';

/** Beijing wall-clock time of an instant (UTC+8 all year). */
const beijing = (iso: string | null) =>
  iso ? new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(11, 19) : '—';

const verdict = (stage: Stage | null) =>
  stage === null
    ? h('span', { class: 'dr-none' }, '—')
    : stage.met
      ? h('span', { class: 'dr-met' }, '达标')
      : h('span', { class: 'dr-missed' }, '未达标');

/** "n/m 达标" when every fire (or crew) met the target, else "n/m 未达标"; none: —. */
const share = (met: number, of: number) =>
  of === 0
    ? h('span', { class: 'dr-none' }, '—')
    : h(
        'span',
        { class: met === of ? 'dr-met' : 'dr-missed' },
        `${met}/${of} ${met === of ? '达标' : '未达标'}`,
      );

async function start() {
  const id = new URLSearchParams(location.search).get('id') ?? '';
  const r = await getJson<DrillReport>(`/api/drills/${encodeURIComponent(id)}/report`);
  const place = (code: string | null) => (code === null ? '县级' : (r.townshipNames[code] ?? code));
  const where = r.drill.townshipCode ? place(r.drill.townshipCode) : '全县';
  const title = `麻阳苗族自治县${where}森林防火演练评估报告`;
  document.title = `演练评估报告 · ${r.drill.title}`;
  (document.getElementById('dr-title') as HTMLElement).textContent = title;
  (document.getElementById('dr-sub') as HTMLElement).textContent = [
    r.drill.title,
    `演练日期 ${r.drill.heldOn}`,
    `乡镇 ${where}`,
    r.drill.departments.length ? `参演部门 ${r.drill.departments.join('、')}` : '',
    `参演 ${r.drill.participants} 人`,
  ]
    .filter(Boolean)
    .join(' · ');

  const fires = document.getElementById('dr-fires') as HTMLElement;
  if (r.fires.length === 0)
    fires.append(h('p', { class: 'dr-none' }, '本次演练没有演练火情记录。'));
  for (const [i, f] of r.fires.entries()) {
    const t = f.timeline;
    const sinceReport = (at: string | null) =>
      at === null || t.reportedAt === null
        ? null
        : (Date.parse(at) - Date.parse(t.reportedAt)) / 60_000;
    const row = (label: string, at: string | null, stage: Stage | null) =>
      h(
        'tr',
        {},
        h('td', {}, label),
        h('td', {}, beijing(at)),
        h('td', {}, stage ? fmt(stage.minutes, 1) : fmt(sinceReport(at), 1)),
        h('td', {}, stage ? `${stage.target} 分钟` : '—'),
        h('td', {}, verdict(stage)),
      );
    fires.append(
      h(
        'section',
        { class: 'dr-fire' },
        h('h2', {}, `演练火情 ${i + 1} · ${place(f.townshipCode)}`),
        h('h3', {}, '处置时间线 (北京时间)'),
        h(
          'table',
          { class: 'dr-table' },
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              ...['环节', '时间', '距报警 (分钟)', '目标', '结果'].map((c) => h('th', {}, c)),
            ),
          ),
          h(
            'tbody',
            {},
            row('报警', t.reportedAt, null),
            row('调度', t.dispatchedAt, null),
            row('到场', t.onSceneAt, f.arrive),
            row('控制', t.controlledAt, f.control),
            row('扑灭', t.extinguishedAt, f.extinguish),
          ),
        ),
        h('h3', {}, '扑火队伍到场 (目标 10 分钟)'),
        f.crews.length === 0
          ? h('p', { class: 'dr-none' }, '未调派队伍。')
          : h(
              'table',
              { class: 'dr-table' },
              h(
                'thead',
                {},
                h(
                  'tr',
                  {},
                  ...['队伍', '所属', '到场用时 (分钟)', '目标', '结果'].map((c) => h('th', {}, c)),
                ),
              ),
              h(
                'tbody',
                {},
                ...f.crews.map((c) =>
                  h(
                    'tr',
                    {},
                    h('td', {}, c.name),
                    h('td', {}, place(c.townshipCode)),
                    h('td', {}, c.arrive.minutes === null ? '未到场' : fmt(c.arrive.minutes, 1)),
                    h('td', {}, `${c.arrive.target} 分钟`),
                    h('td', {}, verdict(c.arrive)),
                  ),
                ),
              ),
            ),
      ),
    );
  }

  const body = document.querySelector('#dr-townships tbody') as HTMLElement;
  for (const s of r.townships)
    body.append(
      h(
        'tr',
        {},
        h('td', {}, place(s.townshipCode)),
        h('td', {}, s.fires),
        h('td', {}, share(s.arriveMet, s.fires)),
        h('td', {}, share(s.controlMet, s.fires)),
        h('td', {}, share(s.extinguishMet, s.fires)),
        h('td', {}, share(s.crewsArrivedInTime, s.crews)),
      ),
    );
}

printablePage(start);
