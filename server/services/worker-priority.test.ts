import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';

describe('worker thread priority', () => {
  it.runIf(process.platform === 'linux')(
    'lowers the worker thread’s own priority and leaves the process’s (the event loop’s) alone',
    async () => {
      const url = new URL('./worker-priority.ts', import.meta.url).href;
      const boot = `import('tsx/esm/api').then((t) => { t.register(); return import(${JSON.stringify(url)}); })
        .then((m) => { const { parentPort } = require('node:worker_threads');
          const fs = require('node:fs'), os = require('node:os');
          const ok = m.lowerThisThreadPriority(13);
          const tid = Number(fs.readlinkSync('/proc/thread-self').split('/').pop());
          parentPort.postMessage({ ok, tid, nice: os.getPriority(tid) }); })`;
      const before = os.getPriority(process.pid);
      const worker = new Worker(boot, { eval: true });
      const answer = await new Promise<{ ok: boolean; tid: number; nice: number }>(
        (resolve, reject) => {
          worker.once('message', resolve);
          worker.once('error', reject);
        },
      );
      await worker.terminate();
      expect(answer.ok).toBe(true);
      expect(answer.tid).not.toBe(process.pid);
      expect(answer.nice).toBe(13);
      expect(os.getPriority(process.pid)).toBe(before);
    },
  );
});
