import { describe, expect, it } from 'vitest';
import { type Fix, PositionQueue, type SendResult } from './position-queue.ts';

function memoryStore() {
  const m = new Map<string, string>();
  return {
    getItem: (k: string) => m.get(k) ?? null,
    setItem: (k: string, v: string) => void m.set(k, v),
  };
}

const fix = (i: number): Fix => ({
  lon: 109.8 + i * 0.001,
  lat: 27.87,
  accuracyM: 10,
  recordedAt: new Date(Date.UTC(2026, 3, 1, 8, 0, i * 15)).toISOString(),
});

describe('crew phone position queue', () => {
  it('keeps fixes taken without signal and sends them oldest first when it returns', async () => {
    const queue = new PositionQueue(memoryStore(), 'k');
    const server: Fix[] = [];
    let online = false;
    const send = async (f: Fix): Promise<SendResult> => {
      if (!online) return 'offline';
      server.push(f);
      return 'stored';
    };
    for (let i = 0; i < 5; i++) {
      queue.add(fix(i));
      expect(await queue.flush(send)).toBe(0);
    }
    expect(queue.pending()).toHaveLength(5);
    online = true;
    queue.add(fix(5));
    expect(await queue.flush(send)).toBe(6);
    expect(server.map((f) => f.recordedAt)).toEqual(
      [0, 1, 2, 3, 4, 5].map((i) => fix(i).recordedAt),
    );
    expect(queue.pending()).toEqual([]);
  });

  it('stops at the first fix the network drops and keeps it and the rest, in order', async () => {
    const queue = new PositionQueue(memoryStore(), 'k');
    for (let i = 0; i < 4; i++) queue.add(fix(i));
    let n = 0;
    const sent = await queue.flush(async () => (++n <= 2 ? 'stored' : 'offline'));
    expect(sent).toBe(2);
    expect(queue.pending().map((f) => f.recordedAt)).toEqual([
      fix(2).recordedAt,
      fix(3).recordedAt,
    ]);
  });

  it('drops a fix the server refuses for good and goes on with the next', async () => {
    const queue = new PositionQueue(memoryStore(), 'k');
    for (let i = 0; i < 3; i++) queue.add(fix(i));
    const sent = await queue.flush(async (f) =>
      f.recordedAt === fix(1).recordedAt ? 'refused' : 'stored',
    );
    expect(sent).toBe(2);
    expect(queue.pending()).toEqual([]);
  });

  it('holds at most its limit, losing the oldest fixes first', () => {
    const queue = new PositionQueue(memoryStore(), 'k', 3);
    for (let i = 0; i < 5; i++) queue.add(fix(i));
    expect(queue.pending().map((f) => f.recordedAt)).toEqual(
      [2, 3, 4].map((i) => fix(i).recordedAt),
    );
  });

  it('does not send a fix twice when a second flush starts while one is running', async () => {
    const queue = new PositionQueue(memoryStore(), 'k');
    for (let i = 0; i < 3; i++) queue.add(fix(i));
    const server: string[] = [];
    const send = async (f: Fix): Promise<SendResult> => {
      await new Promise((r) => setTimeout(r, 5));
      server.push(f.recordedAt);
      return 'stored';
    };
    const [a, b] = await Promise.all([queue.flush(send), queue.flush(send)]);
    expect(a + b).toBe(3);
    expect(server).toEqual([0, 1, 2].map((i) => fix(i).recordedAt));
  });

  it('survives a corrupt store by starting empty', () => {
    const store = memoryStore();
    store.setItem('k', '{not json');
    expect(new PositionQueue(store, 'k').pending()).toEqual([]);
  });
});
