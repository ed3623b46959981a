import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import type { Principal } from '../../shared/auth/principal';
import { ConflictError, ForbiddenError } from '../../shared/errors';
import { requestType } from '../../shared/requests/catalogue';
import type { RequestStatus, ServiceRequest } from '../../shared/requests/model';
import { type Action,decideAction, escalated, slaDeadlines } from '../../shared/requests/transitions';

/**
 * The request's rules, without a database (#17): every action × status × role against a table
 * written from the rules themselves (not from the code), and the SLA arithmetic as properties.
 */
const now = new Date('2026-11-30T02:00:00.000Z');
const created = '2026-11-29T01:00:00.000Z';

function request(status: RequestStatus, typeCode = 'livelihood', extra: Partial<ServiceRequest> = {}): ServiceRequest {
  const routed = status !== 'submitted';
  return {
    requestId: 'R261129AAAAAA',
    typeCode,
    requesterId: 'resident-1',
    description: '楼道灯坏了',
    fields: {},
    photos: [],
    status,
    private: requestType(typeCode)!.private,
    createdAt: created,
    escalations: 0,
    reopenCount: 0,
    version: 3,
    ...(routed ? { level: 'grid' as const, gridId: 'G001', communityId: 'C01', streetId: 'S01', assigneeId: 'gw-G001-ft', assignedAt: created, acceptDueAt: '2026-11-29T03:00:00.000Z', resolveDueAt: '2026-12-02T01:00:00.000Z' } : {}),
    ...(status === 'in_progress' || status === 'resolved' || status === 'closed' ? { acceptedAt: '2026-11-29T01:30:00.000Z' } : {}),
    ...(status === 'resolved' || status === 'closed' ? { outcome: 'resolved' as const, resolvedAt: '2026-11-29T20:00:00.000Z' } : {}),
    ...(status === 'closed' ? { closedAt: '2026-11-29T21:00:00.000Z' } : {}),
    ...extra,
  };
}

const requester: Principal = { userId: 'resident-1', roles: ['resident'] };
const handler: Principal = { userId: 'gw-G001-ft', roles: ['grid_worker'], gridId: 'G001' };
/** May read a public request (the sub-district's staff) but neither asked nor handles it. */
const bystander: Principal = { userId: 'admin-1', roles: ['admin'] };
const target = { userId: 'gw-G001-pt', name: '李网格', roles: ['grid_worker' as const], gridId: 'G001' };

const actions: Record<Action['action'], Action> = {
  accept: { action: 'accept' },
  comment: { action: 'comment', text: '在处理' },
  resolve: { action: 'resolve', outcome: 'resolved', note: '已修好' },
  escalate: { action: 'escalate', reason: '需社区协调' },
  reassign: { action: 'reassign', assigneeId: target.userId, reason: '换人' },
  duplicate: { action: 'duplicate', of: 'R261129BBBBBB' },
  mediation: { action: 'mediation', parties: ['甲', '乙'] },
  follow_up: { action: 'follow_up', note: '回访' },
  confirm: { action: 'confirm' },
  reopen: { action: 'reopen', reason: '又坏了' },
  rate: { action: 'rate', score: 5 },
};

/** The rules as the issue and the product state them: who may, from which statuses, and to what. */
const rules: Record<Action['action'], { who: 'handler' | 'requester' | 'both'; from: RequestStatus[]; to: (s: RequestStatus) => RequestStatus }> = {
  accept: { who: 'handler', from: ['assigned'], to: () => 'in_progress' },
  comment: { who: 'both', from: ['submitted', 'assigned', 'in_progress', 'resolved'], to: (s) => s },
  resolve: { who: 'handler', from: ['in_progress'], to: () => 'resolved' },
  escalate: { who: 'handler', from: ['assigned', 'in_progress'], to: () => 'assigned' },
  reassign: { who: 'handler', from: ['assigned', 'in_progress'], to: () => 'assigned' },
  duplicate: { who: 'handler', from: ['submitted', 'assigned', 'in_progress', 'resolved'], to: () => 'closed' },
  mediation: { who: 'handler', from: ['in_progress'], to: (s) => s },
  follow_up: { who: 'handler', from: ['submitted', 'assigned', 'in_progress', 'resolved', 'closed'], to: (s) => s },
  confirm: { who: 'requester', from: ['resolved'], to: () => 'closed' },
  reopen: { who: 'requester', from: ['resolved'], to: () => 'in_progress' },
  rate: { who: 'requester', from: ['resolved', 'closed'], to: (s) => s },
};

