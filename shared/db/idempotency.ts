import { createHash } from 'node:crypto';

import { GetCommand } from '@aws-sdk/lib-dynamodb';

import { ddb } from '../aws';
import { config } from '../config';
import { ConflictError } from '../errors';
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
