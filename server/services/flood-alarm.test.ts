import { describe, expect, it } from 'vitest';
import { FLOOD_WINDOW_MS } from '../domain/flood.ts';
import { createFloodAlarm, FLOOD_RECOUNT_MS } from './flood-alarm.ts';

/** A flood alarm over a fake database that holds `stored` unverified reports. */
function alarm(threshold: number) {
  const state = { t: 0, stored: 0, counts: 0, raised: [] as number[] };
  const fire = createFloodAlarm(threshold, {
    countSince: async () => {
      state.counts++;
      return state.stored;
    },
    raise: async (n) => {
      state.raised.push(n);
    },
    fail: (err) => {
      throw err;
    },
    now: () => state.t,
  });
  /** One more report stored by this node, and the alarm told of it. */
  const report = async (others = 0) => {
    state.stored += 1 + others;
    await fire();
  };
  return { state, report };
}

describe('flood alarm', () => {
  it('raises at the report that reaches the threshold, once a window', async () => {
    const { state, report } = alarm(20);
    for (let i = 0; i < 19; i++) await report();
    expect(state.raised).toEqual([]);
    await report();
    expect(state.raised).toEqual([20]);
    for (let i = 0; i < 50; i++) await report();
    expect(state.raised).toEqual([20]);
    state.t += FLOOD_WINDOW_MS;
    await report();
    expect(state.raised).toEqual([20, 71]);
  });

  it('does not count after every report: 200 in one second below the threshold cost one count', async () => {
    const { state, report } = alarm(1000);
    for (let i = 0; i < 200; i++) await report();
    expect(state.counts).toBe(1);
    expect(state.raised).toEqual([]);
  });

  it("hears other nodes' reports at the next count, within a second", async () => {
    const { state, report } = alarm(20);
    await report();
    // Another node stores 30 meanwhile; this one's next report is within the second.
    await report(30);
    expect(state.raised).toEqual([]);
    state.t += FLOOD_RECOUNT_MS;
    await report();
    expect(state.raised).toEqual([33]);
  });
});
