import { S3ServiceException } from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';

import { seedDemoData } from '../../infra/local/seed';
import { s3 } from '../../shared/aws';
import { tokenAs } from '../fixtures/principals';
import { useTestStack } from '../support/stack';

/**
 * Photos on requests, through the real pieces: a presigned POST from the API, the upload
 * straight to the local S3 stand-in (s3rver) as wx.uploadFile sends it (multipart form), the
 * request citing the key, and a presigned GET in the request's detail.
 */
const t = useTestStack();
let tk = { r1: '', r2: '', worker: '' };
const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, ...Buffer.from('照片内容 photo bytes'), 0xff, 0xd9]);

beforeAll(async () => {
  await seedDemoData();
  tk = { r1: await tokenAs('resident', 'resident-1'), r2: await tokenAs('resident', 'resident-2'), worker: await tokenAs('grid_worker') };
});

async function upload(token: string, bytes = jpeg): Promise<string> {
  const res = await t.call('POST', '/v1/uploads', { token, body: { contentType: 'image/jpeg' } });
  expect(res.status).toBe(201);
  const form = new FormData();
  for (const [k, v] of Object.entries(res.body.fields as Record<string, string>)) form.append(k, v);
  form.append('file', new Blob([bytes], { type: 'image/jpeg' }), 'photo.jpg');
  const put = await fetch(res.body.url, { method: 'POST', body: form });
  expect(put.status).toBeLessThan(300);
  return res.body.key;
}

const body = (photos: string[]) => ({ typeCode: 'livelihood', description: '楼道墙皮脱落，见照片', fields: { category: 'housing_repair', location: '7栋' }, photos });

describe('photos on requests', () => {
  it('presigns an upload under the caller\'s own prefix, for 10 minutes, at most 5 MB', async () => {
    const res = await t.call('POST', '/v1/uploads', { token: tk.r1, body: {} });
    expect(res.status).toBe(201);
    expect(res.body.key).toMatch(/^pending\/resident-1\/[0-9A-Z]{26}\.jpg$/);
    expect(res.body.maxBytes).toBe(5 * 1024 * 1024);
    expect(res.body.fields).toMatchObject({ key: res.body.key, 'Content-Type': 'image/jpeg' });
    const policy = JSON.parse(Buffer.from(res.body.fields.Policy, 'base64').toString('utf8'));
    expect(policy.conditions).toEqual(expect.arrayContaining([['content-length-range', 1, 5 * 1024 * 1024], ['eq', '$Content-Type', 'image/jpeg']]));
    expect(Date.parse(res.body.expiresAt) - Date.now()).toBeGreaterThan(9 * 60_000);
  });

  it('attaches uploaded photos to a request; its readers get links that return the bytes', async () => {
    const keys = [await upload(tk.r1), await upload(tk.r1, Buffer.concat([jpeg, jpeg]))];
    const created = await t.call('POST', '/v1/requests', { token: tk.r1, body: body(keys) });
    expect(created.status).toBe(202);
    // Copied out of pending/ (which expires) to the request's own prefix.
    expect(created.body.photos).toEqual([`requests/${created.body.requestId}/1.jpg`, `requests/${created.body.requestId}/2.jpg`]);
    // A resend of the same submission (same Idempotency-Key) answers the same request.
    const again = await t.call('POST', '/v1/requests', { token: tk.r1, body: body(keys), headers: { 'idempotency-key': 'photo-resend-0001' } });
    const replay = await t.call('POST', '/v1/requests', { token: tk.r1, body: body(keys), headers: { 'idempotency-key': 'photo-resend-0001' } });
    expect(replay.body.requestId).toBe(again.body.requestId);
    expect(replay.body.photos).toEqual(again.body.photos);
    const detail = await t.call('GET', `/v1/requests/${created.body.requestId}`, { token: tk.r1 });
    expect(detail.body.photoUrls).toHaveLength(2);
    const first = await fetch(detail.body.photoUrls[0]);
    expect(first.status).toBe(200);
    expect(Buffer.from(await first.arrayBuffer())).toEqual(jpeg);
    const second = await fetch(detail.body.photoUrls[1]);
    expect((await second.arrayBuffer()).byteLength).toBe(jpeg.length * 2);
  });

  it('refuses another resident\'s photo and a photo that never arrived, field by field, and creates nothing', async () => {
    const theirs = await upload(tk.r1);
    const presigned = await t.call('POST', '/v1/uploads', { token: tk.r2, body: {} });
    const before = (await t.call('GET', '/v1/me/requests', { token: tk.r2 })).body.items.length;
    const res = await t.call('POST', '/v1/requests', { token: tk.r2, body: body([theirs, presigned.body.key]) });
    expect(res.status).toBe(400);
    expect(res.body.error).toEqual({
      code: 'INVALID_PHOTOS',
      message: '照片有问题，请重新添加',
      details: [
        { field: 'body.photos.0', reason: 'not_yours', message: '只能使用您自己上传的照片' },
        { field: 'body.photos.1', reason: 'missing', message: '照片没有上传成功，请重新添加' },
      ],
    });
    expect((await t.call('GET', '/v1/me/requests', { token: tk.r2 })).body.items).toHaveLength(before);
  });

  it('treats a photo S3 refuses with 403 AccessDenied (no list right) like one it answers 404: a 400 for that photo', async () => {
    const presigned = await t.call('POST', '/v1/uploads', { token: tk.r2, body: {} });
    // S3 without s3:ListBucket answers a copy of a missing source 403, where s3rver says 404.
    const name = 'injectAccessDenied';
    s3().middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'CopyObjectCommand') {
          throw new S3ServiceException({ name: 'AccessDenied', $fault: 'client', $metadata: { httpStatusCode: 403 }, message: 'Access Denied' });
        }
        return next(args);
      },
      { step: 'initialize', name },
    );
    try {
      const res = await t.call('POST', '/v1/requests', { token: tk.r2, body: body([presigned.body.key]) });
      expect([res.status, res.body.error.details]).toEqual([400, [{ field: 'body.photos.0', reason: 'missing', message: '照片没有上传成功，请重新添加' }]]);
    } finally {
      s3().middlewareStack.remove(name);
    }
  });

  it('refuses a key that is not a photo key, and more than nine photos', async () => {
    const bad = await t.call('POST', '/v1/requests', { token: tk.r1, body: body(['../../etc/passwd']) });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details).toEqual([expect.objectContaining({ field: 'body.photos.0', message: '照片编号格式不正确' })]);
    const key = await upload(tk.r1);
    const many = await t.call('POST', '/v1/requests', { token: tk.r1, body: body(Array(10).fill(key)) });
    expect(many.status).toBe(400);
    expect(many.body.error.details).toEqual([expect.objectContaining({ field: 'body.photos', message: '最多 9 张照片' })]);
  });

  it('lets only residents and volunteers ask for an upload', async () => {
    const res = await t.call('POST', '/v1/uploads', { token: tk.worker, body: {} });
    expect(res.status).toBe(403);
  });
});
