import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';

import { demoUsers } from '../../infra/local/demo-data';
import { seedDemoData } from '../../infra/local/seed';
import { ddb } from '../../shared/aws';
import { config } from '../../shared/config';
import { keys } from '../../shared/db/keys';
import { tokenAs } from '../fixtures/principals';
import { dispute, legalAid, livelihood, notificationsOf } from '../fixtures/requests';
import { useTestStack } from '../support/stack';
import { waitFor } from '../support/wait';

const t = useTestStack({ workers: true, visibilityTimeoutSeconds: 2 });
const call = t.call;
let tk: Record<string, string> = {};

beforeAll(async () => {
  await seedDemoData();
  tk = {
    resident: await tokenAs('resident', 'resident-1'), // lives in G001, community C01
    resident2: await tokenAs('resident', 'resident-2'), // lives in G002
    ft: await tokenAs('grid_worker', 'gw-G001-ft'),
    pt: await tokenAs('grid_worker', 'gw-G001-pt'),
    otherGrid: await tokenAs('grid_worker', 'gw-G002-ft'),
    community: await tokenAs('community_staff', 'cs-C01'),
    street: await tokenAs('street_staff'),
    legal: await tokenAs('legal_officer', 'legal-1'),
    legal2: await tokenAs('legal_officer', 'legal-2'),
    admin: await tokenAs('admin'),
  };
});

async function submit(body: unknown, token = tk.resident!, key?: string) {
  return call('POST', '/v1/requests', { token, body, headers: key ? { 'idempotency-key': key } : {} });
}
async function routed(requestId: string, token = tk.resident!) {
  return waitFor(async () => {
    const r = await call('GET', `/v1/requests/${requestId}`, { token });
    return r.body.status === 'assigned' ? r.body : undefined;
  }, 20_000, `routing of ${requestId}`);
}
const action = (id: string, token: string, body: unknown) => call('POST', `/v1/requests/${id}/actions`, { token, body });

