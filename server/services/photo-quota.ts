/**
 * Daily quota of photos taken without sign-in, per address: a count and a number of bytes
 * per calendar day in China Standard Time (UTC+8, no daylight saving; resets at 00:00 there,
 * when the county's people think a day starts — a rolling 24 h would be harder to explain
 * to a villager told "tomorrow").
 *
 * The counts live in the rate counters (app.rateCounters) like the other anonymous limits:
 * in Redis when REDIS_URL is set, so every node draws on one quota; else in this process.
 * They are not kept in the database: the quota guards the disk against a flood, it is not an
 * account, and losing it on a restart grants at most one more day's quota (which the free-disk
 * guard still bounds), while a database write per upload would cost every report a round trip
 * on the table the fire reports themselves need.
 *
 * Bytes are reserved as they arrive, a block at a time, with an atomic add that answers the
 * new total: ten uploads at once from one address cannot each see the quota still free and
 * all write (the attack that wrote 320 MB in 3 s). Unused reservation is given back.
 */
import type { RateCounters } from '../plugins/rate-counters.ts';

export const DAY_MS = 86_400_000;
/** China Standard Time is UTC+8 all year. */
const CST_OFFSET_MS = 8 * 3_600_000;
/** Bytes reserved at a time while an upload arrives (one counter round trip per block). */
const BLOCK_BYTES = 1_048_576;

export interface PhotoQuotaSettings {
  photosPerDay: number;
  bytesPerDay: number;
}

/** One photo's share of an address's quota, held while it arrives. */
export interface QuotaHold {
  /**
   * Reserves room for `size` bytes (and a block more when it can): answers the bytes now
   * reserved, or false when the day's bytes are used up (nothing more is reserved then).
   */
  grow(size: number): Promise<number | false>;
  /** Keeps exactly `size` bytes, giving back the rest of the last block. */
  fit(size: number): Promise<void>;
  /** Gives back the photo and every byte it held. */
  release(): Promise<void>;
}

export interface PhotoQuota {
  /** What the answer says of a photo refused by the quota. */
  refusal: string;
  /** A hold on one more photo for `address`, or why there is none. */
  take(address: string, now?: number): Promise<{ hold: QuotaHold } | { refused: string }>;
}

/** The counters' `now` that puts window boundaries at midnight in China Standard Time. */
export const cstDayClock = (now: number) => now + CST_OFFSET_MS;

export function photoQuota(counters: RateCounters, settings: PhotoQuotaSettings): PhotoQuota {
  const mb = (settings.bytesPerDay / 1_048_576).toFixed(0);
  const refusal = `photos without sign-in from one address are limited to ${settings.photosPerDay} and ${mb} MB a day (China Standard Time); the report was taken without this photo — sign in to send more`;
  return {
    refusal,
    async take(address, now = counters.now()) {
      // Every add of this photo goes to the day it started in, so what is given back after
      // midnight is taken from the day it was reserved in.
      const at = cstDayClock(now);
      const countKey = `photos:n:${address}`;
      const bytesKey = `photos:b:${address}`;
      const add = (key: string, n: number) => counters.add(key, n, DAY_MS, at);
      if ((await add(countKey, 1)) > settings.photosPerDay) {
        await add(countKey, -1);
        return { refused: refusal };
      }
      let held = 0;
      let done = false;
      const hold: QuotaHold = {
        async grow(size) {
          // A block ahead when it fits; near the end of the quota, exactly what has arrived.
          for (const target of [Math.max(size, held + BLOCK_BYTES), size]) {
            const need = target - held;
            if (need <= 0) return held;
            if ((await add(bytesKey, need)) <= settings.bytesPerDay) {
              held = target;
              return held;
            }
            await add(bytesKey, -need);
          }
          return false;
        },
        async fit(size) {
          if (size !== held) await add(bytesKey, size - held);
          held = size;
        },
        async release() {
          if (done) return;
          done = true;
          if (held > 0) await add(bytesKey, -held);
          held = 0;
          await add(countKey, -1);
        },
      };
      return { hold };
    },
  };
}
