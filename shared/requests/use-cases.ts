import { readableId } from '../ids';
import { writeAudit } from '../audit/audit';
import { hasRole } from '../auth/authorize';
import type { Principal } from '../auth/principal';
import { bodyHash, idempotencyKeyPattern, idempotencyPut, replayOf } from '../db/idempotency';
import { BadRequestError, ConflictError, ForbiddenError, NotFoundError } from '../errors';
import { links } from '../links';
import { logger } from '../logger';
import { businessMetrics, countEvent, recordRoutingLatency } from '../metrics';
import { notificationMessage } from '../notifications/notify';
import type { NotificationTemplate } from '../notifications/templates';
import { getGrid, getStreet, homeStreetId } from '../org/repository';
import { flushOutbox, newOutboxEntry, outboxPut, type OutboxEntry } from '../queue/messages';
import { getUser, userIdsByPhoneHash } from '../users/repository';
import { getHousehold } from '../households/repository';
import { lookupHash, unseal } from '../pii/crypto';
import { parseInput } from '../validation';
import { canRead, isHandler, speaksForRequester } from './access';
import { fieldsSchemaOf, requestType, requestTypes, type RequestType } from './catalogue';
import {
  levelNames,
  statusNames,
  type EventKind,
  type Level,
  type RequestStatus,
  reopenEnds,
  type RequestView,
  type ServiceRequest,
  type TimelineEvent,
} from './model';
import {
  createRequest,
  getRequest,
  getRequestWithTimeline,
  followerPut,
  listByRequester,
  listInbox,
  listSlaDue,
  listUnrouted,
  saveTransition,
  type TransactItem,
} from './repository';
import { figureChange, figureDelta, type FigureChange } from './stats';
import { counterDeltaPut, foldCounterDeltas } from '../stats/counters';
import { attachPhotos, photoUrls } from '../photos/photos';

const minute = 60_000;
const hour = 60 * minute;
/** A resident may reopen a resolved request within this time. */
const streetId = homeStreetId;

function typeOf(r: ServiceRequest): RequestType {
  const t = requestType(r.typeCode);
  if (!t) throw new Error(`request ${r.requestId} has unknown type ${r.typeCode}`);
  return t;
}

function newRequestId(now: Date): string {
  return readableId('R', now);
}

export function toView(r: ServiceRequest, now = new Date()): RequestView {
  const t = requestType(r.typeCode);
  const open = r.status !== 'resolved' && r.status !== 'closed';
  const expectedBy = r.resolveDueAt ?? null;
  return {
    requestId: r.requestId,
    requesterId: r.requesterId,
    onBehalfOf: r.onBehalf ? { name: r.onBehalf.name, submittedByName: r.onBehalf.submittedByName } : null,
    typeCode: r.typeCode,
    typeName: t?.name ?? r.typeCode,
    status: r.status,
    statusName: statusNames[r.status],
    description: r.description,
    fields: r.fields,
    photos: r.photos,
    addressText: r.addressText ?? null,
    gridId: r.gridId ?? null,
    level: r.level ?? null,
    assigneeId: r.assigneeId ?? null,
    assigneeName: r.assigneeId ? (r.assigneeName ?? null) : null,
    private: r.private,
    outcome: r.outcome ?? null,
    duplicateOf: r.duplicateOf ?? null,
    mediation: (r.mediation as Record<string, unknown> | undefined) ?? null,
    rating: r.rating ?? null,
    createdAt: r.createdAt,
    acceptedAt: r.acceptedAt ?? null,
    resolvedAt: r.resolvedAt ?? null,
    expectedBy,
    overdue: open && !!expectedBy && now.toISOString() > expectedBy,
    escalations: r.escalations,
    reopenUntil: r.status === 'resolved' && r.resolvedAt ? reopenEnds(r.resolvedAt) : null,
    version: r.version,
  };
}

/** The name kept with an assignment (absent if the user is gone). */
async function nameOf(userId: string): Promise<{ assigneeName?: string }> {
  const u = await getUser(userId);
  return u ? { assigneeName: u.name } : {};
}

function event(r: ServiceRequest, seq: number, kind: EventKind, actorId: string, text: string, at: Date, data?: Record<string, unknown>): TimelineEvent {
  return { seq, kind, at: at.toISOString(), actorId, text, ...(data ? { data } : {}) };
}

