import { describe, expect, it } from 'vitest';
import { InSeqOrder, type Timers } from './in-seq-order.ts';

/** Timers the test fires by hand. */
function manualTimers() {
  const due = new Map<number, () => void>();
  let id = 0;
  const timers: Timers = {
    setTimeout: (fn) => {
      due.set(++id, fn);
      return id;
    },
    clearTimeout: (h) => {
      due.delete(h as number);
    },
  };
  return {
    timers,
    pending: () => due.size,
    fire: () => {
      const fns = [...due.values()];
      due.clear();
      for (const fn of fns) fn();
    },
  };
}

function setup(last: number) {
  const out: number[][] = [];
  const t = manualTimers();
  const order = new InSeqOrder<{ seq: number }>(
    last,
    (es) => out.push(es.map((e) => e.seq)),
    250,
    t.timers,
  );
  const push = (...seqs: number[]) => order.push(seqs.map((seq) => ({ seq })));
  return { out, t, order, push };
}

describe('InSeqOrder', () => {
  it('passes events in order straight on, without a timer', () => {
    const { out, t, push } = setup(10);
    push(11);
    push(12, 13);
    expect(out).toEqual([[11], [12, 13]]);
    expect(t.pending()).toBe(0);
  });

  it('holds an event that overtook an earlier one until the earlier one arrives', () => {
    const { out, t, push } = setup(10);
    push(12);
    expect(out).toEqual([]);
    expect(t.pending()).toBe(1);
    push(11);
    expect(out).toEqual([[11, 12]]);
    expect(t.pending()).toBe(0);
  });

  it('skips a gap that is never filled once the wait is over, then keeps order after it', () => {
    const { out, t, push } = setup(10);
    push(13, 12);
    t.fire();
    expect(out).toEqual([[12, 13]]);
    push(15);
    push(14);
    expect(out).toEqual([
      [12, 13],
      [14, 15],
    ]);
  });

  it('hands on at once an event from before a skipped gap', () => {
    const { out, t, push } = setup(10);
    push(12);
    t.fire();
    push(11);
    expect(out).toEqual([[12], [11]]);
  });

  it('flushes what it holds, in order', () => {
    const { out, t, order, push } = setup(10);
    push(14, 12);
    order.flush();
    expect(out).toEqual([[12, 14]]);
    expect(t.pending()).toBe(0);
    push(15);
    expect(out).toEqual([[12, 14], [15]]);
  });
});
