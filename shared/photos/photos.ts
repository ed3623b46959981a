import { CopyObjectCommand, GetObjectCommand, NoSuchKey } from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { ulid } from 'ulid';

import type { Principal } from '../auth/principal';
import { s3 } from '../aws';
import { config } from '../config';
import { BadRequestError, type ErrorDetail } from '../errors';
import { logger } from '../logger';
import { photoBucket } from '../resources';

// Checked with the rest of the configuration at cold start.
const bucket = () => config().PHOTO_BUCKET;
const extensions = { 'image/jpeg': 'jpg', 'image/png': 'png' } as const;
export type PhotoType = keyof typeof extensions;

/**
 * A presigned POST for one photo: the phone sends the file straight to the bucket (wx.uploadFile),
 * under the caller's own prefix, at most 5 MB, of the type it declared, within 10 minutes.
 */
export async function presignPhotoUpload(p: Principal, contentType: PhotoType, now = new Date()) {
  const key = `${photoBucket.uploadPrefix}${p.userId}/${ulid(now.getTime())}.${extensions[contentType]}`;
  const post = await createPresignedPost(s3(), {
    Bucket: bucket(),
    Key: key,
    Conditions: [
      ['content-length-range', 1, photoBucket.maxBytes],
      ['eq', '$Content-Type', contentType],
    ],
    Fields: { 'Content-Type': contentType },
    Expires: photoBucket.uploadUrlSeconds,
  });
  return { url: post.url, fields: post.fields, key, maxBytes: photoBucket.maxBytes, expiresAt: new Date(now.getTime() + photoBucket.uploadUrlSeconds * 1000).toISOString() };
}

/**
 * Attaches the cited photos to a new request: only its author's uploads (the key's prefix names
 * the uploader), only ones that arrived (the copy fails otherwise). Each is copied to
 * requests/<requestId>/<n>, out of reach of the pending/ expiry. Resolves to the new keys.
 */
/**
 * A copy whose source never arrived. S3 answers 404 NoSuchKey when the caller may list the
 * prefix (the stack grants s3:ListBucket on pending/ for this) and 403 AccessDenied when it may
 * not; both mean the same to the resident. A 403 is logged: it hints at a missing grant.
 */
function isMissingSource(err: unknown): boolean {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
  if (err instanceof NoSuchKey || e.name === 'NoSuchKey' || e.$metadata?.httpStatusCode === 404) return true;
  if (e.name === 'AccessDenied' || e.$metadata?.httpStatusCode === 403) {
    logger.warn('photo copy refused with 403: treated as a photo that never arrived (check s3:ListBucket on the pending prefix)');
    return true;
  }
  return false;
}

export async function attachPhotos(p: Principal, requestId: string, keys: readonly string[]): Promise<string[]> {
  const problems: ErrorDetail[] = [];
  const attached = await Promise.all(
    keys.map(async (key, i) => {
      const field = `body.photos.${i}`;
      if (!key.startsWith(`${photoBucket.uploadPrefix}${p.userId}/`)) {
        problems.push({ field, reason: 'not_yours', message: '只能使用您自己上传的照片' });
        return '';
      }
      const target = `${photoBucket.attachedPrefix}${requestId}/${i + 1}.${key.split('.').pop()}`;
      try {
        await s3().send(new CopyObjectCommand({ Bucket: bucket(), Key: target, CopySource: `${bucket()}/${key}` }));
      } catch (err) {
        if (!isMissingSource(err)) throw err;
        problems.push({ field, reason: 'missing', message: '照片没有上传成功，请重新添加' });
      }
      return target;
    }),
  );
  if (problems.length) throw new BadRequestError('INVALID_PHOTOS', '照片有问题，请重新添加', problems.sort((a, b) => a.field.localeCompare(b.field)));
  return attached;
}

/** Short-lived links for those allowed to read the request (signed locally: no round trip). */
export function photoUrls(keys: readonly string[]): Promise<string[]> {
  return Promise.all(keys.map((key) => getSignedUrl(s3(), new GetObjectCommand({ Bucket: bucket(), Key: key }), { expiresIn: photoBucket.viewUrlSeconds })));
}
