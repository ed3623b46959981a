import { errors as joseErrors,jwtVerify, SignJWT } from 'jose';

import { secretValue } from '../aws';
import { isLocalStage, keyConfig } from '../config';
import { UnauthorizedError } from '../errors';
import { assertMayUseSecret } from '../system/grants';
import { type Principal,principalSchema } from './principal';
import { accessTokenTtlSeconds, isAccessRevoked } from './sessions';

const issuer = 'anzhi';
const audience = 'anzhi-api';
/** Short-lived on purpose: the clients refresh silently (POST /v1/auth/refresh) on 401. */
export const tokenTtlSeconds = accessTokenTtlSeconds;

let keyPromise: Promise<Uint8Array> | undefined;

/**
 * The HMAC signing key. In AWS it comes from Secrets Manager (JWT_SECRET_ARN), fetched once per
 * cold start; off AWS from JWT_SECRET, which only the local and test stages may use.
 */
export function signingKey(): Promise<Uint8Array> {
  assertMayUseSecret('jwt');
  keyPromise ??= (async () => {
    const keys = keyConfig();
    if (keys.JWT_SECRET_ARN) return new TextEncoder().encode(await secretValue(keys.JWT_SECRET_ARN));
    if (!keys.JWT_SECRET || !isLocalStage()) throw new Error('JWT_SECRET_ARN is required outside the local and test stages');
    return new TextEncoder().encode(keys.JWT_SECRET);
  })();
  keyPromise.catch(() => (keyPromise = undefined));
  return keyPromise;
}

export async function issueToken(p: Principal, now = new Date()): Promise<{ token: string; expiresAt: string }> {
  const iat = Math.floor(now.getTime() / 1000);
  const exp = iat + tokenTtlSeconds;
  const { userId, ...claims } = p;
  // `iatMs`: a revocation and a token issued in the same second must still be told apart.
  const token = await new SignJWT({ ...claims, iatMs: now.getTime() })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(userId)
    .setIssuer(issuer)
    .setAudience(audience)
    .setIssuedAt(iat)
    .setExpirationTime(exp)
    .sign(await signingKey());
  return { token, expiresAt: new Date(exp * 1000).toISOString() };
}

export async function verifyToken(token: string, now = new Date()): Promise<Principal> {
  let principal: Principal;
  let issuedAtMs: number;
  try {
    const { payload } = await jwtVerify(token, await signingKey(), {
      issuer,
      audience,
      algorithms: ['HS256'],
      requiredClaims: ['sub', 'iat', 'exp', 'iss', 'aud'],
      currentDate: now,
    });
    principal = principalSchema.parse({ ...payload, userId: payload.sub });
    issuedAtMs = typeof payload.iatMs === 'number' ? payload.iatMs : payload.iat! * 1000;
  } catch (err) {
    if (err instanceof joseErrors.JWTExpired) throw new UnauthorizedError('TOKEN_EXPIRED', '登录已过期，请重新登录');
    throw new UnauthorizedError('TOKEN_INVALID', '登录凭证无效，请重新登录');
  }
  if (await isAccessRevoked(principal.userId, issuedAtMs, now.getTime())) {
    throw new UnauthorizedError('TOKEN_REVOKED', '您的权限已变更，请重新登录');
  }
  return principal;
}

export function resetSigningKeyForTests(): void {
  keyPromise = undefined;
}
