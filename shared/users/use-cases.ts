import { ulid } from 'ulid';
import type * as z from 'zod';

import { auditPut, writeAudit } from '../audit/audit';
import { hasRole } from '../auth/authorize';
import type { Principal } from '../auth/principal';
import type { Role } from '../auth/roles';
import { canSeeGrid } from '../auth/scope';
import { accessRevocationPut, noteAccessRevocation, rotateSession, startSession } from '../auth/sessions';
import { issueToken } from '../auth/tokens';
import { code2Session } from '../auth/wechat';
import { BadRequestError, ConflictError, ForbiddenError, NotFoundError, UnauthorizedError } from '../errors';
import { getBooking } from '../legal/bookings';
import { forgetGrid,getCommunity, getGrid } from '../org/repository';
import { lookupHash, seal, unseal } from '../pii/crypto';
import { maskPhone } from '../pii/redact';
import type { roleChangeBody } from '../routes/identity';
import { principalOf, type User, type UserView,viewOf } from './model';
import {
  createUserForOpenid,
  getUser,
  getUserIdByOpenid,
  getUsers,
  gridWorkerUpdate,
  type RoleChange,
  saveProfile,
  saveRoleChange,
} from './repository';

export interface SignIn {
  token: string;
  expiresAt: string;
  refreshToken: string;
  refreshExpiresAt: string;
  user: UserView;
}

/** wx.login code -> openid -> the user (created as a resident on first login) -> a new session. */
export async function login(code: string): Promise<SignIn> {
  const { openid } = await code2Session().exchange(code);
  let user = await findByOpenid(openid);
  if (!user) {
    const now = new Date().toISOString();
    const fresh: User = { userId: `u-${ulid()}`, openid, name: '新用户', roles: ['resident'], createdAt: now, updatedAt: now, version: 1 };
    // Two first logins at once (a resent request): one creates, the other reads the winner.
    user = (await createUserForOpenid(fresh)) ?? (await findByOpenid(openid));
    if (!user) throw new Error('user vanished after a lost creation race');
  }
  const { token, expiresAt } = await issueToken(principalOf(user));
  return { token, expiresAt, ...(await startSession(user.userId)), user: viewOf(user) };
}

/**
 * The next access token of a session, for the user's roles as they are now (a role change shows
 * at the next refresh), and the session's next refresh token.
 */
export async function refreshSession(refreshToken: string): Promise<SignIn> {
  const next = await rotateSession(refreshToken);
  const user = await getUser(next.userId);
  if (!user) throw new UnauthorizedError('USER_NOT_FOUND', '账号不存在，请重新登录');
  const { token, expiresAt } = await issueToken(principalOf(user));
  return { token, expiresAt, refreshToken: next.refreshToken, refreshExpiresAt: next.refreshExpiresAt, user: viewOf(user) };
}

async function findByOpenid(openid: string): Promise<User | null> {
  const userId = await getUserIdByOpenid(openid);
  return userId ? getUser(userId) : null;
}

export async function getMe(p: Principal): Promise<UserView> {
  const user = await getUser(p.userId);
  // A token for a user that no longer exists is as good as no token.
  if (!user) throw new UnauthorizedError('USER_NOT_FOUND', '账号不存在，请重新登录');
  return viewOf(user);
}

export async function updateMe(p: Principal, patch: { name?: string; phone?: string }): Promise<UserView> {
  const phone = patch.phone
    ? { sealed: await seal(patch.phone), masked: maskPhone(patch.phone), hash: await lookupHash('phone', patch.phone) }
    : undefined;
  const user = await saveProfile(p.userId, { name: patch.name, phone }, new Date().toISOString()).catch((err) => {
    if ((err as { name?: string }).name === 'ConditionalCheckFailedException') throw new UnauthorizedError('USER_NOT_FOUND', '账号不存在，请重新登录');
    throw err;
  });
  return viewOf(user);
}

type RoleChangeInput = z.output<typeof roleChangeBody>;

/** The scope fields each role binds; the others carry none. */
const roleScope: Partial<Record<Role, readonly (keyof RoleChangeInput)[]>> = {
  grid_worker: ['gridId', 'workerType'],
  community_staff: ['communityId'],
  street_staff: ['streetId'],
  volunteer_lead: ['teamId'],
  employer: ['workshopId'],
};

const roleNames: Record<Role, string> = {
  resident: '居民',
  volunteer: '志愿者',
  grid_worker: '网格员',
  community_staff: '社区工作人员',
  street_staff: '街道工作人员',
  legal_officer: '法律服务人员',
  volunteer_lead: '志愿队负责人',
  employer: '用工单位',
  admin: '管理员',
};

/**
 * Grants or revokes a role, with the scope it binds, the grid's worker list and the audit
 * record in one transaction, guarded by the user's version so two admins cannot interleave.
 */