function notify(userId: string, template: NotificationTemplate, r: ServiceRequest, data: Record<string, string>): OutboxEntry {
  return newOutboxEntry(
    notificationMessage({
      // Deterministic: a redelivered transition never notifies twice.
      notificationId: `${r.requestId}-v${r.version}-${template}-${userId}`,
      userId,
      template,
      data: { requestId: r.requestId, type: typeOf(r).name, ...data },
      // The resident follows their request; everyone else is told as the one handling it.
      page: links.request(r.requestId, userId === r.requesterId || r.followerIds?.includes(userId) ? 'requester' : 'handler'),
    }),
  );
}

/** Tells whoever speaks for the requester: the resident, or (代办) the household members who follow it. */
function notifyRequester(r: ServiceRequest, data: Record<string, string>): OutboxEntry[] {
  const to = r.onBehalf ? (r.followerIds ?? []) : [r.requesterId];
  return to.map((userId) => notify(userId, 'request_status', r, data));
}

function dispatch(r: ServiceRequest, kind: 'assigned' | 'escalated' | 'reassigned'): OutboxEntry {
  return newOutboxEntry({
    queue: 'dispatch',
    body: { requestId: r.requestId, version: r.version, kind },
    groupId: r.gridId ?? r.level ?? 'street',
    dedupId: `${r.requestId}-v${r.version}`,
  });
}

// ---------------------------------------------------------------------------------------------
// Submit

export interface SubmitInput {
  typeCode: string;
  description: string;
  fields: Record<string, unknown>;
  photos?: string[];
  addressText?: string;
  gridId?: string;
}

export async function submitRequest(p: Principal, input: SubmitInput, idempotencyKey: string | undefined, now = new Date()): Promise<RequestView> {
  return submitFor(p, { requesterId: p.userId }, input, idempotencyKey, now);
}

/**
 * 代办: a grid worker, on a visit, submits for a household member who has no phone. The request is
 * that person's; the worker is recorded as its submitter; the household's members who use the app
 * (found by the keyed hash of the members' phone numbers) follow it: they read it, are told of its
 * progress, and may confirm or rate it.
 */
export async function submitOnBehalf(
  worker: Principal,
  householdId: string,
  personId: string,
  input: SubmitInput,
  idempotencyKey: string | undefined,
  now = new Date(),
): Promise<RequestView> {
  const h = await getHousehold(householdId, true);
  // Another grid's household does not exist for this worker.
  if (!h || !hasRole(worker, 'grid_worker') || h.gridId !== worker.gridId) throw new NotFoundError('HOUSEHOLD_NOT_FOUND', '没有找到这户，或不在您的网格');
  const person = h.members.find((m) => m.personId === personId);
  if (!person) throw new BadRequestError('VALIDATION_FAILED', '这户没有这位成员', [{ field: 'body.personId', reason: 'not_found', message: '请从这户的成员中选择' }]);
  const followerIds = new Set<string>();
  for (const m of h.members) {
    if (!m.phone) continue;
    for (const id of await userIdsByPhoneHash(await lookupHash('phone', await unseal(m.phone)))) followerIds.add(id);
  }
  const submitter = await getUser(worker.userId);
  return submitFor(
    worker,
    {
      requesterId: `person-${householdId}-${personId}`,
      requestedGridId: h.gridId,
      onBehalf: { householdId, personId, name: person.name, submittedBy: worker.userId, submittedByName: submitter?.name ?? '网格员' },
      ...(followerIds.size ? { followerIds: [...followerIds].sort() } : {}),
    },
    input,
    idempotencyKey,
    now,
  );
}

type Owner = Pick<ServiceRequest, 'requesterId'> & Partial<Pick<ServiceRequest, 'requestedGridId' | 'onBehalf' | 'followerIds'>>;

