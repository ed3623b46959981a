import * as z from 'zod';

import { route } from '../http/route';
import { photoKeyPattern } from '../photos/keys';
import { requestTypeSchema } from '../requests/catalogue';
import { levels, requestStatuses, requestViewSchema, timelineEventSchema } from '../requests/model';
import { isoDateTime, pageOf, pageQuerySchema } from '../schemas/common';

const requestIdParam = z.object({ requestId: z.string().regex(/^R\d{6}[0-9A-Z]{6}$/, { error: '诉求编号格式不正确' }) });

export const getRequestTypes = route({
  id: 'getRequestTypes',
  method: 'GET',
  path: '/v1/request-types',
  handler: 'functions/requests/get-request-types.ts',
  summary: 'The request-type catalogue: fields, handler, SLA, privacy (Open311-style service definitions)',
  tag: 'requests',
  access: 'public',
  response: z.object({ items: z.array(requestTypeSchema) }),
  status: 200,
});

export const submitRequestBody = z.object({
  typeCode: z.string().min(1).max(40),
  description: z.string().trim().min(5, { error: '请简单描述一下情况（至少 5 个字）' }).max(1000),
  fields: z.record(z.string(), z.unknown()).default({}),
  /** Keys from POST /v1/uploads, uploaded by the same resident. */
  photos: z.array(z.string().regex(photoKeyPattern, { error: '照片编号格式不正确' })).max(9, { error: '最多 9 张照片' }).optional(),
  addressText: z.string().trim().max(200).optional(),
  /** Only needed when the resident has no household on file. */
  gridId: z.string().regex(/^G\d{3}$/).optional(),
});

export const postRequest = route({
  id: 'postRequest',
  method: 'POST',
  path: '/v1/requests',
  handler: 'functions/requests/post-request.ts',
  summary: 'Submit a request; answered 202 with its tracking number, routed through the intake queue',
  tag: 'requests',
  access: ['resident', 'volunteer'],
  body: submitRequestBody,
  response: requestViewSchema,
  status: 202,
  idempotent: true,
  sends: ['intake'],
  photos: 'attach',
});

export const postRequestOnBehalf = route({
  id: 'postRequestOnBehalf',
  method: 'POST',
  path: '/v1/households/{householdId}/requests',
  handler: 'functions/requests/post-request-on-behalf.ts',
  summary: '代办: a grid worker submits for a household member without a phone; the request is that person\'s, the household\'s members with the app follow it',
  tag: 'requests',
  access: ['grid_worker'],
  params: z.object({ householdId: z.string().regex(/^[A-Za-z0-9-]{4,32}$/) }),
  body: submitRequestBody.omit({ gridId: true }).extend({ personId: z.string().min(1, { error: '请选择为哪位成员代办' }).max(40) }),
  response: requestViewSchema,
  status: 202,
  idempotent: true,
  sends: ['intake'],
  photos: 'attach',
});

export const getMyRequests = route({
  id: 'getMyRequests',
  method: 'GET',
  path: '/v1/me/requests',
  handler: 'functions/requests/get-my-requests.ts',
  summary: 'The caller\'s own requests, newest first',
  tag: 'requests',
  access: 'authenticated',
  query: pageQuerySchema,
  response: pageOf(requestViewSchema),
  status: 200,
});

export const getRequestDetail = route({
  id: 'getRequestDetail',
  method: 'GET',
  path: '/v1/requests/{requestId}',
  handler: 'functions/requests/get-request.ts',
  summary: 'One request with its full timeline (private ones: requester and handlers only; audited)',
  // Reading a private request is audited: the read writes an audit entry (as a GET it would be read-only).
  tableAccess: 'readwrite',
  tag: 'requests',
  access: 'authenticated',
  params: requestIdParam,
  response: requestViewSchema.extend({ timeline: z.array(timelineEventSchema), photoUrls: z.array(z.string()) }),
  status: 200,
  photos: 'read',
});

const text = (min: number, max: number, error: string) => z.string().trim().min(min, { error }).max(max);

