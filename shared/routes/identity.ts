import * as z from 'zod';

import { roleSchema } from '../auth/roles';
import { route } from '../http/route';
import { userViewSchema } from '../users/model';

const userIdParam = z.object({ userId: z.string().min(1).max(64) });

/** A sign-in: a short-lived access token and the session's rotating refresh token. */
const signInSchema = z.object({
  token: z.string().meta({ description: 'Access token (JWT, 15 minutes)' }),
  expiresAt: z.string(),
  refreshToken: z.string().meta({ description: 'Single use: each refresh answers the next one' }),
  refreshExpiresAt: z.string(),
  user: userViewSchema,
});

export const postAuthWechat = route({
  id: 'postAuthWechat',
  method: 'POST',
  path: '/v1/auth/wechat',
  handler: 'functions/identity/post-auth-wechat.ts',
  summary: 'Log in with a wx.login code; returns a short-lived token and the user with roles',
  tag: 'identity',
  access: 'public',
  // Exchanges the login code with WeChat (jscode2session) using the app secret.
  secrets: ['wechat'],
  body: z.object({ code: z.string().min(1).max(128) }),
  response: signInSchema,
  status: 200,
});

export const postAuthRefresh = route({
  id: 'postAuthRefresh',
  method: 'POST',
  path: '/v1/auth/refresh',
  handler: 'functions/identity/post-auth-refresh.ts',
  summary: 'Exchange a refresh token for a new access token (current roles) and the next refresh token; a reused one ends the session',
  tag: 'identity',
  access: 'public',
  body: z.object({ refreshToken: z.string().min(1).max(200) }),
  response: signInSchema,
  status: 200,
});

export const getMe = route({
  id: 'getMe',
  method: 'GET',
  path: '/v1/me',
  handler: 'functions/identity/get-me.ts',
  summary: 'The signed-in user, with roles and scope (numbers masked)',
  tag: 'identity',
  access: 'authenticated',
  response: userViewSchema,
  status: 200,
});

export const getMyGrid = route({
  id: 'getMyGrid',
  method: 'GET',
  path: '/v1/me/grid',
  handler: 'functions/identity/get-my-grid.ts',
  summary: 'The caller\'s grid and its two grid workers, with their phone numbers to call (null grid when the caller has none)',
  tag: 'identity',
  access: 'authenticated',
  response: z.object({
    grid: z.object({ gridId: z.string(), name: z.string() }).nullable(),
    workers: z.array(z.object({ userId: z.string(), name: z.string(), role: z.string(), phone: z.string().nullable() })),
  }),
  status: 200,
});

export const patchMe = route({
  id: 'patchMe',
  method: 'PATCH',
  path: '/v1/me',
  handler: 'functions/identity/patch-me.ts',
  summary: 'Change one\'s own name or phone number (stored encrypted, answered masked)',
  tag: 'identity',
  access: 'authenticated',
  body: z
    .object({
      name: z.string().trim().min(1).max(20).optional(),
      phone: z
        .string()
        .regex(/^1[3-9]\d{9}$/, { error: '请填写 11 位手机号码' })
        .optional(),
    })
    .refine((b) => b.name !== undefined || b.phone !== undefined, { error: '请至少修改一项' }),
  response: userViewSchema,
  status: 200,
});

export const roleChangeBody = z.object({
  action: z.enum(['grant', 'revoke']),
  role: roleSchema,
  gridId: z.string().regex(/^G\d{3}$/).optional(),
  communityId: z.string().regex(/^C\d{2}$/).optional(),
  streetId: z.string().regex(/^S\d{2}$/).optional(),
  teamId: z.string().min(1).max(32).optional(),
  workshopId: z.string().min(1).max(32).optional(),
  workerType: z.enum(['full_time', 'part_time']).optional(),
  reason: z.string().trim().min(2, { error: '请填写变更原因' }).max(200),
});

export const postRoleChange = route({
  id: 'postRoleChange',
  method: 'POST',
  path: '/v1/users/{userId}/role-changes',
  handler: 'functions/identity/post-role-change.ts',
  summary: 'Grant or revoke a role with its scope binding (admin; audited)',
  tag: 'identity',
  access: ['admin'],
  params: userIdParam,
  body: roleChangeBody,
  response: userViewSchema,
  status: 200,
});

export const postContactReveal = route({
  id: 'postContactReveal',
  method: 'POST',
  path: '/v1/users/{userId}/contact-reveals',
  handler: 'functions/identity/post-contact-reveal.ts',
  summary: 'Reveal a user\'s unmasked phone number to someone whose scope covers them (audited)',
  tag: 'identity',
  access: 'authenticated',
  params: userIdParam,
  body: z.object({
    field: z.enum(['phone']),
    reason: z.string().trim().min(2, { error: '请填写查看原因' }).max(200),
    /** For the caller of a request another system filed (Open311): the request they called about. */
    requestId: z.string().max(40).optional(),
    /** For a resident who booked a consultation (法律咨询): the slot, so the centre's officer may call them. */
    slotId: z.string().max(40).optional(),
  }),
  response: z.object({ userId: z.string(), field: z.enum(['phone']), value: z.string().nullable() }),
  status: 200,
});

export const identityRoutes = [postAuthWechat, postAuthRefresh, getMe, getMyGrid, patchMe, postRoleChange, postContactReveal];
