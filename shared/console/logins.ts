import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

import { GetCommand, PutCommand,TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';

import { auditPut } from '../audit/audit';
import { hasRole } from '../auth/authorize';
import type { Principal } from '../auth/principal';
import { consoleRoles } from '../auth/roles';
import { startSession } from '../auth/sessions';
import { issueToken } from '../auth/tokens';
import { ddb } from '../aws';
import { config } from '../config';
import { keys } from '../db/keys';
import { ConflictError, ForbiddenError, NotFoundError, UnauthorizedError } from '../errors';
import { principalOf, viewOf } from '../users/model';
import { getUser } from '../users/repository';

/**
 * Sign-in to the staff console by scanning (扫码登录). The console asks for a login and shows its
 * id as a QR code; a staff member scans it in the mini-program, sees who and where they would sign
 * in as, and approves; the console, polling with a secret that never left it, receives a session
 * once. The id on the screen alone is worth nothing: a photo of the QR code cannot collect the
 * session, because collecting needs the poll secret.
 */
export const loginTtlMs = 2 * 60_000;
/** What the mini-program reads from a scanned code: `anzhi-console-login:<loginId>`. */
export const qrPrefix = 'anzhi-console-login:';

type LoginStatus = 'pending' | 'approved' | 'used';

interface LoginItem {
  loginId: string;
  status: LoginStatus;
  pollHash: string;
  createdAt: string;
  expiresAtIso: string;
  approvedBy?: string;
  approvedAt?: string;
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('base64url');

async function readLogin(loginId: string): Promise<LoginItem | null> {
  const out = await ddb().send(new GetCommand({ TableName: config().TABLE_NAME, Key: keys.consoleLogin(loginId), ConsistentRead: true }));
  return (out.Item as LoginItem | undefined) ?? null;
}

const gone = () => new NotFoundError('LOGIN_NOT_FOUND', '二维码已失效，请刷新二维码后重新扫码');

export async function createConsoleLogin(now = new Date()) {
  const loginId = randomBytes(18).toString('base64url');
  const pollSecret = randomBytes(24).toString('base64url');
  const expiresAtIso = new Date(now.getTime() + loginTtlMs).toISOString();
  const item: LoginItem = { loginId, status: 'pending', pollHash: sha256(pollSecret), createdAt: now.toISOString(), expiresAtIso };
  await ddb().send(
    new PutCommand({
      TableName: config().TABLE_NAME,
      Item: { ...keys.consoleLogin(loginId), type: 'ConsoleLogin', ...item, expiresAt: Math.ceil(Date.parse(expiresAtIso) / 1000) + 60 },
      ConditionExpression: 'attribute_not_exists(pk)',
    }),
  );
  return { loginId, pollSecret, qrText: `${qrPrefix}${loginId}`, expiresAt: expiresAtIso };
}

/** A staff member approves from the mini-program (who and where were shown to them first). */
export async function approveConsoleLogin(p: Principal, loginId: string, now = new Date()) {
  if (!hasRole(p, ...consoleRoles)) throw new ForbiddenError('NOT_STAFF', '只有工作人员可以登录指挥中心');
  const at = now.toISOString();
  try {
    await ddb().send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: config().TABLE_NAME,
              Key: keys.consoleLogin(loginId),
              UpdateExpression: 'SET #s = :approved, approvedBy = :u, approvedAt = :at',
              ConditionExpression: '#s = :pending AND expiresAtIso > :at',
              ExpressionAttributeNames: { '#s': 'status' },
              ExpressionAttributeValues: { ':approved': 'approved', ':pending': 'pending', ':u': p.userId, ':at': at },
            },
          },
          auditPut({ actorId: p.userId, action: 'console.login', targetType: 'user', targetId: p.userId, detail: { loginId: loginId.slice(0, 6) } }, now),
        ],
      }),
    );
  } catch (err) {
    if ((err as Error).name !== 'TransactionCanceledException') throw err;
    const login = await readLogin(loginId);
    if (!login || login.expiresAtIso <= at) throw gone();
    throw new ConflictError('LOGIN_ALREADY_APPROVED', '这个二维码已经确认过了');
  }
  return { approved: true as const };
}

/**
 * The console's poll: `pending` until approved; then, exactly once, the session (access token,
 * refresh token, who). A second collection, a wrong secret or an expired code get nothing.
 */
export async function pollConsoleLogin(loginId: string, pollSecret: string, now = new Date()) {
  const login = await readLogin(loginId);
  const at = now.toISOString();
  if (!login) throw gone();
  const given = Buffer.from(sha256(pollSecret));
  if (given.length !== login.pollHash.length || !timingSafeEqual(given, Buffer.from(login.pollHash))) {
    throw new UnauthorizedError('LOGIN_SECRET_INVALID', '登录凭据不正确，请刷新二维码');
  }
  if (login.status === 'used') throw new ConflictError('LOGIN_ALREADY_USED', '这个二维码已经用过了，请刷新二维码');
  if (login.status === 'pending') {
    if (login.expiresAtIso <= at) throw gone();
    return { status: 'pending' as const, expiresAt: login.expiresAtIso };
  }
  try {
    await ddb().send(
      new UpdateCommand({
        TableName: config().TABLE_NAME,
        Key: keys.consoleLogin(loginId),
        UpdateExpression: 'SET #s = :used, usedAt = :at',
        ConditionExpression: '#s = :approved',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':used': 'used', ':approved': 'approved', ':at': at },
      }),
    );
  } catch (err) {
    if ((err as Error).name === 'ConditionalCheckFailedException') throw new ConflictError('LOGIN_ALREADY_USED', '这个二维码已经用过了，请刷新二维码');
    throw err;
  }
  const user = await getUser(login.approvedBy!);
  if (!user || !hasRole(principalOf(user), ...consoleRoles)) throw new ForbiddenError('NOT_STAFF', '只有工作人员可以登录指挥中心');
  const { token, expiresAt } = await issueToken(principalOf(user), now);
  return { status: 'approved' as const, expiresAt, token, ...(await startSession(user.userId, now)), user: viewOf(user) };
}
