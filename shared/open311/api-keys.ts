import { createHash, randomBytes } from 'node:crypto';

import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';

import { ddb } from '../aws';
import { config } from '../config';
import { isConditionFailure } from '../db/conditions';
import { keys } from '../db/keys';
import { ForbiddenError, NotFoundError, TooManyRequestsError } from '../errors';
import { readableId } from '../ids';

/**
 * Open311 API keys: issued by the admin to a partner (the 12345 hotline, a county platform, an
 * app), shown once, stored only as their SHA-256 (a key is 32 random bytes: a keyed hash adds
 * nothing), bound to the partner's name, the channel its requests are recorded under and the
 * jurisdiction it files for, with a per-minute rate limit. Revoked keys are kept (their requests
 * still name them) and refused.
 */
export interface Open311Key {
  keyId: string;
  partner: string;
  kind: 'hotline_12345' | 'partner';
  /** The jurisdiction_id it files for (the sub-district). */
  jurisdiction: string;
  perMinute: number;
  status: 'active' | 'revoked';
  createdAt: string;
  createdBy: string;
  revokedAt?: string;
  /** The first characters of the key, so the admin can tell keys apart. */
  prefix: string;
}

const hashOf = (apiKey: string) => createHash('sha256').update(apiKey).digest('hex');
const table = () => config().TABLE_NAME;

export async function issueKey(input: Pick<Open311Key, 'partner' | 'kind' | 'jurisdiction' | 'perMinute'>, by: string, now = new Date()): Promise<Open311Key & { apiKey: string }> {
  const keyId = readableId('K', now);
  const apiKey = `o311_${keyId}_${randomBytes(32).toString('base64url')}`;
  const key: Open311Key = { keyId, ...input, status: 'active', createdAt: now.toISOString(), createdBy: by, prefix: apiKey.slice(0, 16) };
  await ddb().send(
    new PutCommand({
      TableName: table(),
      Item: { ...keys.open311Key(hashOf(apiKey)), ...keys.open311KeyInList(keyId), type: 'Open311Key', keyHash: hashOf(apiKey), ...key },
      ConditionExpression: 'attribute_not_exists(pk)',
    }),
  );
  return { ...key, apiKey };
}

export async function listKeys(): Promise<Open311Key[]> {
  const out = await ddb().send(
    new QueryCommand({ TableName: table(), IndexName: 'byScope', KeyConditionExpression: 'scopePk = :pk', ExpressionAttributeValues: { ':pk': keys.open311KeyListPartition } }),
  );
  return (out.Items ?? []).map(publicKey);
}

function publicKey(i: Record<string, unknown>): Open311Key {
  const { keyId, partner, kind, jurisdiction, perMinute, status, createdAt, createdBy, revokedAt, prefix } = i as unknown as Open311Key;
  return { keyId, partner, kind, jurisdiction, perMinute, status, createdAt, createdBy, ...(revokedAt ? { revokedAt } : {}), prefix };
}

export async function revokeKey(keyId: string, now = new Date()): Promise<Open311Key> {
  const found = await ddb().send(
    new QueryCommand({
      TableName: table(),
      IndexName: 'byScope',
      KeyConditionExpression: 'scopePk = :pk AND scopeSk = :id',
      ExpressionAttributeValues: { ':pk': keys.open311KeyListPartition, ':id': keyId },
    }),
  );
  const item = found.Items?.[0];
  if (!item) throw new NotFoundError('KEY_NOT_FOUND', '没有这个 API key');
  const out = await ddb().send(
    new UpdateCommand({
      TableName: table(),
      Key: keys.open311Key(item.keyHash as string),
      UpdateExpression: 'SET #s = :revoked, revokedAt = if_not_exists(revokedAt, :now)',
      ExpressionAttributeNames: { '#s': 'status' },
      ExpressionAttributeValues: { ':revoked': 'revoked', ':now': now.toISOString() },
      ReturnValues: 'ALL_NEW',
    }),
  );
  return publicKey(out.Attributes!);
}

/**
 * The key a call presents, if it is one and is active, counted against its rate limit (one
 * conditional update per call, per minute). A bad or revoked key is 403 as the specification
 * says; past the limit, 429.
 */
export async function authenticateKey(apiKey: string | undefined, now = new Date()): Promise<Open311Key> {
  if (!apiKey) throw new ForbiddenError('API_KEY_REQUIRED', '需要 api_key');
  const out = await ddb().send(new GetCommand({ TableName: table(), Key: keys.open311Key(hashOf(apiKey)) }));
  if (!out.Item || out.Item.status !== 'active') throw new ForbiddenError('INVALID_API_KEY', 'api_key 无效或已被吊销');
  const key = publicKey(out.Item);
  const minute = now.toISOString().slice(0, 16);
  try {
    await ddb().send(
      new UpdateCommand({
        TableName: table(),
        Key: keys.open311Rate(key.keyId, minute),
        UpdateExpression: 'ADD calls :one SET expiresAt = :ttl',
        ConditionExpression: 'attribute_not_exists(calls) OR calls < :limit',
        ExpressionAttributeValues: { ':one': 1, ':limit': key.perMinute, ':ttl': Math.floor(now.getTime() / 1000) + 120 },
      }),
    );
  } catch (err) {
    if (isConditionFailure(err)) throw new TooManyRequestsError('RATE_LIMITED', `调用过于频繁：每分钟最多 ${key.perMinute} 次`);
    throw err;
  }
  return key;
}

/** The key of an optional api_key (GET routes: contact details of the partner's own requests). */
export async function optionalKey(apiKey: string | undefined, now = new Date()): Promise<Open311Key | null> {
  return apiKey ? authenticateKey(apiKey, now) : null;
}
