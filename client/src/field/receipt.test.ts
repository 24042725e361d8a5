import { describe, expect, it } from 'vitest';
import type { ReportReceipt } from '../../../server/contract/receipts.ts';
import { receiptLines } from './receipt.ts';

const NOW = Date.parse('2026-04-01T02:30:00Z'); // 10:30 in Beijing
const base: ReportReceipt = {
  clientUuid: '6f1c3c4e-0000-4000-8000-000000000001',
  receivedAt: '2026-04-01T02:25:00Z',
  incidentId: '6f1c3c4e-0000-4000-8000-000000000002',
  joinedFireReportedAt: null,
  state: 'reported',
  place: { townshipName: '高村镇', villageName: '兰家社区' },
  escalationLevel: 'village',
  firstActionAt: null,
  crews: [],
};

describe('receiptLines (Chinese)', () => {
  it('a new fire nobody has acted on yet', () => {
    expect(receiptLines(base, NOW)).toEqual([
      '新火情已登记 · 高村镇 兰家社区 · 新报告',
      '等待指挥中心核实',
    ]);
  });

  it('joined an earlier fire, the township acted, one crew due in 6 minutes, one arrived', () => {
    const r: ReportReceipt = {
      ...base,
      joinedFireReportedAt: '2026-04-01T02:12:00Z',
      state: 'dispatched',
      escalationLevel: 'township',
      firstActionAt: '2026-04-01T02:27:00Z',
      crews: [
        {
          name: '高村镇半专业扑火队',
          status: 'en_route',
          orderedAt: '2026-04-01T02:28:00Z',
          dueAt: '2026-04-01T02:35:20Z',
          arrivedAt: null,
        },
        {
          name: '兰里镇半专业扑火队',
          status: 'on_scene',
          orderedAt: '2026-04-01T02:20:00Z',
          dueAt: '2026-04-01T02:29:00Z',
          arrivedAt: '2026-04-01T02:28:40Z',
        },
      ],
    };
    const lines = receiptLines(r, NOW);
    expect(lines[0]).toBe('已并入 10:12 上报的火情 · 高村镇 兰家社区 · 已调派');
    expect(lines[1]).toBe('乡镇指挥已处置(10:27)');
    // 5 min 20 s to go: about 6 minutes, as the card says it.
    expect(lines[2]).toBe('高村镇半专业扑火队 · 途中 · 约 6 分钟到达');
    expect(lines[3]).toBe('兰里镇半专业扑火队 · 已到场 · 10:28 到场');
  });
});