const statuses: RequestStatus[] = ['submitted', 'assigned', 'in_progress', 'resolved', 'closed'];
const roles = { requester, handler, bystander } as const;
const ctx = { actorName: '王网格', reassignTarget: target, duplicateExists: true };

describe('decideAction: every action × status × role', () => {
  for (const [name, action] of Object.entries(actions) as [Action['action'], Action][]) {
    const rule = rules[name];
    // Mediation actions are only for a mediation type (a public one here, so the bystander may read it).
    const typeCode = name === 'mediation' || name === 'follow_up' ? 'dispute_mediation' : 'livelihood';
    for (const status of statuses) {
      for (const [roleName, p] of Object.entries(roles)) {
        const mayAct = rule.who === 'both' ? roleName !== 'bystander' : roleName === rule.who;
        // A submitted request has no handler yet: nobody handles it at a level.
        const handles = roleName !== 'handler' || status !== 'submitted';
        const allowed = mayAct && handles && rule.from.includes(status);
        it(`${name} on ${status} by the ${roleName}: ${allowed ? `→ ${rule.to(status)}` : 'refused'}`, () => {
          const r = request(status, typeCode, { private: false });
          if (allowed) {
            const d = decideAction(r, action, p, ctx, now);
            expect(d.after.status).toBe(rule.to(status));
            expect(d.after.version).toBe(r.version + 1);
            expect(d.events.map((e) => e.seq)).toEqual([r.version + 1]);
            expect(d.events[0]!.actorId).toBe(p.userId);
          } else {
            expect(() => decideAction(r, action, p, ctx, now)).toThrow(mayAct && handles ? ConflictError : ForbiddenError);
          }
        });
      }
    }
  }
});

