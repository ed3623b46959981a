import type { APIGatewayProxyEventV2 } from 'aws-lambda';

import { ForbiddenError, UnauthorizedError } from '../errors';
import type { Access } from '../http/route';
import type { Principal } from './principal';
import { verifyToken } from './tokens';

export type { Principal } from './principal';

/** Reads and verifies the bearer token; a missing, tampered, expired or foreign token is a 401. */
export async function authenticate(event: APIGatewayProxyEventV2): Promise<Principal> {
  const header = event.headers?.authorization ?? event.headers?.Authorization;
  const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  if (!match?.[1]) throw new UnauthorizedError('UNAUTHENTICATED', '请先登录');
  return verifyToken(match[1]);
}

/** The role check that the route table declares. Scope and ownership are the use-cases' job. */
export function authorize(access: Access, principal: Principal): void {
  if (access === 'public' || access === 'authenticated') return;
  if (!principal.roles.some((r) => access.includes(r))) throw new ForbiddenError();
}

export function hasRole(principal: Principal | undefined, ...roles: Principal['roles']): boolean {
  return !!principal && principal.roles.some((r) => roles.includes(r));
}
