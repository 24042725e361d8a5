/**
 * Report photos: recognised by their bytes (JPEG, PNG, WebP), never by name or declared
 * type, stored once under DATA_DIR/photos by content hash.
 *
 * An upload is streamed: each chunk is hashed, counted against the size limit and written to
 * a temporary file under `incoming/` as it arrives, so no whole photo is held in memory (ten
 * buffered 8 MB uploads at once were 320 MB of heap). The temporary file is renamed to its
 * content-hash path only once the report that holds the photo is committed; everything else
 * removes it.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const KINDS: { mime: string; ext: string; test: (b: Buffer) => boolean }[] = [
  {
    mime: 'image/jpeg',
    ext: 'jpg',
    test: (b) => b.length > 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff,
  },
  {
    mime: 'image/png',
    ext: 'png',
    test: (b) =>
      b.length > 8 &&
      b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
  },
  {
    mime: 'image/webp',
    ext: 'webp',
    test: (b) =>
      b.length > 12 &&
      b.toString('latin1', 0, 4) === 'RIFF' &&
      b.toString('latin1', 8, 12) === 'WEBP',
  },
];

/** Bytes sniffImage needs to tell every kind apart. */
export const SNIFF_BYTES = 16;

export function sniffImage(bytes: Buffer): { mime: string; ext: string } | null {
  const kind = KINDS.find((k) => k.test(bytes));
  return kind ? { mime: kind.mime, ext: kind.ext } : null;
}

/** Where a photo lives under the photos directory: by its content hash. */
export function photoPath(sha256: string, ext: string): string {
  return path.join(sha256.slice(0, 2), `${sha256}.${ext}`);
}

/** Where uploads are written while they arrive (same filesystem, so the rename is atomic). */
export function incomingDir(dir: string): string {
  return path.join(dir, 'incoming');
}

export class PhotoTooLarge extends Error {
  constructor(readonly maxBytes: number) {
    super(`a photo is larger than ${maxBytes} bytes`);
  }
}

export class NotAnImage extends Error {
  constructor() {
    super('not a JPEG, PNG or WebP image');
  }
}

export interface StreamedPhoto {
  sha256: string;
  sizeBytes: number;
  kind: { mime: string; ext: string };
  /** The temporary file holding the bytes; null when they were only counted (`write` false or stopped). */
  tmp: string | null;
}

export interface StreamPhotoOptions {
  /** The photos directory. */
  dir: string;
  /** More bytes than this → PhotoTooLarge, and the temporary file is removed. */
  maxBytes: number;
  /** Whether to write the bytes at all; a refused photo is still read to its end and hashed. */
  write: boolean;
  /**
   * Asked each time the photo has grown past what was last allowed (`size` bytes so far):
   * answers up to how many bytes it may grow, or false to stop writing (the rest is still
   * read, hashed and counted, and the temporary file removed).
   */
  allow?: (size: number) => Promise<number | false>;
  /** A stream that truncated itself at its own limit (busboy's `truncated`). */
  truncated?: () => boolean;
}

/**
 * Reads an upload to its end: hashes it (SHA-256), checks its size as bytes arrive, sniffs
 * its type from the first bytes and, while allowed, writes it to a temporary file.
 * @throws PhotoTooLarge past `maxBytes`; NotAnImage when the first bytes are no image. Either
 *   way the temporary file is gone.
 */
export async function streamPhoto(
  source: AsyncIterable<Buffer> | Iterable<Buffer>,
  opts: StreamPhotoOptions,
): Promise<StreamedPhoto> {
  const hash = crypto.createHash('sha256');
  let size = 0;
  let head = Buffer.alloc(0);
  let kind: StreamedPhoto['kind'] | null = null;
  let tmp: string | null = null;
  let file: fs.promises.FileHandle | null = null;
  let allowed = opts.allow ? 0 : Number.POSITIVE_INFINITY;
  const stopWriting = async () => {
    await file?.close();
    file = null;
    if (tmp) await fs.promises.rm(tmp, { force: true });
    tmp = null;
  };
  try {
    if (opts.write) {
      const incoming = incomingDir(opts.dir);
      await fs.promises.mkdir(incoming, { recursive: true });
      tmp = path.join(incoming, `${crypto.randomUUID()}.part`);
      file = await fs.promises.open(tmp, 'wx');
    }
    for await (const chunk of source) {
      size += chunk.length;
      if (size > opts.maxBytes) throw new PhotoTooLarge(opts.maxBytes);
      hash.update(chunk);
      if (!kind) {
        if (head.length < SNIFF_BYTES)
          head = Buffer.concat([head, chunk.subarray(0, SNIFF_BYTES - head.length)]);
        if (head.length >= SNIFF_BYTES) {
          kind = sniffImage(head);
          if (!kind) throw new NotAnImage();
        }
      }
      if (!file) continue;
      if (size > allowed && opts.allow) {
        const more = await opts.allow(size);
        if (more === false || size > more) {
          await stopWriting();
          continue;
        }
        allowed = more;
      }
      await file.write(chunk);
    }
    if (opts.truncated?.()) throw new PhotoTooLarge(opts.maxBytes);
    kind ??= sniffImage(head);
    if (!kind) throw new NotAnImage();
    await file?.close();
    file = null;
    return { sha256: hash.digest('hex'), sizeBytes: size, kind, tmp };
  } catch (err) {
    await stopWriting();
    throw err;
  }
}

/**
 * Puts a streamed photo at its content path unless a file is already there (same hash, same
 * bytes), and removes the temporary file. Answers whether a file was written.
 */
export async function placePhoto(dir: string, tmp: string, rel: string): Promise<boolean> {
  const file = path.join(dir, rel);
  if (fs.existsSync(file)) {
    await fs.promises.rm(tmp, { force: true });
    return false;
  }
  await fs.promises.mkdir(path.dirname(file), { recursive: true });
  await fs.promises.rename(tmp, file);
  return true;
}

/** Removes temporary files older than `olderThanMs`: uploads a crash or kill left behind. */
export async function sweepIncoming(dir: string, olderThanMs: number, now = Date.now()) {
  const incoming = incomingDir(dir);
  let names: string[];
  try {
    names = await fs.promises.readdir(incoming);
  } catch {
    return;
  }
  for (const name of names) {
    const file = path.join(incoming, name);
    const stat = await fs.promises.stat(file).catch(() => null);
    if (stat && now - stat.mtimeMs > olderThanMs) await fs.promises.rm(file, { force: true });
  }
}