/** Validates and stores a new request for its owner (the caller, or the person a worker acts for). */
async function submitFor(p: Principal, owner: Owner, input: SubmitInput, idempotencyKey: string | undefined, now: Date): Promise<RequestView> {
  const type = requestType(input.typeCode);
  if (!type) {
    throw new BadRequestError('UNKNOWN_REQUEST_TYPE', '没有这种诉求类型，请重新选择', [
      { field: 'body.typeCode', reason: 'unknown', message: `可选：${requestTypes.map((t) => t.code).join('、')}` },
    ]);
  }
  const fields = parseInput(fieldsSchemaOf(type), input.fields ?? {}, 'body.fields');
  if (idempotencyKey !== undefined && !idempotencyKeyPattern.test(idempotencyKey)) {
    throw new BadRequestError('INVALID_IDEMPOTENCY_KEY', '请求编号格式不正确', [
      { field: 'headers.idempotency-key', reason: 'invalid_format', message: '8-128 位字母、数字、- 或 _' },
    ]);
  }
  const hash = bodyHash(input);
  if (idempotencyKey) {
    const earlier = await replayOf(p.userId, idempotencyKey, hash);
    if (earlier) return toView((await getRequest(earlier, true))!, now);
  }
  // A readable id is random within the day (about a billion): two requests may draw the same one.
  // Creation is conditional, so the second is refused and draws again instead of failing the resident.
  for (let attempt = 0; ; attempt++) {
    const requestId = newRequestId(now);
    const photos = input.photos?.length ? await attachPhotos(p, requestId, input.photos) : [];
    const r: ServiceRequest = {
      requestId,
      typeCode: type.code,
      ...owner,
      description: input.description,
      fields,
      photos,
      ...(input.addressText ? { addressText: input.addressText } : {}),
      ...(input.gridId && !owner.requestedGridId ? { requestedGridId: input.gridId } : {}),
      status: 'submitted',
      private: type.private,
      createdAt: now.toISOString(),
      escalations: 0,
      reopenCount: 0,
      version: 1,
    };
    const intake = newOutboxEntry({ queue: 'intake', body: { requestId: r.requestId } });
    const also: TransactItem[] = [outboxPut(intake)];
    if (idempotencyKey) also.push(idempotencyPut(p.userId, idempotencyKey, hash, r.requestId));
    // The household's members with the app find it in 我的诉求 too, from the moment it exists.
    for (const followerId of r.followerIds ?? []) also.push(followerPut(r, followerId));
    try {
      const text = r.onBehalf ? `网格员${r.onBehalf.submittedByName}代${r.onBehalf.name}提交，正在分派给负责的工作人员` : '诉求已提交，正在分派给负责的工作人员';
      await createRequest(r, event(r, 1, 'submitted', p.userId, text, now), also);
    } catch (err) {
      // The same key resent at the same moment: the other copy won; answer with its request.
      if (idempotencyKey) {
        const earlier = await replayOf(p.userId, idempotencyKey, hash);
        if (earlier) return toView((await getRequest(earlier, true))!, now);
      }
      const idTaken = (err as { CancellationReasons?: { Code?: string }[] }).CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed';
      if (idTaken && attempt < 3) {
        logger.warn('request id drawn twice; drawing another', { requestId });
        continue;
      }
      throw err;
    }
    await flushOutbox([intake]);
    countEvent(businessMetrics.requestSubmitted);
    return toView(r, now);
  }
}

/**
 * Commits a state change of a request: the request at its next version, its timeline entries,
 * its outbox entries and its counter delta in one transaction; then sends the messages and folds
 * the delta (both safe to lose to a crash: the reconcile schedule finishes them). False when
 * someone else changed the request first.
 */
async function commitTransition(before: ServiceRequest, after: ServiceRequest, events: TimelineEvent[], entries: OutboxEntry[], change: FigureChange): Promise<boolean> {
  const delta = figureDelta(after, change);
  const saved = await saveTransition(before.version, after, events, [...entries.map(outboxPut), ...(delta ? [counterDeltaPut(delta)] : [])]);
  if (!saved) return false;
  await flushOutbox(entries);
  if (delta) await foldCounterDeltas([delta]);
  return true;
}

// ---------------------------------------------------------------------------------------------
// Route (intake consumer)

/**
 * Resolves the grid (the resident's household, else the grid they named) and the handler (the
 * full-time worker first, the part-time one as backup; a legal officer for legal aid, with the
 * grid worker informed), records the assignment and hands it to dispatch. Safe to run twice: the
 * version check lets exactly one assignment commit.
 */
