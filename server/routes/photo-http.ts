/**
 * What the routes that take and give photos (reports, inspections) answer alike: an upload
 * that fails is one 4xx naming `photos`, and a stored photo is streamed with a long private
 * cache (its path is its content hash).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { FastifyReply } from 'fastify';
import { HttpError } from '../plugins/errors.ts';
import { NotAnImage, PhotoTooLarge } from '../services/photos.ts';

/**
 * The HttpError for a failure while reading a multipart upload of photos (`taken` photos
 * were read before it): 413 too large or too many, 415 not an image, 400 malformed.
 */
export function photoUploadError(
  err: unknown,
  taken: number,
  limits: { maxPhotos: number; maxPhotoBytes: number },
): HttpError {
  if (err instanceof HttpError) return err;
  const code = (err as { code?: string }).code;
  if (err instanceof PhotoTooLarge || code === 'FST_REQ_FILE_TOO_LARGE')
    return new HttpError(413, `a photo is larger than ${limits.maxPhotoBytes} bytes`, 'photos');
  if (err instanceof NotAnImage)
    return new HttpError(415, `photo ${taken + 1} is not a JPEG, PNG or WebP image`, 'photos');
  if (code === 'FST_FILES_LIMIT')
    return new HttpError(413, `at most ${limits.maxPhotos} photos`, 'photos');
  return new HttpError(400, `malformed multipart body: ${(err as Error).message}`, 'photos');
}

/** Streams a stored photo (404 naming `id` when its file is missing on disk). */
export function sendPhoto(
  reply: FastifyReply,
  photosDir: string,
  id: number,
  photo: { mimeType: string; storagePath: string },
) {
  const file = path.join(photosDir, photo.storagePath);
  if (!fs.existsSync(file)) throw new HttpError(404, `photo ${id} is missing on disk`, 'id');
  reply.header('cache-control', 'private, max-age=86400, immutable');
  return reply.type(photo.mimeType).send(fs.createReadStream(file));
}
