import { describe, expect, it } from 'vitest';
import { type FloodCandidate, floodOf } from './flood.ts';

const NOW = Date.parse('2026-04-01T06:00:00Z');
const minutesAgo = (m: number) => new Date(NOW - m * 60_000).toISOString();
const inc = (id: string, over: Partial<FloodCandidate> = {}): FloodCandidate => ({
  id,
  state: 'reported',
  firstReportedAt: minutesAgo(1),
  anonymousOnly: true,
  ...over,
});

describe('floodOf', () => {
  it('is no flood below the threshold', () => {
    const list = Array.from({ length: 4 }, (_, i) => inc(`a${i}`));
    expect(floodOf(list, NOW, 5)).toBeNull();
  });
  it('folds every unverified anonymous incident once there are threshold of them, counting the recent ones', () => {
    const list = [
      ...Array.from({ length: 3 }, (_, i) => inc(`new${i}`)),
      ...Array.from({ length: 2 }, (_, i) => inc(`old${i}`, { firstReportedAt: minutesAgo(30) })),
    ];
    const flood = floodOf(list, NOW, 5);
    expect(flood?.ids.size).toBe(5);
    expect(flood?.recent).toBe(3);
  });
  it('never folds a fire someone verified, confirmed or reported signed in', () => {
    const list = [
      ...Array.from({ length: 5 }, (_, i) => inc(`a${i}`)),
      inc('confirmed', { state: 'confirmed' }),
      inc('verifying', { state: 'verifying' }),
      inc('ranger', { anonymousOnly: false }),
    ];
    const flood = floodOf(list, NOW, 5);
    expect(flood?.ids.has('confirmed')).toBe(false);
    expect(flood?.ids.has('verifying')).toBe(false);
    expect(flood?.ids.has('ranger')).toBe(false);
    expect(flood?.ids.size).toBe(5);
  });
});
