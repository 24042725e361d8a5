import { describe, expect, it } from 'vitest';
import { coverage, gridCoverage, type PublicityRecord } from './publicity.ts';

const rec = (
  villageCode: string,
  recordedOn: string,
  visited: number,
  pledges: number,
  aware: [number, number] | null = null,
  gridCode: string | null = null,
) => ({
  villageCode,
  gridCode,
  recordedOn,
  householdsTotal: 80,
  householdsVisited: visited,
  pledgesSigned: pledges,
  awarePersons: aware ? aware[0] : null,
  surveyedPersons: aware ? aware[1] : null,
});

describe('publicity coverage', () => {
  it('takes each village’s latest record and its shares against 100%', () => {
    const out = coverage(
      ['A', 'B', 'C'],
      [
        rec('A', '2026-03-20', 80, 80, [50, 50]),
        rec('A', '2026-03-01', 20, 10),
        rec('B', '2026-03-05', 60, 40, [45, 50]),
      ],
    );
    expect(out).toEqual([
      {
        villageCode: 'A',
        recordedOn: '2026-03-20',
        visitRate: 1,
        pledgeRate: 1,
        awarenessRate: 1,
        complete: true,
      },
      {
        villageCode: 'B',
        recordedOn: '2026-03-05',
        visitRate: 0.75,
        pledgeRate: 0.5,
        awarenessRate: 0.9,
        complete: false,
      },
      {
        villageCode: 'C',
        recordedOn: null,
        visitRate: null,
        pledgeRate: null,
        awarenessRate: null,
        complete: false,
      },
    ]);
  });

  it('counts a village complete without an awareness check when all households are visited and pledged', () => {
    expect(coverage(['A'], [rec('A', '2026-03-01', 80, 80)])[0]?.complete).toBe(true);
    expect(coverage(['A'], [rec('A', '2026-03-01', 80, 79)])[0]?.complete).toBe(false);
  });
});

describe('publicity per grid', () => {
  const g = (
    gridCode: string,
    recordedOn: string,
    total: number,
    visited: number,
    pledges: number,
    aware: [number, number] | null = null,
  ): PublicityRecord => ({
    villageCode: 'V',
    gridCode,
    recordedOn,
    householdsTotal: total,
    householdsVisited: visited,
    pledgesSigned: pledges,
    awarePersons: aware ? aware[0] : null,
    surveyedPersons: aware ? aware[1] : null,
  });
  // Grid 001 twice (the later one stands), grid 002 once, with an awareness check.
  const records = [
    g('V001', '2026-03-01', 80, 10, 10),
    g('V002', '2026-03-12', 40, 20, 40, [9, 10]),
    g('V001', '2026-03-10', 80, 80, 40),
  ];

  it("sums a village's grids, each at its latest record, instead of letting one grid stand for it", () => {
    // Households 80 + 40 = 120; visited 80 + 20 = 100; pledges 40 + 40 = 80; aware 9 of 10.
    const [v] = coverage(['V'], records);
    expect(v?.recordedOn).toBe('2026-03-12');
    expect(v?.visitRate).toBeCloseTo(100 / 120, 12);
    expect(v?.pledgeRate).toBeCloseTo(80 / 120, 12);
    expect(v?.awarenessRate).toBeCloseTo(0.9, 12);
    expect(v?.complete).toBe(false);
  });

  it('gives each grid its own latest record, and nothing to a grid without one', () => {
    expect(
      gridCoverage(
        [
          { gridCode: 'V001', villageCode: 'V' },
          { gridCode: 'V002', villageCode: 'V' },
          { gridCode: 'V003', villageCode: 'V' },
        ],
        records,
      ),
    ).toEqual([
      {
        gridCode: 'V001',
        villageCode: 'V',
        recordedOn: '2026-03-10',
        visitRate: 1,
        pledgeRate: 0.5,
        awarenessRate: null,
        complete: false,
      },
      {
        gridCode: 'V002',
        villageCode: 'V',
        recordedOn: '2026-03-12',
        visitRate: 0.5,
        pledgeRate: 1,
        awarenessRate: 0.9,
        complete: false,
      },
      {
        gridCode: 'V003',
        villageCode: 'V',
        recordedOn: null,
        visitRate: null,
        pledgeRate: null,
        awarenessRate: null,
        complete: false,
      },
    ]);
  });
});