export async function routeRequest(requestId: string, now = new Date()): Promise<'assigned' | 'already_routed'> {
  const r = await getRequest(requestId, true);
  if (!r) throw new Error(`request ${requestId} not found`);
  if (r.status !== 'submitted') return 'already_routed';
  const type = typeOf(r);
  const requester = await getUser(r.requesterId);
  const gridId = requester?.gridId ?? r.requestedGridId;
  const grid = gridId ? await getGrid(gridId) : null;
  const fullTime = grid ? Object.entries(grid.workers).filter(([, t]) => t === 'full_time').map(([id]) => id).sort() : [];
  const partTime = grid ? Object.entries(grid.workers).filter(([, t]) => t === 'part_time').map(([id]) => id).sort() : [];
  const gridWorker = fullTime[0] ?? partTime[0];

  let level: Level;
  let assigneeId: string | undefined;
  let informedIds: string[] = [];
  if (type.handler === 'legal_officer') {
    level = 'legal';
    const officers = (await getStreet(streetId))?.legalOfficerIds ?? [];
    // Spread evenly and deterministically, so a redelivery picks the same officer.
    assigneeId = officers.length ? officers[parseInt(r.requestId.slice(-4), 36) % officers.length] : undefined;
    if (type.informGridWorker && gridWorker) informedIds = [gridWorker];
  } else if (grid && gridWorker) {
    level = 'grid';
    assigneeId = gridWorker;
  } else {
    // No grid known: the sub-district's command centre triages it.
    level = 'street';
  }

  const after: ServiceRequest = {
    ...r,
    status: 'assigned',
    level,
    ...(grid ? { gridId: grid.gridId, communityId: grid.communityId } : {}),
    streetId,
    ...(assigneeId ? { assigneeId, ...(await nameOf(assigneeId)) } : {}),
    ...(informedIds.length ? { informedIds } : {}),
    assignedAt: now.toISOString(),
    acceptDueAt: new Date(now.getTime() + type.sla.acceptMinutes * minute).toISOString(),
    resolveDueAt: new Date(now.getTime() + type.sla.resolveHours * hour).toISOString(),
    version: r.version + 1,
  };
  const where = `${levelNames[level]}${grid && level === 'grid' ? `（${grid.name}）` : ''}`;
  const entries = [dispatch(after, 'assigned')];
  const saved = await commitTransition(
    r,
    after,
    [event(after, after.version, 'assigned', 'system', `已分派至${where}，请等待工作人员受理`, now, { level, assigneeId, gridId: grid?.gridId })],
    entries,
    figureChange(r, after, now, { mediation: type.mediation }),
  );
  if (!saved) return 'already_routed';
  countEvent(businessMetrics.requestRouted);
  recordRoutingLatency(now.getTime() - Date.parse(r.createdAt));
  return 'assigned';
}

// ---------------------------------------------------------------------------------------------
// Dispatch (dispatch.fifo consumer): tell the people who now hold the request.

export async function dispatchAssignment(requestId: string, version: number): Promise<OutboxEntry[]> {
  const r = await getRequest(requestId, true);
  if (!r || r.version < version) throw new Error(`request ${requestId} v${version} not visible yet`);
  const entries: OutboxEntry[] = [];
  const data = { level: levelNames[r.level ?? 'street'], due: r.acceptDueAt ?? '' };
  const atVersion = { ...r, version };
  if (r.assigneeId) entries.push(notify(r.assigneeId, 'request_assigned', atVersion, data));
  for (const id of r.informedIds ?? []) entries.push(notify(id, 'request_informed', atVersion, data));
  return entries;
}

// ---------------------------------------------------------------------------------------------
// Read

export async function readRequest(p: Principal, requestId: string, now = new Date()) {
  const found = await getRequestWithTimeline(requestId);
  if (!found || !canRead(p, found.request)) {
    // Not found and not yours look the same: a tracking number reveals nothing about others.
    throw new NotFoundError('REQUEST_NOT_FOUND', '没有找到这条诉求');
  }
  if (found.request.private) {
    await writeAudit({ actorId: p.userId, action: 'request.read', targetType: 'request', targetId: requestId, detail: { typeCode: found.request.typeCode } });
  }
  return { ...toView(found.request, now), timeline: found.timeline.sort((a, b) => a.seq - b.seq), photoUrls: await photoUrls(found.request.photos ?? []) };
}

export async function listMyRequests(p: Principal, limit: number, cursor: string | undefined, now = new Date()) {
  const page = await listByRequester(p.userId, limit, cursor);
  return { items: page.items.map((r) => toView(r, now)), nextCursor: page.nextCursor };
}

