import { writeAudit } from '../audit/audit';
import { hasRole } from '../auth/authorize';
import type { Principal } from '../auth/principal';
import type { TransactItem } from '../db/conditions';
import { bodyHash, checkIdempotencyKey, idempotencyPut, replayOf } from '../db/idempotency';
import { keys } from '../db/keys';
import { BadRequestError, ConflictError, ForbiddenError, NotFoundError } from '../errors';
import { getHousehold } from '../households/repository';
import { readableId } from '../ids';
import { logger } from '../logger';
import { businessMetrics, countEvent, recordRoutingLatency } from '../metrics';
import { getGrid, getStreet, homeStreetId } from '../org/repository';
import { lookupHash, unseal } from '../pii/crypto';
import { flushOutbox, newOutboxEntry, type OutboxEntry,outboxPut } from '../queue/messages';
import { getUser, userIdsByPhoneHash } from '../users/repository';
import { parseInput } from '../validation';
import { canRead } from './access';
import {
  type Action,
  type ActionContext,
  decideAction,
  dispatch,
  escalated,
  event,
  nextLevel,
  notify,
  notifyRequester,
  slaDeadlines,
  typeOf,
} from './transitions';
export type { Action } from './transitions';
import { attachPhotos, photoUrls } from '../photos/photos';
import { deltaPuts, foldCounterDeltas } from '../stats/counters';
import { fieldsSchemaOf, requestType, requestTypes } from './catalogue';
import {
  type Level,
  levelNames,
  reopenEnds,
  type RequestStatus,
  type RequestView,
  type ServiceRequest,
  statusNames,
  type TimelineEvent,
} from './model';
import {
  createRequest,
  followerPut,
  getRequest,
  getRequestWithTimeline,
  listByRequester,
  listInbox,
  listSlaDue,
  listUnrouted,
  open311TokenPut,
  saveTransition,
} from './repository';
import { type FigureChange,figureChange, figureDelta } from './stats';

/** A resident may reopen a resolved request within this time. */
const streetId = homeStreetId;

function newRequestId(now: Date): string {
  return readableId('R', now);
}

/** How a channel is named to staff: the 12345 hotline, or the partner system by its name. */
const channelName = (c: NonNullable<ServiceRequest['channel']>) => (c.kind === 'hotline_12345' ? '12345 热线' : c.partner);

export function toView(r: ServiceRequest, now = new Date()): RequestView {
  const t = requestType(r.typeCode);
  const open = r.status !== 'resolved' && r.status !== 'closed';
  const expectedBy = r.resolveDueAt ?? null;
  return {
    requestId: r.requestId,
    requesterId: r.requesterId,
    onBehalfOf: r.onBehalf ? { name: r.onBehalf.name, submittedByName: r.onBehalf.submittedByName } : null,
    filedBy: r.channel
      ? { channel: channelName(r.channel), callerName: r.partnerContact?.name ?? null, callerPhoneMasked: r.partnerContact?.phoneMasked ?? null }
      : null,
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

export type Owner = Pick<ServiceRequest, 'requesterId'> & Partial<Pick<ServiceRequest, 'requestedGridId' | 'onBehalf' | 'followerIds' | 'channel' | 'partnerContact'>>;

/** Validates and stores a new request for its owner (the caller, the person a worker acts for, or a partner system's caller). */
export async function submitFor(p: Principal, owner: Owner, input: SubmitInput, idempotencyKey: string | undefined, now: Date): Promise<RequestView> {
  const type = requestType(input.typeCode);
  if (!type) {
    throw new BadRequestError('UNKNOWN_REQUEST_TYPE', '没有这种诉求类型，请重新选择', [
      { field: 'body.typeCode', reason: 'unknown', message: `可选：${requestTypes.map((t) => t.code).join('、')}` },
    ]);
  }
  const fields = parseInput(fieldsSchemaOf(type), input.fields ?? {}, 'body.fields');
  checkIdempotencyKey(idempotencyKey);
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
    // A partner's token finds the request from the moment it exists.
    if (r.channel) also.push(open311TokenPut(r.channel.token, r.requestId, r.channel.keyId));
    try {
      const text = r.onBehalf
        ? `网格员${r.onBehalf.submittedByName}代${r.onBehalf.name}提交，正在分派给负责的工作人员`
        : r.channel
          ? `${channelName(r.channel)}转来，正在分派给负责的工作人员`
          : '诉求已提交，正在分派给负责的工作人员';
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
  const saved = await saveTransition(before.version, after, events, [...entries.map(outboxPut), ...deltaPuts(delta)]);
  if (!saved) return false;
  await flushOutbox(entries);
  await foldCounterDeltas([delta]);
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
    ...slaDeadlines(type, now),
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
    ['grid', hasRole(p, 'grid_worker') && p.gridId ? keys.inboxQueue('grid', p.gridId) : null],
    ['legal', hasRole(p, 'legal_officer') ? keys.inboxQueue('legal', streetId) : null],
    ['community', hasRole(p, 'community_staff') && p.communityId ? keys.inboxQueue('community', p.communityId) : null],
    ['street', hasRole(p, 'street_staff') ? keys.inboxQueue('street', streetId) : null],
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
        channel: r.channel ? channelName(r.channel) : null,
      };
    }),
    nextCursor: page.nextCursor,
  };
}

// ---------------------------------------------------------------------------------------------
// Actions

export async function act(p: Principal, requestId: string, a: Action, now = new Date()): Promise<RequestView> {
  // Load: the request, and what the action needs read.
  const r = await getRequest(requestId, true);
  if (!r || !canRead(p, r)) throw new NotFoundError('REQUEST_NOT_FOUND', '没有找到这条诉求');
  const ctx: ActionContext = {};
  if (a.action === 'accept') ctx.actorName = (await getUser(p.userId))?.name;
  if (a.action === 'reassign') ctx.reassignTarget = await getUser(a.assigneeId);
  if (a.action === 'duplicate' && a.of !== r.requestId) ctx.duplicateExists = !!(await getRequest(a.of));
  // Decide (pure), then commit.
  const { after, events, entries } = decideAction(r, a, p, ctx, now);
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
