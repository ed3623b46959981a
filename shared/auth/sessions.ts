import { createHash, randomBytes } from 'node:crypto';

import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';

import { ddb } from '../aws';
import { config } from '../config';
import { queryPartition } from '../db/batch';
import { isConditionFailure } from '../db/conditions';
import { keys } from '../db/keys';
import { UnauthorizedError } from '../errors';

/**
 * Sign-in sessions: a short-lived access token (a JWT, checked without any read) and a rotating
 * refresh token kept server-side as a hash.
 *
 * - Each refresh hands out a new refresh token and retires the old one (one conditional update).
 *   Presenting a retired one means it was copied: the whole session is revoked.
 * - A role change revokes the user's access tokens at once: the list of revocations (one small
 *   partition, entries kept only as long as an access token lives) is read at most once every
 *   few seconds per process, so a request pays no read for it; the process that made the change
 *   knows at once. The next refresh reads the user again and carries the new roles.
 */
export const accessTokenTtlSeconds = 15 * 60;
export const refreshTokenTtlSeconds = 30 * 24 * 3600;
/** How stale a process's copy of the revocations may be (other processes than the one that revoked). */
export const revocationCacheMs = 5_000;

const hash = (secret: string) => createHash('sha256').update(secret).digest('base64url');

interface SessionItem {
  sessionId: string;
  userId: string;
  generation: number;
  tokenHash: string;
  revokedAt?: string;
  expiresAt: number;
}

function refreshTokenOf(sessionId: string, generation: number, secret: string): string {
  return `${sessionId}.${generation}.${secret}`;
}

/** A new session for a user who just signed in; answers its first refresh token. */
export async function startSession(userId: string, now = new Date()): Promise<{ refreshToken: string; refreshExpiresAt: string }> {
  const sessionId = ulid(now.getTime());
  const secret = randomBytes(32).toString('base64url');
  const expiresAt = Math.floor(now.getTime() / 1000) + refreshTokenTtlSeconds;
  const item: SessionItem = { sessionId, userId, generation: 1, tokenHash: hash(secret), expiresAt };
  await ddb().send(
    new PutCommand({
      TableName: config().TABLE_NAME,
      Item: { ...keys.session(sessionId), type: 'Session', ...item, createdAt: now.toISOString() },
      ConditionExpression: 'attribute_not_exists(pk)',
    }),
  );
  return { refreshToken: refreshTokenOf(sessionId, 1, secret), refreshExpiresAt: new Date(expiresAt * 1000).toISOString() };
}

const refused = () => new UnauthorizedError('REFRESH_TOKEN_INVALID', '登录已失效，请重新登录');

/**
 * Exchanges a refresh token for the next one. Answers the session's user, whom the caller reads
 * again for the new access token's roles.
 */
export async function rotateSession(refreshToken: string, now = new Date()): Promise<{ userId: string; refreshToken: string; refreshExpiresAt: string }> {
  const m = /^([0-9A-HJKMNP-TV-Z]{26})\.(\d{1,9})\.([A-Za-z0-9_-]{43})$/.exec(refreshToken);
  if (!m) throw refused();
  const [, sessionId, genText, secret] = m as unknown as [string, string, string, string];
  const generation = Number(genText);
  const nowSec = Math.floor(now.getTime() / 1000);
  const nextSecret = randomBytes(32).toString('base64url');
  const expiresAt = nowSec + refreshTokenTtlSeconds;
  let rotated: SessionItem | undefined;
  try {
    const out = await ddb().send(
      new UpdateCommand({
        TableName: config().TABLE_NAME,
        Key: keys.session(sessionId),
        UpdateExpression: 'SET generation = :next, tokenHash = :nextHash, expiresAt = :exp, lastUsedAt = :now',
        ConditionExpression: 'generation = :gen AND tokenHash = :hash AND attribute_not_exists(revokedAt) AND expiresAt > :nowSec',
        ExpressionAttributeValues: {
          ':gen': generation,
          ':hash': hash(secret),
          ':next': generation + 1,
          ':nextHash': hash(nextSecret),
          ':exp': expiresAt,
          ':now': now.toISOString(),
          ':nowSec': nowSec,
        },
        // The session's user comes back with the rotation: no second read on the common path.
        ReturnValues: 'ALL_NEW',
      }),
    );
    rotated = out.Attributes as SessionItem;
  } catch (err) {
    if (!isConditionFailure(err)) throw err;
  }
  if (rotated) return { userId: rotated.userId, refreshToken: refreshTokenOf(sessionId, generation + 1, nextSecret), refreshExpiresAt: new Date(expiresAt * 1000).toISOString() };
  // Refused: read the session only now, to tell a reused token from a wrong one.
  const item = (await ddb().send(new GetCommand({ TableName: config().TABLE_NAME, Key: keys.session(sessionId), ConsistentRead: true }))).Item as SessionItem | undefined;
  if (!item) throw refused();
  if (!item.revokedAt && generation < item.generation) {
    // A retired token came back: someone holds a copy. End the session for both holders.
    await revokeSession(sessionId, 'refresh_token_reused', now);
    throw new UnauthorizedError('REFRESH_TOKEN_REUSED', '登录凭证已在别处使用，请重新登录');
  }
  throw refused();
}

export async function revokeSession(sessionId: string, reason: string, now = new Date()): Promise<void> {
  await ddb().send(
    new UpdateCommand({
      TableName: config().TABLE_NAME,
      Key: keys.session(sessionId),
      UpdateExpression: 'SET revokedAt = :now, revokedReason = :why',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: { ':now': now.toISOString(), ':why': reason },
    }),
  ).catch(() => undefined);
}

// --- access-token revocation ---------------------------------------------------------------------

let revocations: { readAt: number; until: Map<string, number> } | undefined;

/** The transaction item that revokes a user's access tokens issued before `now` (with their role change). */
export function accessRevocationPut(userId: string, now = new Date()) {
  return {
    Put: {
      TableName: config().TABLE_NAME,
      Item: {
        ...keys.accessRevocation(userId),
        type: 'AccessRevocation',
        userId,
        revokedAtMs: now.getTime(),
        // Kept as long as a token issued just before could live, then removed by TTL.
        expiresAt: Math.floor(now.getTime() / 1000) + accessTokenTtlSeconds + 60,
      },
    },
  };
}

/** After the revocation commits: this process knows at once, without waiting for its next read. */
export function noteAccessRevocation(userId: string, now = new Date()): void {
  revocations?.until.set(userId, now.getTime());
}

async function revocationList(nowMs: number): Promise<Map<string, number>> {
  if (revocations && nowMs - revocations.readAt < revocationCacheMs) return revocations.until;
  const until = new Map<string, number>();
  for (const i of await queryPartition(keys.accessRevocationPartition)) until.set(String(i.userId), Number(i.revokedAtMs));
  revocations = { readAt: nowMs, until };
  return until;
}

/** Whether an access token of this user, issued at `issuedAtMs`, was revoked since. */
export async function isAccessRevoked(userId: string, issuedAtMs: number, nowMs = Date.now()): Promise<boolean> {
  const revokedAt = (await revocationList(nowMs)).get(userId);
  return revokedAt !== undefined && issuedAtMs <= revokedAt;
}

export function resetRevocationsForTests(): void {
  revocations = undefined;
}