/** The queue the caller works from, by their role (or the one they chose among theirs). */
export function inboxQueueOf(p: Principal, level?: Level): string {
  const options: [Level, string | null][] = [
    ['grid', hasRole(p, 'grid_worker') && p.gridId ? `GRID#${p.gridId}` : null],
    ['legal', hasRole(p, 'legal_officer') ? `LEGAL#${streetId}` : null],
    ['community', hasRole(p, 'community_staff') && p.communityId ? `COMMUNITY#${p.communityId}` : null],
    ['street', hasRole(p, 'street_staff') ? `STREET#${streetId}` : null],
  ];
  const mine = options.filter(([, q]) => q !== null) as [Level, string][];
  const chosen = level ? mine.find(([l]) => l === level) : mine[0];
  if (!chosen) throw new ForbiddenError('NO_INBOX', level ? `您不负责${levelNames[level]}一级的诉求` : '您没有需要处理的诉求队列');
  return chosen[1];
}

export async function listInboxFor(p: Principal, q: { status: RequestStatus; level?: Level; limit: number; cursor?: string }, now = new Date()) {
  const queue = inboxQueueOf(p, q.level);
  const page = await listInbox(queue, q.status, q.limit, q.cursor);
  return {
    items: page.items.map((r) => {
      const visible = canRead(p, r);
      return {
        requestId: r.requestId,
        typeCode: r.typeCode,
        typeName: typeOf(r).name,
        status: r.status,
        level: r.level ?? null,
        assigneeId: r.assigneeId ?? null,
        private: r.private,
        // A private request held by the other worker shows in the shared queue without content.
        summary: visible ? r.description.slice(0, 60) : '（隐私事项，仅承办人可见）',
        dueAt: r.status === 'assigned' ? (r.acceptDueAt ?? null) : (r.resolveDueAt ?? null),
        overdue: toView(r, now).overdue || (r.status === 'assigned' && !!r.acceptDueAt && now.toISOString() > r.acceptDueAt),
        createdAt: r.createdAt,
      };
    }),
    nextCursor: page.nextCursor,
  };
}

// ---------------------------------------------------------------------------------------------
// Actions

export type Action =
  | { action: 'accept' }
  | { action: 'comment'; text: string }
  | { action: 'resolve'; outcome: 'resolved' | 'not_resolved' | 'referred'; note: string }
  | { action: 'escalate'; reason: string }
  | { action: 'reassign'; assigneeId: string; reason: string }
  | { action: 'duplicate'; of: string }
  | { action: 'mediation'; parties?: string[]; mediatorId?: string; agreementTerms?: string; agreementDeadline?: string }
  | { action: 'follow_up'; note: string }
  | { action: 'confirm' }
  | { action: 'reopen'; reason: string }
  | { action: 'rate'; score: number; comment?: string };

const requesterActions = new Set(['confirm', 'reopen', 'rate']);

function refuse(code: string, message: string): never {
  throw new ConflictError(code, message);
}

function nextLevel(l: Level | undefined): Level | null {
  if (l === 'grid') return 'community';
  if (l === 'community' || l === 'legal') return 'street';
  return null;
}

/** Marks a request overdue when a step is done after its deadline (the sweep may not have seen it yet). */
function lateMark(r: ServiceRequest, deadline: string | undefined, at: string): { overdueAt?: string } {
  return !r.overdueAt && deadline && at > deadline ? { overdueAt: at } : {};
}

/** The transition itself: pure, so that the SLA sweep and the route share one set of rules. */
function escalated(r: ServiceRequest, type: RequestType, now: Date): ServiceRequest {
  const to = nextLevel(r.level);
  if (!to) refuse('ALREADY_TOP_LEVEL', '已在街道一级，不能再上报');
  const { assigneeId: _gone, assigneeName: _name, ...rest } = r;
  return {
    ...rest,
    status: 'assigned',
    level: to,
    escalations: r.escalations + 1,
    acceptDueAt: new Date(now.getTime() + type.sla.acceptMinutes * minute).toISOString(),
    resolveDueAt: new Date(now.getTime() + type.sla.resolveHours * hour).toISOString(),
    version: r.version + 1,
  };
}

