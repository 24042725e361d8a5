/**
 * Streaming a photo to disk: the bytes reach the temporary file while the upload is still
 * arriving (no whole photo in memory), the hash and size are those of what arrived, and an
 * oversize or non-image upload leaves nothing behind.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ONE_PIXEL_PNG } from '../testing/multipart.ts';
import { incomingDir, NotAnImage, PhotoTooLarge, placePhoto, streamPhoto } from './photos.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fire-photo-stream-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const CHUNK = 64 * 1024;
const left = () => (fs.existsSync(incomingDir(dir)) ? fs.readdirSync(incomingDir(dir)) : []);

/** An upload of `chunks` chunks, the first starting with a PNG signature; records, as each chunk
 * is handed over, how many bytes the temporary file already holds. */
function upload(chunks: number, seen: number[] = []) {
  const bytes = Buffer.concat([
    ONE_PIXEL_PNG,
    crypto.randomBytes(chunks * CHUNK - ONE_PIXEL_PNG.length),
  ]);
  async function* source() {
    for (let i = 0; i < chunks; i++) {
      const [tmp] = left();
      seen.push(tmp ? fs.statSync(path.join(incomingDir(dir), tmp)).size : -1);
      yield bytes.subarray(i * CHUNK, (i + 1) * CHUNK);
    }
  }
  return { bytes, source: source(), seen };
}

describe('streamPhoto', () => {
  it('writes each chunk to the temporary file as it arrives, and hashes and sniffs the whole', async () => {
    const { bytes, source, seen } = upload(96); // 6 MB
    const photo = await streamPhoto(source, { dir, maxBytes: 8 * 1_048_576, write: true });
    // When chunk i is handed over, the i chunks before it are already on disk.
    expect(seen.slice(1, 4)).toEqual([CHUNK, 2 * CHUNK, 3 * CHUNK]);
    expect(seen.at(-1)).toBe(95 * CHUNK);
    expect(photo.sizeBytes).toBe(bytes.length);
    expect(photo.sha256).toBe(crypto.createHash('sha256').update(bytes).digest('hex'));
    expect(photo.kind).toEqual({ mime: 'image/png', ext: 'png' });
    expect(Buffer.compare(fs.readFileSync(String(photo.tmp)), bytes)).toBe(0);
    expect(await placePhoto(dir, String(photo.tmp), 'ab/photo.png')).toBe(true);
    expect(left()).toEqual([]);
  });

  it('stops at the size limit with PhotoTooLarge and removes the temporary file', async () => {
    const { source, seen } = upload(20);
    await expect(
      streamPhoto(source, { dir, maxBytes: 5 * CHUNK, write: true }),
    ).rejects.toBeInstanceOf(PhotoTooLarge);
    expect(seen).toHaveLength(6); // read no further than the chunk that went over
    expect(left()).toEqual([]);
  });

  it('refuses bytes that are no image from the first chunk, leaving nothing', async () => {
    async function* gif() {
      yield Buffer.from('GIF89a not a photo we take');
      throw new Error('read past the first chunk');
    }
    await expect(
      streamPhoto(gif(), { dir, maxBytes: 1_048_576, write: true }),
    ).rejects.toBeInstanceOf(NotAnImage);
    expect(left()).toEqual([]);
  });

  it('stops writing when `allow` says no, but reads, hashes and counts to the end', async () => {
    const { bytes, source } = upload(10);
    const photo = await streamPhoto(source, {
      dir,
      maxBytes: 1_048_576,
      write: true,
      allow: async (size) => (size <= 3 * CHUNK ? 3 * CHUNK : false),
    });
    expect(photo.tmp).toBeNull();
    expect(photo.sizeBytes).toBe(bytes.length);
    expect(photo.sha256).toBe(crypto.createHash('sha256').update(bytes).digest('hex'));
    expect(left()).toEqual([]);
  });
});
