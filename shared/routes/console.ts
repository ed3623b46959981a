import * as z from 'zod';

import { consoleRoles } from '../auth/roles';
import { route } from '../http/route';
import { levels,requestStatuses } from '../requests/model';
import { ulidId } from '../schemas/common';
import { userViewSchema } from '../users/model';

/** Who reads the command centre's figures: the desk staff of the three levels and the legal centre. */
const staff = consoleRoles;

/** `street`, `community:C01` or `grid:G001`; absent: the caller's own widest scope. */
const scopeQuery = z.object({
  scope: z
    .string()
    .regex(/^(street|community:C\d{2}|grid:G\d{3})$/, { error: '范围格式应为 street、community:C01 或 grid:G001' })
    .optional(),
});

const scopeSchema = z.object({ kind: z.enum(['street', 'community', 'grid']), id: z.string(), name: z.string(), communityId: z.string().optional() });
const share = z.number().nullable().meta({ description: '0..1, null when nothing was counted' });

const requestFiguresSchema = z.object({
  received: z.number(),
  accepted: z.number(),
  acceptedOnTime: z.number(),
  resolvedOnTime: z.number(),
  overdue: z.number(),
  onTimeRate: share,
  medianResolveHoursAtMost: z.number().nullable(),
  medianAcceptMinutesAtMost: z.number().nullable(),
  rated: z.number(),
  ratingAverage: z.number().nullable(),
  ratingHighShare: share,
  settled: z.object({ grid: z.number(), community: z.number(), street: z.number(), legal: z.number() }),
  settledInGridShare: share,
  settledInCommunityShare: share,
  escalated: z.number(),
  mediationCases: z.number(),
  mediationAgreements: z.number(),
  mediationSuccessRate: share,
  /** Filed through Open311: by the 12345 hotline, by other partners. */
  viaHotline: z.number(),
  viaPartner: z.number(),
});

export const postConsoleLogin = route({
  id: 'postConsoleLogin',
  method: 'POST',
  path: '/v1/console/logins',
  handler: 'functions/console/post-console-login.ts',
  summary: '扫码登录: the console asks for a login (expires in 2 minutes); it shows qrText as a QR code and keeps pollSecret to itself',
  tag: 'console',
  access: 'public',
  response: z.object({ loginId: z.string(), pollSecret: z.string(), qrText: z.string(), expiresAt: z.string() }),
  status: 201,
});

export const postConsoleLoginPoll = route({
  id: 'postConsoleLoginPoll',
  method: 'POST',
  path: '/v1/console/logins/{loginId}/poll',
  handler: 'functions/console/post-console-login-poll.ts',
  summary: 'The console polls its login: pending, then (once) the session of the staff member who approved it',
  tag: 'console',
  access: 'public',
  params: z.object({ loginId: z.string().regex(/^[A-Za-z0-9_-]{24}$/, { error: '二维码无效' }) }),
  body: z.object({ pollSecret: z.string().min(16).max(64) }),
  response: z.object({
    status: z.enum(['pending', 'approved']),
    expiresAt: z.string(),
    token: z.string().optional(),
    refreshToken: z.string().optional(),
    refreshExpiresAt: z.string().optional(),
    user: userViewSchema.optional(),
  }),
  status: 200,
});

export const postConsoleLoginApproval = route({
  id: 'postConsoleLoginApproval',
  method: 'POST',
  path: '/v1/console/logins/{loginId}/approval',
  handler: 'functions/console/post-console-login-approval.ts',
  summary: 'A staff member, signed in to the mini-program, approves the console login they scanned',
  tag: 'console',
  access: staff,
  params: z.object({ loginId: z.string().regex(/^[A-Za-z0-9_-]{24}$/, { error: '二维码无效' }) }),
  response: z.object({ approved: z.literal(true) }),
  status: 200,
});

export const getConsoleOverview = route({
  id: 'getConsoleOverview',
  method: 'GET',
  path: '/v1/console/overview',
  handler: 'functions/console/get-console-overview.ts',
  summary: '总览: today, this month and now for the sub-district, a community or a grid (one BatchGetItem)',
  tag: 'console',
  access: staff,
  query: scopeQuery,
  response: z.object({
    scope: scopeSchema,
    today: z.string(),
    month: z.string(),
    generatedAt: z.string(),
    requests: z.object({ receivedToday: z.number(), resolvedToday: z.number(), open: z.number(), overdueOpen: z.number(), month: requestFiguresSchema }),
    households: z.object({ red: z.number(), yellow: z.number(), green: z.number() }),
    visits: z.object({ dueToday: z.number(), doneToday: z.number(), dueMonth: z.number(), doneMonth: z.number(), doneLateMonth: z.number() }),
    volunteers: z.object({ activitiesHeld: z.number(), personTimes: z.number(), hours: z.number() }),
    jobs: z.object({ openings: z.number(), applications: z.number(), hires: z.number() }),
  }),
  status: 200,
});

const tileSchema = z.object({
  gridId: z.string(),
  name: z.string(),
  open: z.number(),
  overdueOpen: z.number(),
  red: z.number(),
  yellow: z.number(),
  green: z.number(),
  visitsDueToday: z.number(),
  visitsDoneToday: z.number(),
  visitsDueMonth: z.number(),
  visitsDoneMonth: z.number(),
  visitCompletion: share,
});