export async function act(p: Principal, requestId: string, a: Action, now = new Date()): Promise<RequestView> {
  const r = await getRequest(requestId, true);
  if (!r || !canRead(p, r)) throw new NotFoundError('REQUEST_NOT_FOUND', '没有找到这条诉求');
  const type = typeOf(r);
  const isRequester = speaksForRequester(p, r);
  if (requesterActions.has(a.action) && !isRequester) throw new ForbiddenError('REQUESTER_ONLY', '只有提出诉求的居民本人可以这样操作');
  if (!requesterActions.has(a.action) && !(a.action === 'comment' && isRequester) && !isHandler(p, r)) {
    throw new ForbiddenError('NOT_HANDLER', '这条诉求目前不由您承办');
  }

  const v = r.version + 1;
  let after: ServiceRequest = { ...r, version: v };
  const events: TimelineEvent[] = [];
  const entries: OutboxEntry[] = [];
  const at = now.toISOString();

  switch (a.action) {
    case 'accept': {
      if (r.status !== 'assigned') refuse('INVALID_TRANSITION', `诉求${statusNames[r.status]}，不能受理`);
      after = { ...after, status: 'in_progress', assigneeId: p.userId, ...(await nameOf(p.userId)), acceptedAt: r.acceptedAt ?? at, ...lateMark(r, r.acceptDueAt, at) };
      events.push(event(after, v, 'accepted', p.userId, `${levelNames[r.level!]}工作人员已受理，正在办理`, now));
      entries.push(...notifyRequester(after, { status: '办理中' }));
      break;
    }
    case 'comment': {
      if (r.status === 'closed') refuse('INVALID_TRANSITION', '诉求已关闭，不能再留言');
      events.push(event(after, v, 'commented', p.userId, a.text, now));
      if (!isRequester) entries.push(...notifyRequester(after, { status: '有新回复' }));
      break;
    }
    case 'resolve': {
      if (r.status !== 'in_progress') refuse('INVALID_TRANSITION', `诉求${statusNames[r.status]}，不能办结`);
      after = { ...after, status: 'resolved', outcome: a.outcome, resolvedAt: at, ...lateMark(r, r.resolveDueAt, at) };
      const outcomeText = { resolved: '已解决', not_resolved: '未能解决', referred: '已转交其他部门' }[a.outcome];
      events.push(event(after, v, 'resolved', p.userId, `办结（${outcomeText}）：${a.note}`, now, { outcome: a.outcome }));
      entries.push(...notifyRequester(after, { status: '已办结，请确认' }));
      break;
    }
    case 'escalate': {
      if (r.status !== 'assigned' && r.status !== 'in_progress') refuse('INVALID_TRANSITION', `诉求${statusNames[r.status]}，不能上报`);
      after = escalated(r, type, now);
      events.push(event(after, v, 'escalated', p.userId, `上报至${levelNames[after.level!]}：${a.reason}`, now, { from: r.level, to: after.level }));
      entries.push(dispatch(after, 'escalated'), ...notifyRequester(after, { status: `已上报${levelNames[after.level!]}` }));
      break;
    }
    case 'reassign': {
      if (r.status !== 'assigned' && r.status !== 'in_progress') refuse('INVALID_TRANSITION', `诉求${statusNames[r.status]}，不能转派`);
      const target = await getUser(a.assigneeId);
      const targetPrincipal = target && { userId: target.userId, roles: target.roles, gridId: target.gridId, communityId: target.communityId };
      if (!targetPrincipal || !isHandler(targetPrincipal, { ...r, assigneeId: target.userId })) {
        throw new BadRequestError('INVALID_ASSIGNEE', '只能转派给本级的工作人员', [{ field: 'body.assigneeId', reason: 'out_of_scope', message: '该人员不负责此诉求' }]);
      }
      after = { ...after, status: 'assigned', assigneeId: target.userId, assigneeName: target.name, acceptDueAt: new Date(now.getTime() + type.sla.acceptMinutes * minute).toISOString() };
      events.push(event(after, v, 'reassigned', p.userId, `转派给${target.name}：${a.reason}`, now, { assigneeId: target.userId }));
      entries.push(dispatch(after, 'reassigned'));
      break;
    }
    case 'duplicate': {
      if (r.status === 'closed') refuse('INVALID_TRANSITION', '诉求已关闭');
      if (a.of === r.requestId) throw new BadRequestError('INVALID_DUPLICATE', '不能标记为自身的重复', [{ field: 'body.of', reason: 'self', message: '请填写另一条诉求的编号' }]);
      if (!(await getRequest(a.of))) throw new BadRequestError('INVALID_DUPLICATE', '被重复的诉求不存在', [{ field: 'body.of', reason: 'not_found', message: '诉求编号不存在' }]);
      after = { ...after, status: 'closed', outcome: 'duplicate', duplicateOf: a.of, closedAt: at };
      events.push(event(after, v, 'duplicate', p.userId, `与诉求 ${a.of} 重复，合并办理`, now, { of: a.of }));
      entries.push(...notifyRequester(after, { status: `与 ${a.of} 合并办理` }));
      break;
    }
    case 'mediation': {
      if (!type.mediation) refuse('NOT_A_MEDIATION', '只有矛盾纠纷调解类诉求才记录调解');
      if (r.status !== 'in_progress') refuse('INVALID_TRANSITION', '请先受理再记录调解');
      const agreed = a.agreementTerms && !r.mediation?.agreedAt;
      after = {
        ...after,
        mediation: {
          ...r.mediation,
          ...(a.parties ? { parties: a.parties } : {}),
          mediatorId: a.mediatorId ?? r.mediation?.mediatorId ?? p.userId,
          ...(a.agreementTerms ? { agreementTerms: a.agreementTerms } : {}),
          ...(a.agreementDeadline ? { agreementDeadline: a.agreementDeadline } : {}),
          ...(agreed ? { agreedAt: at } : {}),
        },
      };
      events.push(event(after, v, 'mediation_recorded', p.userId, agreed ? `达成调解协议：${a.agreementTerms}` : '记录调解情况', now, { ...a }));
      break;
    }
    case 'follow_up': {
      if (!type.mediation) refuse('NOT_A_MEDIATION', '只有矛盾纠纷调解类诉求需要回访');
      after = { ...after, mediation: { ...r.mediation, followUps: (r.mediation?.followUps ?? 0) + 1 } };
      events.push(event(after, v, 'follow_up', p.userId, `回访：${a.note}`, now));
      break;
    }
    case 'confirm': {
      if (r.status !== 'resolved') refuse('INVALID_TRANSITION', '诉求尚未办结，不能确认');
      after = { ...after, status: 'closed', closedAt: at };
      events.push(event(after, v, 'confirmed', p.userId, '居民已确认办结', now));
      break;
    }
    case 'reopen': {
      if (r.status !== 'resolved') refuse('INVALID_TRANSITION', '只有已办结待确认的诉求可以重新打开');
      if (reopenEnds(r.resolvedAt!) < now.toISOString()) refuse('REOPEN_WINDOW_PASSED', '办结已超过 7 天，不能重新打开，请提交新的诉求');
      const { outcome: _o, resolvedAt: _r, ...rest } = after;
      after = { ...rest, status: 'in_progress', reopenCount: r.reopenCount + 1, resolveDueAt: new Date(now.getTime() + type.sla.resolveHours * hour).toISOString() };
      events.push(event(after, v, 'reopened', p.userId, `居民重新打开：${a.reason}`, now));
      // Back to the same worker, who is told.
      if (r.assigneeId) entries.push(notify(r.assigneeId, 'request_assigned', after, { level: '重新打开', due: after.resolveDueAt! }));
      break;
    }
    case 'rate': {
      if (r.status !== 'resolved' && r.status !== 'closed') refuse('INVALID_TRANSITION', '办结后才能评价');
      if (r.rating) refuse('ALREADY_RATED', '您已经评价过了');
      after = { ...after, rating: { score: a.score, ...(a.comment ? { comment: a.comment } : {}), at } };
      events.push(event(after, v, 'rated', p.userId, `评价 ${a.score} 星${a.comment ? `：${a.comment}` : ''}`, now, { score: a.score }));
      break;
    }
  }

  const saved = await commitTransition(r, after, events, entries, figureChange(r, after, now));
  if (!saved) throw new ConflictError('CONCURRENT_UPDATE', '这条诉求刚被其他人处理过，请刷新后再试');
  if (after.status === 'closed' && r.status !== 'closed') countEvent(businessMetrics.requestClosed);
  return toView(after, now);
}

