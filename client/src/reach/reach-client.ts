/** Talks to the reach worker: one request at a time, the latest point wins. */
import type { ReachAnswer } from '../../../server/domain/reach/reach-engine.ts';
import type { ReachReply, ReachRequest } from './reach.worker.ts';

export class ReachClient {
  private readonly worker = new Worker(new URL('./reach.worker.ts', import.meta.url), {
    type: 'module',
  });
  private next = 1;
  private readonly pending = new Map<number, (reply: ReachReply) => void>();

  constructor() {
    this.worker.onmessage = (e: MessageEvent<ReachReply>) => {
      this.pending.get(e.data.id)?.(e.data);
      this.pending.delete(e.data.id);
    };
  }

  compute(lon: number, lat: number): Promise<{ answer: ReachAnswer; ms: number }> {
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, (reply) => {
        if ('error' in reply) reject(new Error(reply.error));
        else resolve({ answer: reply.answer, ms: reply.ms });
      });
      this.worker.postMessage({ id, lon, lat } satisfies ReachRequest);
    });
  }
}
