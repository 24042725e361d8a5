import { describe, expect, it } from 'vitest';
import { coverageColour } from './publicity-layer.ts';

const c = (visitRate: number | null, complete = false) => ({
  villageCode: 'A',
  recordedOn: null,
  visitRate,
  pledgeRate: null,
  awarenessRate: null,
  complete,
});

describe('publicity coverage colours', () => {
  it('greys villages without a record, greens 100%, lavender from 80%, violet below (never a fire’s red)', () => {
    expect([c(null), c(1, true), c(1), c(0.8), c(0.79)].map(coverageColour)).toEqual([
      '#9e9e9e',
      '#2e7d32',
      '#2e7d32',
      '#ce93d8',
      '#7b1fa2',
    ]);
  });
});