// ---------------------------------------------------------------------------------------------
// SLA sweep (schedule)

/** How long the router normally takes, at most, before a submitted request counts as stuck. */
export const routingGraceMs = 2 * 60_000;

/**
 * Routes every request still `submitted` after the grace period: its intake message was lost (a
 * crash of the local queue emulator, a message in the dead-letter queue in AWS). Idempotent with
 * the router: whichever commits the assignment first wins, the other finds it routed.
 */
export async function redriveUnrouted(now = new Date(), graceMs = routingGraceMs, maxPages = 20): Promise<{ rerouted: number; alreadyRouted: number }> {
  const result = { rerouted: 0, alreadyRouted: 0 };
  const before = new Date(now.getTime() - graceMs);
  for (let page = 0; page < maxPages; page++) {
    // Routed requests leave the partition, so each pass reads from the oldest again.
    const stuck = await listUnrouted(before, 50);
    for (const r of stuck.items) {
      if ((await routeRequest(r.requestId, now)) === 'assigned') result.rerouted++;
      else result.alreadyRouted++;
    }
    if (stuck.items.length < 50) break;
  }
  if (result.rerouted > 0) {
    logger.warn('re-drove requests whose routing was lost', result);
    countEvent(businessMetrics.requestRerouted, result.rerouted);
  }
  return result;
}

