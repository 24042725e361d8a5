/**
 * Report photos: recognised by their bytes (JPEG, PNG, WebP), never by name or declared
 * type, stored once under DATA_DIR/photos by content hash.
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

export function sniffImage(bytes: Buffer): { mime: string; ext: string } | null {
  const kind = KINDS.find((k) => k.test(bytes));
  return kind ? { mime: kind.mime, ext: kind.ext } : null;
}

export function photoHash(bytes: Buffer): string {
  return crypto.createHash('sha256').update(bytes).digest('hex');
}

/** Where a photo lives under the photos directory: by its content hash. */
export function photoPath(sha256: string, ext: string): string {
  return path.join(sha256.slice(0, 2), `${sha256}.${ext}`);
}

/** Writes the photo at its relative path under `dir`, once per content. */
export function storePhoto(dir: string, bytes: Buffer, rel: string): void {
  const file = path.join(dir, rel);
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, bytes);
    fs.renameSync(tmp, file);
  }
}
