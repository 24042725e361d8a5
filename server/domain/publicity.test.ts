import { describe, expect, it } from 'vitest';
import { coverage } from './publicity.ts';

const rec = (
  villageCode: string,
  recordedOn: string,
  visited: number,
  pledges: number,
  aware: [number, number] | null = null,
) => ({
  villageCode,
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
