/**
 * Background workers (reach answers, the coverage audit, tower coverage) run at a lower CPU
 * priority than the event loop, so on a county's small server a burst of costly questions
 * fills the idle CPU and never delays the event loop's turn: a ranger's report is answered
 * first. On Linux a thread has its own nice value (setpriority on its thread id, which
 * /proc/thread-self names); raising one's own nice needs no privilege. Elsewhere nothing
 * changes.
 */
import fs from 'node:fs';
import os from 'node:os';

/** nice 10: half-way to the lowest; the worker still gets every cycle the loop leaves. */
export const WORKER_NICE = 10;

/** Lowers the calling thread's priority; answers whether it could. */
export function lowerThisThreadPriority(nice = WORKER_NICE): boolean {
  try {
    const tid = Number(fs.readlinkSync('/proc/thread-self').split('/').pop());
    if (!Number.isInteger(tid) || tid <= 0 || tid === process.pid) return false;
    os.setPriority(tid, nice);
    return os.getPriority(tid) === nice;
  } catch {
    return false;
  }
}
