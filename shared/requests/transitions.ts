import type { Principal } from '../auth/principal';
import { BadRequestError,ConflictError, ForbiddenError } from '../errors';
import { links } from '../links';
import { notificationMessage } from '../notifications/notify';
import type { NotificationTemplate } from '../notifications/templates';
import { newOutboxEntry, type OutboxEntry } from '../queue/messages';
import type { User } from '../users/model';
import { isHandler, speaksForRequester } from './access';
import { type RequestType,requestType } from './catalogue';
import { type EventKind, type Level, levelNames, reopenEnds, type ServiceRequest, statusNames, type TimelineEvent } from './model';

/**
 * The rules of a request's life, pure: given the request, the action, who acts, what was read for
 * it and the time, the next state with its timeline entries and its messages — or a refusal.
 * Unit-tested without a database (tests/unit/request-transitions.test.ts); the use-cases load,
 * decide here, then commit (shared/requests/use-cases.ts).
 */

export const minute = 60_000;
export const hour = 60 * minute;

export function typeOf(r: ServiceRequest): RequestType {
  const t = requestType(r.typeCode);
  if (!t) throw new Error(`request ${r.requestId} has unknown type ${r.typeCode}`);
  return t;
}


/** The deadlines a request gets when it is (re)assigned at `from`: the SLA arithmetic, in one place. */
export function slaDeadlines(type: Pick<RequestType, 'sla'>, from: Date): { acceptDueAt: string; resolveDueAt: string } {
  return {
    acceptDueAt: new Date(from.getTime() + type.sla.acceptMinutes * minute).toISOString(),
    resolveDueAt: new Date(from.getTime() + type.sla.resolveHours * hour).toISOString(),
  };
}

export function event(r: ServiceRequest, seq: number, kind: EventKind, actorId: string, text: string, at: Date, data?: Record<string, unknown>): TimelineEvent {
  return { seq, kind, at: at.toISOString(), actorId, text, ...(data ? { data } : {}) };
}

export function notify(userId: string, template: NotificationTemplate, r: ServiceRequest, data: Record<string, string>): OutboxEntry {
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
export function notifyRequester(r: ServiceRequest, data: Record<string, string>): OutboxEntry[] {
  const to = r.onBehalf ? (r.followerIds ?? []) : [r.requesterId];
  return to.map((userId) => notify(userId, 'request_status', r, data));
}

export function dispatch(r: ServiceRequest, kind: 'assigned' | 'escalated' | 'reassigned'): OutboxEntry {
  return newOutboxEntry({
    queue: 'dispatch',
    body: { requestId: r.requestId, version: r.version, kind },
    groupId: r.gridId ?? r.level ?? 'street',
    dedupId: `${r.requestId}-v${r.version}`,
  });
}

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

export const requesterActions = new Set(['confirm', 'reopen', 'rate']);

export function refuse(code: string, message: string): never {
  throw new ConflictError(code, message);
}

export function nextLevel(l: Level | undefined): Level | null {
  if (l === 'grid') return 'community';
  if (l === 'community' || l === 'legal') return 'street';
  return null;
}

/** Marks a request overdue when a step is done after its deadline (the sweep may not have seen it yet). */
export function lateMark(r: ServiceRequest, deadline: string | undefined, at: string): { overdueAt?: string } {
  return !r.overdueAt && deadline && at > deadline ? { overdueAt: at } : {};
}

/** The transition itself: pure, so that the SLA sweep and the route share one set of rules. */
export function escalated(r: ServiceRequest, type: RequestType, now: Date): ServiceRequest {
  const to = nextLevel(r.level);
  if (!to) refuse('ALREADY_TOP_LEVEL', '已在街道一级，不能再上报');
  const { assigneeId: _gone, assigneeName: _name, ...rest } = r;
  return {
    ...rest,
    status: 'assigned',
    level: to,
    escalations: r.escalations + 1,
    ...slaDeadlines(type, now),
    version: r.version + 1,
  };
}


/** What an action needs read before it can be decided (the use-case reads it; the decision stays pure). */
export interface ActionContext {
  /** accept: the name of the one accepting. */
  actorName?: string;
  /** reassign: the user to hand it to (null: no such user). */
  reassignTarget?: Pick<User, 'userId' | 'name' | 'roles' | 'gridId' | 'communityId'> | null;
  /** duplicate: whether the request it duplicates exists. */
  duplicateExists?: boolean;
}

export interface Decision {
  after: ServiceRequest;
  events: TimelineEvent[];
  entries: OutboxEntry[];
}

/**
 * Decides an action on a request the actor may read: who may (the requester's actions, the
 * handler's), from which status, and what follows. Throws the refusal (ForbiddenError,
 * ConflictError with a stable code, BadRequestError for a bad target).
 */
export function decideAction(r: ServiceRequest, a: Action, p: Principal, ctx: ActionContext, now: Date): Decision {
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
      after = { ...after, status: 'in_progress', assigneeId: p.userId, ...(ctx.actorName ? { assigneeName: ctx.actorName } : {}), acceptedAt: r.acceptedAt ?? at, ...lateMark(r, r.acceptDueAt, at) };
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
      const target = ctx.reassignTarget ?? null;
      const targetPrincipal = target && { userId: target.userId, roles: target.roles, gridId: target.gridId, communityId: target.communityId };
      if (!targetPrincipal || !isHandler(targetPrincipal, { ...r, assigneeId: target.userId })) {
        throw new BadRequestError('INVALID_ASSIGNEE', '只能转派给本级的工作人员', [{ field: 'body.assigneeId', reason: 'out_of_scope', message: '该人员不负责此诉求' }]);
      }
      after = { ...after, status: 'assigned', assigneeId: target.userId, assigneeName: target.name, acceptDueAt: slaDeadlines(type, now).acceptDueAt };
      events.push(event(after, v, 'reassigned', p.userId, `转派给${target.name}：${a.reason}`, now, { assigneeId: target.userId }));
      entries.push(dispatch(after, 'reassigned'));
      break;
    }
    case 'duplicate': {
      if (r.status === 'closed') refuse('INVALID_TRANSITION', '诉求已关闭');
      if (a.of === r.requestId) throw new BadRequestError('INVALID_DUPLICATE', '不能标记为自身的重复', [{ field: 'body.of', reason: 'self', message: '请填写另一条诉求的编号' }]);
      if (!ctx.duplicateExists) throw new BadRequestError('INVALID_DUPLICATE', '被重复的诉求不存在', [{ field: 'body.of', reason: 'not_found', message: '诉求编号不存在' }]);
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
      after = { ...rest, status: 'in_progress', reopenCount: r.reopenCount + 1, resolveDueAt: slaDeadlines(type, now).resolveDueAt };
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

  return { after, events, entries };
}