export const requestActionBody = z.discriminatedUnion('action', [
  z.object({ action: z.literal('accept') }),
  z.object({ action: z.literal('comment'), text: text(1, 500, '请填写回复内容') }),
  z.object({ action: z.literal('resolve'), outcome: z.enum(['resolved', 'not_resolved', 'referred']), note: text(2, 500, '请填写办理结果') }),
  z.object({ action: z.literal('escalate'), reason: text(2, 300, '请填写上报原因') }),
  z.object({ action: z.literal('reassign'), assigneeId: z.string().min(1).max(64), reason: text(2, 300, '请填写转派原因') }),
  z.object({ action: z.literal('duplicate'), of: requestIdParam.shape.requestId }),
  z.object({
    action: z.literal('mediation'),
    parties: z.array(z.string().trim().min(1).max(50)).min(2).max(10).optional(),
    mediatorId: z.string().max(64).optional(),
    agreementTerms: z.string().trim().min(2).max(2000).optional(),
    agreementDeadline: isoDateTime.optional(),
  }),
  z.object({ action: z.literal('follow_up'), note: text(2, 500, '请填写回访情况') }),
  z.object({ action: z.literal('confirm') }),
  z.object({ action: z.literal('reopen'), reason: text(2, 300, '请说明为什么还没有解决') }),
  z.object({ action: z.literal('rate'), score: z.number().int().min(1).max(5), comment: z.string().trim().max(300).optional() }),
]);

export const postRequestAction = route({
  id: 'postRequestAction',
  method: 'POST',
  path: '/v1/requests/{requestId}/actions',
  handler: 'functions/requests/post-request-action.ts',
  summary: 'Handle a request (accept, comment, resolve, escalate, reassign, duplicate, mediation, follow-up) or, as its requester, confirm, reopen, rate',
  tag: 'requests',
  access: 'authenticated',
  params: requestIdParam,
  body: requestActionBody,
  response: requestViewSchema,
  status: 200,
  sends: ['dispatch', 'notifications'],
});

export const inboxItemSchema = z.object({
  requestId: z.string(),
  typeCode: z.string(),
  typeName: z.string(),
  status: z.enum(requestStatuses),
  level: z.enum(levels).nullable(),
  assigneeId: z.string().nullable(),
  private: z.boolean(),
  summary: z.string(),
  dueAt: z.string().nullable(),
  overdue: z.boolean(),
  createdAt: z.string(),
  /** Filed by another system (Open311): the 12345 hotline or the partner's name. */
  channel: z.string().nullable(),
});

export const getInbox = route({
  id: 'getInbox',
  method: 'GET',
  path: '/v1/inbox',
  handler: 'functions/requests/get-inbox.ts',
  summary: 'Worker/staff queue scoped to their grid, community, the sub-district or the legal centre; by status, oldest due first',
  tag: 'requests',
  access: ['grid_worker', 'community_staff', 'street_staff', 'legal_officer'],
  query: pageQuerySchema.extend({
    status: z.enum(['assigned', 'in_progress', 'resolved', 'closed']).default('assigned'),
    level: z.enum(levels).optional(),
  }),
  response: pageOf(inboxItemSchema),
  status: 200,
});

export const statsRowSchema = z.object({
  key: z.string(),
  communityId: z.string().optional(),
  submitted: z.number(),
  accepted: z.number(),
  acceptedOnTime: z.number(),
  resolved: z.number(),
  notResolved: z.number(),
  escalated: z.number(),
  mediationAgreements: z.number(),
  medianAcceptMinutesAtMost: z.number().nullable(),
  medianResolveHoursAtMost: z.number().nullable(),
});

export const getStats = route({
  id: 'getStats',
  method: 'GET',
  path: '/v1/stats',
  handler: 'functions/stats/get-stats.ts',
  summary: 'Figures for a month: requests by grid, community, type or overall (community staff: their community only); domain=jobs: openings, applications, hires overall or by employer kind (by=type)',
  tag: 'stats',
  access: ['admin', 'street_staff', 'community_staff'],
  query: z.object({
    month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, { error: '月份格式为 YYYY-MM' }),
    by: z.enum(['all', 'grid', 'community', 'type']).default('all'),
    /** One domain per call, so that every call is one Query. */
    domain: z.enum(['requests', 'jobs', 'households', 'visits']).default('requests'),
  }),
  response: z.object({
    month: z.string(),
    by: z.string(),
    requests: z.array(statsRowSchema),
    jobs: z.array(z.object({ key: z.string(), openings: z.number(), applications: z.number(), hires: z.number() })),
    /** domain=households: current households by colour; domain=visits: the month's visits. */
    households: z.array(z.object({ key: z.string(), communityId: z.string().optional(), red: z.number(), yellow: z.number(), green: z.number() })).optional(),
    visits: z.array(z.object({ key: z.string(), communityId: z.string().optional(), due: z.number(), done: z.number(), doneLate: z.number() })).optional(),
  }),
  status: 200,
});

export const requestRoutes = [getRequestTypes, postRequest, postRequestOnBehalf, getMyRequests, getRequestDetail, postRequestAction, getInbox, getStats];