export async function changeRole(admin: Principal, userId: string, input: RoleChangeInput): Promise<UserView> {
  const user = await getUser(userId);
  if (!user) throw new NotFoundError('USER_NOT_FOUND', '用户不存在');
  if (input.action === 'revoke' && input.role === 'admin' && userId === admin.userId) {
    throw new BadRequestError('CANNOT_REVOKE_OWN_ADMIN', '不能撤销自己的管理员角色', [{ field: 'body.role', reason: 'self', message: '请由其他管理员操作' }]);
  }
  const change: RoleChange = { roles: [...user.roles], set: {}, remove: [] };
  const also = [];
  const now = new Date();

  if (input.action === 'grant') {
    const missing = (roleScope[input.role] ?? []).filter((f) => input[f] === undefined);
    if (missing.length) {
      throw new BadRequestError(
        'ROLE_SCOPE_REQUIRED',
        `授予「${roleNames[input.role]}」需要指定所属范围`,
        missing.map((f) => ({ field: `body.${f}`, reason: 'required', message: '此项必填' })),
      );
    }
    if (!change.roles.includes(input.role)) change.roles.push(input.role);
    if (input.role === 'grid_worker') {
      const grid = await getGrid(input.gridId!, { fresh: true });
      if (!grid) throw new BadRequestError('GRID_NOT_FOUND', '网格不存在', [{ field: 'body.gridId', reason: 'not_found', message: '网格不存在' }]);
      change.set = { gridId: grid.gridId, workerType: input.workerType!, communityId: grid.communityId, streetId: grid.streetId };
      if (user.gridId && user.gridId !== grid.gridId && user.roles.includes('grid_worker')) also.push(gridWorkerUpdate(user.gridId, userId, null));
      also.push(gridWorkerUpdate(grid.gridId, userId, input.workerType!));
    } else if (input.role === 'community_staff') {
      const community = await getCommunity(input.communityId!);
      if (!community) throw new BadRequestError('COMMUNITY_NOT_FOUND', '社区不存在', [{ field: 'body.communityId', reason: 'not_found', message: '社区不存在' }]);
      change.set = { communityId: community.communityId, streetId: community.streetId };
    } else {
      for (const f of roleScope[input.role] ?? []) (change.set as Record<string, unknown>)[f] = input[f];
    }
  } else {
    if (!change.roles.includes(input.role)) throw new ConflictError('ROLE_NOT_HELD', `该用户没有「${roleNames[input.role]}」角色`);
    change.roles = change.roles.filter((r) => r !== input.role);
    if (change.roles.length === 0) change.roles = ['resident'];
    change.remove = [...(roleScope[input.role] ?? [])] as string[];
    if (input.role === 'grid_worker' && user.gridId) {
      also.push(gridWorkerUpdate(user.gridId, userId, null));
      if (!change.roles.includes('community_staff')) change.remove.push('communityId');
    }
  }

  also.push(
    auditPut(
      {
        actorId: admin.userId,
        action: input.action === 'grant' ? 'role.grant' : 'role.revoke',
        targetType: 'user',
        targetId: userId,
        detail: { role: input.role, scope: change.set, reason: input.reason, before: user.roles, after: change.roles },
      },
      now,
    ),
    // The user's tokens still name the old roles: refused from now on, so the change holds at once.
    accessRevocationPut(userId, now),
  );
  const saved = await saveRoleChange(user, change, also, now.toISOString());
  if (!saved) throw new ConflictError('CONCURRENT_UPDATE', '该用户的信息刚被修改过，请刷新后重试');
  noteAccessRevocation(userId, now);
  if (user.gridId) forgetGrid(user.gridId);
  if (change.set.gridId) forgetGrid(change.set.gridId);
  return viewOf((await getUser(userId))!);
}

const workerTypeNames = { full_time: '专职网格员', part_time: '兼职网格员' } as const;

/**
 * The caller's grid and the two people who look after it, with the numbers to call them on: a
 * grid worker's phone is the number residents are meant to call (it is on the notice board of
 * every building), so it is shown in full to the residents of that grid — and to nobody else.
 */
export async function myGrid(p: Principal) {
  if (!p.gridId) return { grid: null, workers: [] };
  const grid = await getGrid(p.gridId);
  if (!grid) return { grid: null, workers: [] };
  const ids = Object.keys(grid.workers).sort((a, b) => (grid.workers[a] === grid.workers[b] ? a.localeCompare(b) : grid.workers[a] === 'full_time' ? -1 : 1));
  // The grid is cached per process; its workers come in one BatchGetItem.
  const workers = await getUsers(ids);
  return {
    // The grid's name says its community too (幸福社区第1网格).
    grid: { gridId: grid.gridId, name: grid.name },
    workers: await Promise.all(
      workers.map(async (u) => ({
        userId: u.userId,
        name: u.name,
        role: workerTypeNames[grid.workers[u.userId] ?? 'part_time'],
        phone: u.phone ? await unseal(u.phone) : null,
      })),
    ),
  };
}

/**
 * Shows an unmasked number to someone whose scope covers the user — or to the legal centre's
 * officer for a resident booked with the duty lawyer (`slotId`: a phone consultation is a call);
 * every reveal is audited.
 */
export async function revealContact(p: Principal, userId: string, field: 'phone', reason: string, slotId?: string) {
  const user = await getUser(userId);
  if (!user) throw new NotFoundError('USER_NOT_FOUND', '用户不存在');
  let allowed = p.userId === userId || hasRole(p, 'admin', 'street_staff');
  if (!allowed && user.gridId) {
    const grid = await getGrid(user.gridId);
    allowed = !!grid && canSeeGrid(p, grid);
  }
  if (!allowed && slotId && hasRole(p, 'legal_officer')) {
    const booking = await getBooking(slotId, userId);
    allowed = !!booking && booking.status !== 'cancelled';
  }
  if (!allowed) throw new ForbiddenError('OUT_OF_SCOPE', '该居民不在您负责的范围内');
  await writeAudit({ actorId: p.userId, action: 'pii.reveal', targetType: 'user', targetId: userId, detail: { field, reason, ...(slotId ? { slotId } : {}) } });
  return { userId, field, value: user.phone ? await unseal(user.phone) : null };
}