describe('decideAction: what follows', () => {
  it('accept records who and when, and tells the requester (once, by a deterministic id)', () => {
    const d = decideAction(request('assigned'), actions.accept, handler, ctx, now);
    expect(d.after).toMatchObject({ assigneeId: 'gw-G001-ft', assigneeName: '王网格', acceptedAt: now.toISOString(), overdueAt: now.toISOString() });
    expect(d.entries.map((e) => (e.body as { notificationId: string }).notificationId)).toEqual(['R261129AAAAAA-v4-request_status-resident-1']);
  });

  it('accepting before the deadline does not mark it overdue', () => {
    const d = decideAction(request('assigned', 'livelihood', { acceptDueAt: '2026-11-30T03:00:00.000Z' }), actions.accept, handler, ctx, now);
    expect(d.after.overdueAt).toBeUndefined();
  });

  it('escalate goes grid → community with fresh deadlines, and is dispatched there', () => {
    const d = decideAction(request('in_progress'), actions.escalate, handler, ctx, now);
    expect(d.after).toMatchObject({ level: 'community', status: 'assigned', escalations: 1, ...slaDeadlines(requestType('livelihood')!, now) });
    expect(d.after.assigneeId).toBeUndefined();
    expect(d.entries.map((e) => e.queue)).toEqual(['dispatch', 'notifications']);
  });

  it('escalate from the sub-district is refused: there is nowhere higher', () => {
    expect(() => escalated(request('assigned', 'livelihood', { level: 'street' }), requestType('livelihood')!, now)).toThrow(expect.objectContaining({ code: 'ALREADY_TOP_LEVEL' }));
  });

  it('reassign only to a handler at the same level; a missing request to duplicate is a bad target', () => {
    expect(() => decideAction(request('assigned'), actions.reassign, handler, { reassignTarget: { ...target, gridId: 'G002' } }, now)).toThrow(expect.objectContaining({ code: 'INVALID_ASSIGNEE' }));
    expect(() => decideAction(request('assigned'), actions.reassign, handler, { reassignTarget: null }, now)).toThrow(expect.objectContaining({ code: 'INVALID_ASSIGNEE' }));
    expect(() => decideAction(request('assigned'), actions.duplicate, handler, { duplicateExists: false }, now)).toThrow(expect.objectContaining({ code: 'INVALID_DUPLICATE' }));
    expect(() => decideAction(request('assigned'), { action: 'duplicate', of: 'R261129AAAAAA' }, handler, ctx, now)).toThrow(expect.objectContaining({ code: 'INVALID_DUPLICATE' }));
  });

  it('reopen only within 7 days of the resolve, back to the same worker with a new resolve deadline', () => {
    const r = request('resolved', 'livelihood', { resolvedAt: '2026-11-23T02:00:01.000Z' });
    const d = decideAction(r, actions.reopen, requester, ctx, now);
    expect(d.after).toMatchObject({ status: 'in_progress', reopenCount: 1, resolveDueAt: slaDeadlines(requestType('livelihood')!, now).resolveDueAt });
    expect(d.after.outcome).toBeUndefined();
    expect(d.entries.map((e) => (e.body as { userId: string }).userId)).toEqual(['gw-G001-ft']);
    const late = request('resolved', 'livelihood', { resolvedAt: '2026-11-23T01:59:59.000Z' });
    expect(() => decideAction(late, actions.reopen, requester, ctx, now)).toThrow(expect.objectContaining({ code: 'REOPEN_WINDOW_PASSED' }));
  });

  it('rate once; mediation only on a mediation type', () => {
    expect(() => decideAction(request('closed', 'livelihood', { rating: { score: 4, at: created } }), actions.rate, requester, ctx, now)).toThrow(expect.objectContaining({ code: 'ALREADY_RATED' }));
    expect(() => decideAction(request('in_progress'), actions.mediation, handler, ctx, now)).toThrow(expect.objectContaining({ code: 'NOT_A_MEDIATION' }));
  });

  it('代办: a household member who follows it confirms as the requester would', () => {
    const r = request('resolved', 'livelihood', { requesterId: 'person-H1-H1-1', followerIds: ['resident-1'], onBehalf: { householdId: 'H1', personId: 'H1-1', name: '张奶奶', submittedBy: 'gw-G001-ft', submittedByName: '王网格' } });
    expect(decideAction(r, actions.confirm, requester, ctx, now).after.status).toBe('closed');
  });
});

describe('SLA deadlines (property-based)', () => {
  const typeArb = fc.record({ sla: fc.record({ acceptMinutes: fc.integer({ min: 1, max: 60 * 24 * 30 }), resolveHours: fc.integer({ min: 1, max: 24 * 90 }) }) });
  const instant = fc.date({ min: new Date('2024-01-01T00:00:00Z'), max: new Date('2030-12-31T23:59:59Z'), noInvalidDate: true });

  it('are exactly the type\'s minutes and hours after the moment, as ISO instants in UTC', () => {
    fc.assert(
      fc.property(typeArb, instant, (type, from) => {
        const d = slaDeadlines(type, from);
        expect(Date.parse(d.acceptDueAt) - from.getTime()).toBe(type.sla.acceptMinutes * 60_000);
        expect(Date.parse(d.resolveDueAt) - from.getTime()).toBe(type.sla.resolveHours * 3_600_000);
        expect(d.acceptDueAt.endsWith('Z')).toBe(true);
      }),
    );
  });

  it('never move back: a later moment never gets an earlier deadline, whatever the Beijing or UTC day', () => {
    fc.assert(
      fc.property(typeArb, instant, fc.integer({ min: 0, max: 86_400_000 * 3 }), (type, from, later) => {
        const a = slaDeadlines(type, from);
        const b = slaDeadlines(type, new Date(from.getTime() + later));
        expect(b.acceptDueAt >= a.acceptDueAt).toBe(true);
        expect(b.resolveDueAt >= a.resolveDueAt).toBe(true);
      }),
    );
  });

  it('an escalation at any moment gets the deadlines of that moment', () => {
    fc.assert(
      fc.property(instant, (at) => {
        const e = escalated(request('assigned'), requestType('livelihood')!, at);
        expect({ acceptDueAt: e.acceptDueAt, resolveDueAt: e.resolveDueAt }).toEqual(slaDeadlines(requestType('livelihood')!, at));
      }),
    );
  });
});
