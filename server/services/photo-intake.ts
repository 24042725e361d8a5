/**
 * How a photo sent with a report is taken in, for the public and ranger reports and the tower
 * cameras alike: the free-disk guard and (without sign-in) the daily quota decide whether it
 * is kept; it is streamed to a temporary file either way refused photos only read, hashed and
 * counted; and once the report is committed, `settle` puts the kept ones at their content
 * paths — or, for a resend of a report whose file went missing, puts it back.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { PhotoOutcome } from '../contract/reports.ts';
import type { StoredPhoto } from '../repositories/incidents-repository.ts';
import { diskGuard } from './disk-guard.ts';
import type { PhotoQuota, QuotaHold } from './photo-quota.ts';
import { photoPath, placePhoto, type StreamedPhoto, streamPhoto, sweepIncoming } from './photos.ts';

export interface PhotoIntakeOptions {
  /** The photos directory. */
  dir: string;
  maxBytes: number;
  minFreeBytes: number;
  /** The daily quota of photos without sign-in; absent → nobody is counted. */
  quota?: PhotoQuota;
  log: {
    error(obj: object, msg: string): void;
    warn(obj: object, msg: string): void;
    info(obj: object, msg: string): void;
  };
  /** Seam for tests of the disk guard. */
  statfs?: (dir: string) => Promise<{ bavail: number; bsize: number }>;
}

/** A photo read from a request, before the report holding it is committed. */
export interface ReceivedPhoto {
  photo: StreamedPhoto;
  /** Why it is not kept (its bytes were read and hashed, not written). */
  refusal: { reason: 'quota' | 'low_disk'; message: string } | null;
  hold: QuotaHold | null;
}

export interface PhotoIntake {
  /**
   * Reads one upload to its end. `address` is the caller's without sign-in (counted against
   * the quota), null for a signed-in user or a camera.
   * @throws PhotoTooLarge / NotAnImage (from streamPhoto), with nothing left on disk.
   */
  receive(
    source: AsyncIterable<Buffer> | Iterable<Buffer>,
    who: { address: string | null; truncated?: () => boolean },
  ): Promise<ReceivedPhoto>;
  /** The photos to record with the report: those kept. */
  kept(received: ReceivedPhoto[]): StoredPhoto[];
  /**
   * After the commit: puts each kept photo the report holds at its path (`held`: the photos
   * the stored report has; on a resend, those of the first send) and answers what became of
   * each photo sent. `created` false (a resend) gives the quota back and only writes files
   * that are missing.
   */
  settle(received: ReceivedPhoto[], held: StoredPhoto[], created: boolean): Promise<PhotoOutcome[]>;
  /** Removes what was not settled (temporary files, quota holds): call in `finally`. */
  abandon(received: ReceivedPhoto[]): Promise<void>;
}

export function photoIntake(opts: PhotoIntakeOptions): PhotoIntake {
  const roomOnDisk = diskGuard({
    dir: opts.dir,
    minFreeBytes: opts.minFreeBytes,
    log: opts.log,
    ...(opts.statfs ? { statfs: opts.statfs } : {}),
  });
  // Temporary files a crash left behind (an upload takes seconds, not an hour).
  void sweepIncoming(opts.dir, 3_600_000).catch(() => {});

  const drop = async (r: ReceivedPhoto) => {
    if (r.photo.tmp) await fs.promises.rm(r.photo.tmp, { force: true });
    r.photo.tmp = null;
    await r.hold?.release();
    r.hold = null;
  };

  return {
    async receive(source, who) {
      let refusal: ReceivedPhoto['refusal'] = null;
      let hold: QuotaHold | null = null;
      const disk = await roomOnDisk();
      if (disk) refusal = { reason: 'low_disk', message: disk };
      else if (who.address !== null && opts.quota) {
        const taken = await opts.quota.take(who.address);
        if ('refused' in taken) refusal = { reason: 'quota', message: taken.refused };
        else hold = taken.hold;
      }
      let photo: StreamedPhoto;
      try {
        photo = await streamPhoto(source, {
          dir: opts.dir,
          maxBytes: opts.maxBytes,
          write: refusal === null,
          ...(hold ? { allow: hold.grow } : {}),
          ...(who.truncated ? { truncated: who.truncated } : {}),
        });
      } catch (err) {
        await hold?.release();
        throw err;
      }
      if (refusal === null && photo.tmp === null && hold && opts.quota) {
        // The day's bytes ran out while it arrived.
        await hold.release();
        hold = null;
        refusal = { reason: 'quota', message: opts.quota.refusal };
      } else await hold?.fit(photo.sizeBytes);
      return { photo, refusal, hold };
    },

    kept(received) {
      return received
        .filter((r) => r.refusal === null)
        .map(({ photo }) => ({
          mimeType: photo.kind.mime,
          sizeBytes: photo.sizeBytes,
          sha256: photo.sha256,
          storagePath: photoPath(photo.sha256, photo.kind.ext),
        }));
    },

    async settle(received, held, created) {
      const outcomes: PhotoOutcome[] = [];
      for (const r of received) {
        const mine = held.find((h) => h.sha256 === r.photo.sha256);
        if (!mine) {
          await drop(r);
          outcomes.push(
            r.refusal
              ? { stored: false, reason: r.refusal.reason, message: r.refusal.message }
              : {
                  stored: false,
                  reason: 'not_in_first_send',
                  message:
                    'this report was received before without this photo; a resend does not add it',
                },
          );
          continue;
        }
        const file = path.join(opts.dir, mine.storagePath);
        if (!r.photo.tmp) {
          // Refused this time, but the report holds it: stored if its file is there.
          outcomes.push(
            fs.existsSync(file) || !r.refusal
              ? { stored: true }
              : { stored: false, reason: r.refusal.reason, message: r.refusal.message },
          );
          await drop(r);
          continue;
        }
        try {
          const wrote = await placePhoto(opts.dir, r.photo.tmp, mine.storagePath);
          r.photo.tmp = null;
          if (wrote && !created)
            opts.log.warn({ file: mine.storagePath }, 'a resend put back a missing photo file');
          // The quota counts what a new report keeps; a resend's bytes were counted before.
          if (created) r.hold = null;
          await drop(r);
          outcomes.push({ stored: true });
        } catch (err) {
          // The report is committed: it stands, and a resend of it writes the file again.
          opts.log.error({ err, file: mine.storagePath }, 'could not write a report photo');
          await drop(r);
          outcomes.push({
            stored: false,
            reason: 'write_failed',
            message: 'the report is stored but its photo could not be written; send it again',
          });
        }
      }
      return outcomes;
    },

    async abandon(received) {
      for (const r of received) await drop(r).catch(() => {});
    },
  };
}