/**
 * Escalates every open request past its deadline one level: grid -> community -> sub-district
 * (legal centre -> sub-district), never past the sub-district. At the top the breach is put on
 * the timeline once and the request leaves the sweep's index. A resolved request the resident
 * has neither confirmed nor reopened within 7 days is closed. `now` is the schedule's clock.
 */
export async function sweepSla(now = new Date(), maxPages = 20): Promise<{ escalated: number; breachedAtTop: number; closed: number; skipped: number; rerouted: number }> {
  const result = { escalated: 0, breachedAtTop: 0, closed: 0, skipped: 0, rerouted: 0 };
  result.rerouted = (await redriveUnrouted(now)).rerouted;
  // Each pass re-reads from the oldest: a handled request has left the index (its next deadline
  // moved on), so the cursor of a page already changed would skip entries.
  for (let page = 0; page < maxPages; page++) {
    const due = await listSlaDue(now, 50);
    for (const stale of due.items) {
      const r = await getRequest(stale.requestId, true);
      if (!r) continue;
      if (r.status === 'resolved') {
        if (await closeUnconfirmed(r, now)) result.closed++;
        else result.skipped++;
        continue;
      }
      const deadline = r.status === 'assigned' ? r.acceptDueAt : r.status === 'in_progress' ? r.resolveDueAt : undefined;
      if (!deadline || deadline > now.toISOString() || r.breachedAtTop) {
        result.skipped++;
        continue;
      }
      const type = typeOf(r);
      const what = r.status === 'assigned' ? '超时未受理' : '超时未办结';
      const to = nextLevel(r.level);
      let after: ServiceRequest;
      let events: TimelineEvent[];
      let entries: OutboxEntry[];
      if (to) {
        after = { ...escalated(r, type, now), overdueAt: r.overdueAt ?? now.toISOString() };
        events = [event(after, after.version, 'escalated', 'system', `${what}，自动上报至${levelNames[to]}`, now, { from: r.level, to, automatic: true })];
        entries = [dispatch(after, 'escalated'), ...notifyRequester(after, { status: `已上报${levelNames[to]}` })];
      } else {
        after = { ...r, breachedAtTop: true, overdueAt: r.overdueAt ?? now.toISOString(), version: r.version + 1 };
        events = [event(after, after.version, 'overdue', 'system', `${what}，已由街道督办`, now, { automatic: true })];
        entries = [];
      }
      const saved = await commitTransition(r, after, events, entries, figureChange(r, after, now));
      if (!saved) {
        result.skipped++;
        continue;
      }
      if (to) result.escalated++;
      else result.breachedAtTop++;
    }
    if (!due.nextCursor && due.items.length < 50) break;
    if (due.items.every((r) => r.breachedAtTop && r.status !== 'resolved')) break;
  }
  if (result.escalated + result.breachedAtTop + result.closed > 0) logger.info('SLA sweep', result);
  return result;
}

/** Closes a resolved request whose confirm/reopen window has passed; false when it is not due or changed meanwhile. */
async function closeUnconfirmed(r: ServiceRequest, now: Date): Promise<boolean> {
  if (!r.resolvedAt || reopenEnds(r.resolvedAt) > now.toISOString()) return false;
  const at = now.toISOString();
  const after: ServiceRequest = { ...r, status: 'closed', closedAt: at, version: r.version + 1 };
  const entries = notifyRequester(after, { status: '已自动办结' });
  const events = [event(after, after.version, 'closed', 'system', '居民 7 天内未确认，系统自动办结', now, { automatic: true })];
  if (!(await commitTransition(r, after, events, entries, figureChange(r, after, now)))) return false;
  countEvent(businessMetrics.requestClosed);
  return true;
}
