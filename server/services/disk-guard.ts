/**
 * Free-disk guard for uploads: photos share a disk with the embedded database (DATA_DIR), and
 * a disk filled with pictures would stop the fire reports themselves from being written. Below
 * MIN_FREE_DISK_MB photos are refused (never the report), with an error logged at most once a
 * minute so a flood of uploads does not flood the log too.
 */
import fs from 'node:fs';

export interface DiskGuardOptions {
  /** Directory whose filesystem is measured (created if missing). */
  dir: string;
  minFreeBytes: number;
  log: { error(obj: object, msg: string): void };
  /** Seams for tests: the filesystem's statistics and the time. */
  statfs?: (dir: string) => Promise<{ bavail: number; bsize: number }>;
  now?: () => number;
}

const LOG_EVERY_MS = 60_000;

/** A check answering null when there is room, else why there is not. */
export function diskGuard(opts: DiskGuardOptions): () => Promise<string | null> {
  const statfs = opts.statfs ?? ((dir: string) => fs.promises.statfs(dir));
  const now = opts.now ?? Date.now;
  let loggedAt = Number.NEGATIVE_INFINITY;
  const complain = (obj: object, msg: string) => {
    if (now() - loggedAt < LOG_EVERY_MS) return;
    loggedAt = now();
    opts.log.error(obj, msg);
  };
  return async () => {
    let free: number;
    try {
      await fs.promises.mkdir(opts.dir, { recursive: true });
      const s = await statfs(opts.dir);
      free = Number(s.bavail) * Number(s.bsize);
    } catch (err) {
      // Unknown free space is treated as none: the report still goes in, the photo waits.
      complain({ err, dir: opts.dir }, 'photos refused: cannot measure free disk space');
      return 'the server cannot check its disk space; the report was taken without this photo';
    }
    if (free >= opts.minFreeBytes) return null;
    complain(
      { dir: opts.dir, freeBytes: free, minFreeBytes: opts.minFreeBytes },
      'photos refused: free disk space below MIN_FREE_DISK_MB',
    );
    return 'the server is short of disk space; the report was taken without this photo';
  };
}
