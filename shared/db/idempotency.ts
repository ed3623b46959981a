import { createHash } from 'node:crypto';

import { GetCommand } from '@aws-sdk/lib-dynamodb';

import { ddb } from '../aws';
import { config } from '../config';
import { BadRequestError, ConflictError } from '../errors';
import type { TransactItem } from './conditions';
import { keys } from './keys';

/**
 * Idempotency-Key handling for writes a phone may resend. The key is claimed in the same
 * transaction as the write (so a resend cannot create a second record), and remembers which
 * record it made and a hash of the request, so a resend answers with the same record and a key
 * reused for a different request is refused.
 */
const ttlHours = 48;

export function bodyHash(body: unknown): string {
  return createHash('sha256').update(JSON.stringify(body ?? null)).digest('base64url');
}

export function idempotencyPut(userId: string, key: string, hash: string, ref: string) {
  return {
    Put: {
      TableName: config().TABLE_NAME,
      Item: {
        ...keys.idempotency(userId, key),
        type: 'Idempotency',
        bodyHash: hash,
        ref,
        createdAt: new Date().toISOString(),
        expiresAt: Math.floor(Date.now() / 1000) + ttlHours * 3600,
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

/** The record an earlier request with this key made, or null; refuses a key reused for other content. */
export async function replayOf(userId: string, key: string, hash: string): Promise<string | null> {
  const out = await ddb().send(new GetCommand({ TableName: config().TABLE_NAME, Key: keys.idempotency(userId, key), ConsistentRead: true }));
  if (!out.Item) return null;
  if (out.Item.bodyHash !== hash) {
    throw new ConflictError('IDEMPOTENCY_KEY_REUSED', '该请求编号已用于另一份内容，请刷新后重新提交', [
      { field: 'headers.idempotency-key', reason: 'reused', message: '请求编号重复' },
    ]);
  }
  return out.Item.ref as string;
}

export const idempotencyKeyPattern = /^[A-Za-z0-9_-]{8,128}$/;

/** A key the phone sent must look like one (8–128 letters, digits, - or _). */
export function checkIdempotencyKey(key: string | undefined): void {
  if (key !== undefined && !idempotencyKeyPattern.test(key)) {
    throw new BadRequestError('INVALID_IDEMPOTENCY_KEY', '请求编号格式不正确', [{ field: 'headers.idempotency-key', reason: 'invalid_format', message: '8-128 位字母、数字、- 或 _' }]);
  }
}

/**
 * Creates a record once per Idempotency-Key: a resend answers with the record the first made
 * (`replay`), and two copies sent at the same moment make one — `create` writes the key's claim
 * (`claim`) in its own transaction, so the second copy's transaction fails and it answers with
 * the first's record instead.
 */
export async function createOnce<T>(userId: string, key: string | undefined, body: unknown, id: string, replay: (ref: string) => Promise<T>, create: (claim: TransactItem[]) => Promise<T>): Promise<T> {
  checkIdempotencyKey(key);
  if (key === undefined) return create([]);
  const hash = bodyHash(body);
  const earlier = await replayOf(userId, key, hash);
  if (earlier) return replay(earlier);
  try {
    return await create([idempotencyPut(userId, key, hash, id)]);
  } catch (err) {
    const winner = await replayOf(userId, key, hash);
    if (winner) return replay(winner);
    throw err;
  }
}