describe('the full path of a livelihood request', () => {
  it('submit -> route -> accept -> escalate -> accept at the community -> resolve -> confirm -> rate', async () => {
    const sub = await submit(livelihood);
    expect(sub.status).toBe(202);
    expect(sub.body).toMatchObject({ status: 'submitted', typeName: '民生诉求', version: 1 });
    expect(sub.body.requestId).toMatch(/^R\d{6}[0-9A-Z]{6}$/);
    const id = sub.body.requestId as string;

    const assigned = await routed(id);
    const names = Object.fromEntries(demoUsers().map((u) => [u.userId, u.name]));
    expect(assigned).toMatchObject({ level: 'grid', gridId: 'G001', assigneeId: 'gw-G001-ft', assigneeName: names['gw-G001-ft'], overdue: false });
    expect(Date.parse(assigned.expectedBy) - Date.parse(assigned.createdAt)).toBeGreaterThanOrEqual(72 * 3600_000 - 1000);
    await waitFor(async () => (await notificationsOf('gw-G001-ft')).find((n) => n.data.requestId === id && n.template === 'request_assigned'), 10_000, 'assignee told');

    const inbox = await call('GET', '/v1/inbox?status=assigned', { token: tk.ft });
    expect(inbox.body.items.map((i: { requestId: string }) => i.requestId)).toContain(id);

    expect((await action(id, tk.ft!, { action: 'accept' })).body.status).toBe('in_progress');
    const esc = await action(id, tk.ft!, { action: 'escalate', reason: '需要社区协调供电所' });
    expect(esc.body).toMatchObject({ status: 'assigned', level: 'community', assigneeId: null, assigneeName: null, escalations: 1 });
    // The grid worker no longer handles it; the community does.
    expect((await action(id, tk.ft!, { action: 'accept' })).status).toBe(403);
    const communityInbox = await call('GET', '/v1/inbox?status=assigned', { token: tk.community });
    expect(communityInbox.body.items.map((i: { requestId: string }) => i.requestId)).toContain(id);
    expect((await action(id, tk.community!, { action: 'accept' })).body).toMatchObject({ status: 'in_progress', assigneeId: 'cs-C01', assigneeName: names['cs-C01'] });
    expect((await action(id, tk.community!, { action: 'resolve', outcome: 'resolved', note: '已联系供电所更换灯具' })).body).toMatchObject({ status: 'resolved', outcome: 'resolved' });
    expect((await action(id, tk.resident!, { action: 'confirm' })).body.status).toBe('closed');
    expect((await action(id, tk.resident!, { action: 'rate', score: 5, comment: '很快' })).body.rating).toMatchObject({ score: 5, comment: '很快' });

    const detail = await call('GET', `/v1/requests/${id}`, { token: tk.resident });
    expect(detail.body.timeline.map((e: { kind: string }) => e.kind)).toEqual([
      'submitted', 'assigned', 'accepted', 'escalated', 'accepted', 'resolved', 'confirmed', 'rated',
    ]);
    expect(detail.body.timeline.map((e: { seq: number }) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(detail.body.timeline[3].text).toBe('上报至社区：需要社区协调供电所');
    const statuses = await waitFor(async () => {
      const ns = (await notificationsOf('resident-1')).filter((n) => n.data.requestId === id).map((n) => n.data.status);
      return ns.length >= 3 ? ns : undefined;
    }, 10_000, 'resident told');
    expect(statuses).toEqual(expect.arrayContaining(['办理中', '已上报社区', '已办结，请确认']));

    const mine = await call('GET', '/v1/me/requests?limit=50', { token: tk.resident });
    expect(mine.body.items.find((r: { requestId: string }) => r.requestId === id)?.status).toBe('closed');
  });
});

describe('idempotent submission', () => {
  it('answers a resend with the same request and creates nothing new, even when sent concurrently', async () => {
    const key = 'phone-key-0000000001';
    const results = await Promise.all(Array.from({ length: 8 }, () => submit(livelihood, tk.resident2, key)));
    expect(results.map((r) => r.status)).toEqual(Array(8).fill(202));
    expect(new Set(results.map((r) => r.body.requestId)).size).toBe(1);
    const again = await submit(livelihood, tk.resident2, key);
    expect(again.body.requestId).toBe(results[0]!.body.requestId);
    const mine = await call('GET', '/v1/me/requests?limit=100', { token: tk.resident2 });
    expect(mine.body.items.filter((r: { requestId: string }) => r.requestId === results[0]!.body.requestId)).toHaveLength(1);
    expect(mine.body.items).toHaveLength(1);
  });

  it('refuses a key reused for a different request', async () => {
    const key = 'phone-key-0000000002';
    expect((await submit(livelihood, tk.resident2, key)).status).toBe(202);
    const other = await submit({ ...livelihood, description: '另一件事情：垃圾没人清运' }, tk.resident2, key);
    expect(other.status).toBe(409);
    expect(other.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });
});

describe('validation against the type\'s own fields', () => {
  it('names every bad field, in Chinese', async () => {
    const res = await submit({ typeCode: 'livelihood', description: '水管', fields: { category: 'gas', extra: 1 } });
    expect(res.status).toBe(400);
    expect(res.body.error.details.map((d: { field: string; reason: string }) => `${d.field}:${d.reason}`).sort()).toEqual(['body.description:too_small']);
    const fields = await submit({ typeCode: 'livelihood', description: '水管爆了在漏水', fields: { category: 'gas', extra: 1 } });
    expect(fields.status).toBe(400);
    expect(fields.body.error.details.map((d: { field: string; reason: string }) => `${d.field}:${d.reason}`).sort()).toEqual([
      'body.fields.category:invalid_value',
      'body.fields.location:invalid_type',
      'body.fields:unrecognized_keys',
    ]);
    const unknown = await submit({ typeCode: 'tax', description: '想咨询一下税的事情', fields: {} });
    expect(unknown.body.error.code).toBe('UNKNOWN_REQUEST_TYPE');
  });
});

describe('privacy of legal and dispute requests', () => {
  it('routes legal aid to a legal officer, informs the grid worker, and shows it to nobody else', async () => {
    const id = (await submit(legalAid)).body.requestId as string;
    const assigned = await routed(id);
    expect(assigned.level).toBe('legal');
    expect(['legal-1', 'legal-2']).toContain(assigned.assigneeId);
    await waitFor(async () => (await notificationsOf('gw-G001-ft')).find((n) => n.data.requestId === id && n.template === 'request_informed'), 10_000, 'grid worker informed');

    for (const who of ['ft', 'pt', 'otherGrid', 'community', 'street', 'admin', 'resident2'] as const) {
      const res = await call('GET', `/v1/requests/${id}`, { token: tk[who] });
      expect(res.status, who).toBe(404);
    }
    const audits = async () =>
      (
        await ddb().send(
          new QueryCommand({
            TableName: config().TABLE_NAME,
            IndexName: 'byLookup',
            KeyConditionExpression: 'lookupPk = :p',
            ExpressionAttributeValues: { ':p': keys.auditByTargetPartition('request', id) },
          }),
        )
      ).Items ?? [];
    // Only the requester has read it so far (while waiting for the routing), each read audited.
    const before = await audits();
    expect(new Set(before.map((a) => a.actorId))).toEqual(new Set(['resident-1']));
    expect((await call('GET', `/v1/requests/${id}`, { token: tk.resident })).status).toBe(200);
    const officer = assigned.assigneeId === 'legal-1' ? tk.legal : tk.legal2;
    expect((await call('GET', `/v1/requests/${id}`, { token: officer })).status).toBe(200);
    const added = (await audits()).slice(before.length);
    expect(added.map((a) => a.actorId)).toEqual(['resident-1', assigned.assigneeId]);
    expect(added.every((a) => a.action === 'request.read')).toBe(true);
  });

  it('shows a private dispute in the grid queue without its content to the worker not holding it', async () => {
    const id = (await submit(dispute)).body.requestId as string;
    await routed(id);
    const forPt = await call('GET', '/v1/inbox?status=assigned', { token: tk.pt });
    const item = forPt.body.items.find((i: { requestId: string }) => i.requestId === id);
    expect(item.summary).toBe('（隐私事项，仅承办人可见）');
    const forFt = await call('GET', '/v1/inbox?status=assigned', { token: tk.ft });
    expect(forFt.body.items.find((i: { requestId: string }) => i.requestId === id).summary).toBe(dispute.description);
    expect((await action(id, tk.pt!, { action: 'accept' })).status).toBe(404);
  });
});

describe('handling rules', () => {
  it('lets only one of two concurrent accepts win', async () => {
    const id = (await submit(livelihood)).body.requestId as string;
    await routed(id);
    const [a, b] = await Promise.all([action(id, tk.ft!, { action: 'accept' }), action(id, tk.pt!, { action: 'accept' })]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const loser = a.status === 409 ? a : b;
    expect(['CONCURRENT_UPDATE', 'INVALID_TRANSITION']).toContain(loser.body.error.code);
    const detail = await call('GET', `/v1/requests/${id}`, { token: tk.resident });
    expect(detail.body.timeline.filter((e: { kind: string }) => e.kind === 'accepted')).toHaveLength(1);
  });

  it('refuses invalid transitions with a clear error', async () => {
    const id = (await submit(livelihood)).body.requestId as string;
    await routed(id);
    const resolveEarly = await action(id, tk.ft!, { action: 'resolve', outcome: 'resolved', note: '好了' });
    expect(resolveEarly.status).toBe(409);
    expect(resolveEarly.body.error).toMatchObject({ code: 'INVALID_TRANSITION', message: '诉求待受理，不能办结' });
    expect((await action(id, tk.resident!, { action: 'accept' })).status).toBe(403);
    expect((await action(id, tk.ft!, { action: 'confirm' })).body.error.code).toBe('REQUESTER_ONLY');
    expect((await action(id, tk.ft!, { action: 'mediation', agreementTerms: '双方同意' })).body.error.code).toBe('NOT_A_MEDIATION');
    // Another grid's worker cannot even see that the request exists.
    expect((await action(id, tk.otherGrid!, { action: 'accept' })).status).toBe(404);
    const bad = await action(id, tk.ft!, { action: 'rate', score: 9 });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].field).toBe('body.score');
  });

  it('reopens to the same worker, and escalation stops at the sub-district', async () => {
    const id = (await submit(livelihood)).body.requestId as string;
    await routed(id);
    await action(id, tk.ft!, { action: 'accept' });
    await action(id, tk.ft!, { action: 'resolve', outcome: 'not_resolved', note: '需要物业配合' });
    const reopened = await action(id, tk.resident!, { action: 'reopen', reason: '灯还是不亮' });
    expect(reopened.body).toMatchObject({ status: 'in_progress', assigneeId: 'gw-G001-ft', outcome: null });
    await action(id, tk.ft!, { action: 'escalate', reason: '物业不配合' });
    await action(id, tk.community!, { action: 'escalate', reason: '跨部门' });
    const top = await action(id, tk.street!, { action: 'escalate', reason: '再上报' });
    expect(top.status).toBe(409);
    expect(top.body.error.code).toBe('ALREADY_TOP_LEVEL');
  });

  it('records a mediation agreement and follow-ups for a dispute', async () => {
    const id = (await submit(dispute)).body.requestId as string;
    await routed(id);
    await action(id, tk.ft!, { action: 'accept' });
    const m = await action(id, tk.ft!, {
      action: 'mediation',
      parties: ['王秀英', '5栋302住户'],
      agreementTerms: '302住户负责修补墙面，12月15日前完成',
      agreementDeadline: '2026-12-15T18:00:00+08:00',
    });
    expect(m.body.mediation).toMatchObject({ parties: ['王秀英', '5栋302住户'], mediatorId: 'gw-G001-ft', agreementDeadline: '2026-12-15T10:00:00.000Z' });
    expect((await action(id, tk.ft!, { action: 'follow_up', note: '已回访，墙面修补中' })).body.mediation.followUps).toBe(1);
  });

  it('marks a duplicate of another request', async () => {
    const first = (await submit(livelihood)).body.requestId as string;
    const second = (await submit(livelihood)).body.requestId as string;
    await routed(second);
    const dup = await action(second, tk.ft!, { action: 'duplicate', of: first });
    expect(dup.body).toMatchObject({ status: 'closed', outcome: 'duplicate', duplicateOf: first });
  });
});

describe('the inbox', () => {
  it('pages through the grid queue oldest-due first, every item exactly once', async () => {
    const token = await tokenAs('resident', 'resident-5'); // grid G005
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) ids.push((await submit({ ...livelihood, description: `第${i}件：路灯不亮了` }, token)).body.requestId);
    const worker = await tokenAs('grid_worker', 'gw-G005-ft');
    await waitFor(async () => (await call('GET', '/v1/inbox?status=assigned&limit=100', { token: worker })).body.items.length === 7, 20_000, 'all routed');
    const seen: string[] = [];
    const dues: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await call('GET', `/v1/inbox?status=assigned&limit=3${cursor ? `&cursor=${cursor}` : ''}`, { token: worker });
      seen.push(...res.body.items.map((i: { requestId: string }) => i.requestId));
      dues.push(...res.body.items.map((i: { dueAt: string }) => i.dueAt));
      cursor = res.body.nextCursor;
      pages++;
    } while (cursor);
    expect(seen.sort()).toEqual([...ids].sort());
    expect(dues).toEqual([...dues].sort());
    expect(pages).toBeGreaterThanOrEqual(3);
    const bad = await call('GET', '/v1/inbox?cursor=garbage', { token: worker });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('INVALID_CURSOR');
  });
});

describe('GET /v1/stats', () => {
  it('counts submissions, acceptances and resolutions by grid, and scopes community staff', async () => {
    const month = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 7);
    const byGrid = await call('GET', `/v1/stats?month=${month}&by=grid`, { token: tk.street });
    expect(byGrid.status).toBe(200);
    const g001 = byGrid.body.requests.find((r: { key: string }) => r.key === 'G001');
    expect(g001.submitted).toBeGreaterThanOrEqual(5);
    expect(g001.accepted).toBeGreaterThanOrEqual(3);
    expect(g001.communityId).toBe('C01');
    const forCommunity = await call('GET', `/v1/stats?month=${month}&by=grid`, { token: await tokenAs('community_staff', 'cs-C02') });
    expect(forCommunity.body.requests.every((r: { communityId: string }) => r.communityId === 'C02')).toBe(true);
    const bad = await call('GET', '/v1/stats?month=2026-13', { token: tk.street });
    expect(bad.body.error.details[0]).toMatchObject({ field: 'query.month', message: '月份格式为 YYYY-MM' });
  });
});