export const getConsoleGrids = route({
  id: 'getConsoleGrids',
  method: 'GET',
  path: '/v1/console/grids',
  handler: 'functions/console/get-console-grids.ts',
  summary: '网格图: every grid of the sub-district or a community, grouped by community, with the measures a tile is coloured by',
  tag: 'console',
  access: staff,
  query: scopeQuery,
  response: z.object({ scope: scopeSchema, communities: z.array(z.object({ communityId: z.string(), name: z.string(), grids: z.array(tileSchema) })) }),
  status: 200,
});

export const getConsoleGrid = route({
  id: 'getConsoleGrid',
  method: 'GET',
  path: '/v1/console/grids/{gridId}',
  handler: 'functions/console/get-console-grid.ts',
  summary: 'One grid: its workers\' backlog, overdue and visit completion, and the red households not yet visited today',
  tag: 'console',
  access: staff,
  params: z.object({ gridId: z.string().regex(/^G\d{3}$/, { error: '网格编号格式应为 G001' }) }),
  response: z.object({
    scope: scopeSchema,
    grid: z.object({ gridId: z.string(), name: z.string(), communityId: z.string(), communityName: z.string() }),
    open: z.number(),
    overdueOpen: z.number(),
    households: z.object({ red: z.number(), yellow: z.number(), green: z.number() }),
    workers: z.array(
      z.object({
        userId: z.string(),
        name: z.string(),
        workerType: z.enum(['full_time', 'part_time']),
        backlog: z.number(),
        overdue: z.number(),
        visitsDueToday: z.number(),
        visitsDoneToday: z.number(),
        visitsDueMonth: z.number(),
        visitsDoneMonth: z.number(),
        visitCompletion: share,
      }),
    ),
    redNotVisitedToday: z.array(z.object({ visitId: z.string(), householdId: z.string(), address: z.string(), dueDate: z.string(), workerId: z.string(), overdue: z.boolean() })),
  }),
  status: 200,
});

const seriesSchema = z.object({
  received: z.array(z.number()),
  resolvedOnTime: z.array(z.number()),
  onTimeRate: z.array(share),
  ratingAverage: z.array(z.number().nullable()),
});

export const getConsoleTrends = route({
  id: 'getConsoleTrends',
  method: 'GET',
  path: '/v1/console/trends',
  handler: 'functions/console/get-console-trends.ts',
  summary: '趋势: the last 12 months of received, on-time and satisfaction, overall, by type and by community (month of submission)',
  tag: 'console',
  access: staff,
  query: scopeQuery.extend({ months: z.coerce.number().int().min(1).max(24).default(12) }),
  response: z.object({
    scope: scopeSchema,
    months: z.array(z.string()),
    overall: seriesSchema,
    byType: z.array(seriesSchema.extend({ key: z.string(), name: z.string() })),
    byCommunity: z.array(seriesSchema.extend({ key: z.string(), name: z.string() })),
  }),
  status: 200,
});

export const getConsoleRequests = route({
  id: 'getConsoleRequests',
  method: 'GET',
  path: '/v1/console/requests',
  handler: 'functions/console/get-console-requests.ts',
  summary: '诉求 board: open requests in scope, overdue first (no content: the detail is read through GET /v1/requests/{id})',
  tag: 'console',
  access: staff,
  query: scopeQuery,
  response: z.object({
    scope: scopeSchema,
    items: z.array(
      z.object({
        requestId: z.string(),
        typeCode: z.string(),
        typeName: z.string(),
        status: z.enum(requestStatuses),
        statusName: z.string(),
        level: z.enum(levels).nullable(),
        levelName: z.string().nullable(),
        gridId: z.string().nullable(),
        gridName: z.string().nullable(),
        communityId: z.string().nullable(),
        assigneeName: z.string().nullable(),
        private: z.boolean(),
        createdAt: z.string(),
        dueAt: z.string().nullable(),
        overdue: z.boolean(),
        escalations: z.number(),
      }),
    ),
  }),
  status: 200,
});

const exportSchema = z.object({
  exportId: z.string(),
  kind: z.enum(['requests', 'grids', 'households']),
  scope: z.string(),
  status: z.enum(['pending', 'ready', 'failed']),
  createdAt: z.string(),
  readyAt: z.string().nullable(),
  rows: z.number().nullable(),
  fileName: z.string().nullable(),
  error: z.string().nullable(),
  downloadUrl: z.string().nullable().meta({ description: 'When ready: a link valid for 5 minutes' }),
});

export const postExport = route({
  id: 'postExport',
  method: 'POST',
  path: '/v1/exports',
  handler: 'functions/console/post-export.ts',
  summary: '导出: a large table as CSV (UTF-8 with BOM), built asynchronously; 202 with Location: /v1/exports/{exportId}',
  tag: 'console',
  access: staff,
  body: z.object({ kind: z.enum(['requests', 'grids', 'households'], { error: '导出内容应为 requests、grids 或 households' }), scope: scopeQuery.shape.scope }),
  response: exportSchema,
  status: 202,
  sends: ['exports'],
});

export const getExport = route({
  id: 'getExport',
  method: 'GET',
  path: '/v1/exports/{exportId}',
  handler: 'functions/console/get-export.ts',
  summary: 'An export of the caller\'s: pending, or ready with a 5-minute download link',
  tag: 'console',
  access: staff,
  params: z.object({ exportId: ulidId('导出编号无效') }),
  response: exportSchema,
  status: 200,
  photos: 'export',
});

export const consoleRoutes = [postConsoleLogin, postConsoleLoginPoll, postConsoleLoginApproval, getConsoleOverview, getConsoleGrids, getConsoleGrid, getConsoleTrends, getConsoleRequests, postExport, getExport];
